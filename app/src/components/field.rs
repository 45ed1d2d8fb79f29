//! Form fields that show their error next to them (and tell screen readers about it).

use leptos::prelude::*;

/// A labelled text input bound to `value`, with its error below it.
#[component]
pub fn TextField(
    name: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional)] placeholder: &'static str,
    #[prop(optional)] hint: &'static str,
    #[prop(optional)] on_blur: Option<Callback<()>>,
) -> impl IntoView {
    let id = format!("f-{name}");
    let err_id = format!("e-{name}");
    view! {
        <div class="field" class:invalid=move || error.get().is_some()>
            <label for=id.clone()>{label}</label>
            <input
                type="text"
                id=id
                name=name
                placeholder=placeholder
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
                on:blur=move |_| { if let Some(cb) = on_blur { cb.run(()) } }
                aria-invalid=move || error.get().is_some().to_string()
                aria-describedby=err_id.clone()
            />
            {(!hint.is_empty()).then(|| view! { <small class="hint">{hint}</small> })}
            <p class="field-error" id=err_id data-field=name>{move || error.get()}</p>
        </div>
    }
}

/// A labelled multi-line text input.
#[component]
pub fn TextAreaField(
    name: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let id = format!("f-{name}");
    view! {
        <div class="field wide" class:invalid=move || error.get().is_some()>
            <label for=id.clone()>{label}</label>
            <textarea id=id name=name rows="5" prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))>{value.get_untracked()}</textarea>
            <p class="field-error" data-field=name>{move || error.get()}</p>
        </div>
    }
}

/// A labelled select over `(value, label)` options.
#[component]
pub fn SelectField(
    name: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    #[prop(into)] options: Signal<Vec<(String, String)>>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let id = format!("f-{name}");
    view! {
        <div class="field" class:invalid=move || error.get().is_some()>
            <label for=id.clone()>{label}</label>
            <select id=id name=name on:change=move |ev| value.set(event_target_value(&ev))>
                {move || options.get().into_iter().map(|(v, l)| {
                    let selected = v == value.get();
                    view! { <option value=v selected=selected>{l}</option> }
                }).collect_view()}
            </select>
            <p class="field-error" data-field=name>{move || error.get()}</p>
        </div>
    }
}
