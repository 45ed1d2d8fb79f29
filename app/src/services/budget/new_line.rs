//! [`NewBudgetLine`]: a budget line as every writer gives it (the line form one at a time, the importer's
//! *Rozpočet* sheet row by row), checked by the same rules and turned into a row in one place.

use crate::domain::{check_line, CostModel, LineCode, LineKind, LineRefusal, Money};
use entity::budget_line;
use rust_decimal::Decimal;
use sea_orm::{ActiveValue, Set};

/// A budget line to add, or what an existing line becomes. Its field rules (code, chapter, a year within
/// the realisation, a non-negative amount, units × rate) are applied when it is built, by the
/// [`crate::domain::budget_line`] functions; [`NewBudgetLine::check`] applies the rules that need stored
/// data.
#[derive(Debug, Clone)]
pub struct NewBudgetLine<'a> {
    pub project_id: i32,
    pub code: &'a LineCode,
    pub name: &'a str,
    /// A chapter code of [`crate::domain::budget_line::CHAPTERS`].
    pub chapter: &'a str,
    pub year: i32,
    pub amount: Money,
    /// The call's unit cost of a simplified-cost line (the amount is units × its rate).
    pub unit_cost_id: Option<i32>,
    /// Units budgeted on a simplified-cost line.
    pub units: Option<Decimal>,
    /// The import that writes it (`None`: the form, which detaches an edited line from its import).
    pub import_id: Option<i32>,
}

impl NewBudgetLine<'_> {
    /// What the line is for the cost models.
    #[must_use]
    pub fn kind(&self) -> LineKind {
        LineKind::of(self.chapter, self.unit_cost_id.is_some())
    }

    /// The rules against what is stored: the project's cost model must take the line, and it must not be
    /// budgeted below `drawn` (what its expenditures draw; zero for a new line).
    ///
    /// # Errors
    /// The [`LineRefusal`].
    pub fn check(&self, model: CostModel, drawn: Money) -> Result<(), LineRefusal> {
        check_line(model, self.kind(), self.amount, drawn)
    }

    fn units_text(&self) -> Option<String> {
        self.units.map(|u| u.normalize().to_string())
    }

    /// The row to insert (version 1).
    #[must_use]
    pub fn row(&self) -> budget_line::ActiveModel {
        budget_line::ActiveModel {
            project_id: Set(self.project_id),
            code: Set(self.code.as_str().to_owned()),
            name: Set(self.name.to_owned()),
            chapter: Set(self.chapter.to_owned()),
            year: Set(self.year),
            amount_halere: Set(self.amount.to_halere()),
            unit_cost_id: Set(self.unit_cost_id),
            units: Set(self.units_text()),
            version: Set(1),
            import_id: Set(self.import_id),
            ..Default::default()
        }
    }

    /// The row the line `id`, stored at `version`, becomes: every field set and the version one up. Serves
    /// both an update of a loaded line and an `UPDATE … WHERE version = …`.
    #[must_use]
    pub fn change(&self, id: i32, version: i32) -> budget_line::ActiveModel {
        let mut am = self.row();
        am.id = ActiveValue::Unchanged(id);
        am.version = Set(version + 1);
        am
    }

    /// What saving over `existing` would change, as an import reports it (Czech label, before, after).
    #[must_use]
    pub fn changed_fields(&self, existing: &budget_line::Model) -> Vec<(String, String, String)> {
        let label = |h: i64| {
            Money::from_halere(h)
                .map_or_else(|_| h.to_string(), |m| format!("{} Kč", m.format_plain()))
        };
        let mut fields = Vec::new();
        if existing.name != self.name {
            fields.push(("Název".into(), existing.name.clone(), self.name.to_owned()));
        }
        if existing.chapter != self.chapter {
            fields.push((
                "Kapitola".into(),
                crate::domain::budget_line::chapter_label(&existing.chapter).to_owned(),
                crate::domain::budget_line::chapter_label(self.chapter).to_owned(),
            ));
        }
        if existing.units.as_deref().map(units_of_text) != self.units.map(|u| Some(u.normalize())) {
            fields.push((
                "Počet jednotek".into(),
                existing.units.clone().unwrap_or_default(),
                self.units_text().unwrap_or_default(),
            ));
        }
        if existing.unit_cost_id != self.unit_cost_id {
            fields.push((
                "Jednotkový náklad".into(),
                existing
                    .unit_cost_id
                    .map(|i| i.to_string())
                    .unwrap_or_default(),
                self.unit_cost_id.map(|i| i.to_string()).unwrap_or_default(),
            ));
        }
        if existing.amount_halere != self.amount.to_halere() {
            fields.push((
                "Rozpočet".into(),
                label(existing.amount_halere),
                label(self.amount.to_halere()),
            ));
        }
        fields
    }
}

/// Stored units text as a number (`None` when unreadable, which then counts as a change).
fn units_of_text(text: &str) -> Option<Decimal> {
    text.parse::<Decimal>().ok().map(|d| d.normalize())
}
