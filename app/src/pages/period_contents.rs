//! What a period's report (ZoR) contains, on its review page: indicators against targets, the
//! expenditures paid within the period (with a link to the ledger filtered to it) and its claims.

use crate::components::percent_text;
use crate::domain::words::with_unit;
use crate::domain::{format_czech_date, plural};
use crate::dto::review::PeriodContents;
use chrono::NaiveDate;
use leptos::prelude::*;

/// The contents of a report for the period `start`–`end` of project `project_id`.
#[component]
pub fn ReportContents(
    c: PeriodContents,
    project_id: i32,
    start: NaiveDate,
    end: NaiveDate,
) -> impl IntoView {
    let ledger = format!(
        "/projekty/{project_id}/vydaje?od={}&do={}",
        start.format("%Y-%m-%d"),
        end.format("%Y-%m-%d")
    );
    let documents = plural(c.expenditure_count, ["doklad", "doklady", "dokladů"]);
    view! {
        <h2>"Indikátory v období a plnění cílů"</h2>
        <IndicatorRows c=c.clone()/>
        <h2>"Výdaje uhrazené v období"</h2>
        <p data-testid="period-expenditure">
            {documents}" za "<strong>{c.expenditure_sum.to_string()}</strong>" · "
            <a href=ledger>"Zobrazit v evidenci výdajů"</a>
        </p>
        <h2>"Žádosti o platbu za období"</h2>
        <ClaimRows c project_id/>
    }
}

#[component]
fn IndicatorRows(c: PeriodContents) -> impl IntoView {
    if c.indicators.is_empty() {
        return view! { <p class="muted">"Projekt nemá indikátory."</p> }.into_any();
    }
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label="Hodnoty indikátorů v období">
            <table class="period-values" data-testid="period-indicators">
                <thead><tr><th>"Indikátor"</th><th>"Název"</th><th class="num">"V období"</th>
                    <th class="num">"Kumulativně"</th><th class="num">"Cíl"</th><th class="num">"Plnění"</th></tr></thead>
                <tbody>{c.indicators.into_iter().map(|r| view! {
                    <tr><td class="mono">{r.code.clone()}</td><td>{r.name.clone()}</td>
                        <td class="num">{r.in_period.map_or_else(|| "—".to_string(), |v| with_unit(v, &r.unit))}</td>
                        <td class="num">{with_unit(r.cumulative, &r.unit)}</td>
                        <td class="num">{with_unit(r.target, &r.unit)}</td>
                        <td class="num">{percent_text(r.fulfilment)}</td></tr>
                }).collect_view()}</tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn ClaimRows(c: PeriodContents, project_id: i32) -> impl IntoView {
    if c.claims.is_empty() {
        return view! { <p class="muted">"K tomuto období není žádná žádost o platbu."</p> }
            .into_any();
    }
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label="Žádosti o platbu k období">
            <table data-testid="period-claims">
                <thead><tr><th>"ŽoP"</th><th>"Stav"</th><th class="num">"Nárokováno"</th><th>"Podáno"</th></tr></thead>
                <tbody>{c.claims.into_iter().map(|cl| view! {
                    <tr><td><a href=format!("/projekty/{project_id}/zadosti/{}", cl.id)>{format!("ŽoP {}", cl.number)}</a></td>
                        <td>{cl.status_label}</td>
                        <td class="num">{cl.claimed.to_string()}</td>
                        <td>{cl.submitted_on.map(format_czech_date).unwrap_or_else(|| "—".into())}</td></tr>
                }).collect_view()}</tbody>
            </table>
        </div>
    }
    .into_any()
}
