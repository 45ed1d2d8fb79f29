use crate::dto::{ProjectListQuery, ProjectPage};
use leptos::prelude::*;
use leptos_router::components::A;

/// Page links of the project list: previous, numbers around the current page, next.
#[component]
pub fn Pager(page: ProjectPage, query: ProjectListQuery) -> impl IntoView {
    let count = page.page_count();
    let current = page.page.min(count);
    let href = move |p: u32| format!("/?{}", query.with_page(p).to_query_string());
    let from = current.saturating_sub(3).max(1);
    let to = (current + 3).min(count);
    let first_row = (u64::from(current) - 1) * u64::from(page.per_page) + 1;
    let last_row = (first_row + page.rows.len() as u64).saturating_sub(1);
    view! {
        <nav class="pager" aria-label="Stránkování">
            <span class="pager-info">
                {if page.total == 0 { "Žádné záznamy".to_string() } else {
                    format!("{first_row}–{last_row} z {}", page.total)
                }}
            </span>
            {(current > 1).then(|| view! { <A href=href(current - 1) attr:rel="prev">"‹ Předchozí"</A> })}
            {(from..=to).map(|p| if p == current {
                view! { <span class="current" aria-current="page">{p}</span> }.into_any()
            } else {
                view! { <A href=href(p)>{p}</A> }.into_any()
            }).collect_view()}
            {(current < count).then(|| view! { <A href=href(current + 1) attr:rel="next">"Další ›"</A> })}
        </nav>
    }
}
