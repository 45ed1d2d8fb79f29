//! Forms of the expenditure ledger, shown to the finance officer only: editing an expenditure or booking a
//! correction (credit note) to it, and putting the selected (or all filtered) documents into a claim.

use super::budget::{err, outcome_errors};
use crate::api::{add_claim_documents, correct_expenditure, open_claim, update_expenditure};
use crate::components::{ErrorSummary, SelectField, TextField};
use crate::domain::{format_czech_date, FieldErrors};
use crate::dto::{
    Choice, CorrectionInput, DocumentPick, EditOutcome, ExpenditureInput, LedgerPage, LedgerQuery,
    LedgerRow,
};
use leptos::prelude::*;

/// Edits a row (`correcting` = false) or books a correction to it (true).
#[component]
pub fn ExpenditureEdit(
    row: LedgerRow,
    correcting: bool,
    lines: Vec<Choice>,
    id: i32,
    editing: RwSignal<Option<(LedgerRow, bool)>>,
    reload: RwSignal<u32>,
    notice: RwSignal<Option<(String, Option<String>)>>,
) -> impl IntoView {
    let options: Vec<(String, String)> = lines.into_iter().map(|c| (c.value, c.label)).collect();
    let line = RwSignal::new(row.budget_line_id.to_string());
    let document = RwSignal::new(if correcting {
        String::new()
    } else {
        row.document_number.clone().unwrap_or_default()
    });
    let by_units = row.units.is_some() && !correcting;
    let amount = RwSignal::new(if correcting {
        String::new()
    } else {
        row.amount.format_plain()
    });
    let units = RwSignal::new(row.units.clone().unwrap_or_default());
    let paid_on = RwSignal::new(if correcting {
        String::new()
    } else {
        row.paid_on.map(format_czech_date).unwrap_or_default()
    });
    let description = RwSignal::new(if correcting {
        String::new()
    } else {
        row.description.clone()
    });
    let errors = RwSignal::new(FieldErrors::new());
    let (rid, version) = (row.id, row.version);
    let save = Action::new(move |(i, fix): &(ExpenditureInput, bool)| {
        let i = i.clone();
        let fix = *fix;
        async move {
            if fix {
                correct_expenditure(
                    id,
                    rid,
                    version,
                    CorrectionInput {
                        document_number: i.document_number,
                        amount: i.amount,
                        paid_on: i.paid_on,
                        description: i.description,
                    },
                )
                .await
            } else {
                update_expenditure(id, rid, version, i).await
            }
        }
    });
    let saved_text = if correcting {
        "Opravný doklad je zaúčtován."
    } else {
        "Změna dokladu je uložena."
    };
    Effect::new(move |_| {
        if matches!(save.value().get(), Some(Ok(EditOutcome::Saved))) {
            notice.set(Some((saved_text.to_string(), None)));
            editing.set(None);
        }
    });
    let message = move || outcome_errors(save.value().get(), errors, reload);
    let doc = row
        .document_number
        .clone()
        .unwrap_or_else(|| "bez čísla".into());
    let title = if correcting {
        format!("Opravný doklad k dokladu {doc} ({})", row.amount)
    } else {
        format!("Upravit doklad {doc}")
    };
    view! {
        <form class="small-form" data-testid="ledger-edit-form" on:submit=move |ev| {
            ev.prevent_default();
            save.dispatch((ExpenditureInput {
                budget_line_id: line.get().parse().unwrap_or(0),
                document_number: document.get(), paid_on: paid_on.get(), description: description.get(),
                amount: if by_units { String::new() } else { amount.get() },
                units: if by_units { units.get() } else { String::new() },
            }, correcting));
        }>
            <h3>{title}</h3>
            <ErrorSummary errors/>
            {(!correcting).then(|| view! {
                <SelectField name="budget_line_id" label="Položka rozpočtu" value=line options=options.clone() error=err(errors, "budget_line_id")/>
            })}
            <TextField name="document_number" label=if correcting { "Číslo opravného dokladu" } else { "Číslo dokladu" } value=document error=err(errors, "document_number")/>
            {if by_units {
                view! { <TextField name="exp_units" label="Počet jednotek" value=units error=err(errors, "units")/> }.into_any()
            } else {
                view! { <TextField name="exp_amount" label=if correcting { "Snižuje výdaj o (Kč)" } else { "Částka (Kč)" } value=amount error=err(errors, "amount") placeholder="1 234,00"/> }.into_any()
            }}
            <TextField name="paid_on" label="Datum úhrady" value=paid_on error=err(errors, "paid_on") placeholder="15. 3. 2026"/>
            <TextField name="description" label="Popis" value=description error=err(errors, "description")/>
            {move || message().map(|m| view! { <p class="error-box" role="alert">{m}</p> })}
            <button type="submit" class="button primary">{if correcting { "Zaúčtovat opravný doklad" } else { "Uložit změnu" }}</button>
            " "
            <button type="button" class="button" on:click=move |_| editing.set(None)>"Zrušit"</button>
        </form>
    }
}

/// Puts the selected documents, or every unclaimed document of the filter, into a new or an open claim.
#[component]
pub fn ClaimPicker(
    p: LedgerPage,
    q: LedgerQuery,
    id: i32,
    selected: RwSignal<Vec<i32>>,
    reload: RwSignal<u32>,
    notice: RwSignal<Option<(String, Option<String>)>>,
) -> impl IntoView {
    let mut targets: Vec<(String, String)> = vec![("new".into(), "nová žádost o platbu".into())];
    targets.extend(
        p.open_claims
            .iter()
            .map(|c| (c.value.clone(), c.label.clone())),
    );
    let target = RwSignal::new(
        p.open_claims
            .last()
            .map_or_else(|| "new".to_string(), |c| c.value.clone()),
    );
    let errors = RwSignal::new(FieldErrors::new());
    let unclaimed = p.unclaimed;
    let put = Action::new(move |(to, pick): &(String, DocumentPick)| {
        let to = to.clone();
        let pick = pick.clone();
        async move {
            let claim = match to.parse::<i32>() {
                Ok(c) => c,
                Err(_) => open_claim(id, None).await?,
            };
            let version = crate::api::get_claim_detail(id, claim).await?.claim.version;
            add_claim_documents(id, claim, version, pick)
                .await
                .map(|o| (o, claim))
        }
    });
    let message = move || {
        let out = put.value().get()?;
        if let Ok((EditOutcome::Saved, claim)) = &out {
            selected.set(Vec::new());
            notice.set(Some((
                "Doklady jsou v žádosti.".to_string(),
                Some(format!("/projekty/{id}/zadosti/{claim}")),
            )));
        }
        outcome_errors(Some(out.map(|(o, _)| o)), errors, reload)
    };
    let all = DocumentPick::Filtered(q.clone());
    view! {
        <form class="small-form claim-picker" data-testid="claim-picker" on:submit=move |ev| ev.prevent_default()>
            <h3>"Soupiska dokladů do žádosti o platbu"</h3>
            <ErrorSummary errors/>
            <SelectField name="claim" label="Zařadit do" value=target options=targets error=err(errors, "claim")/>
            <p class="field-error" data-field="documents">{move || errors.with(|e| e.get("documents").map(str::to_string))}</p>
            <button type="button" class="button" data-testid="add-selected"
                disabled=move || selected.with(Vec::is_empty)
                on:click=move |_| { put.dispatch((target.get(), DocumentPick::Ids(selected.get()))); }>
                {move || format!("Zařadit vybrané ({})", selected.with(Vec::len))}
            </button>
            " "
            <button type="button" class="button primary" data-testid="add-filtered" disabled=unclaimed == 0
                on:click=move |_| { put.dispatch((target.get(), all.clone())); }>
                {format!("Zařadit všechny nezařazené doklady filtru ({unclaimed})")}
            </button>
            {move || message().map(|m| view! { <p class="error-box" role="alert">{m}</p> })}
        </form>
    }
}
