//! The indicator codebook (číselník indikátorů): ESF+ common indicators and national codes, extendable
//! and correctable (the codes of some ESF+ indicators are not verified yet).

use super::budget::{err, outcome_saying};
use crate::api::{get_indicator_codebook, save_indicator_def};
use crate::components::{ErrorBox, ErrorSummary, Loading, SelectField, TextField};
use crate::domain::words::unit_name;
use crate::domain::{FieldErrors, IndicatorCode};
use crate::dto::{IndicatorDefDto, IndicatorDefInput};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn IndicatorCodebookPage() -> impl IntoView {
    let reload = RwSignal::new(0u32);
    let list = Resource::new(move || reload.get(), |_| get_indicator_codebook());
    let user = Resource::new(|| (), |()| crate::api::current_user());
    view! {
        <Title text="Číselník indikátorů"/>
        <h1>"Číselník indikátorů"</h1>
        <p class="hint">"Společné indikátory ESF+ (nařízení (EU) 2021/1057, příloha I) a národní kódy. Kódy označené jako neověřené může správce opravit."</p>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                let admin = user.await.ok().flatten().is_some_and(|v| v.is_admin());
                match list.await {
                    Ok(defs) => view! { <CodebookBody defs reload admin/> }.into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn CodebookBody(defs: Vec<IndicatorDefDto>, reload: RwSignal<u32>, admin: bool) -> impl IntoView {
    let editing = RwSignal::new(None::<i32>);
    let code = RwSignal::new(String::new());
    let name_cs = RwSignal::new(String::new());
    let name_en = RwSignal::new(String::new());
    let unit = RwSignal::new("persons".to_string());
    let kind = RwSignal::new("output".to_string());
    let errors = RwSignal::new(FieldErrors::new());
    let save = Action::new(move |(id, i): &(Option<i32>, IndicatorDefInput)| {
        save_indicator_def(*id, i.clone())
    });
    let message = move || {
        outcome_saying(
            save.value().get(),
            errors,
            reload,
            "Indikátor číselníku je uložen.",
        )
    };
    let units: Vec<(String, String)> = ["persons", "entities", "percent", "other"]
        .iter()
        .map(|u| ((*u).to_string(), unit_name(u).to_string()))
        .collect();
    let kinds = vec![
        ("output".to_string(), "výstup".to_string()),
        ("result".to_string(), "výsledek".to_string()),
    ];
    let rows = defs.into_iter().map(|d| {
        let d2 = d.clone();
        let shown = IndicatorCode::parse(&d.code).map_or_else(|_| d.code.clone(), |c| c.display());
        view! {
            <tr data-code=d.code.clone()>
                <td class="mono">{shown}</td><td>{d.name_cs.clone()}<br/><small class="muted">{d.name_en.clone()}</small></td>
                <td>{unit_name(&d.unit).to_owned()}</td><td>{if d.kind == "result" { "výsledek" } else { "výstup" }}</td>
                <td>{if d.code_verified { "ověřen" } else { "neověřen" }}{d.computed.then_some(" · počítá se ze záznamů")}</td>
                {admin.then(|| view! { <td><button type="button" class="link-button" on:click=move |_| {
                    editing.set(Some(d2.id)); code.set(d2.code.clone()); name_cs.set(d2.name_cs.clone());
                    name_en.set(d2.name_en.clone()); unit.set(d2.unit.clone()); kind.set(d2.kind.clone());
                }>"upravit"</button></td> })}
            </tr>
        }
    }).collect_view();
    view! {
        <table class="codebook">
            <thead><tr><th>"Kód"</th><th>"Název"</th><th>"Jednotka"</th><th>"Druh"</th><th>"Kód"</th>{admin.then(|| view! { <th><span class="visually-hidden">"Akce"</span></th> })}</tr></thead>
            <tbody>{rows}</tbody>
        </table>
        {admin.then(|| view! {
        <form class="small-form" data-testid="codebook-form" on:submit=move |ev| {
            ev.prevent_default();
            let input = IndicatorDefInput { code: code.get(), name_cs: name_cs.get(), name_en: name_en.get(), unit: unit.get(), kind: kind.get() };
            if let Err(e) = IndicatorCode::parse(&input.code) {
                let mut f = FieldErrors::new();
                f.add("code", e.to_string());
                errors.set(f);
                return;
            }
            save.dispatch((editing.get(), input));
        }>
            <h3>{move || if editing.get().is_some() { "Opravit indikátor" } else { "Přidat indikátor" }}</h3>
            <ErrorSummary errors/>
            <TextField name="code" label="Kód" value=code error=err(errors, "code") placeholder="EECO01 nebo 6 00 00"/>
            <TextField name="name_cs" label="Název česky" value=name_cs error=err(errors, "name_cs")/>
            <TextField name="name_en" label="Název anglicky" value=name_en error=err(errors, "name_en")/>
            <SelectField name="unit" label="Jednotka" value=unit options=units error=err(errors, "unit")/>
            <SelectField name="kind" label="Druh" value=kind options=kinds error=err(errors, "kind")/>
            {move || message().map(|m| view! { <p class="error-box">{m}</p> })}
            <button type="submit" class="button primary">"Uložit"</button>
        </form>
        })}
    }
}
