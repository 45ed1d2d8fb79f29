//! What the last save did, said once per page (issue 14, point 3): a status line that screen readers
//! announce (`role="status"`), kept above the page so that it survives the reload a save causes, and
//! emptied when the user goes to another page. A failed save moves the focus to the first invalid field.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// The page's status line (provided by the app to every page).
#[derive(Clone, Copy, Debug)]
pub struct SaveNotice(pub RwSignal<Option<String>>);

impl SaveNotice {
    /// Makes the notice for the whole app (call once, above the router).
    pub fn provide() {
        provide_context(Self(RwSignal::new(None)));
    }
}

/// Says `text` on the page's status line.
pub fn announce(text: impl Into<String>) {
    if let Some(SaveNotice(notice)) = use_context::<SaveNotice>() {
        notice.set(Some(text.into()));
    }
}

/// Moves the focus to the first invalid field of the page, once the errors are shown.
pub fn focus_first_invalid() {
    #[cfg(feature = "hydrate")]
    request_animation_frame(|| {
        use wasm_bindgen::JsCast;
        let first = document()
            .query_selector("main [aria-invalid='true']")
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(field) = first {
            let _ = field.focus();
        }
    });
}

/// Moves the focus to the first field of the form `css` (after "upravit" fills it).
pub fn focus_form(css: &'static str) {
    #[cfg(not(feature = "hydrate"))]
    let _ = css;
    #[cfg(feature = "hydrate")]
    request_animation_frame(move || {
        use wasm_bindgen::JsCast;
        let first = document()
            .query_selector(&format!("{css} input, {css} select"))
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(field) = first {
            let _ = field.focus();
        }
    });
}

/// The status line itself, emptied on every change of page.
#[component]
pub fn SaveNoticeLine() -> impl IntoView {
    let notice = use_context::<SaveNotice>().map(|n| n.0);
    let location = use_location();
    Effect::new(move |previous: Option<String>| {
        let path = location.pathname.get();
        if previous.is_some_and(|p| p != path) {
            if let Some(n) = notice {
                n.set(None);
            }
        }
        path
    });
    view! {
        <p role="status" class="save-notice" data-testid="save-notice">
            {move || notice.and_then(|n| n.get())}
        </p>
    }
}
