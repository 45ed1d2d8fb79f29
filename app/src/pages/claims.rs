//! A project's payment claims (žádosti o platbu, ŽoP) and advances.

use crate::api::get_claims;
use crate::components::{ErrorBox, FlagList, Loading, ProjectTabs};
use crate::domain::format_czech_date;
use crate::dto::ClaimsView;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn ClaimsPage() -> impl IntoView {
    let id = super::project_detail::project_id_param();
    let reload = RwSignal::new(0u32);
    let claims = Resource::new(move || (id.get(), reload.get()), |(id, _)| get_claims(id));
    let user = Resource::new(|| (), |()| crate::api::current_user());
    view! {
        <Title text="Žádosti o platbu"/>
        <ProjectTabs id=id.get_untracked() active="zadosti"/>
        <h1>"Žádosti o platbu"</h1>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match claims.await {
                    Ok(c) => {
                        let may_edit = user.await.ok().flatten().is_some_and(|v| v.can_edit_finance(id.get_untracked()));
                        view! {
                            <ClaimsBody c=c.clone() id=id.get_untracked()/>
                            {may_edit.then(|| view! {
                                <super::claims_forms::OpenClaimForm c=c.clone() id=id.get_untracked()/>
                                {(!c.claims.is_empty()).then(|| view! { <super::claims_forms::DecisionForm c=c.clone() id=id.get_untracked() reload/> })}
                                <details class="small-form">
                                    <summary>"Zapsat starší žádost jako částku (bez soupisky dokladů)"</summary>
                                    <super::claims_forms::NewClaimForm c=c.clone() id=id.get_untracked() reload/>
                                </details>
                                <super::claims_forms::AdvanceForm id=id.get_untracked() reload/>
                            })}
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ClaimsBody(c: ClaimsView, id: i32) -> impl IntoView {
    if c.claims.is_empty() {
        return view! { <p class="empty">"Projekt zatím nepodal žádnou žádost o platbu."</p> }
            .into_any();
    }
    let date = |d: Option<chrono::NaiveDate>| d.map_or_else(|| "—".to_string(), format_czech_date);
    let flags: Vec<_> = c.claims.iter().filter_map(|x| x.flag.clone()).collect();
    view! {
        <FlagList flags/>
        <section class="cards">
            <div class="card"><span>"Nárokováno"</span><strong>{c.claimed_total.to_string()}</strong></div>
            <div class="card"><span>"Schváleno"</span><strong>{c.approved_total.to_string()}</strong></div>
            <div class="card"><span>"Proplaceno"</span><strong>{c.paid_total.to_string()}</strong></div>
            <div class="card"><span>"Zálohy"</span><strong>{c.advances_total.to_string()}</strong></div>
        </section>
        <table class="claims">
            <thead><tr><th>"ŽoP"</th><th>"Období"</th><th>"Soupiska"</th><th class="num">"Nárokováno"</th><th class="num">"Schváleno"</th>
                <th>"Podáno"</th><th>"Proplaceno"</th><th>"Stav"</th></tr></thead>
            <tbody>
                {c.claims.iter().map(|x| view! {
                    <tr class:flagged=x.flag.is_some()>
                        <td><A href=format!("/projekty/{id}/zadosti/{}", x.id)>{format!("ŽoP č. {}", x.number)}</A></td>
                        <td>{x.period_number.map(|n| format!("ZoR {n}"))}</td>
                        <td>{if x.with_documents { crate::domain::plural(u64::from(x.documents), crate::domain::words::nouns::DOCUMENT) } else { "bez soupisky".to_string() }}</td>
                        <td class="num">{x.claimed.to_string()}</td>
                        <td class="num">{x.approved.map_or_else(|| "—".to_string(), |m| m.to_string())}</td>
                        <td>{date(x.submitted_on)}</td><td>{date(x.paid_on)}</td><td>{x.status_label.clone()}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
