//! Expenditures against the project's budget lines: the line found by code or name, the cost model's
//! drawing rule, and no overdrawing (the same rules as the expenditure form).

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use sea_orm::{ActiveModelTrait, ColumnTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set};

use entity::{budget_line, expenditure};

use super::changes::date_label;
use super::units::{halere, money_label};
use super::{refuse, Outcome, Planner, Refusal};
use crate::domain::{fold_for_search, Money};
use crate::services::budget::NewExpenditure;
use crate::services::import::kinds::Field;

pub(super) struct LineState {
    pub(super) model: budget_line::Model,
    /// What the line's expenditures draw, in haléře.
    pub(super) drawn: i64,
}

/// [`crate::domain::would_overdraw`] over stored haléře. A sum beyond Money's range (only possible with
/// corrupt data) counts as overdrawing, so nothing unchecked is accepted.
fn overdraws(budget: i64, drawn: i64, change: i64) -> bool {
    match (
        Money::from_halere(budget),
        Money::from_halere(drawn),
        Money::from_halere(change),
    ) {
        (Ok(budget), Ok(drawn), Ok(change)) => crate::domain::would_overdraw(budget, drawn, change),
        _ => true,
    }
}

fn expenditure_key(
    document: Option<&str>,
    line_id: i32,
    amount: i64,
    paid_on: Option<NaiveDate>,
    description: &str,
) -> String {
    match document {
        Some(doc) => format!("doc\u{1f}{doc}\u{1f}{line_id}"),
        None => format!("row\u{1f}{line_id}\u{1f}{amount}\u{1f}{paid_on:?}\u{1f}{description}"),
    }
}

impl Planner<'_> {
    pub(super) async fn load_budget(&mut self, project_id: i32) -> Result<(), DbErr> {
        if self.lines.contains_key(&project_id) {
            return Ok(());
        }
        let lines = budget_line::Entity::find()
            .filter(budget_line::Column::ProjectId.eq(project_id))
            .order_by_asc(budget_line::Column::Year)
            .all(self.txn)
            .await?;
        let existing = expenditure::Entity::find()
            .filter(expenditure::Column::ProjectId.eq(project_id))
            .all(self.txn)
            .await?;
        let model = entity::project_finance::Entity::find_by_id(project_id)
            .one(self.txn)
            .await?
            .and_then(|f| crate::domain::CostModel::from_code(&f.cost_model).ok())
            .unwrap_or_default();
        self.cost_models.insert(project_id, model);
        let mut drawn: HashMap<i32, i64> = HashMap::new();
        let mut by_key = HashMap::new();
        for e in existing {
            *drawn.entry(e.budget_line_id).or_default() += e.amount_halere;
            let key = expenditure_key(
                e.document_number.as_deref(),
                e.budget_line_id,
                e.amount_halere,
                e.paid_on,
                &e.description,
            );
            by_key.insert(key, e);
        }
        self.lines.insert(
            project_id,
            lines
                .into_iter()
                .map(|model| LineState {
                    drawn: drawn.get(&model.id).copied().unwrap_or(0),
                    model,
                })
                .collect(),
        );
        self.expenditures.insert(project_id, by_key);
        Ok(())
    }

    pub(super) async fn apply_expenditure(
        &mut self,
        r: crate::services::import::sheet::ExpenditureRow,
    ) -> Result<Result<Outcome, Refusal>, DbErr> {
        let project = match self.row_project(&r.reg_no, true) {
            Ok(p) => p,
            Err(e) => return Ok(Err(e)),
        };
        let period_id = match r.period {
            Some(p) => match self.period(&project, p, Field::Period).await? {
                Ok(id) => Some(id),
                Err(e) => return Ok(Err(e)),
            },
            None => None,
        };
        self.load_budget(project.id).await?;
        let year = r.paid_on.map(|d| d.year());
        let wanted = r.budget_line.trim().to_owned();
        let wanted_folded = fold_for_search(&wanted);
        let lines = self.lines.entry(project.id).or_default();
        let candidates: Vec<usize> = lines
            .iter()
            .enumerate()
            .filter(|(_, l)| {
                l.model.code.eq_ignore_ascii_case(&wanted)
                    || fold_for_search(&l.model.name) == wanted_folded
            })
            .map(|(i, _)| i)
            .collect();
        let chosen = candidates
            .iter()
            .copied()
            .find(|i| Some(lines[*i].model.year) == year)
            .or_else(|| candidates.first().copied());
        let Some(index) = chosen else {
            return Ok(Err(refuse(Field::BudgetLine, "unknown_budget_line", wanted.clone(), format!(
                "položka rozpočtu „{wanted}“ není v rozpočtu projektu; založte ji na stránce Rozpočet \
                 nebo uveďte kód položky (např. 1.1.1.1)"
            ))));
        };
        // The sheet gives amounts: a line the cost model does not count, or one drawn in units, is refused
        // by the same rule as the expenditure form.
        let model = self
            .cost_models
            .get(&project.id)
            .copied()
            .unwrap_or_default();
        let line_model = &lines[index].model;
        let kind =
            crate::domain::LineKind::of(&line_model.chapter, line_model.unit_cost_id.is_some());
        if let Err(refusal) = model.check_drawing(kind, false) {
            return Ok(Err(refuse(
                Field::BudgetLine,
                refusal.code(),
                wanted.clone(),
                format!(
                    "položka {} {}: {}",
                    line_model.code,
                    line_model.name,
                    refusal.message()
                ),
            )));
        }
        let amount = halere(r.amount);
        let line_id = lines[index].model.id;
        let key = expenditure_key(
            r.document.as_deref(),
            line_id,
            amount,
            r.paid_on,
            &r.description,
        );
        let existing = self
            .expenditures
            .get(&project.id)
            .and_then(|m| m.get(&key))
            .cloned();
        let delta = amount - existing.as_ref().map_or(0, |e| e.amount_halere);
        let Some(line) = self
            .lines
            .get_mut(&project.id)
            .and_then(|l| l.get_mut(index))
        else {
            return Ok(Err(refuse(
                Field::BudgetLine,
                "unknown_budget_line",
                wanted,
                "položka rozpočtu nenalezena",
            )));
        };
        if overdraws(line.model.amount_halere, line.drawn, delta) {
            return Ok(Err(refuse(
                Field::Amount,
                "overdraws_budget_line",
                crate::services::import::sheet::money_text(r.amount),
                format!(
                "výdaj by přečerpal položku {} {} ({}): rozpočet {}, dosud čerpáno {}, zbývá {}; \
                 výdaj nad rozpočet položky se neuznává",
                line.model.code, line.model.name, line.model.year,
                money_label(line.model.amount_halere), money_label(line.drawn),
                money_label(line.model.amount_halere - line.drawn)
            ),
            )));
        }
        line.drawn += delta;
        let record = if self.detail {
            format!(
                "{} · {} · {}",
                r.reg_no,
                r.document.clone().unwrap_or_else(|| "bez dokladu".into()),
                line.model.code
            )
        } else {
            String::new()
        };
        match existing {
            Some(e) => {
                let mut fields = Vec::new();
                if e.amount_halere != amount {
                    fields.push((
                        "Částka".to_owned(),
                        money_label(e.amount_halere),
                        money_label(amount),
                    ));
                }
                if e.paid_on != r.paid_on {
                    fields.push((
                        "Datum úhrady".to_owned(),
                        date_label(e.paid_on),
                        date_label(r.paid_on),
                    ));
                }
                if e.description != r.description {
                    fields.push((
                        "Popis".to_owned(),
                        e.description.clone(),
                        r.description.clone(),
                    ));
                }
                if e.supplier != r.supplier {
                    fields.push((
                        "Dodavatel".to_owned(),
                        e.supplier.clone(),
                        r.supplier.clone(),
                    ));
                }
                if period_id.is_some() && e.period_id != period_id {
                    fields.push((
                        "Období".to_owned(),
                        String::new(),
                        r.period.map(|p| p.label()).unwrap_or_default(),
                    ));
                }
                if fields.is_empty() {
                    return Ok(Ok(Outcome::Unchanged));
                }
                // A document in a submitted claim is frozen with the claim's list (as in the ledger).
                let claim = match e.claim_id {
                    Some(c) => {
                        entity::payment_claim::Entity::find_by_id(c)
                            .one(self.txn)
                            .await?
                    }
                    None => None,
                };
                let open = claim.as_ref().is_none_or(|c| {
                    crate::domain::ClaimStatus::from_code(&c.status)
                        .is_ok_and(crate::domain::ClaimStatus::documents_editable)
                });
                if !open {
                    line.drawn -= delta;
                    return Ok(Err(refuse(
                        Field::Amount,
                        "claimed_document_frozen",
                        crate::services::import::sheet::money_text(r.amount),
                        format!(
                            "doklad {} je v podané žádosti o platbu č. {}; její soupiska se už nemění \
                             (opravte jej opravným dokladem)",
                            e.document_number.as_deref().unwrap_or("bez čísla"),
                            claim.map_or(0, |c| c.number)
                        ),
                    )));
                }
                let mut am: expenditure::ActiveModel = e.clone().into();
                am.version = Set(e.version + 1);
                am.amount_halere = Set(amount);
                am.paid_on = Set(r.paid_on);
                am.description = Set(r.description.clone());
                am.supplier = Set(r.supplier.clone());
                if period_id.is_some() {
                    am.period_id = Set(period_id);
                }
                am.import_id = Set(Some(self.import_id));
                let updated = am.update(self.txn).await?;
                if let Some(c) = e.claim_id {
                    crate::services::budget::recompute_claim(self.txn, project.id, c)
                        .await
                        .map_err(|err| DbErr::Custom(err.to_string()))?;
                }
                self.before("expenditure", e.id, serde_json::json!({
                    "amount_halere": e.amount_halere, "paid_on": e.paid_on, "description": e.description,
                    "supplier": e.supplier, "period_id": e.period_id, "import_id": e.import_id,
                }));
                self.expenditures
                    .entry(project.id)
                    .or_default()
                    .insert(key, updated);
                Ok(Ok(Outcome::Changed(record, fields)))
            }
            None => {
                let Ok(amount) = Money::from_halere(amount) else {
                    return Ok(Err(refuse(
                        Field::Amount,
                        "out_of_range",
                        serde_json::Value::Null,
                        "částka je mimo povolený rozsah",
                    )));
                };
                let new = NewExpenditure {
                    project_id: project.id,
                    budget_line_id: line_id,
                    period_id,
                    document_number: r.document.as_deref(),
                    amount,
                    units: None,
                    paid_on: r.paid_on,
                    description: &r.description,
                    supplier: &r.supplier,
                    import_id: Some(self.import_id),
                };
                self.new_expenditures.push(new.row());
                self.expenditures
                    .entry(project.id)
                    .or_default()
                    .insert(key, new.model());
                self.records_changed += 1;
                Ok(Ok(Outcome::New(
                    record,
                    if self.detail {
                        money_label(amount.to_halere())
                    } else {
                        String::new()
                    },
                )))
            }
        }
    }
}
