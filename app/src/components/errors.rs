use crate::error::AppError;
use leptos::prelude::*;

/// A user-safe error message.
#[component]
pub fn ErrorBox(error: AppError) -> impl IntoView {
    view! { <div class="error-box" role="alert">{error.to_string()}</div> }
}

/// What shows while a page loads in the browser.
#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="loading" aria-busy="true">"Načítám…"</p> }
}
