use crate::i18n::{lang, text};
use leptos::prelude::*;
use leptos_router::components::A;

/// The tabs of a project's pages.
#[component]
pub fn ProjectTabs(id: i32, active: &'static str) -> impl IntoView {
    let lang = lang();
    let tabs = [
        (
            "prehled",
            text(lang, "tabs.overview"),
            format!("/projekty/{id}"),
        ),
        (
            "indikatory",
            text(lang, "tabs.indicators"),
            format!("/projekty/{id}/indikatory"),
        ),
        (
            "rozpocet",
            text(lang, "tabs.budget"),
            format!("/projekty/{id}/rozpocet"),
        ),
        (
            "vydaje",
            text(lang, "tabs.ledger"),
            format!("/projekty/{id}/vydaje"),
        ),
        (
            "zadosti",
            text(lang, "tabs.claims"),
            format!("/projekty/{id}/zadosti"),
        ),
    ];
    // Only for who may read the project: a refused page shows no project's tabs.
    let user = Resource::new(|| (), |()| crate::api::current_user());
    view! {
        <Transition fallback=|| ()>
            {move || {
                let tabs = tabs.clone();
                Suspend::new(async move {
                    let readable = user.await.ok().flatten().is_some_and(|v| v.can_read(id));
                    readable.then(|| view! {
                        <nav class="tabs" aria-label=text(lang, "tabs.label")>
                            {tabs.into_iter().map(|(key, label, href)| view! {
                                <A href=href attr:class=if key == active { "tab active" } else { "tab" }
                                    attr:aria-current=(key == active).then_some("page")>{label}</A>
                            }).collect_view()}
                        </nav>
                    })
                })
            }}
        </Transition>
    }
}
