//! A project's indicators: targets, values achieved per monitoring period (typed in, and computed from
//! participant records where the indicator is computable), cumulative fulfilment with bars and flags.

use super::budget::{err, outcome_saying};
use crate::api::{get_indicator_table, set_indicator_value};
use crate::components::{
    ErrorBox, ErrorSummary, FlagList, Loading, PercentBar, ProjectTabs, SelectField, TextField,
};
use crate::domain::{format_czech_date, format_decimal, FieldErrors};
use crate::dto::IndicatorTable;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn IndicatorsPage() -> impl IntoView {
    let id = super::project_detail::project_id_param();
    let reload = RwSignal::new(0u32);
    let table = Resource::new(
        move || (id.get(), reload.get()),
        |(id, _)| get_indicator_table(id),
    );
    let user = Resource::new(|| (), |()| crate::api::current_user());
    view! {
        <Title text="Indikátory"/>
        <ProjectTabs id=id.get_untracked() active="indikatory"/>
        <h1>"Indikátory"</h1>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                let may_edit = user.await.ok().flatten().is_some_and(|v| v.can_edit_project(id.get_untracked()));
                match table.await {
                    Ok(t) => view! { <IndicatorBody t id=id.get_untracked() reload may_edit/> }.into_any(),
                    Err(crate::error::AppError::NotFound) => view! { <crate::pages::NotFound/> }.into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

fn cell(v: Option<rust_decimal::Decimal>) -> String {
    v.map_or_else(|| "—".into(), format_decimal)
}

#[component]
fn IndicatorBody(
    t: IndicatorTable,
    id: i32,
    reload: RwSignal<u32>,
    may_edit: bool,
) -> impl IntoView {
    // Forms only for who may use them (the server checks every save again).
    if t.rows.is_empty() {
        return view! {
            <p class="empty">{if may_edit {
                "Projekt zatím nemá žádné indikátory. Přidejte je z číselníku níže."
            } else {
                "Projekt zatím nemá žádné indikátory."
            }}</p>
            {may_edit.then(|| view! {
                <super::indicator_forms::PeriodForm id reload periods=t.periods.clone()/>
                <super::indicator_forms::ProjectIndicatorForm id reload available=t.available.clone()/>
            })}
        }
        .into_any();
    }
    let flags: Vec<_> = t.rows.iter().filter_map(|r| r.flag.clone()).collect();
    let headers = t.periods.iter().map(|p| view! {
        <th class="num" title=format!("{} – {}", format_czech_date(p.start_date), format_czech_date(p.end_date))>
            {format!("ZoR {}", p.number)}
        </th>
    }).collect_view();
    let rows = t.rows.iter().map(|r| {
        let cells = r.values.iter().zip(&r.computed).map(|(v, c)| {
            let typed = v.map(|(x, _)| x);
            let differs = matches!((typed, c), (Some(a), Some(b)) if a != *b);
            view! {
                <td class="num" class:differs=differs>
                    {cell(typed)}
                    {c.map(|c| view! { <small class="computed" title="vypočteno ze záznamů o účastnících">{format!(" ({})", format_decimal(c))}</small> })}
                </td>
            }
        }).collect_view();
        view! {
            <tr data-code=r.code.clone()>
                <th><span class="mono">{r.code.clone()}</span><br/><small>{r.name.clone()}</small></th>
                <td class="num">{format_decimal(r.target)}<br/><small>{format!("do {}", format_czech_date(r.target_date))}</small></td>
                {cells}
                <td class="num" data-testid="cumulative">{format_decimal(r.cumulative)}</td>
                <td class="fulfilment"><PercentBar percent=r.fulfilment/></td>
            </tr>
        }
    }).collect_view();
    view! {
        <div data-testid="flags"><FlagList flags/></div>
        <p class="hint">{format!(
            "Hodnota v závorce je vypočtena ze záznamů o účastnících ({}{}); zvýrazněné buňky se od zadané hodnoty liší.",
            crate::domain::plural(u64::from(t.participants), crate::domain::words::nouns::RECORD), if t.participants_illustrative { ", ilustrativní" } else { "" }
        )}</p>
        <div class="table-scroll" tabindex="0" role="region" aria-label="Indikátory projektu"><table class="indicators">
            <thead><tr><th>"Indikátor"</th><th class="num">"Cíl"</th>{headers}<th class="num">"Celkem"</th><th>"Plnění"</th></tr></thead>
            <tbody>{rows}</tbody>
        </table></div>
        <super::indicator_forms::ComputedTable t=t.clone()/>
        {may_edit.then(|| view! {
            <ValueForm t=t.clone() id reload/>
            <super::indicator_forms::PeriodForm id reload periods=t.periods.clone()/>
            <super::indicator_forms::ProjectIndicatorForm id reload available=t.available.clone()/>
        })}
    }
    .into_any()
}

#[component]
fn ValueForm(t: IndicatorTable, id: i32, reload: RwSignal<u32>) -> impl IntoView {
    let indicators: Vec<(String, String)> = t
        .rows
        .iter()
        .map(|r| {
            (
                r.project_indicator_id.to_string(),
                format!("{} {}", r.code, r.name),
            )
        })
        .collect();
    let periods: Vec<(String, String)> = t
        .periods
        .iter()
        .map(|p| (p.id.to_string(), format!("ZoR {}", p.number)))
        .collect();
    let indicator = RwSignal::new(
        indicators
            .first()
            .map(|(v, _)| v.clone())
            .unwrap_or_default(),
    );
    // The period running today, or the last finished one: never a future period.
    let ranges: Vec<_> = t
        .periods
        .iter()
        .filter_map(|p| crate::domain::DateRange::new(p.start_date, p.end_date).ok())
        .collect();
    let period = RwSignal::new(
        crate::domain::periods::period_to_report(&ranges, t.today)
            .and_then(|i| periods.get(i))
            .map(|(v, _)| v.clone())
            .unwrap_or_default(),
    );
    let value = RwSignal::new(String::new());
    let errors = RwSignal::new(FieldErrors::new());
    let save = Action::new(move |(pi, per, ver, v): &(i32, i32, Option<i32>, String)| {
        set_indicator_value(id, *pi, *per, *ver, v.clone())
    });
    let message = move || {
        outcome_saying(
            save.value().get(),
            errors,
            reload,
            "Hodnota indikátoru je uložena.",
        )
    };
    view! {
        <form class="small-form" data-testid="value-form" on:submit=move |ev| {
            ev.prevent_default();
            let pi: i32 = indicator.get().parse().unwrap_or(0);
            let per: i32 = period.get().parse().unwrap_or(0);
            let pos = t.periods.iter().position(|p| p.id == per);
            let version = t.rows.iter().find(|r| r.project_indicator_id == pi)
                .and_then(|r| pos.and_then(|i| r.values.get(i).copied().flatten())).map(|(_, v)| v);
            save.dispatch((pi, per, version, value.get()));
        }>
            <h3>"Zadat dosaženou hodnotu"</h3>
            <ErrorSummary errors/>
            <SelectField name="indicator" label="Indikátor" value=indicator options=indicators error=err(errors, "indicator")/>
            <SelectField name="period" label="Období" value=period options=periods error=err(errors, "period")/>
            <TextField name="value" label="Dosažená hodnota v období" value=value error=err(errors, "value") placeholder="12"/>
            {move || message().map(|m| view! { <p class="error-box">{m}</p> })}
            <button type="submit" class="button primary">"Uložit hodnotu"</button>
        </form>
    }
}
