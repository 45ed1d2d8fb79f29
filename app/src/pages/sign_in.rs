//! Sign-in (*přihlášení*): a plain HTML form posted to the server, which sets the session cookie.

use crate::i18n::t;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/prihlaseni`.
#[component]
pub fn SignInPage() -> impl IntoView {
    let query = use_query_map();
    let error = move || query.with(|q| q.get("chyba")).filter(|m| !m.is_empty());
    let next = move || query.with(|q| q.get("dalsi")).unwrap_or_else(|| "/".into());
    view! {
        <Title text=t("sign_in.title")/>
        <h1>{t("sign_in.title")}</h1>
        {move || error().map(|m| view! { <p class="error-box" role="alert" data-testid="sign-in-error">{m}</p> })}
        <form class="small-form" method="post" action="/prihlaseni/odeslat" data-testid="sign-in-form">
            <label class="field">{t("sign_in.email")}
                <input type="email" name="email" required autocomplete="username"/>
            </label>
            <label class="field">{t("sign_in.password")}
                <input type="password" name="password" required autocomplete="current-password"/>
            </label>
            <input type="hidden" name="dalsi" value=next/>
            <button type="submit" class="button primary">{t("sign_in.submit")}</button>
        </form>
    }
}
