//! Monitoring periods: named by rows (a report number must exist, and a project without any periods gets
//! them by its programme's reporting rule first; dates find the period or, when they follow the existing
//! ones inside the project, create it), and laid out again when a project sheet changes a project's dates
//! (by the rule the project form applies, [`crate::services::projects::periods`]).

use sea_orm::{ActiveModelTrait, ColumnTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set};

use entity::{monitoring_period, project};

use super::{refuse, Planner, ProjectRef, Refusal};
use crate::domain::sheet_values::PeriodRef;
use crate::domain::{format_czech_date, DateRange};
use crate::services::import::kinds::Field;
use crate::services::projects::periods::{generate, reschedule};

impl Planner<'_> {
    async fn periods_of(
        &mut self,
        project_id: i32,
    ) -> Result<&mut Vec<monitoring_period::Model>, DbErr> {
        if !self.periods.contains_key(&project_id) {
            let list = monitoring_period::Entity::find()
                .filter(monitoring_period::Column::ProjectId.eq(project_id))
                .order_by_asc(monitoring_period::Column::StartDate)
                .all(self.txn)
                .await?;
            self.periods.insert(project_id, list);
        }
        Ok(self.periods.entry(project_id).or_default())
    }

    /// The period a row names, created when it is given by dates and follows the existing ones.
    pub(super) async fn period(
        &mut self,
        project: &ProjectRef,
        period: PeriodRef,
        field: Field,
    ) -> Result<Result<i32, Refusal>, DbErr> {
        let import_id = self.import_id;
        let txn = self.txn;
        if matches!(period, PeriodRef::Report(_)) && self.periods_of(project.id).await?.is_empty() {
            // A project without periods gets them by its programme's rule, so that "ZoR n" resolves.
            if let Ok(dates) = DateRange::new(project.start_date, project.end_date) {
                let added = generate(
                    txn,
                    project.id,
                    project.programme_id,
                    dates,
                    Some(import_id),
                )
                .await?;
                self.records_changed += u64::try_from(added.len()).unwrap_or(0);
                self.periods.insert(project.id, added);
            }
        }
        let list = self.periods_of(project.id).await?;
        if let PeriodRef::Report(n) = period {
            let n = i32::try_from(n).unwrap_or(i32::MAX);
            let last = list.iter().map(|p| p.number).max().unwrap_or(0);
            return Ok(list
                .iter()
                .find(|p| p.number == n)
                .map(|p| p.id)
                .ok_or_else(|| {
                    refuse(
                        field,
                        "invalid_period",
                        format!("ZoR {n}"),
                        format!(
                            "projekt nemá monitorovací období ZoR {n} (má ZoR 1 až ZoR {last}); \
                             uveďte číslo jeho období nebo období daty (Období od, Období do)"
                        ),
                    )
                }));
        }
        let Some((from, to)) = period.dates() else {
            return Ok(Err(refuse(
                field,
                "invalid_period",
                period.to_string(),
                "neplatné období",
            )));
        };
        let from = std::cmp::max(from, project.start_date);
        let to = std::cmp::min(to, project.end_date);
        if from > to {
            return Ok(Err(refuse(
                field,
                "invalid_period",
                period.to_string(),
                format!(
                    "období {} leží mimo dobu realizace projektu ({} – {})",
                    period.label(),
                    format_czech_date(project.start_date),
                    format_czech_date(project.end_date)
                ),
            )));
        }
        if let Some(p) = list
            .iter()
            .find(|p| p.start_date == from && p.end_date == to)
        {
            return Ok(Ok(p.id));
        }
        if let Some(o) = list
            .iter()
            .find(|p| p.start_date <= to && from <= p.end_date)
        {
            return Ok(Err(refuse(
                field,
                "invalid_period",
                period.to_string(),
                format!(
                    "období {} – {} se překrývá se ZoR {} ({} – {})",
                    format_czech_date(from),
                    format_czech_date(to),
                    o.number,
                    format_czech_date(o.start_date),
                    format_czech_date(o.end_date)
                ),
            )));
        }
        if list.iter().any(|p| p.start_date > to) {
            return Ok(Err(refuse(field, "invalid_period", period.to_string(),
                "období leží před už založenými obdobími; čísla ZoR by se posunula – založte je ručně")));
        }
        let number = list.iter().map(|p| p.number).max().unwrap_or(0) + 1;
        let created = monitoring_period::ActiveModel {
            project_id: Set(project.id),
            number: Set(number),
            start_date: Set(from),
            end_date: Set(to),
            import_id: Set(Some(import_id)),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        let id = created.id;
        list.push(created);
        list.sort_by_key(|p| p.start_date);
        self.records_changed += 1;
        Ok(Ok(id))
    }
}

impl Planner<'_> {
    /// Lays a project's periods out again for new dates (before its row is changed); refused at the date
    /// cell that changed when a period holding data would move. Periods moved or added belong to this
    /// import; removed ones are kept as before-images, so a revert puts them back.
    pub(super) async fn reschedule_periods(
        &mut self,
        existing: &project::Model,
        dates: DateRange,
    ) -> Result<Result<(), Refusal>, DbErr> {
        // Rows of this import that refer to periods must be in the database for the check.
        self.flush().await?;
        let done = match reschedule(
            self.txn,
            existing.id,
            existing.programme_id,
            dates,
            Some(self.import_id),
        )
        .await?
        {
            Ok(done) => done,
            Err(refused) => {
                let (field, value) = if dates.start() == existing.start_date {
                    (Field::EndDate, dates.end())
                } else {
                    (Field::StartDate, dates.start())
                };
                return Ok(Err(refuse(
                    field,
                    "periods_with_data",
                    value.to_string(),
                    refused.message(),
                )));
            }
        };
        for (before, _) in &done.moved {
            self.before(
                "monitoring_period",
                before.id,
                serde_json::json!({
                    "start_date": before.start_date, "end_date": before.end_date,
                    "import_id": before.import_id,
                }),
            );
        }
        for removed in &done.removed {
            self.removed(
                "monitoring_period",
                removed.id,
                serde_json::json!({
                    "id": removed.id, "project_id": removed.project_id, "number": removed.number,
                    "start_date": removed.start_date, "end_date": removed.end_date,
                    "import_id": removed.import_id,
                }),
            );
        }
        self.records_changed += u64::try_from(done.added.len()).unwrap_or(0);
        // Read again when a row names a period.
        self.periods.remove(&existing.id);
        Ok(Ok(()))
    }
}
