//! Pages, one module per route.

mod audit;
mod budget;
mod budget_forms;
mod claims;
mod claims_forms;
mod conflict;
mod imports;
mod indicator_codebook;
mod indicator_forms;
mod indicators;
mod not_found;
mod project_detail;
mod project_form;
mod project_list;
mod settings;
mod sign_in;
mod users;

pub use audit::AuditPage;
pub use budget::BudgetPage;
pub use claims::ClaimsPage;
pub use imports::{ImportDetailPage, ImportJobPage, ImportPage};
pub use indicator_codebook::IndicatorCodebookPage;
pub use indicators::IndicatorsPage;
pub use not_found::NotFound;
pub use project_detail::ProjectDetailPage;
pub use project_form::{ProjectCreatePage, ProjectEditPage};
pub use project_list::ProjectListPage;
pub use settings::SettingsPage;
pub use sign_in::SignInPage;
pub use users::{AccountPage, UsersPage};
