//! Budget lines from the *Rozpočet* sheet, by natural key registration number + code + year: added,
//! changed or left as they are, written by [`NewBudgetLine`] and checked by its rules, the ones the budget
//! line form applies (the cost model takes the line; a line is never budgeted below what is drawn on it).

use sea_orm::{ActiveModelTrait, DbErr};

use super::expenditures::LineState;
use super::units::money_label;
use super::{refuse, Outcome, Planner, ProjectRef, Refusal};
use crate::domain::{fold_for_search, LineKind, LineRefusal, Money};
use crate::services::budget::NewBudgetLine;
use crate::services::import::kinds::Field;
use crate::services::import::sheet::{money_text, BudgetRow};
use crate::services::ServiceError;

impl Planner<'_> {
    /// The unit costs of the project's call, loaded once per project.
    async fn unit_costs_of(
        &mut self,
        project_id: i32,
    ) -> Result<&[crate::dto::UnitCostDto], DbErr> {
        if !self.unit_costs.contains_key(&project_id) {
            let list = crate::services::cost_rules::unit_costs_of_project(self.txn, project_id)
                .await
                .map_err(|e| match e {
                    ServiceError::Db(e) => e,
                    other => DbErr::Custom(other.to_string()),
                })?;
            self.unit_costs.insert(project_id, list);
        }
        Ok(self
            .unit_costs
            .get(&project_id)
            .map_or(&[][..], Vec::as_slice))
    }

    /// The call's unit cost a simplified line is budgeted in: the one whose rate is the row's unit price
    /// (by name or code among several).
    async fn unit_cost_of_row(
        &mut self,
        project: &ProjectRef,
        r: &BudgetRow,
        price: Money,
    ) -> Result<Result<i32, Refusal>, DbErr> {
        let name = r.name.as_deref().map(fold_for_search);
        let costs = self.unit_costs_of(project.id).await?;
        let matching: Vec<&crate::dto::UnitCostDto> =
            costs.iter().filter(|u| u.rate == price).collect();
        let chosen = matching
            .iter()
            .find(|u| name.as_deref() == Some(fold_for_search(&u.name).as_str()))
            .or_else(|| matching.first());
        if let Some(u) = chosen {
            return Ok(Ok(u.id));
        }
        let known: Vec<String> = costs
            .iter()
            .map(|u| format!("{} {} ({})", u.code, u.name, u.rate))
            .collect();
        Ok(Err(refuse(
            Field::UnitPrice,
            "unknown_unit_cost",
            money_text(price.as_decimal()),
            format!(
                "jednotková cena {price} neodpovídá sazbě žádného jednotkového nákladu výzvy projektu{}; \
                 ve zjednodušeném modelu se rozpočtují jen jednotkové náklady a jednorázové částky výzvy",
                if known.is_empty() {
                    " (výzva žádné nemá; doplní je správce v Nastavení)".to_owned()
                } else {
                    format!(" ({})", known.join(", "))
                }
            ),
        )))
    }

    pub(super) async fn apply_budget_line(
        &mut self,
        r: BudgetRow,
    ) -> Result<Result<Outcome, Refusal>, DbErr> {
        let project = match self.row_project(&r.reg_no, true) {
            Ok(p) => p,
            Err(e) => return Ok(Err(e)),
        };
        self.load_budget(project.id).await?;
        let model = self
            .cost_models
            .get(&project.id)
            .copied()
            .unwrap_or_default();
        // Units × unit price are a unit cost of the call where the model budgets unit costs; elsewhere
        // they only give the amount of a line of real costs.
        let unit_cost_id = match r.units {
            Some((_, price)) if model.allows(LineKind::Simplified) => {
                match self.unit_cost_of_row(&project, &r, price).await? {
                    Ok(id) => Some(id),
                    Err(e) => return Ok(Err(e)),
                }
            }
            _ => None,
        };
        let lines = self.lines.entry(project.id).or_default();
        let index = lines
            .iter()
            .position(|l| l.model.code == r.code.as_str() && l.model.year == r.year);
        let existing = index.map(|i| lines[i].model.clone());
        let drawn = index.map_or(0, |i| lines[i].drawn);
        let Some(name) = r
            .name
            .clone()
            .or_else(|| existing.as_ref().map(|e| e.name.clone()))
        else {
            return Ok(Err(refuse(
                Field::Name,
                "missing_value",
                serde_json::Value::Null,
                format!(
                    "položka {} ({}) v rozpočtu projektu není; nová položka potřebuje název",
                    r.code, r.year
                ),
            )));
        };
        let chapter = r
            .chapter
            .or_else(|| {
                existing.as_ref().and_then(|e| {
                    crate::domain::budget_line::CHAPTERS
                        .iter()
                        .find(|(c, _)| *c == e.chapter)
                        .map(|(c, _)| *c)
                })
            })
            .unwrap_or_else(|| r.code.derived_chapter());
        let line = NewBudgetLine {
            project_id: project.id,
            code: &r.code,
            name: &name,
            chapter,
            year: r.year,
            amount: r.amount,
            unit_cost_id,
            units: unit_cost_id.and(r.units.map(|(u, _)| u)),
            import_id: Some(self.import_id),
        };
        // Within Money's range by clamping (only corrupt data could exceed it), so nothing is under-counted.
        let drawn_money = Money::from_halere(drawn.min(Money::MAX_HALERE)).unwrap_or_default();
        if let Err(refusal) = line.check(model, drawn_money) {
            let (field, value) = match refusal {
                LineRefusal::OutsideModel(_) => (Field::BudgetLine, r.code.to_string()),
                LineRefusal::BelowDrawn { .. } => {
                    (r.amount_field, money_text(r.amount.as_decimal()))
                }
            };
            return Ok(Err(refuse(
                field,
                refusal.code(),
                value,
                format!("položka {} ({}): {}", r.code, r.year, refusal.message()),
            )));
        }
        let record = if self.detail {
            format!("{} · {} · {}", r.reg_no, r.code, r.year)
        } else {
            String::new()
        };
        match existing {
            Some(e) => {
                let fields = line.changed_fields(&e);
                if fields.is_empty() {
                    return Ok(Ok(Outcome::Unchanged));
                }
                let updated = line.change(e.id, e.version).update(self.txn).await?;
                self.before(
                    "budget_line",
                    e.id,
                    serde_json::json!({
                        "name": e.name, "chapter": e.chapter, "amount_halere": e.amount_halere,
                        "unit_cost_id": e.unit_cost_id, "units": e.units, "version": e.version,
                        "import_id": e.import_id,
                    }),
                );
                if let Some(l) = index.and_then(|i| {
                    self.lines
                        .get_mut(&project.id)
                        .and_then(|lines| lines.get_mut(i))
                }) {
                    l.model = updated;
                }
                Ok(Ok(Outcome::Changed(record, fields)))
            }
            None => {
                let created = line.row().insert(self.txn).await?;
                self.lines.entry(project.id).or_default().push(LineState {
                    model: created,
                    drawn: 0,
                });
                self.records_changed += 1;
                Ok(Ok(Outcome::New(
                    record,
                    if self.detail {
                        money_label(r.amount.to_halere())
                    } else {
                        String::new()
                    },
                )))
            }
        }
    }
}
