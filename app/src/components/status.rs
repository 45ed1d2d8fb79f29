use crate::domain::ProjectStatus;
use leptos::prelude::*;

/// The project status as a coloured label.
#[component]
pub fn StatusBadge(status: ProjectStatus, #[prop(optional)] archived: bool) -> impl IntoView {
    view! {
        <span class=format!("badge status-{}", status.code())>{status.label()}</span>
        {archived.then(|| view! { <span class="badge archived">"archivováno"</span> })}
    }
}
