//! Deadlines elsewhere than `/terminy`: a project's next deadline on its page and the count of overdue
//! ones on the dashboard. Both are read for each request (never kept with the page or the dashboard),
//! so they follow the app's today and every change of a claim or report at once.

use crate::api::{get_deadline_counts, get_next_deadline};
use crate::domain::words::nouns::DEADLINE;
use crate::domain::{format_czech_date, plural, DeadlineState};
use leptos::prelude::*;

/// „Nejbližší termín“ of a project, with a link to where it is acted on.
#[component]
pub fn NextDeadline(project_id: i32) -> impl IntoView {
    let next = Resource::new(move || project_id, get_next_deadline);
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match next.await {
                    Ok(Some(r)) => {
                        let overdue = r.state == DeadlineState::Overdue;
                        view! {
                            <p class="next-deadline" class:overdue=overdue data-testid="next-deadline">
                                <strong>"Nejbližší termín: "</strong>
                                <a href=r.href.clone()>{r.title.clone()}</a>
                                {format!(" – {} ({})", format_czech_date(r.due), r.state.label())}
                                " · "<a href=format!("/terminy?projekt={}&stav=vse", r.project_id)>"všechny termíny projektu"</a>
                            </p>
                        }.into_any()
                    }
                    Ok(None) => view! { <p class="muted" data-testid="next-deadline">"Projekt nemá žádný nesplněný termín."</p> }.into_any(),
                    Err(_) => ().into_any(),
                }
            })}
        </Transition>
    }
}

/// The dashboard's card of overdue deadlines of the viewer's projects.
#[component]
pub fn OverdueDeadlinesCard() -> impl IntoView {
    let counts = Resource::new(|| (), |()| get_deadline_counts());
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                counts.await.ok().map(|c| {
                    let alert = c.overdue > 0;
                    view! {
                    <section class="cards" aria-label="Termíny">
                        <a class="card" class:alert=alert href="/terminy?stav=po_terminu" data-testid="overdue-card">
                            <span>"Termíny po termínu"</span>
                            <strong>{c.overdue.to_string()}</strong>
                            <small class="muted">{format!("{} v příštích dnech", plural(c.soon, DEADLINE))}</small>
                        </a>
                    </section>
                }})
            })}
        </Transition>
    }
}
