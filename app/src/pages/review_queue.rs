//! `/kontroly`: the reviewers' queue of implementation reports (ZoR) waiting for review, oldest first,
//! with days waiting on the app's today. Filters (status, text, programme) and the page live in the URL
//! (a GET form, so every view is a link). A project's team sees its own projects' reports, read-only.

use crate::api::get_review_queue;
use crate::components::{ErrorBox, Loading, PageLinks};
use crate::domain::{format_czech_date, plural, ReviewStatus};
use crate::dto::review::{ReviewQueuePage as QueuePage, ReviewQueueQuery, ALL_OPEN};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ReviewQueuePage() -> impl IntoView {
    let query = use_query_map();
    let q = Memo::new(move |_| query.with(|m| ReviewQueueQuery::from_params(|k| m.get(k))));
    let page = Resource::new(move || q.get(), get_review_queue);
    view! {
        <Title text="Kontroly zpráv o realizaci"/>
        <h1>"Kontroly zpráv o realizaci"</h1>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => view! { <Filters p=p.clone()/> <QueueTable p/> }.into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Filters(p: QueuePage) -> impl IntoView {
    let q = p.query;
    let status = q.status.clone().unwrap_or_default();
    let options = [
        (String::new(), "Čeká na kontrolu".to_string()),
        (ALL_OPEN.to_string(), "Všechny otevřené".to_string()),
    ]
    .into_iter()
    .chain(
        ReviewStatus::all()
            .iter()
            .filter(|s| **s != ReviewStatus::NotStarted)
            .map(|s| (s.code().to_string(), s.label().to_string())),
    );
    let programme = q.programme_id;
    view! {
        <form class="filters" method="get" action="/kontroly" data-testid="queue-filters">
            <label>"Stav " <select name="stav">{options.map(|(code, label)| {
                let selected = code == status;
                view! { <option value=code selected=selected>{label}</option> }
            }).collect_view()}</select></label>
            <label>"Projekt " <input type="search" name="q" value=q.text.clone() placeholder="zkratka, název, reg. č."/></label>
            <label>"Program " <select name="program">
                <option value="">"všechny"</option>
                {p.programmes.into_iter().map(|(id, name)| view! {
                    <option value=id.to_string() selected=programme == Some(id)>{name}</option>
                }).collect_view()}
            </select></label>
            <button type="submit" class="button">"Filtrovat"</button>
        </form>
    }
}

#[component]
fn QueueTable(p: QueuePage) -> impl IntoView {
    if p.rows.is_empty() {
        return view! {
            <p class="empty" data-testid="queue-empty">"Filtru neodpovídá žádná zpráva o realizaci. "
                <a href="/kontroly">"Zobrazit zprávy čekající na kontrolu"</a></p>
        }
        .into_any();
    }
    let query = p.query.clone();
    let note = if p.may_review {
        "Nejdéle čekající zprávy jsou nahoře."
    } else {
        "Stav kontrol zpráv vašich projektů (jen ke čtení)."
    };
    let rows = p.rows.len();
    view! {
        <p class="muted">{note}</p>
        <div class="table-scroll" tabindex="0" role="region" aria-label="Zprávy čekající na kontrolu">
            <table class="review-queue" data-testid="review-queue">
                <thead><tr><th>"Projekt"</th><th>"Zpráva"</th><th>"Stav"</th><th>"Od"</th><th class="num">"Čeká"</th></tr></thead>
                <tbody>{p.rows.into_iter().map(|r| {
                    let project = r.acronym.clone().map_or_else(|| r.registration_number.clone(), |a| format!("{a} · {}", r.registration_number));
                    view! {
                        <tr>
                            <td><a href=format!("/projekty/{}", r.project_id)>{project}</a><br/><span class="muted">{r.project_name}</span></td>
                            <td><a href=format!("/projekty/{}/obdobi/{}", r.project_id, r.period_id)>{format!("ZoR {}", r.period_number)}</a>
                                <br/><span class="muted">{format!("{} – {}", format_czech_date(r.start_date), format_czech_date(r.end_date))}</span></td>
                            <td><span class=format!("badge review-{}", r.status)>{r.status_label}</span></td>
                            <td>{format_czech_date(r.since)}</td>
                            <td class="num">{plural(u64::try_from(r.days_waiting).unwrap_or(0), ["den", "dny", "dní"])}</td>
                        </tr>
                    }
                }).collect_view()}</tbody>
            </table>
        </div>
        <PageLinks total=p.total page=p.page per_page=p.per_page rows
            href=move |n| format!("/kontroly?{}", query.with_page(n).to_query_string())/>
    }
    .into_any()
}
