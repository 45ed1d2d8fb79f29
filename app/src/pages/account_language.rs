//! The choice of the interface's language on `/ucet` (issue 15, point 4). The page is loaded afresh after
//! the save, so that everything, the header included, is in the chosen language.

use crate::api::set_language;
use crate::components::ErrorBox;
use crate::domain::Lang;
use crate::i18n::{fill, lang, t};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The language form, and the message after a save (`?jazyk=ulozen`).
#[component]
pub fn LanguageForm() -> impl IntoView {
    let current = lang();
    let chosen = RwSignal::new(current.code().to_owned());
    let save = Action::new(move |code: &String| set_language(code.clone()));
    Effect::new(move |_| {
        if matches!(save.value().get(), Some(Ok(()))) {
            #[cfg(feature = "hydrate")]
            let _ = window().location().set_href("/ucet?jazyk=ulozen");
        }
    });
    let query = use_query_map();
    let saved = move || {
        query
            .with(|q| q.get("jazyk").is_some_and(|v| v == "ulozen"))
            .then(|| {
                fill(
                    current,
                    "account.language_saved",
                    &[("name", current.own_name())],
                )
            })
    };
    // Said on the page's status line once the page, loaded afresh in the new language, is live.
    Effect::new(move |_| {
        if let Some(text) = saved() {
            crate::components::announce(text);
        }
    });
    view! {
        <form class="small-form" data-testid="language-form" on:submit=move |ev| {
            ev.prevent_default();
            save.dispatch(chosen.get());
        }>
            <h2>{t("account.language")}</h2>
            <div class="field">
                <label for="f-language">{t("account.language")}</label>
                <select id="f-language" name="language" on:change=move |ev| chosen.set(event_target_value(&ev))>
                    {Lang::ALL.into_iter().map(|l| view! {
                        <option value=l.code() lang=l.code() selected=l == current>{l.own_name()}</option>
                    }).collect_view()}
                </select>
                <small class="hint">{t("account.language_hint")}</small>
            </div>
            {move || save.value().get().and_then(Result::err).map(|e| view! { <ErrorBox error=e/> })}
            <button type="submit" class="button primary">{t("account.language_save")}</button>
        </form>
    }
}
