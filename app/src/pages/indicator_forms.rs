//! The parts of the indicator page around the main table: indicators computed from participant records
//! by gender, and the forms that add a monitoring period and a project indicator.

use super::budget::{err, outcome_saying};
use crate::api::{add_period, add_project_indicator};
use crate::components::{ErrorSummary, SelectField, TextField};
use crate::domain::{format_czech_date, FieldErrors};
use crate::dto::{IndicatorDefDto, IndicatorTable, PeriodDto, ProjectIndicatorInput};
use leptos::prelude::*;

/// Every participant indicator computed from the records, per period, with men / women / other.
#[component]
pub fn ComputedTable(t: IndicatorTable) -> impl IntoView {
    if t.participants == 0 {
        return view! { <p class="hint">"Projekt zatím nemá záznamy o účastnících, ze kterých by se ukazatele vypočetly."</p> }.into_any();
    }
    view! {
        <details class="computed-table">
            <summary>{format!("Ukazatele vypočtené ze záznamů o účastnících (celkem / muži / ženy / jiné), {}", crate::domain::plural(u64::from(t.participants), crate::domain::words::nouns::RECORD))}</summary>
            <table>
                <thead><tr><th>"Ukazatel"</th>{t.periods.iter().map(|p| view! { <th class="num">{format!("ZoR {}", p.number)}</th> }).collect_view()}</tr></thead>
                <tbody>
                    {t.computed_rows.into_iter().map(|r| view! {
                        <tr data-code=r.code.clone()>
                            <th><span class="mono">{r.code.clone()}</span>" "<small>{r.name.clone()}</small></th>
                            {r.per_period.into_iter().map(|[t, m, f, o]| view! {
                                <td class="num">{t}<br/><small>{format!("{m} / {f} / {o}")}</small></td>
                            }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </details>
    }
    .into_any()
}

#[component]
pub fn PeriodForm(id: i32, reload: RwSignal<u32>, periods: Vec<PeriodDto>) -> impl IntoView {
    // The period after the last one, as long as it.
    let next = periods
        .last()
        .and_then(|p| crate::domain::DateRange::new(p.start_date, p.end_date).ok())
        .and_then(crate::domain::periods::next_period);
    let start = RwSignal::new(
        next.map(|p| format_czech_date(p.start()))
            .unwrap_or_default(),
    );
    let end = RwSignal::new(next.map(|p| format_czech_date(p.end())).unwrap_or_default());
    let errors = RwSignal::new(FieldErrors::new());
    let save = Action::new(move |(s, e): &(String, String)| add_period(id, s.clone(), e.clone()));
    let message = move || {
        outcome_saying(
            save.value().get(),
            errors,
            reload,
            "Monitorovací období je přidáno.",
        )
    };
    view! {
        <form class="small-form" data-testid="period-form" on:submit=move |ev| { ev.prevent_default(); save.dispatch((start.get(), end.get())); }>
            <h3>{format!("Přidat monitorovací období (ZoR {})", periods.len() + 1)}</h3>
            <ErrorSummary errors/>
            <TextField name="period_start" label="Od" value=start error=err(errors, "period_start") placeholder="1. 1. 2026"/>
            <TextField name="period_end" label="Do" value=end error=err(errors, "period_end") placeholder="30. 6. 2026"/>
            {move || message().map(|m| view! { <p class="error-box">{m}</p> })}
            <button type="submit" class="button">"Přidat období"</button>
        </form>
    }
}

#[component]
pub fn ProjectIndicatorForm(
    id: i32,
    reload: RwSignal<u32>,
    available: Vec<IndicatorDefDto>,
) -> impl IntoView {
    let options: Vec<(String, String)> = available
        .iter()
        .map(|d| (d.id.to_string(), format!("{} {}", d.code, d.name_cs)))
        .collect();
    let indicator = RwSignal::new(options.first().map(|(v, _)| v.clone()).unwrap_or_default());
    let baseline = RwSignal::new(String::new());
    let target = RwSignal::new(String::new());
    let target_date = RwSignal::new(String::new());
    let errors = RwSignal::new(FieldErrors::new());
    let save = Action::new(move |i: &ProjectIndicatorInput| add_project_indicator(id, i.clone()));
    let message = move || {
        outcome_saying(
            save.value().get(),
            errors,
            reload,
            "Indikátor je přidán k projektu.",
        )
    };
    view! {
        <form class="small-form" data-testid="project-indicator-form" on:submit=move |ev| {
            ev.prevent_default();
            save.dispatch(ProjectIndicatorInput {
                indicator_id: indicator.get().parse().unwrap_or(0), baseline: baseline.get(), target: target.get(), target_date: target_date.get(),
            });
        }>
            <h3>"Přidat indikátor projektu"</h3>
            <ErrorSummary errors/>
            <SelectField name="indicator_id" label="Indikátor z číselníku" value=indicator options=options error=err(errors, "indicator_id")/>
            <TextField name="baseline" label="Výchozí hodnota" value=baseline error=err(errors, "baseline") placeholder="0"/>
            <TextField name="target" label="Cílová hodnota" value=target error=err(errors, "target") placeholder="100"/>
            <TextField name="target_date" label="Cílové datum" value=target_date error=err(errors, "target_date") placeholder="31. 12. 2027"/>
            {move || message().map(|m| view! { <p class="error-box">{m}</p> })}
            <button type="submit" class="button">"Přidat indikátor"</button>
        </form>
    }
}
