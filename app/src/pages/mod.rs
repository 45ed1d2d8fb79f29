//! Pages, one module per route.

mod conflict;
mod not_found;
mod project_detail;
mod project_form;
mod project_list;

pub use not_found::NotFound;
pub use project_detail::ProjectDetailPage;
pub use project_form::{ProjectCreatePage, ProjectEditPage};
pub use project_list::ProjectListPage;
