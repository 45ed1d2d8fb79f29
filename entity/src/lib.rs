//! SeaORM entities of the tracker: primitive columns only, mirroring the `migration` crate.
//! Conversions to domain types (registration number, IČO, money in haléře) are explicit, in `app::services`.

pub mod advance;
pub mod api_token;
pub mod app_user;
pub mod audit_log;
pub mod budget_line;
pub mod call;
pub mod district;
pub mod expenditure;
pub mod import_batch;
pub mod import_change;
pub mod import_project;
pub mod indicator;
pub mod indicator_value;
pub mod login_throttle;
pub mod monitoring_period;
pub mod municipality;
pub mod organisation;
pub mod participant;
pub mod payment_claim;
pub mod period_review;
pub mod priority;
pub mod programme;
pub mod project;
pub mod project_finance;
pub mod project_indicator;
pub mod project_municipality;
pub mod project_target_group;
pub mod region;
pub mod review_comment;
pub mod setting;
pub mod target_group;
pub mod unit_cost;
pub mod user_project;
pub mod user_role;
pub mod user_session;
