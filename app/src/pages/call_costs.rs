//! The calls' cost rules on the settings page: which cost models a call allows, its flat rates, and its
//! unit costs and lump sums (simplified cost options). Admins edit them; others see them.

use super::budget::{err, outcome_saying};
use crate::api::{add_unit_cost, get_call_cost_rules, save_call_cost_rules};
use crate::components::{ErrorBox, ErrorSummary, Loading, SelectField, TextField};
use crate::domain::{CostModel, FieldErrors};
use crate::dto::{CallCostRulesDto, CallCostRulesInput, UnitCostInput};
use leptos::prelude::*;

#[component]
pub fn CallCostRulesSection(
    /// Whether the user may change the rules (only admins; the server checks again).
    admin: bool,
) -> impl IntoView {
    let reload = RwSignal::new(0u32);
    let calls = Resource::new(move || reload.get(), |_| get_call_cost_rules());
    view! {
        <h2 id="vyzvy">"Výzvy: modely vykazování nákladů a jednotkové náklady"</h2>
        <p class="notice">"Které modely vykazování nákladů výzva připouští a v jaké výši paušálů, stanoví text výzvy; výchozí hodnoty jsou stropy nařízení (25 % z přímých nákladů, 15 % z přímých osobních nákladů, 40 % na ostatní náklady). Upravte je podle výzvy."</p>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match calls.await {
                    Ok(list) if list.is_empty() => view! { <p class="empty">"V číselníku zatím nejsou žádné výzvy."</p> }.into_any(),
                    Ok(list) if admin => list.into_iter().map(|c| view! { <CallRules c reload/> }).collect_view().into_any(),
                    Ok(list) => list.into_iter().map(|c| view! { <CallRulesValues c/> }).collect_view().into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

fn show(p: crate::domain::Percentage) -> String {
    p.value().normalize().to_string().replace('.', ",")
}

#[component]
fn CallRules(c: CallCostRulesDto, reload: RwSignal<u32>) -> impl IntoView {
    let call_id = c.id;
    let allowed: Vec<(CostModel, RwSignal<bool>)> = CostModel::ALL
        .into_iter()
        .map(|m| (m, RwSignal::new(c.rules.allowed.contains(&m))))
        .collect();
    let direct = RwSignal::new(show(c.rules.max_rate_direct));
    let personnel = RwSignal::new(show(c.rules.max_rate_personnel));
    let flat = RwSignal::new(show(c.rules.rate_flat_personnel));
    let errors = RwSignal::new(FieldErrors::new());
    let save = Action::new(move |i: &CallCostRulesInput| save_call_cost_rules(call_id, i.clone()));
    let message = move || {
        outcome_saying(
            save.value().get(),
            errors,
            reload,
            "Pravidla výzvy jsou uložena.",
        )
    };
    let checks = allowed.clone();
    let models_error = err(errors, "models");
    let code = c.call_id.clone();
    let title = format!("{} – {}", c.call_id, c.name);
    view! {
        <section class="call-rules" data-call=code>
            <h3>{title}</h3>
            <form class="small-form" on:submit=move |ev| {
                ev.prevent_default();
                save.dispatch(CallCostRulesInput {
                    models: allowed.iter().filter(|(_, on)| on.get()).map(|(m, _)| m.code().to_string()).collect(),
                    max_rate_direct: direct.get(),
                    max_rate_personnel: personnel.get(),
                    rate_flat_personnel: flat.get(),
                });
            }>
                <ErrorSummary errors/>
                <fieldset class="field" class:invalid=move || models_error.get().is_some()>
                    <legend>"Povolené modely"</legend>
                    {checks.into_iter().map(|(m, on)| view! {
                        <label class="check"><input type="checkbox" name=format!("model-{}", m.code()) prop:checked=move || on.get()
                            on:change=move |ev| on.set(event_target_checked(&ev))/>" "{m.label()}</label>
                    }).collect_view()}
                    {move || models_error.get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
                </fieldset>
                <TextField name="max_rate_direct" label="Nejvyšší paušál nepřímých nákladů z přímých nákladů (%)" value=direct error=err(errors, "max_rate_direct")/>
                <TextField name="max_rate_personnel" label="Nejvyšší paušál nepřímých nákladů z přímých osobních nákladů (%)" value=personnel error=err(errors, "max_rate_personnel")/>
                <TextField name="rate_flat_personnel" label="Paušál na ostatní náklady z přímých osobních nákladů (%)" value=flat error=err(errors, "rate_flat_personnel")/>
                {move || message().map(|m| view! { <p class="error-box">{m}</p> })}
                <button type="submit" class="button">"Uložit pravidla výzvy"</button>
            </form>
            <UnitCosts c reload/>
        </section>
    }
}

/// A call's rules as text, for users who may not change them.
#[component]
fn CallRulesValues(c: CallCostRulesDto) -> impl IntoView {
    let models = c
        .rules
        .allowed
        .iter()
        .map(|m| m.label())
        .collect::<Vec<_>>()
        .join(", ");
    let (code, title) = (c.call_id.clone(), format!("{} – {}", c.call_id, c.name));
    view! {
        <section class="call-rules" data-call=code>
            <h3>{title}</h3>
            <dl class="facts">
                <dt>"Povolené modely"</dt><dd>{models}</dd>
                <dt>"Nejvyšší paušál nepřímých nákladů z přímých nákladů"</dt><dd>{format!("{} %", show(c.rules.max_rate_direct))}</dd>
                <dt>"Nejvyšší paušál nepřímých nákladů z přímých osobních nákladů"</dt><dd>{format!("{} %", show(c.rules.max_rate_personnel))}</dd>
                <dt>"Paušál na ostatní náklady z přímých osobních nákladů"</dt><dd>{format!("{} %", show(c.rules.rate_flat_personnel))}</dd>
            </dl>
            <UnitCostTable c/>
        </section>
    }
}

fn kind_label(k: &str) -> &'static str {
    if k == "lump_sum" {
        "jednorázová částka"
    } else {
        "jednotkový náklad"
    }
}

/// The unit costs and lump sums of a call.
#[component]
fn UnitCostTable(c: CallCostRulesDto) -> impl IntoView {
    view! {
        <h4>"Jednotkové náklady a jednorázové částky"</h4>
        {if c.unit_costs.is_empty() {
            view! { <p class="empty">"Výzva zatím nemá žádné."</p> }.into_any()
        } else {
            view! {
                <div class="table-scroll" tabindex="0" role="region" aria-label="Jednotkové náklady a jednorázové částky výzvy"><table class="unit-costs">
                    <thead><tr><th>"Kód"</th><th>"Název"</th><th>"Druh"</th><th>"Jednotka"</th><th class="num">"Sazba"</th></tr></thead>
                    <tbody>{c.unit_costs.iter().map(|u| view! {
                        <tr><td class="mono">{u.code.clone()}</td><td>{u.name.clone()}</td><td>{kind_label(&u.kind)}</td>
                            <td>{u.unit.clone()}</td><td class="num">{u.rate.to_string()}</td></tr>
                    }).collect_view()}</tbody>
                </table></div>
            }.into_any()
        }}
    }
}

#[component]
fn UnitCosts(c: CallCostRulesDto, reload: RwSignal<u32>) -> impl IntoView {
    let call_id = c.id;
    let code = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let unit = RwSignal::new(String::new());
    let kind = RwSignal::new("unit".to_string());
    let rate = RwSignal::new(String::new());
    let errors = RwSignal::new(FieldErrors::new());
    let save = Action::new(move |i: &UnitCostInput| add_unit_cost(call_id, i.clone()));
    let message = move || {
        outcome_saying(
            save.value().get(),
            errors,
            reload,
            "Jednotkový náklad je přidán do výzvy.",
        )
    };
    let kinds = vec![
        ("unit".to_string(), "jednotkový náklad".to_string()),
        ("lump_sum".to_string(), "jednorázová částka".to_string()),
    ];
    view! {
        <UnitCostTable c/>
        <form class="small-form" on:submit=move |ev| {
            ev.prevent_default();
            save.dispatch(UnitCostInput { code: code.get(), name: name.get(), unit: unit.get(), kind: kind.get(), rate: rate.get() });
        }>
            <ErrorSummary errors/>
            <TextField name="uc_code" label="Kód" value=code error=err(errors, "code") placeholder="JN-01"/>
            <TextField name="uc_name" label="Název" value=name error=err(errors, "name") placeholder="Hodina individuálního poradenství"/>
            <SelectField name="uc_kind" label="Druh" value=kind options=kinds error=err(errors, "kind")/>
            <TextField name="uc_unit" label="Jednotka" value=unit error=err(errors, "unit") placeholder="hodina"/>
            <TextField name="uc_rate" label="Sazba za jednotku (Kč)" value=rate error=err(errors, "rate") placeholder="1 150,00"/>
            {move || message().map(|m| view! { <p class="error-box">{m}</p> })}
            <button type="submit" class="button">"Přidat do výzvy"</button>
        </form>
    }
}
