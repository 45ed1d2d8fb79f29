use crate::domain::FieldErrors;
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

/// The errors of a form that failed to save, at its top (GOV.UK's error summary): each message a link
/// that moves the focus to its field. Empty while the form has no errors.
#[component]
pub fn ErrorSummary(#[prop(into)] errors: Signal<FieldErrors>) -> impl IntoView {
    move || {
        errors.with(|e| {
            (!e.is_empty()).then(|| {
                let items = e
                    .iter()
                    .map(|(field, message)| {
                        let href = format!("#f-{field}");
                        let text = message.to_owned();
                        view! {
                            <li><a href=href on:click=move |ev| focus_field_saying(&ev, &text)>{message.to_owned()}</a></li>
                        }
                    })
                    .collect_view();
                view! {
                    <div class="error-summary" role="alert" data-testid="error-summary">
                        <h3>"Formulář nejde uložit"</h3>
                        <ul>{items}</ul>
                    </div>
                }
            })
        })
    }
}

/// Moves the focus to the field of the link's form whose error says `message` (a field's name and its
/// error's key may differ when two forms share a page).
fn focus_field_saying(ev: &leptos::ev::MouseEvent, message: &str) {
    #[cfg(not(feature = "hydrate"))]
    let _ = (ev, message);
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let form = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|a| a.closest("form").ok().flatten());
        let Some(form) = form else { return };
        let Ok(errors) = form.query_selector_all(".field-error") else {
            return;
        };
        for i in 0..errors.length() {
            let Some(p) = errors
                .item(i)
                .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
            else {
                continue;
            };
            if p.text_content().unwrap_or_default().trim() != message {
                continue;
            }
            let field = p
                .closest(".field")
                .ok()
                .flatten()
                .and_then(|f| f.query_selector("input, select, textarea").ok().flatten())
                .and_then(|f| f.dyn_into::<web_sys::HtmlElement>().ok());
            if let Some(field) = field {
                ev.prevent_default();
                let _ = field.focus();
            }
            return;
        }
    }
}
