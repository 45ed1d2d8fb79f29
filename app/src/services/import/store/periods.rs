//! Monitoring periods named by rows: a report number must exist; dates find the period or, when they
//! follow the existing ones inside the project, create it.

use sea_orm::{ActiveModelTrait, ColumnTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set};

use entity::monitoring_period;

use super::{refuse, Planner, ProjectRef, Refusal};
use crate::domain::format_czech_date;
use crate::domain::sheet_values::PeriodRef;
use crate::services::import::kinds::Field;

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
        let list = self.periods_of(project.id).await?;
        if let PeriodRef::Report(n) = period {
            let n = i32::try_from(n).unwrap_or(i32::MAX);
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
                    "projekt nemá monitorovací období ZoR {n}; založte je na stránce Indikátory \
                     nebo uveďte období daty (Období od, Období do)"
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
