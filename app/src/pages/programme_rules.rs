//! The programmes' reporting rules on the settings page: how many months one monitoring period (ZoR)
//! lasts. Admins edit them; others see them.

use super::budget::{err, outcome_saying};
use crate::api::{get_programme_rules, save_programme_rule};
use crate::components::{ErrorBox, ErrorSummary, Loading, TextField};
use crate::domain::FieldErrors;
use crate::dto::{ProgrammeRuleDto, ProgrammeRuleInput};
use leptos::prelude::*;

#[component]
pub fn ProgrammeRulesSection(
    /// Whether the user may change the rules (only admins; the server checks again).
    admin: bool,
) -> impl IntoView {
    let reload = RwSignal::new(0u32);
    let programmes = Resource::new(move || reload.get(), |_| get_programme_rules());
    view! {
        <h2 id="programy">"Programy: monitorovací období"</h2>
        <p class="notice">"Monitorovací období (ZoR) projektu se vytvoří z doby jeho realizace: po sobě jdoucí období o zadaném počtu měsíců od data zahájení, poslední končí s projektem. Přesné pravidlo OPZ+ není v podkladech ověřeno; výchozí je 6 měsíců. Změna platí pro nově zakládané projekty a změny doby realizace; existující období zůstávají."</p>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match programmes.await {
                    Ok(list) if list.is_empty() => view! { <p class="empty">"V číselníku zatím nejsou žádné programy."</p> }.into_any(),
                    Ok(list) if admin => list.into_iter().map(|p| view! { <ProgrammeRule p reload/> }).collect_view().into_any(),
                    Ok(list) => view! {
                        <ul class="plain-list">{list.into_iter().map(|p| view! {
                            <li data-programme=p.code.clone()>{format!("{} {} ({}): ", p.code, p.name, p.period)}
                                <strong>{crate::domain::plural(u64::from(p.report_period_months), ["měsíc", "měsíce", "měsíců"])}</strong></li>
                        }).collect_view()}</ul>
                    }.into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ProgrammeRule(p: ProgrammeRuleDto, reload: RwSignal<u32>) -> impl IntoView {
    let programme_id = p.id;
    let months = RwSignal::new(p.report_period_months.to_string());
    let errors = RwSignal::new(FieldErrors::new());
    let save =
        Action::new(move |i: &ProgrammeRuleInput| save_programme_rule(programme_id, i.clone()));
    let message = move || {
        outcome_saying(
            save.value().get(),
            errors,
            reload,
            "Pravidlo programu je uloženo.",
        )
    };
    let title = format!("{} {} ({})", p.code, p.name, p.period);
    view! {
        <form class="small-form" data-programme=p.code.clone() on:submit=move |ev| {
            ev.prevent_default();
            save.dispatch(ProgrammeRuleInput { report_period_months: months.get() });
        }>
            <h3>{title}</h3>
            <ErrorSummary errors/>
            <TextField name="report_period_months" label="Délka monitorovacího období (měsíce, 1–24)" value=months
                error=err(errors, "report_period_months")/>
            {move || message().map(|m| view! { <p class="error-box">{m}</p> })}
            <button type="submit" class="button">"Uložit pravidlo programu"</button>
        </form>
    }
}
