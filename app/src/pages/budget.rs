//! A project's budget and money flow: totals and co-financing, drawdown against time, the budget by
//! chapter and year, its lines, and forms to add lines, record expenditures and set financing.

use crate::api::{get_budget, save_finance};
use crate::components::{
    DrawdownChart, ErrorBox, ErrorSummary, FlagList, Loading, PercentBar, ProjectTabs, SelectField,
    TextField,
};
use crate::domain::explained::{flat_part_in_drawdown, registered_against_budget};
use crate::domain::{format_percent, CostModel, FieldErrors};
use crate::dto::{BudgetView, EditOutcome, FinanceInput};
use crate::i18n::{fill, lang, t};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn BudgetPage() -> impl IntoView {
    let id = super::project_detail::project_id_param();
    let reload = RwSignal::new(0u32);
    let budget = Resource::new(move || (id.get(), reload.get()), |(id, _)| get_budget(id));
    let user = Resource::new(|| (), |()| crate::api::current_user());
    view! {
        <Title text=t("budget.title")/>
        <ProjectTabs id=id.get_untracked() active="rozpocet"/>
        <h1>{t("budget.title")}</h1>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                let may_edit = user.await.ok().flatten().is_some_and(|v| v.can_edit_finance(id.get_untracked()));
                match budget.await {
                    Ok(b) => view! { <BudgetBody b id=id.get_untracked() reload may_edit/> }.into_any(),
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
    outcome_saying(outcome, errors, reload, "Změna je uložena.")
}

/// The same, saying `saved` on the page's status line after a save.
pub(crate) fn outcome_saying(
    outcome: Option<Result<EditOutcome, crate::error::AppError>>,
    errors: RwSignal<FieldErrors>,
    reload: RwSignal<u32>,
    saved: impl Into<String>,
) -> Option<String> {
    match outcome? {
        Ok(EditOutcome::Saved) => {
            errors.set(FieldErrors::new());
            reload.update(|n| *n += 1);
            crate::components::announce(saved);
            None
        }
        Ok(EditOutcome::Invalid(e)) => {
            errors.set(e);
            crate::components::focus_first_invalid();
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
fn BudgetBody(b: BudgetView, id: i32, reload: RwSignal<u32>, may_edit: bool) -> impl IntoView {
    let lang = lang();
    let today = b.today;
    let years = b.years.clone();
    let parts = composition(&b);
    let flat_row = b.cost_model.flat_part_label().map(|label| {
        let years = years.clone();
        view! {
            <tr class="sum"><th>{format!("{label}, {}", format_percent(b.indirect_rate))}</th>
                {years.iter().map(|_| view! { <td></td> }).collect_view()}<td class="num" data-testid="flat-part">{b.budgeted.flat_part.to_string()}</td>
                <td class="num">{b.drawn_breakdown.flat_part.to_string()}</td></tr>
        }
    });
    view! {
        {b.amounts_illustrative.then(|| view! {
            <p class="notice">"Částky tohoto projektu jsou ilustrativní (vymyšlené pro ukázková data)."</p>
        })}
        <p class="cost-model" data-testid="cost-model" data-model=b.cost_model.code()>
            "Model vykazování nákladů: " <strong>{b.cost_model.label()}</strong>
        </p>
        <section class="cards">
            <div class="card"><span>{t("budget.total")}</span><strong data-testid="total">{lang.money(b.total_eligible)}</strong>
                {parts.into_iter().map(|p| view! { <small>{p}</small> }).collect_view()}
                {registered_against_budget(b.registered_total, b.total_eligible).map(|t| view! { <small class="explain" data-testid="total-explained">{t}</small> })}</div>
            <div class="card"><span>{t("budget.financing")}</span>
                <small>{format!("EU {} ({})", b.eu, format_percent(b.eu_share))}</small>
                <small>{format!("státní rozpočet {} ({})", b.state, format_percent(b.state_share))}</small>
                <small>{format!("vlastní zdroje {} ({})", b.own, format_percent(b.own_share))}</small></div>
            <div class="card"><span>{t("budget.drawn")}</span><strong data-testid="drawn">{lang.money(b.drawn)}</strong>
                <PercentBar percent=b.drawdown_percent/><small>{fill(lang, "budget.remaining", &[("amount", lang.money(b.remaining).as_str())])}</small>
                {flat_part_in_drawdown(&b.drawn_breakdown).map(|t| view! { <small class="explain" data-testid="drawn-explained">{t}</small> })}</div>
            <div class="card"><span>{t("budget.claimed")}</span><strong data-testid="claimed">{lang.money(b.claimed)}</strong>
                <small><A href=format!("/projekty/{id}/vydaje")>{t("budget.ledger_link")}</A>" · "<A href=format!("/projekty/{id}/zadosti")>{t("budget.claims_link")}</A></small></div>
            <div class="card"><span>{t("budget.elapsed")}</span><strong data-testid="elapsed">{format_percent(b.elapsed_percent)}</strong>
                <PercentBar percent=Some(b.elapsed_percent)/></div>
        </section>
        <h2>{t("budget.flags")}</h2>
        <div data-testid="flags"><FlagList flags=b.flags.clone()/></div>
        <h2>{t("budget.over_time")}</h2>
        <DrawdownChart series=b.series.clone() today/>
        <h2>{t("budget.by_chapter")}</h2>
        <div class="table-scroll" tabindex="0" role="region" aria-label="Rozpočet podle kapitol a let"><table class="budget-chapters">
            <thead><tr><th>"Kapitola"</th>{years.iter().map(|y| view! { <th class="num">{*y}</th> }).collect_view()}
                <th class="num">"Celkem"</th><th class="num">"Čerpáno"</th></tr></thead>
            <tbody>
                {b.chapters.iter().map(|c| view! {
                    <tr><th>{c.label.clone()}</th>{c.per_year.iter().map(|m| view! { <td class="num">{m.to_string()}</td> }).collect_view()}
                        <td class="num">{c.total.to_string()}</td><td class="num">{c.drawn.to_string()}</td></tr>
                }).collect_view()}
                {flat_row}
                <tr class="sum"><th>"Celkem způsobilé výdaje"</th>{years.iter().map(|_| view! { <td></td> }).collect_view()}
                    <td class="num">{b.total_eligible.to_string()}</td><td class="num">{b.drawn.to_string()}</td></tr>
            </tbody>
        </table></div>
        <h2>{t("budget.lines")}</h2>
        <super::budget_forms::LinesTable b=b.clone() id reload may_edit/>
        {may_edit.then(|| view! {
            <super::budget_forms::ExpenditureForm b=b.clone() id reload/>
            <FinanceForm b=b.clone() id reload/>
        })}
    }
    .into_any()
}

/// The parts of the eligible total as the cost model builds it, one line each.
fn composition(b: &BudgetView) -> Vec<String> {
    let t = &b.budgeted;
    let rate = format_percent(b.indirect_rate);
    let mut parts = match b.cost_model {
        CostModel::FlatIndirectDirect => vec![
            format!("přímé osobní náklady {}", t.personnel),
            format!("ostatní přímé náklady {}", t.other_direct),
            format!("nepřímé náklady {} ({rate} přímých)", t.flat_part),
        ],
        CostModel::FlatIndirectPersonnel => vec![
            format!("přímé osobní náklady {}", t.personnel),
            format!("ostatní přímé náklady {}", t.other_direct),
            format!("nepřímé náklady {} ({rate} osobních)", t.flat_part),
        ],
        CostModel::Flat40Personnel => vec![
            format!("přímé osobní náklady {}", t.personnel),
            format!(
                "paušál na ostatní náklady {} ({rate} osobních)",
                t.flat_part
            ),
        ],
        CostModel::Simplified => vec![format!(
            "jednotkové náklady a jednorázové částky {}",
            t.simplified
        )],
    };
    if !t.not_counted.is_zero() {
        parts.push(format!(
            "nezapočteno {} (položky mimo model)",
            t.not_counted
        ));
    }
    parts
}

#[component]
fn FinanceForm(b: BudgetView, id: i32, reload: RwSignal<u32>) -> impl IntoView {
    let show = |d: rust_decimal::Decimal| d.normalize().to_string().replace('.', ",");
    let rate = RwSignal::new(show(b.indirect_rate));
    let model = RwSignal::new(b.cost_model.code().to_string());
    let models: Vec<(String, String)> = CostModel::ALL
        .into_iter()
        .filter(|m| b.call_rules.allowed.contains(m) || *m == b.cost_model)
        .map(|m| (m.code().to_string(), m.label().to_string()))
        .collect();
    let rules = b.call_rules.clone();
    let locked = b.has_expenditure;
    let selected = move || CostModel::from_code(&model.get()).unwrap_or_default();
    let rate_hint = move || {
        match selected() {
        CostModel::FlatIndirectDirect => format!("Paušál nepřímých nákladů z přímých nákladů; výzva povoluje nejvýše {}.", rules.max_rate_direct),
        CostModel::FlatIndirectPersonnel => format!("Paušál nepřímých nákladů z přímých osobních nákladů; výzva povoluje nejvýše {}.", rules.max_rate_personnel),
        CostModel::Flat40Personnel => format!("Paušál na ostatní náklady stanoví výzva: {} z přímých osobních nákladů. Pole nechte prázdné.", rules.rate_flat_personnel),
        CostModel::Simplified => "Zjednodušený model paušál nemá; pole nechte prázdné.".to_string(),
    }
    };
    let eu = RwSignal::new(show(b.eu_share));
    let state = RwSignal::new(show(b.state_share));
    let own = RwSignal::new(show(b.own_share));
    let errors = RwSignal::new(FieldErrors::new());
    let version = b.finance_version;
    let save = Action::new(move |i: &FinanceInput| save_finance(id, version, i.clone()));
    let message = move || {
        outcome_saying(
            save.value().get(),
            errors,
            reload,
            "Financování projektu je uloženo.",
        )
    };
    view! {
        <form class="small-form" on:submit=move |ev| {
            ev.prevent_default();
            save.dispatch(FinanceInput { cost_model: model.get(), indirect_rate: rate.get(), eu_share: eu.get(), state_share: state.get(), own_share: own.get() });
        }>
            <h3>"Parametry financování"</h3>
            <ErrorSummary errors/>
            <SelectField name="cost_model" label="Model vykazování nákladů" value=model options=models error=err(errors, "cost_model")/>
            {locked.then(|| view! { <p class="hint">"Projekt už čerpal: model vykazování nákladů už nelze změnit."</p> })}
            <TextField name="indirect_rate" label="Paušální sazba (%)" value=rate error=err(errors, "indirect_rate")/>
            <p class="hint" data-testid="rate-hint">{rate_hint}</p>
            <TextField name="eu_share" label="Podíl EU (%)" value=eu error=err(errors, "eu_share")/>
            <TextField name="state_share" label="Podíl státního rozpočtu (%)" value=state error=err(errors, "state_share")/>
            <TextField name="own_share" label="Vlastní zdroje (%)" value=own error=err(errors, "own_share")/>
            <p class="hint">"Podíly se musí sečíst na 100 %. Části EU a státního rozpočtu se zaokrouhlují na haléře (polovina nahoru), zbytek do haléře připadá vlastním zdrojům, takže součet vždy přesně odpovídá celku."</p>
            {move || message().map(|m| view! { <p class="error-box">{m}</p> })}
            <button type="submit" class="button">"Uložit parametry"</button>
        </form>
    }
}
