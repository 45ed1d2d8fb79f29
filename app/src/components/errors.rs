use crate::error::AppError;
use leptos::prelude::*;

/// A user-safe error message. A refusal (the user may not see this) is a page of its own: what happened,
/// why, and the way back.
#[component]
pub fn ErrorBox(error: AppError) -> impl IntoView {
    if matches!(error, AppError::Forbidden) {
        return view! {
            <section class="refused" data-testid="refused">
                <h2>"K této stránce nemáte přístup"</h2>
                <p role="alert">"Obsah je dostupný jen uživatelům s odpovídající rolí, a u projektu jen těm, kdo jsou k němu přiřazeni. \
                    Potřebujete-li přístup, požádejte správce aplikace."</p>
                <p><a href="/" class="button">"Zpět na seznam projektů"</a></p>
            </section>
        }
        .into_any();
    }
    view! { <div class="error-box" role="alert">{error.to_string()}</div> }.into_any()
}

/// What shows while a page loads in the browser.
#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="loading" aria-busy="true">"Načítám…"</p> }
}
