//! A project's budget and money flow: totals and co-financing, drawdown against time, the budget by
//! chapter and year, its lines, and forms to add lines, record expenditures and set financing.

use crate::api::{get_budget, save_finance};
use crate::components::{
    DrawdownChart, ErrorBox, FlagList, Loading, PercentBar, ProjectTabs, TextField,
};
use crate::domain::{format_percent, FieldErrors};
use crate::dto::{BudgetView, EditOutcome, FinanceInput};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn BudgetPage() -> impl IntoView {
    let id = super::project_detail::project_id_param();
    let reload = RwSignal::new(0u32);
    let budget = Resource::new(move || (id.get(), reload.get()), |(id, _)| get_budget(id));
    view! {
        <Title text="Rozpočet a čerpání"/>
        <ProjectTabs id=id.get_untracked() active="rozpocet"/>
        <h1>"Rozpočet a čerpání"</h1>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match budget.await {
                    Ok(b) => view! { <BudgetBody b id=id.get_untracked() reload/> }.into_any(),
                    Err(crate::error::AppError::NotFound) => view! { <crate::pages::NotFound/> }.into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// What one of the small forms shows after a save attempt.
pub(crate) fn outcome_errors(
    outcome: Option<Result<EditOutcome, crate::error::AppError>>,
    errors: RwSignal<FieldErrors>,
    reload: RwSignal<u32>,
) -> Option<String> {
    match outcome? {
        Ok(EditOutcome::Saved) => {
            errors.set(FieldErrors::new());
            reload.update(|n| *n += 1);
            None
        }
        Ok(EditOutcome::Invalid(e)) => {
            errors.set(e);
            None
        }
        Ok(EditOutcome::Conflict(m)) => Some(m),
        Err(e) => Some(e.to_string()),
    }
}

pub(crate) fn err(errors: RwSignal<FieldErrors>, f: &'static str) -> Signal<Option<String>> {
    Signal::derive(move || errors.with(|e| e.get(f).map(str::to_string)))
}

#[component]
fn BudgetBody(b: BudgetView, id: i32, reload: RwSignal<u32>) -> impl IntoView {
    let today = b.today;
    let years = b.years.clone();
    view! {
        {b.amounts_illustrative.then(|| view! {
            <p class="notice">"Částky tohoto projektu jsou ilustrativní (vymyšlené pro ukázková data)."</p>
        })}
        <section class="cards">
            <div class="card"><span>"Celkové způsobilé výdaje"</span><strong data-testid="total">{b.total_eligible.to_string()}</strong>
                <small>{format!("přímé {} + nepřímé {} ({})", b.direct_total, b.indirect, format_percent(b.indirect_rate))}</small></div>
            <div class="card"><span>"Financování"</span>
                <small>{format!("EU {} ({})", b.eu, format_percent(b.eu_share))}</small>
                <small>{format!("státní rozpočet {} ({})", b.state, format_percent(b.state_share))}</small>
                <small>{format!("vlastní zdroje {} ({})", b.own, format_percent(b.own_share))}</small></div>
            <div class="card"><span>"Čerpáno"</span><strong data-testid="drawn">{b.drawn.to_string()}</strong>
                <PercentBar percent=b.drawdown_percent/><small>{format!("zbývá {}", b.remaining)}</small></div>
            <div class="card"><span>"Uplynulý čas projektu"</span><strong data-testid="elapsed">{format_percent(b.elapsed_percent)}</strong>
                <PercentBar percent=Some(b.elapsed_percent)/></div>
        </section>
        <h2>"Upozornění"</h2>
        <div data-testid="flags"><FlagList flags=b.flags.clone()/></div>
        <h2>"Čerpání v čase"</h2>
        <DrawdownChart series=b.series.clone() today/>
        <h2>"Rozpočet podle kapitol a let"</h2>
        <table class="budget-chapters">
            <thead><tr><th>"Kapitola"</th>{years.iter().map(|y| view! { <th class="num">{*y}</th> }).collect_view()}
                <th class="num">"Celkem"</th><th class="num">"Čerpáno"</th></tr></thead>
            <tbody>
                {b.chapters.iter().map(|c| view! {
                    <tr><th>{c.label.clone()}</th>{c.per_year.iter().map(|m| view! { <td class="num">{m.to_string()}</td> }).collect_view()}
                        <td class="num">{c.total.to_string()}</td><td class="num">{c.drawn.to_string()}</td></tr>
                }).collect_view()}
                <tr class="sum"><th>{format!("Nepřímé náklady ({} přímých)", format_percent(b.indirect_rate))}</th>
                    {years.iter().map(|_| view! { <td></td> }).collect_view()}<td class="num">{b.indirect.to_string()}</td><td></td></tr>
                <tr class="sum"><th>"Celkem způsobilé výdaje"</th>{years.iter().map(|_| view! { <td></td> }).collect_view()}
                    <td class="num">{b.total_eligible.to_string()}</td><td class="num">{b.drawn.to_string()}</td></tr>
            </tbody>
        </table>
        <h2>"Položky rozpočtu"</h2>
        <super::budget_forms::LinesTable b=b.clone() id reload/>
        <super::budget_forms::ExpenditureForm b=b.clone() id reload/>
        <FinanceForm b id reload/>
    }
    .into_any()
}

#[component]
fn FinanceForm(b: BudgetView, id: i32, reload: RwSignal<u32>) -> impl IntoView {
    let show = |d: rust_decimal::Decimal| d.normalize().to_string().replace('.', ",");
    let rate = RwSignal::new(show(b.indirect_rate));
    let eu = RwSignal::new(show(b.eu_share));
    let state = RwSignal::new(show(b.state_share));
    let own = RwSignal::new(show(b.own_share));
    let errors = RwSignal::new(FieldErrors::new());
    let version = b.finance_version;
    let save = Action::new(move |i: &FinanceInput| save_finance(id, version, i.clone()));
    let message = move || outcome_errors(save.value().get(), errors, reload);
    view! {
        <form class="small-form" on:submit=move |ev| {
            ev.prevent_default();
            save.dispatch(FinanceInput { indirect_rate: rate.get(), eu_share: eu.get(), state_share: state.get(), own_share: own.get() });
        }>
            <h3>"Parametry financování"</h3>
            <TextField name="indirect_rate" label="Paušál nepřímých nákladů (%)" value=rate error=err(errors, "indirect_rate")/>
            <TextField name="eu_share" label="Podíl EU (%)" value=eu error=err(errors, "eu_share")/>
            <TextField name="state_share" label="Podíl státního rozpočtu (%)" value=state error=err(errors, "state_share")/>
            <TextField name="own_share" label="Vlastní zdroje (%)" value=own error=err(errors, "own_share")/>
            <p class="hint">"Podíly se musí sečíst na 100 %. Části EU a státního rozpočtu se zaokrouhlují na haléře (polovina nahoru), zbytek do haléře připadá vlastním zdrojům, takže součet vždy přesně odpovídá celku."</p>
            {move || message().map(|m| view! { <p class="error-box">{m}</p> })}
            <button type="submit" class="button">"Uložit parametry"</button>
        </form>
    }
}
