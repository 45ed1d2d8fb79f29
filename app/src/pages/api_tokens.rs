//! `/api-tokeny`: personal API tokens for other systems (admins only): create (the token is shown
//! once), list, revoke after a confirmation.

use crate::api::{create_api_token, list_api_tokens, revoke_api_token};
use crate::components::{ErrorBox, Loading};
use crate::domain::format_czech_date;
use crate::dto::TokenInfo;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ApiTokensPage() -> impl IntoView {
    let reload = RwSignal::new(0u32);
    let tokens = Resource::new(move || reload.get(), |_| list_api_tokens());
    let email = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let create =
        Action::new(move |(e, n): &(String, String)| create_api_token(e.clone(), n.clone()));
    Effect::new(move |_| {
        if let Some(Ok(_)) = create.value().get() {
            reload.update(|n| *n += 1);
        }
    });
    view! {
        <Title text="API tokeny"/>
        <h1>"API tokeny"</h1>
        <p class="muted">"Token slouží jiným systémům ke čtení dat přes "<a href="/api/v1/openapi.json">"API v1"</a>
            " (hlavička " <code>"Authorization: Bearer …"</code> "). Má práva svého uživatele."</p>
        <form class="small-form" data-testid="token-form" on:submit=move |ev| {
            ev.prevent_default();
            create.dispatch((email.get(), name.get()));
        }>
            <label class="field">"E-mail uživatele" <input type="email" name="email" bind:value=email/></label>
            <label class="field">"Název (k čemu token slouží)" <input type="text" name="name" bind:value=name/></label>
            {move || create.value().get().map(|r| match r {
                Ok(token) => view! {
                    <div class="ok" data-testid="new-token">
                        <p>"Token je vytvořen. Zkopírujte si ho hned, znovu se už nezobrazí:"</p>
                        <p><code class="token">{token}</code></p>
                    </div>
                }.into_any(),
                Err(e) => view! { <ErrorBox error=e/> }.into_any(),
            })}
            <button type="submit" class="button primary">"Vytvořit token"</button>
        </form>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match tokens.await {
                    Ok(list) if list.is_empty() => view! { <p class="empty">"Zatím žádné tokeny."</p> }.into_any(),
                    Ok(list) => view! { <TokenTable list reload/> }.into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn TokenTable(list: Vec<TokenInfo>, reload: RwSignal<u32>) -> impl IntoView {
    view! {
        <table class="tokens">
            <thead><tr><th>"Uživatel"</th><th>"Název"</th><th>"Začátek tokenu"</th><th>"Vytvořen"</th>
                <th>"Naposledy použit"</th><th>"Stav"</th><th></th></tr></thead>
            <tbody>{list.into_iter().map(|t| view! { <TokenRow t reload/> }).collect_view()}</tbody>
        </table>
    }
}

#[component]
fn TokenRow(t: TokenInfo, reload: RwSignal<u32>) -> impl IntoView {
    let confirming = RwSignal::new(false);
    let id = t.id;
    let revoke = Action::new(move |_: &()| revoke_api_token(id));
    Effect::new(move |_| {
        if let Some(Ok(())) = revoke.value().get() {
            reload.update(|n| *n += 1);
        }
    });
    let revoked = t.revoked;
    view! {
        <tr data-id=t.id>
            <td>{t.user_email}</td><td>{t.name}</td><td><code>{t.prefix}"…"</code></td>
            <td>{format_czech_date(t.created_at.date_naive())}</td>
            <td>{t.last_used_at.map_or_else(|| "—".to_string(), |d| format_czech_date(d.date_naive()))}</td>
            <td>{if revoked { "zneplatněn" } else { "platný" }}</td>
            <td>
                {move || if revoked {
                    ().into_any()
                } else if confirming.get() {
                    view! {
                        <span class="confirm" role="alertdialog" aria-label="Potvrzení zneplatnění">
                            "Zneplatnit? Systémy, které token používají, ztratí přístup. "
                            <button type="button" class="button danger" on:click=move |_| { revoke.dispatch(()); }>"Ano, zneplatnit"</button>
                            <button type="button" class="button subtle" on:click=move |_| confirming.set(false)>"Zrušit"</button>
                        </span>
                    }.into_any()
                } else {
                    view! { <button type="button" class="button" on:click=move |_| confirming.set(true)>"Zneplatnit"</button> }.into_any()
                }}
            </td>
        </tr>
    }
}
