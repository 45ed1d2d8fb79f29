//! The forms of a report's review page: the reviewer's comment and status (or the team's plain answer),
//! and the team's resubmission of a returned report with a required answer.

use super::budget::{err, outcome_errors};
use crate::api::{resubmit_report, submit_review};
use crate::components::{ErrorSummary, SelectField, TextAreaField};
use crate::domain::FieldErrors;
use crate::dto::portfolio::{PeriodReviewView, ReviewInput};
use crate::dto::review::ResubmitInput;
use leptos::prelude::*;

/// A comment, with a new status for a reviewer.
#[component]
pub fn ReviewForm(v: PeriodReviewView, reload: RwSignal<u32>) -> impl IntoView {
    let comment = RwSignal::new(String::new());
    let status = RwSignal::new(String::new());
    let errors = RwSignal::new(FieldErrors::new());
    let (project_id, period_id, version) = (v.project_id, v.period_id, v.version);
    let save = Action::new(move |i: &ReviewInput| submit_review(project_id, period_id, i.clone()));
    let message = move || outcome_errors(save.value().get(), errors, reload);
    let mut options: Vec<(String, String)> = vec![(String::new(), "beze změny stavu".into())];
    options.extend(v.next_statuses.iter().cloned());
    let reviewer = !v.next_statuses.is_empty();
    // A returned report offers the resubmission with its answer above: this one only comments.
    let resubmit_too = v.can_resubmit;
    view! {
        <form class="small-form" data-testid="review-form" on:submit=move |ev| {
            ev.prevent_default();
            save.dispatch(ReviewInput { comment: comment.get(), status: status.get(), version });
        }>
            <h3>{if reviewer { "Komentář a stav kontroly" } else if resubmit_too { "Komentář bez předložení zprávy" } else { "Odpověď kontrolorovi" }}</h3>
            <ErrorSummary errors/>
            <TextAreaField name="comment" label="Komentář" value=comment error=err(errors, "comment")/>
            {reviewer.then(|| view! {
                <SelectField name="status" label="Nový stav" value=status options=options.clone() error=err(errors, "status")/>
            })}
            {move || message().map(|m| view! { <p class="error-box">{m}</p> })}
            <button type="submit" class="button primary">"Uložit"</button>
        </form>
    }
}

/// „Předložit ke kontrole“: the project team answers the reviewer and submits the returned report again.
#[component]
pub fn ResubmitForm(v: PeriodReviewView, reload: RwSignal<u32>) -> impl IntoView {
    let answer = RwSignal::new(String::new());
    let errors = RwSignal::new(FieldErrors::new());
    let (project_id, period_id, version) = (v.project_id, v.period_id, v.version);
    let save =
        Action::new(move |i: &ResubmitInput| resubmit_report(project_id, period_id, i.clone()));
    let message = move || outcome_errors(save.value().get(), errors, reload);
    let refused = err(errors, "status");
    view! {
        <form class="small-form" data-testid="resubmit-form" on:submit=move |ev| {
            ev.prevent_default();
            save.dispatch(ResubmitInput { answer: answer.get(), version });
        }>
            <h3>"Předložit opravenou zprávu ke kontrole"</h3>
            <ErrorSummary errors/>
            <p class="muted">"Napište kontrolorovi, co jste ve zprávě opravili nebo doplnili; odpověď se uloží do komentářů."</p>
            <TextAreaField name="answer" label="Odpověď kontrolorovi" value=answer error=err(errors, "answer")/>
            {move || refused.get().map(|m| view! { <p class="error-box">{m}</p> })}
            {move || message().map(|m| view! { <p class="error-box">{m}</p> })}
            <button type="submit" class="button primary" disabled=move || save.pending().get()>"Předložit ke kontrole"</button>
        </form>
    }
}
