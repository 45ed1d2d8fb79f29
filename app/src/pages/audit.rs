//! `/audit`: the whole audit trail for admins, filtered by user, project and date (a GET form, so every
//! filtered view is a link). The log is read-only: nothing in the app edits or deletes it.

use crate::api::audit_log;
use crate::components::{ErrorBox, HistoryTable, Loading};
use crate::dto::AuditQuery;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AuditPage() -> impl IntoView {
    let query = use_query_map();
    let q = Memo::new(move |_| {
        query.with(|m| AuditQuery {
            user_email: m.get("uzivatel").unwrap_or_default(),
            project_id: m.get("projekt").and_then(|p| p.trim().parse().ok()),
            from: m.get("od").unwrap_or_default(),
            to: m.get("do").unwrap_or_default(),
            page: m.get("strana").and_then(|p| p.parse().ok()).unwrap_or(1),
        })
    });
    let page = Resource::new(move || q.get(), audit_log);
    view! {
        <Title text="Auditní záznam"/>
        <h1>"Auditní záznam změn"</h1>
        <form class="filters" method="get" action="/audit">
            <label>"Uživatel (e-mail) " <input name="uzivatel" value=move || q.get().user_email/></label>
            <label>"Projekt (č.) " <input name="projekt" size="6" value=move || q.get().project_id.map(|p| p.to_string()).unwrap_or_default()/></label>
            <label>"Od " <input type="date" name="od" value=move || q.get().from/></label>
            <label>"Do " <input type="date" name="do" value=move || q.get().to/></label>
            <button type="submit" class="button">"Filtrovat"</button>
        </form>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => {
                        let pages = p.total.div_ceil(u64::from(p.per_page)).max(1);
                        let current = q.get_untracked();
                        let link = move |n: u64| {
                            format!(
                                "/audit?uzivatel={}&projekt={}&od={}&do={}&strana={n}",
                                current.user_email,
                                current.project_id.map(|p| p.to_string()).unwrap_or_default(),
                                current.from,
                                current.to
                            )
                        };
                        view! {
                            <p class="muted">{format!("Záznamů: {} · strana {} z {}", p.total, p.page, pages)}</p>
                            <HistoryTable entries=p.entries show_project=true/>
                            <nav class="pager">
                                {(u64::from(p.page) > 1).then(|| view! { <a href=link(u64::from(p.page) - 1)>"← předchozí"</a> })}
                                {(u64::from(p.page) < pages).then(|| view! { <a href=link(u64::from(p.page) + 1)>"další →"</a> })}
                            </nav>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}
