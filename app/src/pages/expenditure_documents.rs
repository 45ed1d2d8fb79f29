//! The documents of one expenditure (`/projekty/:id/vydaje/:expenditure`): the invoices, receipts and
//! contracts behind a row of the ledger.

use crate::components::{Documents, ProjectTabs};
use crate::domain::documents::Attachment;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ExpenditureDocumentsPage() -> impl IntoView {
    let id = super::project_detail::project_id_param();
    let params = use_params_map();
    let expenditure = params
        .get_untracked()
        .get("expenditure")
        .and_then(|v| v.parse::<i32>().ok())
        .unwrap_or(0);
    let project_id = id.get_untracked();
    view! {
        <Title text="Doklady a přílohy výdaje"/>
        <ProjectTabs id=project_id active="vydaje"/>
        <h1>"Doklady a přílohy výdaje"</h1>
        <Documents project_id to=Attachment::Expenditure(expenditure) title="Přílohy"/>
        <p><a href=format!("/projekty/{project_id}/vydaje")>"← Zpět do evidence výdajů"</a></p>
    }
}
