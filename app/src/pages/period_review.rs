//! The review of one monitoring period (`/projekty/:id/obdobi/:period`): what the period reported, the
//! ministry's review status and the conversation between reviewer and project team, who resubmits a
//! returned report with an answer.

use super::period_contents::ReportContents;
use super::review_forms::{ResubmitForm, ReviewForm};
use crate::api::get_period_review;
use crate::components::{Documents, ErrorBox, Loading, ProjectTabs};
use crate::domain::documents::Attachment;
use crate::domain::format_czech_date;
use crate::dto::portfolio::PeriodReviewView;
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
        <ReportContents c=v.contents.clone() project_id=v.project_id start=v.start_date end=v.end_date/>
        <Documents project_id=v.project_id to=Attachment::Period(v.period_id) title="Dokumenty zprávy (přílohy ZoR)"/>
        <h2>"Komentáře"</h2>
        {comments}
        {v.can_resubmit.then(|| view! { <ResubmitForm v=v.clone() reload/> })}
        {can_comment.then(|| view! { <ReviewForm v=v.clone() reload/> })}
        <p><a href=format!("/projekty/{}", v.project_id)>"← Zpět na projekt"</a></p>
    }
}
