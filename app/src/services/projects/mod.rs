//! The project registry: list (filtered, sorted, paginated in SQL), detail, create, update with
//! optimistic locking, archive and restore. Each action is one transaction.

//! The files by job: `list` (filters, sort and paging), `detail` (the detail page and the stored form),
//! `write` (create, update, archive), `command` (the new-project and project-change commands the form,
//! the importer and the command line share), `checks` (the form against the database: programme, duplicate
//! registration number, codebooks), `beneficiary` (the beneficiary by IČO, the Czech company number),
//! `periods` (monitoring periods from the project's dates) and `search` (the text search column and the
//! programme lookup).

mod beneficiary;
mod checks;
mod command;
mod detail;
mod list;
pub mod periods;
mod search;
mod write;

pub use command::{
    insert_project, Beneficiary, ChangedField, InsertedProject, NewProject, ProjectChange,
};
pub use detail::{detail, input_of};
pub use list::{filter_condition, list, list_visible};
pub use search::{programme_of, search_text, SearchParts};
pub use write::{create, create_as, set_archived, update, update_as};

use super::ServiceError;
use crate::domain::ProjectStatus;

fn status_of(code: &str) -> Result<ProjectStatus, ServiceError> {
    ProjectStatus::from_code(code)
        .map_err(|e| ServiceError::Unexpected(format!("stored status: {e}")))
}
