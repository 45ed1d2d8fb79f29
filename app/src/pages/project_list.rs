//! The project list: filters, sortable columns and pages, all computed on the server from the URL.

use crate::api::{get_codebooks, list_projects};
use crate::components::{ErrorBox, Loading, Pager, StatusBadge};
use crate::domain::{format_czech_date, ProjectStatus};
use crate::dto::{Codebooks, ProjectListQuery, ProjectPage, SortColumn};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Form, A};
use leptos_router::hooks::use_query_map;

#[component]
pub fn ProjectListPage() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| {
        let p = params.get();
        ProjectListQuery::from_params(|k| p.get(k))
    });
    let page = Resource::new(move || query.get(), list_projects);
    let codebooks = Resource::new(|| (), |()| get_codebooks());
    let user = Resource::new(|| (), |()| crate::api::current_user());
    view! {
        <Title text="Projekty"/>
        <div class="page-head">
            <h1>"Projekty"</h1>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    user.await.ok().flatten().is_some_and(|v| v.can_create_project()).then(|| view! {
                        <A href="/projekty/novy" attr:class="button primary">"+ Nový projekt"</A>
                    })
                })}
            </Transition>
        </div>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                let q = query.get();
                let codebooks = codebooks.await.unwrap_or_default();
                view! { <Filters q codebooks action="/"/> }
            })}
        </Transition>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                let may_create = user.await.ok().flatten().is_some_and(|v| v.can_create_project());
                match page.await {
                    Ok(p) => view! { <ProjectTable page=p query=query.get_untracked() may_create/> }.into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The filter form: a plain GET form, so filters live in the URL and work before hydration too. Shared by
/// the project list (`/`) and the portfolio dashboard (`/prehled`).
#[component]
pub(crate) fn Filters(
    q: ProjectListQuery,
    codebooks: Codebooks,
    action: &'static str,
) -> impl IntoView {
    let statuses: Vec<(String, String)> = ProjectStatus::all()
        .iter()
        .map(|s| (s.code().to_string(), s.label().to_string()))
        .collect();
    let to_pairs = |v: &[crate::dto::Choice]| {
        v.iter()
            .map(|c| (c.value.clone(), c.label.clone()))
            .collect::<Vec<_>>()
    };
    view! {
        <Form method="GET" action=action attr:class="filters" attr:role="search">
            <label>"Hledat" <input type="search" name="q" value=q.text.clone()
                placeholder="název, akronym, reg. číslo, příjemce, IČO"/></label>
            <FilterSelect name="stav" label="Stav" options=statuses selected=q.status.clone()/>
            <FilterSelect name="program" label="Program" options=to_pairs(&codebooks.programmes)
                selected=q.programme_id.map(|p| p.to_string())/>
            <FilterSelect name="vyzva" label="Výzva" options=to_pairs(&codebooks.calls) selected=q.call_id.clone()/>
            <FilterSelect name="kraj" label="Kraj" options=to_pairs(&codebooks.regions)
                selected=q.region_code.map(|r| r.to_string())/>
            <FilterSelect name="skupina" label="Cílová skupina" options=to_pairs(&codebooks.target_groups)
                selected=q.target_group.clone()/>
            <FilterSelect name="prijemce" label="Příjemce" options=to_pairs(&codebooks.beneficiaries)
                selected=q.beneficiary_id.map(|b| b.to_string())/>
            <label class="check"><input type="checkbox" name="archiv" value="1" checked=q.include_archived/>
                " včetně archivovaných"</label>
            {(q.sort != SortColumn::default()).then(|| view! { <input type="hidden" name="razeni" value=q.sort.code()/> })}
            {q.descending.then(|| view! { <input type="hidden" name="smer" value="sestupne"/> })}
            <button type="submit" class="button">"Filtrovat"</button>
            <A href=action attr:class="button subtle">"Zrušit filtry"</A>
        </Form>
    }
}

#[component]
fn FilterSelect(
    name: &'static str,
    label: &'static str,
    options: Vec<(String, String)>,
    selected: Option<String>,
) -> impl IntoView {
    view! {
        <label>{label}
            <select name=name>
                <option value="">"vše"</option>
                {options.into_iter().map(|(v, l)| {
                    let sel = selected.as_deref() == Some(v.as_str());
                    view! { <option value=v selected=sel>{l}</option> }
                }).collect_view()}
            </select>
        </label>
    }
}

const COLUMNS: [(SortColumn, &str); 8] = [
    (SortColumn::RegistrationNumber, "Registrační číslo"),
    (SortColumn::Acronym, "Akronym"),
    (SortColumn::Name, "Název"),
    (SortColumn::Beneficiary, "Příjemce"),
    (SortColumn::Call, "Výzva"),
    (SortColumn::Status, "Stav"),
    (SortColumn::StartDate, "Zahájení"),
    (SortColumn::EndDate, "Ukončení"),
];

#[component]
fn ProjectTable(page: ProjectPage, query: ProjectListQuery, may_create: bool) -> impl IntoView {
    if page.rows.is_empty() {
        let filtered = query
            != ProjectListQuery {
                page: query.page,
                per_page: query.per_page,
                ..Default::default()
            };
        return view! {
            <div class="empty">
                {if filtered {
                    view! { <p>"Filtru neodpovídá žádný projekt. " <A href="/">"Zrušit filtry"</A></p> }.into_any()
                } else if may_create {
                    view! { <p>"V evidenci zatím není žádný projekt. " <A href="/projekty/novy">"Založte první projekt."</A></p> }.into_any()
                } else {
                    view! { <p>"V evidenci zatím není žádný projekt, který byste mohli vidět."</p> }.into_any()
                }}
            </div>
        }
        .into_any();
    }
    let headers = COLUMNS
        .iter()
        .map(|(col, label)| {
            let active = query.sort == *col;
            let arrow = match (active, query.descending) {
                (false, _) => "",
                (true, false) => " ▲",
                (true, true) => " ▼",
            };
            let aria = match (active, query.descending) {
                (false, _) => "none",
                (true, false) => "ascending",
                (true, true) => "descending",
            };
            let href = format!("/?{}", query.sorted_by(*col).to_query_string());
            view! { <th aria-sort=aria><a href=href data-sort=col.code()>{*label}{arrow}</a></th> }
        })
        .collect_view();
    let rows = page
        .rows
        .iter()
        .cloned()
        .map(|r| {
            let href = format!("/projekty/{}", r.id);
            view! {
                <tr data-id=r.id>
                    <td class="mono">{r.registration_number}</td>
                    <td>{r.acronym.unwrap_or_default()}</td>
                    <td><a href=href>{r.name}</a></td>
                    <td>{r.beneficiary_name}</td>
                    <td class="mono">{r.call_id}</td>
                    <td><StatusBadge status=r.status archived=r.archived/></td>
                    <td class="date">{format_czech_date(r.start_date)}</td>
                    <td class="date">{format_czech_date(r.end_date)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="projects">
            <thead><tr>{headers}</tr></thead>
            <tbody>{rows}</tbody>
        </table>
        <Pager page query/>
    }
    .into_any()
}
