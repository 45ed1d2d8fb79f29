//! One project's part of the dashboard: what the grouped queries (`load`) return about it, and the money
//! figures that follow. Nothing here depends on `today`, so a part stays valid until one of the
//! project's rows changes; its figures for a day are kept with it for that day.

use super::{drawdown, money, risks, ProjectRaw, Shared};
use crate::domain::{CostModel, LineKind, Money, Percentage};
use crate::services::{budget, ServiceError};
use chrono::NaiveDate;
use entity::payment_claim;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// One indicator of a project: its target and what has been achieved so far.
#[derive(Debug, Clone)]
pub(super) struct IndicatorPart {
    pub indicator_id: i32,
    pub target: Decimal,
    pub done: Decimal,
    pub target_date: NaiveDate,
}

/// What the dashboard knows about one project, independent of `today`.
#[derive(Debug)]
pub(super) struct ProjectPart {
    pub raw: ProjectRaw,
    pub model: CostModel,
    pub rate: Percentage,
    /// Budget (direct costs) per line kind and year.
    pub per_year: BTreeMap<(LineKind, i32), i64>,
    /// Expenditure (direct costs) per month `YYYYMM` (`None`, undated, first) and line kind, in order.
    pub spent: Vec<(Option<i32>, LineKind, i64)>,
    /// What paid payment claims (ŽoP) brought.
    pub paid: i64,
    /// Submitted claims not paid yet (they may become overdue), by id.
    pub unpaid_claims: Vec<payment_claim::Model>,
    pub participants: u64,
    /// Participating municipalities with their kraj: `(municipality code, kraj code)`.
    pub places: Vec<(i32, i32)>,
    /// Participating municipalities per kraj code.
    pub municipalities_by_region: BTreeMap<i32, u64>,
    /// By project indicator id.
    pub indicators: Vec<IndicatorPart>,
    pub reviews_open: u64,
    /// Budget lines under the cost model (zero without lines).
    pub from_lines: Money,
    /// `from_lines`, or the registered total for a project without budget lines.
    pub eligible: Money,
    /// All expenditure under the cost model.
    pub drawn: Money,
    /// Planned and drawn at quarter ends.
    pub curve: drawdown::Curve,
    /// The figures of the last `today` asked for (flags depend on the day).
    dated: Mutex<Option<(NaiveDate, Arc<risks::Dated>)>>,
}

impl ProjectPart {
    pub(super) fn new(raw: ProjectRaw) -> Self {
        Self {
            raw,
            model: CostModel::default(),
            rate: Percentage::zero(),
            per_year: BTreeMap::new(),
            spent: Vec::new(),
            paid: 0,
            unpaid_claims: Vec::new(),
            participants: 0,
            places: Vec::new(),
            municipalities_by_region: BTreeMap::new(),
            indicators: Vec::new(),
            reviews_open: 0,
            from_lines: Money::zero(),
            eligible: Money::zero(),
            drawn: Money::zero(),
            curve: drawdown::Curve::default(),
            dated: Mutex::new(None),
        }
    }

    /// The project's figures as of `today` (flags, correction, drawdown at `today`), kept for the day.
    pub fn dated(
        &self,
        shared: &Shared,
        today: NaiveDate,
    ) -> Result<Arc<risks::Dated>, ServiceError> {
        if let Ok(memo) = self.dated.lock() {
            if let Some((day, d)) = memo.as_ref() {
                if *day == today {
                    return Ok(Arc::clone(d));
                }
            }
        }
        let d = Arc::new(risks::dated(self, shared, today)?);
        if let Ok(mut memo) = self.dated.lock() {
            *memo = Some((today, Arc::clone(&d)));
        }
        Ok(d)
    }

    /// The money figures that follow from the loaded rows.
    pub(super) fn finish(&mut self) -> Result<(), ServiceError> {
        self.spent.sort_unstable_by_key(|(m, k, _)| (*m, *k));
        self.from_lines = budget::breakdown(
            self.model,
            self.rate,
            self.per_year.iter().map(|((k, _), v)| (*k, *v)),
        )?
        .eligible;
        self.eligible = if self.per_year.is_empty() {
            money(self.raw.total_eligible_halere.unwrap_or(0))?
        } else {
            self.from_lines
        };
        self.drawn = budget::breakdown(
            self.model,
            self.rate,
            self.spent.iter().map(|(_, k, v)| (*k, *v)),
        )?
        .eligible;
        self.curve = drawdown::Curve::of(self)?;
        Ok(())
    }
}
