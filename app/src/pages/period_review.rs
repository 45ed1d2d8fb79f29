//! The review of one monitoring period (`/projekty/:id/obdobi/:period`): what the period reported, the
//! ministry's review status and the conversation between reviewer and project team.

use super::budget::{err, outcome_errors};
use crate::api::{get_period_review, submit_review};
use crate::components::{ErrorBox, Loading, ProjectTabs, SelectField, TextAreaField};
use crate::domain::words::with_unit;
use crate::domain::{format_czech_date, FieldErrors};
use crate::dto::portfolio::{PeriodReviewView, ReviewInput};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn PeriodReviewPage() -> impl IntoView {
    let id = super::project_detail::project_id_param();
    let params = use_params_map();
    let period = Memo::new(move |_| {
        params
            .get()
            .get("period")
            .and_then(|v| v.parse::<i32>().ok())
            .unwrap_or(0)
    });
    let reload = RwSignal::new(0u32);
    let data = Resource::new(
        move || (id.get(), period.get(), reload.get()),
        |(id, p, _)| get_period_review(id, p),
    );
    view! {
        <Title text="Kontrola zprávy za období"/>
        <ProjectTabs id=id.get_untracked() active="prehled"/>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(v) => view! { <ReviewBody v reload/> }.into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ReviewBody(v: PeriodReviewView, reload: RwSignal<u32>) -> impl IntoView {
    let status_class = format!(
        "badge review-{}",
        v.status.clone().unwrap_or_else(|| "none".into())
    );
    let values = if v.values.is_empty() {
        view! { <p class="muted">"Za toto období nejsou zapsány hodnoty indikátorů."</p> }
            .into_any()
    } else {
        view! {
            <table class="period-values">
                <thead><tr><th>"Indikátor"</th><th>"Název"</th><th class="num">"Dosaženo v období"</th></tr></thead>
                <tbody>{v.values.iter().map(|(code, name, value, unit)| view! {
                    <tr><td class="mono">{code.clone()}</td><td>{name.clone()}</td>
                        <td class="num">{with_unit(*value, unit)}</td></tr>
                }).collect_view()}</tbody>
            </table>
        }
        .into_any()
    };
    let comments = if v.comments.is_empty() {
        view! { <p class="muted" data-testid="no-comments">"Zatím bez komentářů."</p> }.into_any()
    } else {
        view! {
            <ol class="comments" data-testid="comments">
                {v.comments.iter().map(|c| view! {
                    <li>
                        <p class="comment-head"><strong>{c.author.clone()}</strong>" · "
                            {format_czech_date(c.at.date_naive())}
                            {c.status_label.clone().map(|s| view! { " · stav: " <em>{s}</em> })}</p>
                        <p class="comment-body">{c.body.clone()}</p>
                    </li>
                }).collect_view()}
            </ol>
        }
        .into_any()
    };
    let can_comment = v.can_comment;
    view! {
        <h1>{format!("ZoR {} – kontrola zprávy", v.period_number)}</h1>
        <p class="muted">{format!("{} · {} · období {} – {}", v.registration_number, v.project_name,
            format_czech_date(v.start_date), format_czech_date(v.end_date))}</p>
        <p>"Stav kontroly: " <span class=status_class data-testid="review-status">{v.status_label.clone()}</span></p>
        <section class="cards">
            <div class="card"><span>"Výdaje v období (přímé)"</span><strong>{v.expenditure.to_string()}</strong></div>
        </section>
        <h2>"Hodnoty indikátorů v období"</h2>
        {values}
        <h2>"Komentáře"</h2>
        {comments}
        {can_comment.then(|| view! { <ReviewForm v=v.clone() reload/> })}
        <p><a href=format!("/projekty/{}", v.project_id)>"← Zpět na projekt"</a></p>
    }
}

#[component]
fn ReviewForm(v: PeriodReviewView, reload: RwSignal<u32>) -> impl IntoView {
    let comment = RwSignal::new(String::new());
    let status = RwSignal::new(String::new());
    let errors = RwSignal::new(FieldErrors::new());
    let (project_id, period_id, version) = (v.project_id, v.period_id, v.version);
    let save = Action::new(move |i: &ReviewInput| submit_review(project_id, period_id, i.clone()));
    let message = move || outcome_errors(save.value().get(), errors, reload);
    let mut options: Vec<(String, String)> = vec![(String::new(), "beze změny stavu".into())];
    options.extend(v.next_statuses.iter().cloned());
    let reviewer = !v.next_statuses.is_empty();
    view! {
        <form class="small-form" data-testid="review-form" on:submit=move |ev| {
            ev.prevent_default();
            save.dispatch(ReviewInput { comment: comment.get(), status: status.get(), version });
        }>
            <h3>{if reviewer { "Komentář a stav kontroly" } else { "Odpověď kontrolorovi" }}</h3>
            <TextAreaField name="comment" label="Komentář" value=comment error=err(errors, "comment")/>
            {reviewer.then(|| view! {
                <SelectField name="status" label="Nový stav" value=status options=options.clone() error=err(errors, "status")/>
            })}
            {move || message().map(|m| view! { <p class="error-box">{m}</p> })}
            <button type="submit" class="button primary">"Uložit"</button>
        </form>
    }
}
