//! The audit trail as a table: when, who, what, and each changed field old → new, all in the user's words
//! (the server writes them; see `services::audit::fields`).

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
                <th>"Kdy"</th><th>"Kdo"</th><th>"Akce"</th><th>"Záznam"</th>
                {show_project.then(|| view! { <th>"Projekt"</th> })}
                <th>"Změny"</th>
            </tr></thead>
            <tbody>
                {entries.into_iter().map(|e| view! {
                    <tr>
                        <td>{e.at}</td>
                        <td>{e.user}</td>
                        <td>{e.action}</td>
                        <td>{e.entity}{(!e.record.is_empty()).then(|| view! { <br/><small>{e.record}</small> })}</td>
                        {show_project.then(|| view! {
                            <td>{e.project_id.map(|p| view! {
                                <a href=format!("/projekty/{p}")>{e.project.clone().unwrap_or_else(|| p.to_string())}</a>
                            })}</td>
                        })}
                        <td>
                            <ul class="changes">
                                {e.changes.into_iter().map(|c| {
                                    // A new value alone (a record created, a field filled in) needs no arrow.
                                    let arrow = !c.old.is_empty();
                                    view! {
                                        <li><span class="field">{c.field}</span>": "
                                            {arrow.then(|| view! { <span class="old">{c.old}</span>" → " })}
                                            <span class="new">{if c.new.is_empty() { "(prázdné)".to_owned() } else { c.new }}</span></li>
                                    }
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
