//! Forms of the payment-claims page: a new claim (ŽoP), and the decision on one.

use super::budget::{err, outcome_errors};
use crate::api::{add_advance, add_claim, decide_claim};
use crate::components::{ErrorSummary, SelectField, TextField};
use crate::domain::FieldErrors;
use crate::dto::{ClaimInput, ClaimsView};
use leptos::prelude::*;

#[component]
pub fn NewClaimForm(c: ClaimsView, id: i32, reload: RwSignal<u32>) -> impl IntoView {
    let mut periods: Vec<(String, String)> = vec![(String::new(), "bez období".into())];
    periods.extend(
        c.periods
            .iter()
            .map(|p| (p.id.to_string(), format!("ZoR {}", p.number))),
    );
    let period = RwSignal::new(String::new());
    let claimed = RwSignal::new(String::new());
    let submitted = RwSignal::new(String::new());
    let errors = RwSignal::new(FieldErrors::new());
    let save = Action::new(move |i: &ClaimInput| add_claim(id, i.clone()));
    let message = move || outcome_errors(save.value().get(), errors, reload);
    view! {
        <form class="small-form" data-testid="claim-form" on:submit=move |ev| {
            ev.prevent_default();
            save.dispatch(ClaimInput { period_id: period.get().parse().ok(), claimed: claimed.get(), submitted_on: submitted.get() });
        }>
            <h3>"Nová žádost o platbu"</h3>
            <ErrorSummary errors/>
            <SelectField name="period_id" label="Období" value=period options=periods error=err(errors, "period_id")/>
            <TextField name="claimed" label="Nárokovaná částka (Kč)" value=claimed error=err(errors, "claimed") placeholder="1 234 567,89"/>
            <TextField name="submitted_on" label="Podáno dne (prázdné = rozpracovaná)" value=submitted error=err(errors, "submitted_on") placeholder="31. 7. 2026"/>
            {move || message().map(|m| view! { <p class="error-box">{m}</p> })}
            <button type="submit" class="button primary">"Uložit žádost"</button>
        </form>
    }
}

#[component]
pub fn DecisionForm(c: ClaimsView, id: i32, reload: RwSignal<u32>) -> impl IntoView {
    let claims: Vec<(String, String)> = c
        .claims
        .iter()
        .map(|x| (x.id.to_string(), format!("ŽoP č. {}", x.number)))
        .collect();
    let versions: Vec<(i32, i32)> = c.claims.iter().map(|x| (x.id, x.version)).collect();
    let claim = RwSignal::new(claims.last().map(|(v, _)| v.clone()).unwrap_or_default());
    let statuses: Vec<(String, String)> = [
        ("submitted", "podána"),
        ("approved", "schválena"),
        ("paid", "proplacena"),
        ("returned", "vrácena k opravě"),
    ]
    .iter()
    .map(|(a, b)| ((*a).to_string(), (*b).to_string()))
    .collect();
    let status = RwSignal::new("approved".to_string());
    let approved = RwSignal::new(String::new());
    let paid_on = RwSignal::new(String::new());
    let errors = RwSignal::new(FieldErrors::new());
    let save = Action::new(
        move |(cid, ver, s, a, p): &(i32, i32, String, String, String)| {
            decide_claim(id, *cid, *ver, s.clone(), a.clone(), p.clone())
        },
    );
    let message = move || outcome_errors(save.value().get(), errors, reload);
    view! {
        <form class="small-form" data-testid="decision-form" on:submit=move |ev| {
            ev.prevent_default();
            let cid: i32 = claim.get().parse().unwrap_or(0);
            let ver = versions.iter().find(|(i, _)| *i == cid).map_or(0, |(_, v)| *v);
            save.dispatch((cid, ver, status.get(), approved.get(), paid_on.get()));
        }>
            <h3>"Rozhodnutí o žádosti"</h3>
            <ErrorSummary errors/>
            <SelectField name="claim" label="Žádost" value=claim options=claims error=err(errors, "claim")/>
            <SelectField name="decision" label="Rozhodnutí" value=status options=statuses error=err(errors, "status")/>
            <TextField name="approved" label="Schválená částka (Kč)" value=approved error=err(errors, "approved")/>
            <TextField name="claim_paid_on" label="Datum (podání nebo proplacení)" value=paid_on error=err(errors, "paid_on")/>
            {move || message().map(|m| view! { <p class="error-box">{m}</p> })}
            <button type="submit" class="button">"Uložit rozhodnutí"</button>
        </form>
    }
}

#[component]
pub fn AdvanceForm(id: i32, reload: RwSignal<u32>) -> impl IntoView {
    let paid_on = RwSignal::new(String::new());
    let amount = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let errors = RwSignal::new(FieldErrors::new());
    let save = Action::new(move |(d, a, n): &(String, String, String)| {
        add_advance(id, d.clone(), a.clone(), n.clone())
    });
    let message = move || outcome_errors(save.value().get(), errors, reload);
    view! {
        <form class="small-form" data-testid="advance-form" on:submit=move |ev| {
            ev.prevent_default();
            save.dispatch((paid_on.get(), amount.get(), note.get()));
        }>
            <h3>"Přijatá záloha"</h3>
            <ErrorSummary errors/>
            <TextField name="advance_paid_on" label="Přijato dne" value=paid_on error=err(errors, "advance_paid_on") placeholder="15. 1. 2026"/>
            <TextField name="advance_amount" label="Částka (Kč)" value=amount error=err(errors, "advance_amount")/>
            <TextField name="advance_note" label="Poznámka" value=note error=err(errors, "advance_note")/>
            {move || message().map(|m| view! { <p class="error-box">{m}</p> })}
            <button type="submit" class="button">"Zapsat zálohu"</button>
        </form>
    }
}

/// Opens a new claim built from documents and goes to the ledger to pick its documents.
#[component]
pub fn OpenClaimForm(c: ClaimsView, id: i32) -> impl IntoView {
    let mut periods: Vec<(String, String)> = vec![(String::new(), "bez období".into())];
    periods.extend(
        c.periods
            .iter()
            .map(|p| (p.id.to_string(), format!("ZoR {}", p.number))),
    );
    let period = RwSignal::new(String::new());
    let errors = RwSignal::new(FieldErrors::new());
    let open = Action::new(move |p: &Option<i32>| crate::api::open_claim(id, *p));
    let navigate = leptos_router::hooks::use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(_)) = open.value().get() {
            let query = crate::dto::LedgerQuery {
                claim: crate::dto::ClaimFilter::Unclaimed,
                ..Default::default()
            };
            navigate(
                &format!("/projekty/{id}/vydaje?{}", query.to_query_string()),
                Default::default(),
            );
        }
    });
    let message = move || match open.value().get() {
        Some(Err(e)) => Some(e.to_string()),
        _ => None,
    };
    view! {
        <form class="small-form" data-testid="open-claim-form" on:submit=move |ev| {
            ev.prevent_default();
            open.dispatch(period.get().parse().ok());
        }>
            <h3>"Nová žádost o platbu ze soupisky dokladů"</h3>
            <ErrorSummary errors/>
            <p class="hint">"Žádost se založí jako rozpracovaná; doklady do ní zařadíte v evidenci výdajů. Nárokovaná částka vyplyne z dokladů a modelu vykazování nákladů projektu."</p>
            <SelectField name="open_period_id" label="Období" value=period options=periods error=err(errors, "period_id")/>
            {move || message().map(|m| view! { <p class="error-box" role="alert">{m}</p> })}
            <button type="submit" class="button primary">"Založit žádost a vybrat doklady"</button>
        </form>
    }
}
