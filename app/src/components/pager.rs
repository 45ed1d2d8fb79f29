use crate::dto::{ProjectListQuery, ProjectPage};
use leptos::prelude::*;

/// Page links of the project list.
#[component]
pub fn Pager(page: ProjectPage, query: ProjectListQuery) -> impl IntoView {
    view! {
        <PageLinks total=page.total page=page.page per_page=page.per_page
            rows=page.rows.len() href=move |p| format!("/?{}", query.with_page(p).to_query_string())/>
    }
}

/// Page links of any server-paged list: "11–20 z 45", previous, numbers around the current page, next.
/// `rows` is the number of rows on this page (defaults to a full page).
#[component]
pub fn PageLinks(
    total: u64,
    page: u32,
    per_page: u32,
    #[prop(optional)] rows: Option<usize>,
    href: impl Fn(u32) -> String + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let per = u64::from(per_page.max(1));
    let count = u32::try_from(total.div_ceil(per).max(1)).unwrap_or(u32::MAX);
    let current = page.clamp(1, count);
    let from = current.saturating_sub(3).max(1);
    let to = (current + 3).min(count);
    let first_row = (u64::from(current) - 1) * per + 1;
    let on_page = rows.map_or_else(
        || per.min(total.saturating_sub(first_row - 1)),
        |r| r as u64,
    );
    let last_row = (first_row + on_page).saturating_sub(1);
    let prev = href.clone();
    let next = href.clone();
    view! {
        <nav class="pager" aria-label="Stránkování">
            <span class="pager-info">
                {if total == 0 { "Žádné záznamy".to_string() } else {
                    format!("{first_row}–{last_row} z {total}")
                }}
            </span>
            {(current > 1).then(|| view! { <a href=prev(current - 1) rel="prev">"‹ Předchozí"</a> })}
            {(from..=to).map(|p| if p == current {
                view! { <span class="current" aria-current="page">{p}</span> }.into_any()
            } else {
                view! { <a href=href(p)>{p}</a> }.into_any()
            }).collect_view()}
            {(current < count).then(|| view! { <a href=next(current + 1) rel="next">"Další ›"</a> })}
        </nav>
    }
}
