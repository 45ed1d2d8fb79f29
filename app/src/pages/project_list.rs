//! The project list: filters, sortable columns and pages, all computed on the server from the URL.

use crate::api::{get_codebooks, list_projects};
use crate::components::{ErrorBox, Loading, Pager, StatusBadge};
use crate::domain::ProjectStatus;
use crate::dto::{Codebooks, ProjectListQuery, ProjectPage, SortColumn};
use crate::i18n::{lang, t, text};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Form, A};
use leptos_router::hooks::use_query_map;

#[component]
pub fn ProjectListPage() -> impl IntoView {
    let lang = lang();
    let params = use_query_map();
    let query = Memo::new(move |_| {
        let p = params.get();
        ProjectListQuery::from_params(|k| p.get(k))
    });
    let page = Resource::new(move || query.get(), list_projects);
    let codebooks = Resource::new(|| (), |()| get_codebooks());
    let user = Resource::new(|| (), |()| crate::api::current_user());
    view! {
        <Title text=t("list.title")/>
        <div class="page-head">
            <h1>{t("list.title")}</h1>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    user.await.ok().flatten().is_some_and(|v| v.can_create_project()).then(|| view! {
                        <A href="/projekty/novy" attr:class="button primary">{text(lang, "list.new")}</A>
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
    let lang = lang();
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
            <label>{text(lang, "list.search")}" " <input type="search" name="q" value=q.text.clone()
                placeholder=text(lang, "list.search_hint")/></label>
            <FilterSelect name="stav" label=text(lang, "list.status") options=statuses selected=q.status.clone()/>
            <FilterSelect name="program" label=text(lang, "list.programme") options=to_pairs(&codebooks.programmes)
                selected=q.programme_id.map(|p| p.to_string())/>
            <FilterSelect name="vyzva" label=text(lang, "list.call") options=to_pairs(&codebooks.calls) selected=q.call_id.clone()/>
            <FilterSelect name="kraj" label=text(lang, "list.region") options=to_pairs(&codebooks.regions)
                selected=q.region_code.map(|r| r.to_string())/>
            <FilterSelect name="skupina" label=text(lang, "list.target_group") options=to_pairs(&codebooks.target_groups)
                selected=q.target_group.clone()/>
            <FilterSelect name="prijemce" label=text(lang, "list.beneficiary") options=to_pairs(&codebooks.beneficiaries)
                selected=q.beneficiary_id.map(|b| b.to_string())/>
            <label class="check"><input type="checkbox" name="archiv" value="1" checked=q.include_archived/>
                " "{text(lang, "list.archived")}</label>
            {(q.sort != SortColumn::default()).then(|| view! { <input type="hidden" name="razeni" value=q.sort.code()/> })}
            {q.descending.then(|| view! { <input type="hidden" name="smer" value="sestupne"/> })}
            <button type="submit" class="button">{text(lang, "list.filter")}</button>
            <A href=action attr:class="button subtle">{text(lang, "list.clear")}</A>
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
                <option value="">{t("list.any")}</option>
                {options.into_iter().map(|(v, l)| {
                    let sel = selected.as_deref() == Some(v.as_str());
                    view! { <option value=v selected=sel>{l}</option> }
                }).collect_view()}
            </select>
        </label>
    }
}

/// The columns and the keys of their headers (`app/locales`).
const COLUMNS: [(SortColumn, &str); 8] = [
    (
        SortColumn::RegistrationNumber,
        "list.col.registration_number",
    ),
    (SortColumn::Acronym, "list.col.acronym"),
    (SortColumn::Name, "list.col.name"),
    (SortColumn::Beneficiary, "list.col.beneficiary"),
    (SortColumn::Call, "list.col.call"),
    (SortColumn::Status, "list.col.status"),
    (SortColumn::StartDate, "list.col.start"),
    (SortColumn::EndDate, "list.col.end"),
];

#[component]
fn ProjectTable(page: ProjectPage, query: ProjectListQuery, may_create: bool) -> impl IntoView {
    let lang = lang();
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
                    view! { <p>{text(lang, "list.none_filtered")}" " <A href="/">{text(lang, "list.clear")}</A></p> }.into_any()
                } else if may_create {
                    view! { <p>{text(lang, "list.none_yet")}" " <A href="/projekty/novy">{text(lang, "list.create_first")}</A></p> }.into_any()
                } else {
                    view! { <p>{text(lang, "list.none_visible")}</p> }.into_any()
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
            view! { <th aria-sort=aria><a href=href data-sort=col.code()>{text(lang, label)}{arrow}</a></th> }
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
                    <td class="date">{lang.date(r.start_date)}</td>
                    <td class="date">{lang.date(r.end_date)}</td>
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
