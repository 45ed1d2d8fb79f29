//! The budget-line table with its add/edit form, and the expenditure form.

use super::budget::{err, outcome_saying};
use crate::api::{add_expenditure, save_budget_line};
use crate::components::{ErrorSummary, SelectField, TextField};
use crate::domain::explained::expenditure_raises_drawdown;
use crate::domain::{FieldErrors, LineKind, Money, Percentage};
use crate::dto::{BudgetLineInput, BudgetView, ExpenditureInput};
use leptos::prelude::*;

use crate::dto::CHAPTERS;

fn chapter_label(code: &str) -> &'static str {
    CHAPTERS
        .iter()
        .find(|(c, _)| *c == code)
        .map_or("", |(_, l)| l)
}

#[component]
pub fn LinesTable(
    b: BudgetView,
    id: i32,
    reload: RwSignal<u32>,
    /// Whether the user may change the budget (the form and the "upravit" buttons; the server checks again).
    may_edit: bool,
) -> impl IntoView {
    let editing = RwSignal::new(None::<(i32, i32)>);
    let code = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let chapter = RwSignal::new(
        if b.cost_model == crate::domain::CostModel::Simplified {
            "services"
        } else {
            "personnel"
        }
        .to_string(),
    );
    let year = RwSignal::new(b.years.first().map(ToString::to_string).unwrap_or_default());
    let amount = RwSignal::new(String::new());
    let simplified = b.cost_model == crate::domain::CostModel::Simplified;
    let unit_options: Vec<(String, String)> = b
        .unit_costs
        .iter()
        .map(|u| {
            (
                u.id.to_string(),
                format!("{} {} ({} za {})", u.code, u.name, u.rate, u.unit),
            )
        })
        .collect();
    let no_units = simplified && unit_options.is_empty();
    let unit_cost = RwSignal::new(
        unit_options
            .first()
            .map(|(v, _)| v.clone())
            .unwrap_or_default(),
    );
    let units = RwSignal::new(String::new());
    let lines_rule = b.cost_model.lines_rule();
    let errors = RwSignal::new(FieldErrors::new());
    let save = Action::new(
        move |(line, input): &(Option<(i32, i32)>, BudgetLineInput)| {
            save_budget_line(id, *line, input.clone())
        },
    );
    let message = move || {
        outcome_saying(
            save.value().get(),
            errors,
            reload,
            "Položka rozpočtu je uložena.",
        )
    };
    let chapters: Vec<(String, String)> = CHAPTERS
        .iter()
        .map(|(c, l)| ((*c).into(), (*l).into()))
        .collect();
    let years: Vec<(String, String)> = b
        .years
        .iter()
        .map(|y| (y.to_string(), y.to_string()))
        .collect();
    let lines = b.lines.clone();
    view! {
        {if lines.is_empty() {
            view! { <p class="empty">{if may_edit { "Rozpočet zatím nemá žádné položky. Přidejte první níže." } else { "Rozpočet zatím nemá žádné položky." }}</p> }.into_any()
        } else {
            view! {
                <div class="table-scroll" tabindex="0" role="region" aria-label="Položky rozpočtu"><table class="budget-lines">
                    <thead><tr><th>"Kód"</th><th>"Položka"</th><th>"Kapitola"</th><th class="num">"Rok"</th>
                        <th class="num">"Jednotky"</th><th class="num">"Rozpočet"</th><th class="num">"Čerpáno"</th><th class="num">"Čerpání"</th><th class="num" title="Podíl roku položky (v době realizace), který už uplynul">"Uplynulo z roku"</th><th class="num">"Zbývá"</th>{may_edit.then(|| view! { <th><span class="visually-hidden">"Akce"</span></th> })}</tr></thead>
                    <tbody>
                        {lines.into_iter().map(|l| {
                            let left = l.amount.checked_sub(l.drawn).unwrap_or_default();
                            let over = left.is_negative();
                            let l2 = l.clone();
                            view! {
                                <tr class:over=over data-line=l.id>
                                    <td class="mono">{l.code.clone()}</td><td>{l.name.clone()}</td><td>{chapter_label(&l.chapter)}</td>
                                    <td class="num">{l.year}</td>
                                    <td class="num" title=l.unit_cost.as_ref().map(|u| format!("{} {}: {} za {}", u.code, u.name, u.rate, u.unit)).unwrap_or_default()>
                                        {l.units.map_or_else(|| "—".to_string(), |u| format!("{} / {}", crate::domain::format_decimal(l.units_drawn.unwrap_or_default()), crate::domain::format_decimal(u)))}</td>
                                    <td class="num">{l.amount.to_string()}{l.not_counted.then(|| view! { <span class="badge" title="Model vykazování nákladů tuto položku nezapočítává">" nezapočteno"</span> })}</td>
                                    <td class="num">{l.drawn.to_string()}</td>
                                    <td class={if l.lagging { "num bad" } else { "num" }} title=if l.lagging { "Čerpání položky zaostává za uplynulým časem víc, než pravidla tolerují" } else { "" }>
                                        {l.drawdown_percent.map_or_else(|| "—".to_string(), crate::domain::format_percent)}</td>
                                    <td class="num">{l.elapsed_percent.map_or_else(|| "—".to_string(), crate::domain::format_percent)}</td>
                                    <td class="num">{left.to_string()}</td>
                                    {may_edit.then(|| view! { <td><button type="button" class="link-button" on:click=move |_| {
                                        editing.set(Some((l2.id, l2.version)));
                                        code.set(l2.code.clone()); name.set(l2.name.clone()); chapter.set(l2.chapter.clone());
                                        year.set(l2.year.to_string()); amount.set(l2.amount.format_plain());
                                        if let Some(u) = &l2.unit_cost { unit_cost.set(u.id.to_string()); }
                                        units.set(l2.units.map(|u| u.normalize().to_string().replace('.', ",")).unwrap_or_default());
                                        crate::components::focus_form("[data-testid='line-form']");
                                    }>"upravit"</button></td> })}
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table></div>
            }.into_any()
        }}
        {may_edit.then(|| view! {
        <form class="small-form" data-testid="line-form" on:submit=move |ev| {
            ev.prevent_default();
            let input = BudgetLineInput {
                code: code.get(), name: name.get(), chapter: chapter.get(), year: year.get(), amount: amount.get(),
                unit_cost_id: if simplified { unit_cost.get() } else { String::new() },
                units: if simplified { units.get() } else { String::new() },
            };
            if !simplified {
                if let Err(e) = Money::parse(&input.amount) {
                    let mut f = FieldErrors::new();
                    f.add("amount", e.to_string());
                    errors.set(f);
                    return;
                }
            }
            save.dispatch((editing.get(), input));
        }>
            <h3>{move || if editing.get().is_some() { "Upravit položku" } else { "Přidat položku rozpočtu" }}</h3>
            <ErrorSummary errors/>
            <TextField name="code" label="Kód položky" value=code error=err(errors, "code") placeholder="1.1.1.1"/>
            <TextField name="name" label="Název" value=name error=err(errors, "name") placeholder="Mzdy odborných pracovníků"/>
            <SelectField name="chapter" label="Kapitola" value=chapter options=chapters error=err(errors, "chapter")/>
            <SelectField name="year" label="Rok" value=year options=years error=err(errors, "year")/>
            <p class="hint">{lines_rule}</p>
            {if simplified {
                view! {
                    {no_units.then(|| view! { <p class="notice">"Výzva projektu zatím nemá jednotkové náklady; správce je doplní v Nastavení."</p> })}
                    <SelectField name="unit_cost_id" label="Jednotkový náklad / jednorázová částka" value=unit_cost options=unit_options error=err(errors, "unit_cost_id")/>
                    <TextField name="units" label="Počet jednotek" value=units error=err(errors, "units") placeholder="120"/>
                }.into_any()
            } else {
                view! { <TextField name="amount" label="Částka (Kč)" value=amount error=err(errors, "amount") placeholder="1 234 567,89"/> }.into_any()
            }}
            {move || message().map(|m| view! { <p class="error-box">{m}</p> })}
            <button type="submit" class="button primary">"Uložit položku"</button>
            {move || editing.get().is_some().then(|| view! {
                <button type="button" class="button subtle" on:click=move |_| { editing.set(None); code.set(String::new()); name.set(String::new()); amount.set(String::new()); }>"Zrušit úpravu"</button>
            })}
        </form>
        })}
    }
}

#[component]
pub fn ExpenditureForm(b: BudgetView, id: i32, reload: RwSignal<u32>) -> impl IntoView {
    let options: Vec<(String, String)> = b
        .lines
        .iter()
        .map(|l| {
            (
                l.id.to_string(),
                format!("{} {} ({})", l.code, l.name, l.year),
            )
        })
        .collect();
    let line = RwSignal::new(options.first().map(|(v, _)| v.clone()).unwrap_or_default());
    let unit_lines: Vec<i32> = b
        .lines
        .iter()
        .filter(|l| l.unit_cost.is_some())
        .map(|l| l.id)
        .collect();
    let by_units = Signal::derive(move || {
        line.with(|v| v.parse::<i32>().is_ok_and(|id| unit_lines.contains(&id)))
    });
    let units = RwSignal::new(String::new());
    let document = RwSignal::new(String::new());
    let amount = RwSignal::new(String::new());
    let paid_on = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let errors = RwSignal::new(FieldErrors::new());
    let save = Action::new(move |i: &ExpenditureInput| add_expenditure(id, i.clone()));
    // Said after the save: drawdown grows by more than the document when the line is in the flat base.
    let kinds: Vec<(i32, LineKind)> = b.lines.iter().map(|l| (l.id, l.kind)).collect();
    let (model, rate) = (b.cost_model, Percentage::new(b.indirect_rate).ok());
    let message = move || {
        let kind = line.with_untracked(|v| {
            v.parse::<i32>()
                .ok()
                .and_then(|id| kinds.iter().find(|(l, _)| *l == id).map(|(_, k)| *k))
        });
        let more = kind
            .zip(rate)
            .and_then(|(k, r)| expenditure_raises_drawdown(model, r, k));
        outcome_saying(
            save.value().get(),
            errors,
            reload,
            more.map_or_else(
                || "Výdaj je zapsán.".to_owned(),
                |m| format!("Výdaj je zapsán. {m}"),
            ),
        )
    };
    view! {
        <form class="small-form" data-testid="expenditure-form" on:submit=move |ev| {
            ev.prevent_default();
            save.dispatch(ExpenditureInput {
                budget_line_id: line.get().parse().unwrap_or(0),
                document_number: document.get(), paid_on: paid_on.get(), description: description.get(),
                amount: if by_units.get() { String::new() } else { amount.get() },
                units: if by_units.get() { units.get() } else { String::new() },
            });
        }>
            <h3>"Zaúčtovat výdaj"</h3>
            <ErrorSummary errors/>
            <p class="hint">{crate::dto::OVERDRAW_RULE}</p>
            <SelectField name="budget_line_id" label="Položka rozpočtu" value=line options=options error=err(errors, "budget_line_id")/>
            <TextField name="document_number" label="Číslo dokladu" value=document error=err(errors, "document_number")/>
            {move || if by_units.get() {
                view! { <TextField name="exp_units" label="Počet jednotek (částka = počet × sazba)" value=units error=err(errors, "units") placeholder="12"/> }.into_any()
            } else {
                view! { <TextField name="exp_amount" label="Částka (Kč)" value=amount error=err(errors, "amount") placeholder="12 345,00"/> }.into_any()
            }}
            <TextField name="paid_on" label="Datum úhrady" value=paid_on error=err(errors, "paid_on") placeholder="15. 3. 2025"/>
            <TextField name="description" label="Popis" value=description error=err(errors, "description")/>
            {move || message().map(|m| view! { <p class="error-box">{m}</p> })}
            <button type="submit" class="button primary">"Zaúčtovat"</button>
        </form>
    }
}
