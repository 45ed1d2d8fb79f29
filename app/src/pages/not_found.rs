use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

/// The page for an address that does not exist (HTTP 404).
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
        resp.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Stránka nenalezena"/>
        <h1>"Stránka nenalezena"</h1>
        <p>"Tato adresa v evidenci neexistuje. " <A href="/">"Zpět na seznam projektů"</A></p>
    }
}
