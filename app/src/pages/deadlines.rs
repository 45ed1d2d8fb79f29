//! `/terminy`: the deadlines of the signed-in user's projects: what is overdue and what is coming within
//! the horizon (60 days by default), with filters in the URL (project, kind, state; a GET form, so every
//! view is a link) and a link to where each is acted on. Computed on the server for the app's today.

use crate::api::get_deadlines;
use crate::components::{ErrorBox, Loading};
use crate::domain::deadlines::days_from_today;
use crate::domain::words::nouns::DEADLINE;
use crate::domain::{format_czech_date, plural, DeadlineKind, DeadlineState};
use crate::dto::deadlines::{DeadlinePage, DeadlineQuery, ALL_STATES};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn DeadlinesPage() -> impl IntoView {
    let query = use_query_map();
    let q = Memo::new(move |_| query.with(|m| DeadlineQuery::from_params(|k| m.get(k))));
    let page = Resource::new(move || q.get(), get_deadlines);
    view! {
        <Title text="Termíny"/>
        <h1>"Termíny"</h1>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => view! { <Summary p=p.clone()/> <Filters p=p.clone()/> <DeadlineTable p/> }.into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Summary(p: DeadlinePage) -> impl IntoView {
    view! {
        <p class="muted" data-testid="deadline-summary">
            {format!("K {}: ", format_czech_date(p.today))}
            <a href="/terminy?stav=po_terminu">{format!("{} po termínu", plural(p.counts.overdue, DEADLINE))}</a>
            ", "
            <a href="/terminy?stav=blizi_se">{format!("{} v příštích {} dnech", plural(p.counts.soon, DEADLINE), p.horizon_days)}</a>
            ". Kalendář do Outlooku nebo Google Kalendáře si vytvoříte v "<a href="/ucet">"Můj účet"</a>"."
        </p>
    }
}

#[component]
fn Filters(p: DeadlinePage) -> impl IntoView {
    let q = p.query;
    let state = q.state.clone().unwrap_or_default();
    let states = [
        (
            String::new(),
            format!("po termínu a do {} dní", p.horizon_days),
        ),
        (ALL_STATES.to_string(), "všechny".to_string()),
    ]
    .into_iter()
    .chain(
        DeadlineState::all()
            .iter()
            .map(|s| (s.code().to_string(), s.label().to_string())),
    );
    view! {
        <form class="filters" method="get" action="/terminy" data-testid="deadline-filters">
            <label>"Projekt " <select name="projekt">
                <option value="">"všechny"</option>
                {p.projects.into_iter().map(|(id, label)| view! {
                    <option value=id.to_string() selected=q.project_id == Some(id)>{label}</option>
                }).collect_view()}
            </select></label>
            <label>"Druh " <select name="druh">
                <option value="">"všechny"</option>
                {DeadlineKind::all().iter().map(|k| view! {
                    <option value=k.code() selected=q.kind == Some(*k)>{k.label()}</option>
                }).collect_view()}
            </select></label>
            <label>"Stav " <select name="stav">{states.map(|(code, label)| {
                let selected = code == state;
                view! { <option value=code selected=selected>{label}</option> }
            }).collect_view()}</select></label>
            <button type="submit" class="button">"Filtrovat"</button>
        </form>
    }
}

#[component]
fn DeadlineTable(p: DeadlinePage) -> impl IntoView {
    if p.rows.is_empty() {
        return view! {
            <p class="empty" data-testid="deadlines-empty">"Filtru neodpovídá žádný termín. "
                <a href="/terminy?stav=vse">"Zobrazit všechny termíny"</a></p>
        }
        .into_any();
    }
    let today = p.today;
    view! {
        <p class="muted">{format!("{}, nejbližší nahoře.", plural(p.rows.len() as u64, DEADLINE))}</p>
        <div class="table-scroll">
            <table class="deadlines" data-testid="deadlines">
                <thead><tr><th>"Termín"</th><th>"Co"</th><th>"Projekt"</th><th>"Stav"</th></tr></thead>
                <tbody>{p.rows.into_iter().map(|r| {
                    let when = if r.state == DeadlineState::Done { String::new() } else { days_from_today(r.due, today) };
                    let project = r.project_label();
                    view! {
                        <tr class=format!("deadline-{}", r.state.code())>
                            <td>{format_czech_date(r.due)}<br/><span class="muted">{when}</span></td>
                            <td><a href=r.href.clone()>{r.title.clone()}</a><br/><span class="muted">{r.kind.label()}</span></td>
                            <td><a href=format!("/projekty/{}", r.project_id)>{project}</a><br/><span class="muted">{r.project_name.clone()}</span></td>
                            <td><span class=format!("badge deadline-{}", r.state.code())>{r.state.label()}</span></td>
                        </tr>
                    }
                }).collect_view()}</tbody>
            </table>
        </div>
    }
    .into_any()
}
