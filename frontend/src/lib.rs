#![recursion_limit = "256"]
//! The browser entry point: hydrates the server-rendered page into the live app.

/// Reports a panic in the console and marks the page (`<html data-panicked="true">`), so that browser
/// tests fail on any panic in the wasm instead of passing over a half-dead page.
fn panic_hook(info: &std::panic::PanicHookInfo<'_>) {
    console_error_panic_hook::hook(info);
    if let Some(root) = leptos::prelude::document().document_element() {
        let _ = root.set_attribute("data-panicked", "true");
    }
}

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    std::panic::set_hook(Box::new(panic_hook));
    leptos::mount::hydrate_body(app::App);
}
