//! Indicator values and targets: the project's indicator is created on first use, achieved values are
//! new (batched) or changed per period.

use sea_orm::{ActiveModelTrait, ColumnTrait, DbErr, EntityTrait, QueryFilter, Set};

use entity::{indicator_value, project_indicator};

use super::units::{milli, quantity_label};
use super::{refuse, Outcome, Planner, Refusal};
use crate::domain::sheet_values::PeriodRef;
use crate::services::import::kinds::Field;

impl Planner<'_> {
    async fn load_values(&mut self, project_id: i32) -> Result<(), DbErr> {
        if !self.values_loaded.insert(project_id) {
            return Ok(());
        }
        let pis = project_indicator::Entity::find()
            .filter(project_indicator::Column::ProjectId.eq(project_id))
            .all(self.txn)
            .await?;
        let ids: Vec<i32> = pis.iter().map(|p| p.id).collect();
        for pi in pis {
            self.project_indicators
                .insert((project_id, pi.indicator_id), pi);
        }
        if !ids.is_empty() {
            for v in indicator_value::Entity::find()
                .filter(indicator_value::Column::ProjectIndicatorId.is_in(ids))
                .all(self.txn)
                .await?
            {
                self.values.insert((v.project_indicator_id, v.period_id), v);
            }
        }
        Ok(())
    }

    pub(super) async fn apply_indicator(
        &mut self,
        r: crate::services::import::sheet::IndicatorRow,
    ) -> Result<Result<Outcome, Refusal>, DbErr> {
        let project = match self.row_project(&r.reg_no, false) {
            Ok(p) => p,
            Err(e) => return Ok(Err(e)),
        };
        let period_field = if matches!(r.period, PeriodRef::Dates { .. }) {
            Field::PeriodFrom
        } else {
            Field::Period
        };
        let period_id = match self.period(&project, r.period, period_field).await? {
            Ok(id) => id,
            Err(e) => return Ok(Err(e)),
        };
        self.load_values(project.id).await?;
        let record = if self.detail {
            format!(
                "{} · {} · {}",
                r.reg_no,
                crate::domain::IndicatorCode::parse(&r.code)
                    .map(|c| c.display())
                    .unwrap_or(r.code.clone()),
                r.period.label()
            )
        } else {
            String::new()
        };
        let mut fields = Vec::new();
        let target = r.target.map(milli);
        let pi = match self
            .project_indicators
            .get(&(project.id, r.indicator_id))
            .cloned()
        {
            Some(pi) => {
                if let Some(t) = target {
                    if t != pi.target_milli {
                        fields.push((
                            "Cílová hodnota".to_owned(),
                            quantity_label(pi.target_milli),
                            quantity_label(t),
                        ));
                        let mut am: project_indicator::ActiveModel = pi.clone().into();
                        am.target_milli = Set(t);
                        am.version = Set(pi.version + 1);
                        am.import_id = Set(Some(self.import_id));
                        let updated = am.update(self.txn).await?;
                        self.before("project_indicator", pi.id, serde_json::json!({"target_milli": pi.target_milli, "version": pi.version, "import_id": pi.import_id}));
                        self.project_indicators
                            .insert((project.id, r.indicator_id), updated.clone());
                        updated
                    } else {
                        pi
                    }
                } else {
                    pi
                }
            }
            None => {
                let created = project_indicator::ActiveModel {
                    project_id: Set(project.id),
                    indicator_id: Set(r.indicator_id),
                    baseline_milli: Set(0),
                    target_milli: Set(target.unwrap_or(0)),
                    target_date: Set(project.end_date),
                    version: Set(1),
                    import_id: Set(Some(self.import_id)),
                    ..Default::default()
                }
                .insert(self.txn)
                .await?;
                self.records_changed += 1;
                self.project_indicators
                    .insert((project.id, r.indicator_id), created.clone());
                created
            }
        };
        let achieved = milli(r.value);
        let note = r.note.clone().unwrap_or_default();
        match self.values.get(&(pi.id, period_id)).cloned() {
            Some(v) => {
                if v.achieved_milli != achieved {
                    fields.push((
                        "Dosažená hodnota".to_owned(),
                        quantity_label(v.achieved_milli),
                        quantity_label(achieved),
                    ));
                }
                let note_changed = r.note.is_some() && v.note != note;
                if note_changed {
                    fields.push(("Poznámka".to_owned(), v.note.clone(), note.clone()));
                }
                if v.achieved_milli != achieved || note_changed {
                    let mut am: indicator_value::ActiveModel = v.clone().into();
                    am.achieved_milli = Set(achieved);
                    if note_changed {
                        am.note = Set(note);
                    }
                    am.version = Set(v.version + 1);
                    am.import_id = Set(Some(self.import_id));
                    let updated = am.update(self.txn).await?;
                    self.before("indicator_value", v.id, serde_json::json!({"achieved_milli": v.achieved_milli, "note": v.note, "version": v.version, "import_id": v.import_id}));
                    self.values.insert((pi.id, period_id), updated);
                }
                if fields.is_empty() {
                    Ok(Ok(Outcome::Unchanged))
                } else {
                    Ok(Ok(Outcome::Changed(record, fields)))
                }
            }
            None => {
                // Two rows naming the same value differently (`ZoR 1` and the period's dates).
                if !self.new_value_keys.insert((pi.id, period_id)) {
                    return Ok(Err(refuse(
                        period_field,
                        "duplicate_row",
                        r.period.to_string(),
                        "hodnota tohoto indikátoru za toto období už je v souboru na jiném řádku",
                    )));
                }
                self.new_values.push((pi.id, period_id, achieved, note));
                self.records_changed += 1;
                Ok(Ok(Outcome::New(
                    record,
                    if self.detail {
                        quantity_label(achieved)
                    } else {
                        String::new()
                    },
                )))
            }
        }
    }
}
