//! Municipalities where a project takes place (RÚIAN codes), added once per project.

use sea_orm::{ColumnTrait, DbErr, EntityTrait, QueryFilter, Set};

use entity::project_municipality;

use super::{Outcome, Planner, Refusal};

impl Planner<'_> {
    pub(super) async fn apply_municipality(
        &mut self,
        r: crate::services::import::sheet::MunicipalityRow,
    ) -> Result<Result<Outcome, Refusal>, DbErr> {
        let project = match self.row_project(&r.reg_no, false) {
            Ok(p) => p,
            Err(e) => return Ok(Err(e)),
        };
        if !self.municipalities.contains_key(&project.id) {
            let set = project_municipality::Entity::find()
                .filter(project_municipality::Column::ProjectId.eq(project.id))
                .all(self.txn)
                .await?
                .into_iter()
                .map(|m| m.municipality_code)
                .collect();
            self.municipalities.insert(project.id, set);
        }
        let code = i32::try_from(r.code).unwrap_or(0);
        let set = self.municipalities.entry(project.id).or_default();
        if !set.insert(code) {
            return Ok(Ok(Outcome::Unchanged));
        }
        self.new_municipalities
            .push(project_municipality::ActiveModel {
                project_id: Set(project.id),
                municipality_code: Set(code),
                import_id: Set(Some(self.import_id)),
            });
        self.records_changed += 1;
        Ok(Ok(Outcome::New(
            format!("{} · obec", r.reg_no),
            r.code.to_string(),
        )))
    }
}
