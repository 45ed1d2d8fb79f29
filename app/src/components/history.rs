//! The audit trail as a table: when, who, what, and each changed field old → new.

use crate::dto::AuditEntryDto;
use leptos::prelude::*;

/// Entries of the audit trail.
#[component]
pub fn HistoryTable(
    entries: Vec<AuditEntryDto>,
    #[prop(optional)] show_project: bool,
) -> impl IntoView {
    if entries.is_empty() {
        return view! { <p class="empty">"Zatím žádné zaznamenané změny."</p> }.into_any();
    }
    view! {
        <table class="data history" data-testid="history">
            <thead><tr>
                <th>"Kdy (UTC)"</th><th>"Kdo"</th><th>"Akce"</th><th>"Záznam"</th>
                {show_project.then(|| view! { <th>"Projekt"</th> })}
                <th>"Změny"</th>
            </tr></thead>
            <tbody>
                {entries.into_iter().map(|e| view! {
                    <tr>
                        <td>{e.at}</td>
                        <td>{e.user}</td>
                        <td>{e.action}</td>
                        <td>{format!("{} {}", e.entity, e.entity_id)}</td>
                        {show_project.then(|| view! {
                            <td>{e.project_id.map(|p| view! { <a href=format!("/projekty/{p}")>{p}</a> })}</td>
                        })}
                        <td>
                            <ul class="changes">
                                {e.changes.into_iter().map(|(field, old, new)| view! {
                                    <li><code>{field}</code>": " <span class="old">{old}</span>" → " <span class="new">{new}</span></li>
                                }).collect_view()}
                            </ul>
                        </td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
