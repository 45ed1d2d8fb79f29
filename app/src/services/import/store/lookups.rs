//! Read-only queries around an import: what rows are checked against, an earlier import of the same
//! file, and the count of committed imports.

use std::collections::HashMap;

use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};

use entity::{district, import_batch, indicator, municipality, project};

use crate::domain::IndicatorUnit;
use crate::services::import::sheet::{IndicatorInfo, Lookups, ProjectInfo};

/// Loads what rows are checked against: projects, indicator codes and the municipality codebook.
///
/// # Errors
/// Database errors.
pub async fn load_lookups(db: &impl ConnectionTrait) -> Result<Lookups, DbErr> {
    let mut lookups = Lookups::default();
    for p in project::Entity::find().all(db).await? {
        lookups.projects.insert(
            p.registration_number.clone(),
            ProjectInfo {
                id: Some(p.id),
                range: Some((p.start_date, p.end_date)),
            },
        );
    }
    for i in indicator::Entity::find().all(db).await? {
        let unit = IndicatorUnit::from_code(&i.unit)
            .map_err(|e| DbErr::Custom(format!("indicator {}: {e}", i.id)))?;
        lookups
            .indicators
            .insert(i.code.clone(), IndicatorInfo { id: i.id, unit });
    }
    let districts: HashMap<i32, String> = district::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|d| (d.code, d.name))
        .collect();
    for m in municipality::Entity::find().all(db).await? {
        let district = districts.get(&m.district_code).cloned().unwrap_or_default();
        if let Ok(code) = u32::try_from(m.code) {
            lookups.add_municipality(code, m.name, district);
        }
    }
    Ok(lookups)
}

/// The id of the last committed import of a file with this SHA-256.
///
/// # Errors
/// Database errors.
pub async fn previous_import(
    db: &impl ConnectionTrait,
    sha256: &str,
) -> Result<Option<i32>, DbErr> {
    Ok(import_batch::Entity::find()
        .filter(import_batch::Column::Sha256.eq(sha256))
        .filter(import_batch::Column::Status.eq("committed"))
        .order_by_desc(import_batch::Column::Id)
        .one(db)
        .await?
        .map(|b| b.id))
}

/// Counts committed imports (for tests and the history pager).
///
/// # Errors
/// Database errors.
pub async fn committed_count(db: &impl ConnectionTrait) -> Result<u64, DbErr> {
    import_batch::Entity::find()
        .filter(import_batch::Column::Status.eq("committed"))
        .count(db)
        .await
}
