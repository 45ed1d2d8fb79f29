//! Settings of the rules the domain notes leave unverified: correction bands, tolerated drawdown lag,
//! (in `programme_rules`) each programme's length of a monitoring period, and (in `call_costs`) each
//! call's cost models, flat rates and unit costs.

use super::budget::{err, outcome_saying};
use crate::api::{get_settings, save_settings};
use crate::components::{ErrorBox, ErrorSummary, Loading, TextAreaField, TextField};
use crate::domain::FieldErrors;
use crate::dto::SettingsInput;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn SettingsPage() -> impl IntoView {
    let reload = RwSignal::new(0u32);
    let current = Resource::new(move || reload.get(), |_| get_settings());
    let user = Resource::new(|| (), |()| crate::api::current_user());
    view! {
        <Title text="Nastavení pravidel"/>
        <h1>"Nastavení pravidel"</h1>
        <p class="notice">"Pásma finančních korekcí, tolerované zpoždění čerpání, lhůta proplacení ŽoP a lhůty termínů nejsou v podkladech ověřena: výchozí hodnoty jsou zástupné a má je nastavit správce podle platných pravidel OPZ+."</p>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                let admin = user.await.ok().flatten().is_some_and(|v| v.is_admin());
                match current.await {
                    Ok(s) if admin => view! { <SettingsForm s reload/> }.into_any(),
                    Ok(s) => view! { <SettingsValues s/> }.into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Transition>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                let admin = user.await.ok().flatten().is_some_and(|v| v.is_admin());
                view! {
                    {(!admin).then(|| view! { <p class="hint">"Pravidla mění správce aplikace."</p> })}
                    <super::programme_rules::ProgrammeRulesSection admin/>
                    <super::call_costs::CallCostRulesSection admin/>
                }
            })}
        </Transition>
    }
}

#[component]
fn SettingsForm(s: SettingsInput, reload: RwSignal<u32>) -> impl IntoView {
    let lag = RwSignal::new(s.drawdown_max_lag_points);
    let bands = RwSignal::new(s.correction_bands);
    let overdue = RwSignal::new(s.claim_overdue_days);
    let report = RwSignal::new(s.report_due_days);
    let review = RwSignal::new(s.review_due_days);
    let final_report = RwSignal::new(s.final_report_due_days);
    let horizon = RwSignal::new(s.deadline_horizon_days);
    let errors = RwSignal::new(FieldErrors::new());
    let save = Action::new(move |i: &SettingsInput| save_settings(i.clone()));
    let message =
        move || outcome_saying(save.value().get(), errors, reload, "Nastavení je uloženo.");
    view! {
        <form class="small-form" data-testid="settings-form" on:submit=move |ev| {
            ev.prevent_default();
            save.dispatch(SettingsInput {
                drawdown_max_lag_points: lag.get(), correction_bands: bands.get(), claim_overdue_days: overdue.get(),
                report_due_days: report.get(), review_due_days: review.get(),
                final_report_due_days: final_report.get(), deadline_horizon_days: horizon.get(),
            });
        }>
            <ErrorSummary errors/>
            <TextField name="drawdown_max_lag_points" label="Tolerované zpoždění čerpání za časem (p. b.)" value=lag
                error=err(errors, "drawdown_max_lag_points")/>
            <TextField name="claim_overdue_days" label="Lhůta pro proplacení žádosti o platbu (dní od podání)" value=overdue
                error=err(errors, "claim_overdue_days") hint="Výchozí 80 dní (nařízení 2021/1060, čl. 74 odst. 1 písm. b); neověřeno."/>
            <TextField name="report_due_days" label="Lhůta pro podání ZoR a ŽoP (dní od konce období)" value=report
                error=err(errors, "report_due_days") hint="Výchozí 30 dní; neověřeno."/>
            <TextField name="review_due_days" label="Lhůta pro kontrolu předložené ZoR (dní od předložení)" value=review
                error=err(errors, "review_due_days") hint="Výchozí 40 dní; neověřeno."/>
            <TextField name="final_report_due_days" label="Lhůta pro závěrečnou zprávu (dní od konce projektu)" value=final_report
                error=err(errors, "final_report_due_days") hint="Výchozí 60 dní; neověřeno."/>
            <TextField name="deadline_horizon_days" label="Blížící se termíny (dní dopředu)" value=horizon
                error=err(errors, "deadline_horizon_days") hint="Výchozí 60 dní."/>
            <TextAreaField name="correction_bands" label="Pásma korekcí: na řádek „plnění od %; do % (prázdné = bez horní meze); korekce %“"
                value=bands error=err(errors, "correction_bands")/>
            {move || message().map(|m| view! { <p class="error-box">{m}</p> })}
            <button type="submit" class="button primary">"Uložit nastavení"</button>
        </form>
    }
}

/// The settings as text, for users who may not change them.
#[component]
fn SettingsValues(s: SettingsInput) -> impl IntoView {
    view! {
        <dl class="facts" data-testid="settings-values">
            <dt>"Tolerované zpoždění čerpání za časem (p. b.)"</dt><dd>{s.drawdown_max_lag_points}</dd>
            <dt>"Lhůta pro proplacení žádosti o platbu (dní od podání)"</dt><dd>{s.claim_overdue_days}</dd>
            <dt>"Lhůta pro podání ZoR a ŽoP (dní od konce období)"</dt><dd>{s.report_due_days}</dd>
            <dt>"Lhůta pro kontrolu předložené ZoR (dní od předložení)"</dt><dd>{s.review_due_days}</dd>
            <dt>"Lhůta pro závěrečnou zprávu (dní od konce projektu)"</dt><dd>{s.final_report_due_days}</dd>
            <dt>"Blížící se termíny (dní dopředu)"</dt><dd>{s.deadline_horizon_days}</dd>
            <dt>"Pásma korekcí"</dt><dd><pre class="plain">{s.correction_bands}</pre></dd>
        </dl>
    }
}
