//! A project's detail page, with archive / restore behind a confirmation.

use crate::api::{get_project, set_project_archived};
use crate::components::{ErrorBox, Loading, StatusBadge};
use crate::domain::format_czech_date;
use crate::dto::ProjectDetail;
use crate::i18n::{lang, t};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

/// The `:id` route parameter as a project id (0 when it is not a number: the server then says not found).
pub(crate) fn project_id_param() -> Memo<i32> {
    let params = use_params_map();
    Memo::new(move |_| {
        params
            .get()
            .get("id")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    })
}

#[component]
pub fn ProjectDetailPage() -> impl IntoView {
    let id = project_id_param();
    let reload = RwSignal::new(0u32);
    let project = Resource::new(move || (id.get(), reload.get()), |(id, _)| get_project(id));
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match project.await {
                    Ok(p) => view! { <ProjectView p reload/> }.into_any(),
                    Err(crate::error::AppError::NotFound) => view! { <crate::pages::NotFound/> }.into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ProjectView(p: ProjectDetail, reload: RwSignal<u32>) -> impl IntoView {
    let title = p
        .acronym
        .clone()
        .map_or_else(|| p.name.clone(), |a| format!("{a} – {}", p.name));
    let edit_href = format!("/projekty/{}/upravit", p.id);
    let lang = lang();
    view! {
        <Title text=title.clone()/>
        <crate::components::ProjectTabs id=p.id active="prehled"/>
        <div class="page-head">
            <div>
                <p class="mono regnum">{p.registration_number.clone()}</p>
                <h1>{title}</h1>
                <StatusBadge status=p.status archived=p.archived/>
            </div>
            <ProjectActions id=p.id version=p.version archived=p.archived edit_href reload/>
        </div>
        {(!p.archived).then(|| view! { <crate::components::NextDeadline project_id=p.id/> })}
        {p.archived.then(|| view! {
            <p class="notice">"Projekt je archivovaný: nezobrazuje se v seznamu a nelze jej upravovat. Data zůstávají zachována."</p>
        })}
        <dl class="facts">
            <dt>{t("detail.beneficiary")}</dt><dd>{p.beneficiary_name.clone()}" ("{t("detail.ico")}" "<span class="mono">{p.beneficiary_ico.clone()}</span>")"
                {p.beneficiary_natural_person.then(|| format!(" {}", t("detail.natural_person")))}</dd>
            <dt>{t("detail.programme")}</dt><dd>{p.programme.clone()}" · "{t("detail.period")}" "{p.period.clone()}</dd>
            <dt>{t("detail.priority")}</dt><dd>{p.priority.clone()}</dd>
            <dt>{t("detail.specific_objective")}</dt><dd class="mono">{p.specific_objective_code.clone()}</dd>
            <dt>{t("detail.intervention")}</dt><dd class="mono">{p.intervention_code.clone().unwrap_or_else(|| "—".to_string())}</dd>
            <dt>{t("detail.call")}</dt><dd><span class="mono">{p.call_id.clone()}</span>{p.call_name.clone().map(|n| format!(" – {n}"))}</dd>
            <dt>{t("detail.realisation")}</dt><dd>{lang.date(p.start_date)}" – "{lang.date(p.end_date)}</dd>
            <dt>{t("detail.total_eligible")}</dt>
            <dd>
                {p.total_eligible.map_or_else(|| t("detail.not_given").to_string(), |m| lang.money(m))}
                {p.amounts_illustrative.then(|| view! {
                    <span class="badge illustrative" title="Částka je vymyšlená pro ukázková data, není skutečná.">"ilustrativní částka"</span>
                })}
                <small class="hint explain">{t("detail.total_hint")}" "
                    <a href=format!("/projekty/{}/rozpocet", p.id)>{t("tabs.budget")}</a>"."</small>
            </dd>
            <dt>{t("detail.target_groups")}</dt>
            <dd>
                {if p.target_groups.is_empty() { view! { <span class="muted">{t("detail.none_given")}</span> }.into_any() } else {
                    view! { <ul class="tags">{p.target_groups.iter().map(|t| view! { <li>{t.label.clone()}</li> }).collect_view()}</ul> }.into_any()
                }}
            </dd>
            <dt>{t("detail.description")}</dt><dd class="description">{if p.description.is_empty() { "—".to_string() } else { p.description.clone() }}</dd>
            <dt>{t("detail.updated")}</dt><dd>{p.updated_at.clone()}</dd>
        </dl>
        <h2>{t("detail.municipalities")}</h2>
        {if p.municipalities.is_empty() {
            view! { <p class="muted">{t("detail.no_municipalities")}</p> }.into_any()
        } else {
            view! {
                <table class="municipalities">
                    <thead><tr><th>{t("detail.col.municipality")}</th><th>{t("detail.col.code")}</th><th>{t("detail.col.district")}</th><th>{t("detail.col.region")}</th></tr></thead>
                    <tbody>
                        {p.municipalities.iter().map(|m| view! {
                            <tr><td>{m.name.clone()}</td><td class="mono">{m.code}</td><td>{m.district.clone()}</td><td>{m.region.clone()}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
        <PeriodReviews id=p.id/>
        <crate::components::Documents project_id=p.id to=crate::domain::documents::Attachment::Project title="Dokumenty projektu"/>
        <ProjectHistory id=p.id/>
        <p>
            <A href="/">"← Zpět na seznam projektů"</A>" · "
            <a href=format!("/projekty/{}/tisk", p.id)>"Monitorovací souhrn k tisku"</a>" · "
            <a href=format!("/export/projekty/{}/indikatory.xlsx", p.id) rel="external" download="">"indikátory (xlsx)"</a>" · "
            <a href=format!("/export/projekty/{}/indikatory.csv", p.id) rel="external" download="">"(csv)"</a>" · "
            <a href=format!("/export/projekty/{}/rozpocet.xlsx", p.id) rel="external" download="">"rozpočet (xlsx)"</a>" · "
            <a href=format!("/export/projekty/{}/rozpocet.csv", p.id) rel="external" download="">"(csv)"</a>
        </p>
    }
}

/// Edit and archive, for those who may edit the project (the server checks again; this only spares
/// others a button that would be refused).
#[component]
fn ProjectActions(
    id: i32,
    version: i32,
    archived: bool,
    edit_href: String,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let user = Resource::new(|| (), |()| crate::api::current_user());
    view! {
        <div class="actions">
            <Transition fallback=|| ()>
                {move || {
                    let edit_href = edit_href.clone();
                    Suspend::new(async move {
                        let may = user.await.ok().flatten().is_some_and(|u| u.can_edit_project(id));
                        may.then(|| view! {
                            {(!archived).then(|| view! { <A href=edit_href.clone() attr:class="button primary">"Upravit"</A> })}
                            <ArchiveButton id version archived reload/>
                        })
                    })
                }}
            </Transition>
        </div>
    }
}

/// Archive (or restore) with an explicit confirmation step.
#[component]
fn ArchiveButton(id: i32, version: i32, archived: bool, reload: RwSignal<u32>) -> impl IntoView {
    let confirming = RwSignal::new(false);
    let action = Action::new(move |_: &()| set_project_archived(id, version, !archived));
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            reload.update(|n| *n += 1);
        }
    });
    view! {
        {move || if archived {
            view! { <button type="button" class="button" on:click=move |_| { action.dispatch(()); }>"Obnovit z archivu"</button> }.into_any()
        } else if confirming.get() {
            view! {
                <div class="confirm" role="alertdialog" aria-label="Potvrzení archivace">
                    <span>"Opravdu archivovat? Projekt zmizí ze seznamu, data zůstanou."</span>
                    <button type="button" class="button danger" on:click=move |_| { action.dispatch(()); }>"Ano, archivovat"</button>
                    <button type="button" class="button subtle" on:click=move |_| confirming.set(false)>"Zrušit"</button>
                </div>
            }.into_any()
        } else {
            view! { <button type="button" class="button" on:click=move |_| confirming.set(true)>"Archivovat"</button> }.into_any()
        }}
        {move || action.value().get().and_then(Result::err).map(|e| view! { <ErrorBox error=e/> })}
    }
}

/// The ministry's review of each monitoring period (ZoR), with links to the comments.
#[component]
fn PeriodReviews(id: i32) -> impl IntoView {
    let list = Resource::new(move || id, crate::api::get_review_summaries);
    view! {
        <section class="period-reviews">
            <h2>"Kontrola zpráv o realizaci"</h2>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(l) if l.is_empty() => view! { <p class="muted">"Projekt zatím nemá monitorovací období."</p> }.into_any(),
                        Ok(l) => view! {
                            <table class="reviews" data-testid="period-reviews">
                                <thead><tr><th>"Zpráva"</th><th>"Období"</th><th>"Stav kontroly"</th><th class="num">"Komentáře"</th></tr></thead>
                                <tbody>{l.into_iter().map(|r| view! {
                                    <tr data-period=r.period_id>
                                        <td><A href=format!("/projekty/{id}/obdobi/{}", r.period_id)>{format!("ZoR {}", r.number)}</A></td>
                                        <td>{format!("{} – {}", format_czech_date(r.start_date), format_czech_date(r.end_date))}</td>
                                        <td><span class=format!("badge review-{}", r.status.clone().unwrap_or_else(|| "none".into()))>{r.status_label}</span></td>
                                        <td class="num">{r.comments}</td>
                                    </tr>
                                }).collect_view()}</tbody>
                            </table>
                        }.into_any(),
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// The project's history: every recorded change, newest first.
#[component]
pub(crate) fn ProjectHistory(id: i32) -> impl IntoView {
    let entries = Resource::new(move || id, crate::api::project_history);
    view! {
        <section class="project-history">
            <h2>"Historie změn"</h2>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match entries.await {
                        Ok(list) => view! { <crate::components::HistoryTable entries=list/> }.into_any(),
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
