//! One payment claim (ŽoP) with its list of documents (soupiska dokladů): what it claims under the project's
//! cost model, the documents, their export, and (while the claim is a draft or returned) removing them.

use super::budget::outcome_errors;
use crate::api::{current_user, get_claim_detail, remove_claim_documents};
use crate::components::{ErrorBox, Loading, ProjectTabs};
use crate::domain::{format_czech_date, FieldErrors};
use crate::dto::ClaimDetail;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ClaimDetailPage() -> impl IntoView {
    let id = super::project_detail::project_id_param();
    let params = use_params_map();
    let claim = Memo::new(move |_| {
        params
            .get()
            .get("claim")
            .and_then(|v| v.parse::<i32>().ok())
            .unwrap_or(0)
    });
    let reload = RwSignal::new(0u32);
    let detail = Resource::new(
        move || (id.get(), claim.get(), reload.get()),
        |(id, c, _)| get_claim_detail(id, c),
    );
    let user = Resource::new(|| (), |()| current_user());
    view! {
        <Title text="Žádost o platbu"/>
        <ProjectTabs id=id.get_untracked() active="zadosti"/>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                let may_edit = user.await.ok().flatten().is_some_and(|v| v.can_edit_finance(id.get_untracked()));
                match detail.await {
                    Ok(d) => view! { <ClaimBody d id=id.get_untracked() may_edit reload/> }.into_any(),
                    Err(crate::error::AppError::NotFound) => view! { <crate::pages::NotFound/> }.into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ClaimBody(d: ClaimDetail, id: i32, may_edit: bool, reload: RwSignal<u32>) -> impl IntoView {
    let c = d.claim.clone();
    let cid = c.id;
    let version = c.version;
    let errors = RwSignal::new(FieldErrors::new());
    let remove = Action::new(move |doc: &i32| remove_claim_documents(id, cid, version, vec![*doc]));
    let message = move || outcome_errors(remove.value().get(), errors, reload);
    let editable = d.editable && may_edit;
    let b = d.breakdown;
    let export = |ext: &str| format!("/export/projekty/{id}/soupiska-{}.{ext}", c.number);
    view! {
        <h1>{format!("Žádost o platbu č. {}", c.number)}</h1>
        <p>
            "Stav: " <strong data-testid="claim-status">{c.status_label.clone()}</strong>
            {c.period_number.map(|n| format!(" · ZoR {n}"))}
            {c.submitted_on.map(|s| format!(" · podána {}", format_czech_date(s)))}
            {c.paid_on.map(|s| format!(" · proplacena {}", format_czech_date(s)))}
        </p>
        {(!c.with_documents).then(|| view! {
            <p class="notice">"Žádost je zapsaná jako částka bez soupisky dokladů (zapsaná před vedením dokladů v aplikaci)."</p>
        })}
        <section class="cards">
            <div class="card"><span>"Nárokováno"</span><strong data-testid="claim-amount">{c.claimed.to_string()}</strong></div>
            <div class="card"><span>"Doklady celkem"</span><strong data-testid="claim-documents-sum">{d.documents_sum.to_string()}</strong></div>
            {c.approved.map(|a| view! { <div class="card"><span>"Schváleno"</span><strong>{a.to_string()}</strong></div> })}
        </section>
        {c.with_documents.then(|| view! {
            <p class="hint" data-testid="claim-breakdown">
                {format!("Model vykazování: {}. Přímé osobní náklady {}, ostatní přímé {}, jednotkové náklady {}, paušál {} → nárokováno {}.",
                    d.cost_model_label, b.personnel, b.other_direct, b.simplified, b.flat_part, b.eligible)}
                {(!b.not_counted.is_zero()).then(|| format!(" Doklady na položkách mimo model ({}) se nezapočítávají.", b.not_counted))}
            </p>
        })}
        {(d.editable && !may_edit).then(|| view! { <p class="hint">"Soupisku může měnit finanční manažer projektu."</p> })}
        {(!d.editable && c.with_documents).then(|| view! {
            <p class="hint">"Soupiska podané žádosti se už nemění; změnit ji lze, až bude žádost vrácena k opravě."</p>
        })}
        <p class="actions">
            <a class="button" href=export("xlsx") download="">"Export soupisky .xlsx"</a>
            <a class="button" href=export("csv") download="">"Export soupisky .csv"</a>
            {editable.then(|| view! {
                <A href=format!("/projekty/{id}/vydaje?zadost=bez") attr:class="button primary">"Přidat doklady z evidence výdajů"</A>
            })}
        </p>
        {move || message().map(|m| view! { <p class="error-box" role="alert">{m}</p> })}
        {if d.documents.is_empty() {
            view! { <p class="empty">"Žádost zatím neobsahuje žádný doklad."</p> }.into_any()
        } else {
            view! {
                <div class="table-scroll" tabindex="0" role="region" aria-label="Doklady žádosti o platbu">
                <table class="ledger" data-testid="claim-documents">
                    <thead><tr><th>"Doklad"</th><th>"Uhrazeno"</th><th>"Položka rozpočtu"</th><th class="num">"Částka"</th>
                        <th>"Popis"</th><th>"Dodavatel"</th>
                        {editable.then(|| view! { <th><span class="visually-hidden">"Akce"</span></th> })}</tr></thead>
                    <tbody>
                        {d.documents.iter().map(|r| {
                            let rid = r.id;
                            view! { <tr>
                                <td>{r.document_number.clone().unwrap_or_else(|| "—".into())}</td>
                                <td>{r.paid_on.map(format_czech_date)}</td>
                                <td>{r.budget_line.clone()}</td>
                                <td class="num">{r.amount.to_string()}</td>
                                <td>{r.description.clone()}</td>
                                <td>{r.supplier.clone()}</td>
                                {editable.then(|| view! { <td>
                                    <button type="button" class="link-button" on:click=move |_| { remove.dispatch(rid); }>"vyjmout ze žádosti"</button>
                                </td> })}
                            </tr> }
                        }).collect_view()}
                    </tbody>
                </table>
                </div>
            }.into_any()
        }}
    }
}
