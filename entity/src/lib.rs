//! SeaORM entities of the tracker: primitive columns only, mirroring the `migration` crate.
//! Conversions to domain types (registration number, IČO, money in haléře) are explicit, in `app::services`.

pub mod call;
pub mod district;
pub mod municipality;
pub mod organisation;
pub mod priority;
pub mod programme;
pub mod project;
pub mod project_municipality;
pub mod project_target_group;
pub mod region;
pub mod target_group;
