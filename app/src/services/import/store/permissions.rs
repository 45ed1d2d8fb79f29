//! Who may change which project: a row of a project the importing user may not change is refused at
//! its registration number.

use super::{refuse, Planner, ProjectRef, Refusal};
use crate::services::import::kinds::Field;

impl Planner<'_> {
    /// Refuses a row of a project the importing user may not change.
    pub(super) fn permitted(
        &mut self,
        project_id: Option<i32>,
        money: bool,
    ) -> Result<(), Refusal> {
        self.current_project = project_id;
        self.touched.extend(project_id);
        let Some(v) = &self.viewer else {
            return Ok(());
        };
        let ok = match project_id {
            Some(id) => v.can_import_into(id, money),
            None => v.can_create_project(),
        };
        if ok {
            Ok(())
        } else {
            Err(refuse(
                Field::RegNo,
                "forbidden_project",
                serde_json::Value::Null,
                "k tomuto projektu nemáte oprávnění (řádek se neuloží); požádejte správce o přidělení projektu",
            ))
        }
    }

    /// The project of a row that changes it: known to the registry and open to the importing user
    /// (`money`: the row changes finances).
    pub(super) fn row_project(&mut self, reg_no: &str, money: bool) -> Result<ProjectRef, Refusal> {
        let project = self.project(reg_no)?;
        self.permitted(Some(project.id), money)?;
        Ok(project)
    }

    fn project(&self, reg_no: &str) -> Result<ProjectRef, Refusal> {
        self.projects
            .get(reg_no)
            .map(|p| ProjectRef {
                id: p.id,
                programme_id: p.programme_id,
                start_date: p.start_date,
                end_date: p.end_date,
            })
            .ok_or_else(|| {
                refuse(
                    Field::RegNo,
                    "unknown_project",
                    reg_no,
                    "projekt není v evidenci; založte jej nebo importujte nejdřív list projektů",
                )
            })
    }
}
