//! Choosing participating municipalities (obce) from the national codebook: type a part of the name
//! (no diacritics needed: "usti nad o" finds Ústí nad Orlicí) or the 6-digit code, pick from the list.

use crate::api::search_municipalities;
use crate::dto::MunicipalityRef;
use leptos::prelude::*;

#[component]
pub fn MunicipalityPicker(
    selected: RwSignal<Vec<MunicipalityRef>>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let query = RwSignal::new(String::new());
    let results = Resource::new(
        move || query.get(),
        |q| async move {
            if q.trim().chars().count() < 2 {
                Ok(Vec::new())
            } else {
                search_municipalities(q).await
            }
        },
    );
    let add = move |m: MunicipalityRef| {
        selected.update(|list| {
            if !list.iter().any(|x| x.code == m.code) {
                list.push(m);
            }
        });
        query.set(String::new());
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
            <input type="search" id="f-municipality-search" autocomplete="off" placeholder="např. usti nad o"
                prop:value=move || query.get()
                on:input=move |ev| query.set(event_target_value(&ev))/>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match results.await {
                        Ok(list) if list.is_empty() => {
                            let q = query.get_untracked();
                            (q.trim().chars().count() >= 2)
                                .then(|| view! { <p class="hint">"Žádná obec neodpovídá."</p> })
                                .into_any()
                        }
                        Ok(list) => view! {
                            <ul class="suggestions" role="listbox">
                                {list.into_iter().map(|m| {
                                    let label = format!("{} ({}, okres {}, {})", m.name, m.code, m.district, m.region);
                                    view! {
                                        <li><button type="button" class="suggestion"
                                            on:click=move |_| add(m.clone())>{label}</button></li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => view! { <p class="field-error">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Transition>
            <p class="field-error" data-field="municipalities">{move || error.get()}</p>
        </fieldset>
    }
}
