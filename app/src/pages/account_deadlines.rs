//! On `/ucet`: one's own calendar feeds (a secret address that Outlook and Google Calendar subscribe to,
//! shown once when created, revocable) and the choice of the daily deadline digest by e-mail.

use crate::api::{
    create_calendar_feed, get_account_deadlines, revoke_calendar_feed, set_deadline_digest,
};
use crate::components::{announce, ErrorBox, Loading};
use crate::domain::format_czech_date;
use crate::dto::deadlines::{AccountDeadlines, CalendarFeedInfo};
use leptos::prelude::*;

/// This page's origin (`https://host`), to show the feed's full address in the browser.
fn origin() -> String {
    #[cfg(feature = "hydrate")]
    {
        window().location().origin().unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        String::new()
    }
}

#[component]
pub fn AccountDeadlinesSection() -> impl IntoView {
    let reload = RwSignal::new(0u32);
    let data = Resource::new(move || reload.get(), |_| get_account_deadlines());
    let create = Action::new(move |(): &()| create_calendar_feed());
    Effect::new(move |_| {
        if let Some(Ok(_)) = create.value().get() {
            announce("Adresa kalendáře je vytvořena.");
            reload.update(|n| *n += 1);
        }
    });
    view! {
        <h2 id="kalendar">"Termíny v kalendáři"</h2>
        <p class="muted">"Adresu kalendáře vložte do Outlooku („Přidat kalendář → Z internetu“) nebo Google Kalendáře („Přidat kalendář → Z adresy URL“). Kalendář obsahuje termíny vašich projektů; kdo adresu zná, termíny uvidí, proto ji nesdílejte a nepotřebnou zneplatněte."</p>
        <form class="small-form" data-testid="calendar-form" on:submit=move |ev| {
            ev.prevent_default();
            create.dispatch(());
        }>
            {move || create.value().get().map(|r| match r {
                Ok(path) => view! {
                    <div class="ok" data-testid="new-feed">
                        <p>"Adresa kalendáře (zkopírujte si ji hned, znovu se už nezobrazí):"</p>
                        <p><code class="token">{format!("{}{path}", origin())}</code></p>
                    </div>
                }.into_any(),
                Err(e) => view! { <ErrorBox error=e/> }.into_any(),
            })}
            <button type="submit" class="button primary">"Vytvořit adresu kalendáře"</button>
        </form>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <Feeds d=d.clone() reload/> <Digest on=d.digest reload/> }.into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Feeds(d: AccountDeadlines, reload: RwSignal<u32>) -> impl IntoView {
    if d.feeds.is_empty() {
        return view! { <p class="empty">"Zatím žádná adresa kalendáře."</p> }.into_any();
    }
    view! {
        <table class="tokens" data-testid="feeds">
            <thead><tr><th>"Začátek adresy"</th><th>"Vytvořena"</th><th>"Stav"</th><th></th></tr></thead>
            <tbody>{d.feeds.into_iter().map(|f| view! { <FeedRow f reload/> }).collect_view()}</tbody>
        </table>
    }
    .into_any()
}

#[component]
fn FeedRow(f: CalendarFeedInfo, reload: RwSignal<u32>) -> impl IntoView {
    let id = f.id;
    let revoke = Action::new(move |(): &()| revoke_calendar_feed(id));
    Effect::new(move |_| {
        if let Some(Ok(())) = revoke.value().get() {
            announce("Adresa kalendáře je zneplatněna.");
            reload.update(|n| *n += 1);
        }
    });
    view! {
        <tr>
            <td class="mono">{format!("/kalendar/{}…", f.prefix)}</td>
            <td>{format_czech_date(f.created_at.date_naive())}</td>
            <td>{if f.revoked { "zneplatněna" } else { "platná" }}</td>
            <td>{(!f.revoked).then(|| view! {
                <button type="button" class="button small" on:click=move |_| { revoke.dispatch(()); }>"Zneplatnit"</button>
            })}</td>
        </tr>
    }
}

#[component]
fn Digest(on: bool, reload: RwSignal<u32>) -> impl IntoView {
    let checked = RwSignal::new(on);
    let save = Action::new(move |on: &bool| set_deadline_digest(*on));
    Effect::new(move |_| {
        if let Some(Ok(())) = save.value().get() {
            announce(if checked.get_untracked() {
                "Denní souhrn termínů e-mailem je zapnut."
            } else {
                "Denní souhrn termínů e-mailem je vypnut."
            });
            reload.update(|n| *n += 1);
        }
    });
    view! {
        <h2>"Souhrn termínů e-mailem"</h2>
        <form class="small-form" data-testid="digest-form" on:submit=move |ev| {
            ev.prevent_default();
            save.dispatch(checked.get());
        }>
            <label class="check"><input type="checkbox" name="digest" bind:checked=checked/>
                " Posílat mi jednou denně souhrn termínů po termínu a blížících se"</label>
            {move || save.value().get().and_then(Result::err).map(|e| view! { <ErrorBox error=e/> })}
            <button type="submit" class="button">"Uložit"</button>
        </form>
    }
}
