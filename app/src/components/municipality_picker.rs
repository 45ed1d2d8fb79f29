//! Choosing participating municipalities (obce) from the national codebook: type a part of the name
//! (no diacritics needed: "usti nad o" finds Ústí nad Orlicí) or the 6-digit code, pick from the list.
//! A combobox by the WAI-ARIA 1.2 pattern: ArrowDown/ArrowUp move through the suggestions, Enter picks
//! the highlighted one (and never submits the form), Escape closes the list; focus stays in the field.

use super::combobox::{moved, Move};
use crate::api::search_municipalities;
use crate::dto::MunicipalityRef;
use leptos::prelude::*;

const LISTBOX: &str = "f-municipality-listbox";

fn option_id(code: i32) -> String {
    format!("f-municipality-option-{code}")
}

#[component]
pub fn MunicipalityPicker(
    selected: RwSignal<Vec<MunicipalityRef>>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let query = RwSignal::new(String::new());
    // The suggestions and the query they answer (a slower, older answer is dropped).
    let options = RwSignal::new(Vec::<MunicipalityRef>::new());
    let answered = RwSignal::new(None::<String>);
    let failure = RwSignal::new(None::<String>);
    let open = RwSignal::new(false);
    let active = RwSignal::new(None::<usize>);
    let expanded = move || open.get() && !options.with(Vec::is_empty);
    let search = move |q: String| {
        query.set(q.clone());
        active.set(None);
        open.set(true);
        if q.trim().chars().count() < 2 {
            options.set(Vec::new());
            answered.set(None);
            return;
        }
        leptos::task::spawn_local(async move {
            let result = search_municipalities(q.clone()).await;
            if query.get_untracked() != q {
                return;
            }
            match result {
                Ok(list) => {
                    options.set(list);
                    failure.set(None);
                }
                Err(e) => failure.set(Some(e.to_string())),
            }
            answered.set(Some(q));
        });
    };
    let pick = move |m: MunicipalityRef| {
        selected.update(|list| {
            if !list.iter().any(|x| x.code == m.code) {
                list.push(m);
            }
        });
        query.set(String::new());
        options.set(Vec::new());
        answered.set(None);
        open.set(false);
        active.set(None);
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let step = match ev.key().as_str() {
            "ArrowDown" => Move::Down,
            "ArrowUp" => Move::Up,
            "Enter" => {
                // Enter in this field picks; it never submits the project form.
                ev.prevent_default();
                let chosen = active
                    .get_untracked()
                    .and_then(|i| options.with_untracked(|o| o.get(i).cloned()));
                if let Some(m) = chosen.filter(|_| expanded()) {
                    pick(m);
                }
                return;
            }
            "Escape" => {
                if open.get_untracked() {
                    ev.prevent_default();
                    open.set(false);
                    active.set(None);
                }
                return;
            }
            _ => return,
        };
        ev.prevent_default();
        open.set(true);
        active.set(moved(
            active.get_untracked(),
            options.with_untracked(Vec::len),
            step,
        ));
    };
    let no_match = move || {
        open.get()
            && options.with(Vec::is_empty)
            && answered.get().is_some_and(|a| a == query.get())
    };
    view! {
        <fieldset class="field wide municipalities" class:invalid=move || error.get().is_some()>
            <legend>"Obce, kde se projekt realizuje"</legend>
            <ul class="chosen">
                {move || selected.get().into_iter().map(|m| {
                    let code = m.code;
                    view! {
                        <li data-code=code>
                            <span>{m.name.clone()}</span>
                            <small>{format!(" {} · okres {} · {}", m.code, m.district, m.region)}</small>
                            <button type="button" class="link" title="Odebrat obec"
                                on:click=move |_| selected.update(|l| l.retain(|x| x.code != code))>"×"</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <label for="f-municipality-search">"Přidat obec (název nebo kód obce)"</label>
            <input type="text" id="f-municipality-search" autocomplete="off" placeholder="např. usti nad o"
                role="combobox" aria-autocomplete="list" aria-controls=LISTBOX
                aria-expanded=move || if expanded() { "true" } else { "false" }
                aria-activedescendant=move || active.get()
                    .and_then(|i| options.with(|o| o.get(i).map(|m| option_id(m.code))))
                    .filter(|_| expanded())
                prop:value=move || query.get()
                on:input=move |ev| search(event_target_value(&ev))
                on:keydown=on_key
                on:blur=move |_| { open.set(false); active.set(None); }/>
            <ul id=LISTBOX class="suggestions" role="listbox" aria-label="Nalezené obce" hidden=move || !expanded()>
                {move || options.get().into_iter().enumerate().map(|(i, m)| {
                    let label = format!("{} ({}, okres {}, {})", m.name, m.code, m.district, m.region);
                    view! {
                        <li role="option" class="suggestion" id=option_id(m.code)
                            aria-selected=move || if active.get() == Some(i) { "true" } else { "false" }
                            on:mousedown=|ev| ev.prevent_default()
                            on:click=move |_| pick(m.clone())>{label}</li>
                    }
                }).collect_view()}
            </ul>
            <p class="hint" role="status">{move || no_match().then_some("Žádná obec neodpovídá.")}</p>
            <p class="field-error">{move || failure.get()}</p>
            <p class="field-error" data-field="municipalities">{move || error.get()}</p>
        </fieldset>
    }
}
