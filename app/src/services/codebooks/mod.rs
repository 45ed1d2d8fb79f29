//! Codebooks (číselníky): programmes, calls, target groups, and the territorial codebook of regions
//! (kraje), districts (okresy) and municipalities (obce), loaded from the official ČÚZK RÚIAN code lists.

use super::ServiceError;
use crate::domain::{fold_for_search, MunicipalityCode};
use crate::dto::{Choice, Codebooks, MunicipalityRef};
use entity::{
    call, district, municipality, organisation, programme, project, region, target_group,
};
use sea_orm::sea_query::{ExprTrait, LikeExpr, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, FromQueryResult, JoinType,
    QueryFilter, QueryOrder, QuerySelect, RelationDef, Set, TransactionTrait,
};
use std::collections::BTreeMap;
use std::path::Path;

/// The codebooks for the list filters and the project form.
///
/// # Errors
/// Database errors.
pub async fn codebooks(db: &impl ConnectionTrait) -> Result<Codebooks, ServiceError> {
    let programmes = programme::Entity::find()
        .order_by_desc(programme::Column::Period)
        .all(db)
        .await?;
    let names: BTreeMap<i32, String> = programmes
        .iter()
        .map(|p| (p.id, p.short_name.clone()))
        .collect();
    Ok(Codebooks {
        programmes: programmes
            .iter()
            .map(|p| Choice {
                value: p.id.to_string(),
                label: format!("{} ({})", p.short_name, p.period.replace('-', "–")),
            })
            .collect(),
        calls: call::Entity::find()
            .order_by_asc(call::Column::CallId)
            .all(db)
            .await?
            .into_iter()
            .map(|c| Choice {
                label: format!(
                    "{} – {} ({})",
                    c.call_id,
                    c.name,
                    names.get(&c.programme_id).map_or("", String::as_str)
                ),
                value: c.call_id,
            })
            .collect(),
        regions: region::Entity::find()
            .order_by_asc(region::Column::Nuts3)
            .all(db)
            .await?
            .into_iter()
            .map(|r| Choice {
                value: r.code.to_string(),
                label: r.name,
            })
            .collect(),
        target_groups: target_group::Entity::find()
            .order_by_asc(target_group::Column::SortOrder)
            .all(db)
            .await?
            .into_iter()
            .map(|t| Choice {
                value: t.code,
                label: t.name,
            })
            .collect(),
        beneficiaries: organisation::Entity::find()
            .filter(
                organisation::Column::Id.in_subquery(
                    sea_orm::sea_query::Query::select()
                        .column(project::Column::BeneficiaryId)
                        .from(project::Entity)
                        .to_owned(),
                ),
            )
            .order_by_asc(organisation::Column::Name)
            .all(db)
            .await?
            .into_iter()
            .map(|o| Choice {
                value: o.id.to_string(),
                label: format!("{} (IČO {})", o.name, o.ico),
            })
            .collect(),
    })
}

#[derive(FromQueryResult)]
struct MunicipalityRow {
    code: i32,
    name: String,
    district: String,
    region: String,
}

/// 0 for a district town (the municipality that names its okres: Liberec in okres Liberec, Brno in
/// Brno-město, Praha in Hlavní město Praha), 1 for the others: "Lib" offers Liberec before Libá.
fn district_town_first() -> sea_orm::sea_query::SimpleExpr {
    sea_orm::sea_query::Expr::cust(
        "CASE WHEN \"district\".\"name\" IN (\"municipality\".\"name\", \
         \"municipality\".\"name\" || '-město', 'Hlavní město ' || \"municipality\".\"name\") \
         THEN 0 ELSE 1 END",
    )
}

fn district_join() -> RelationDef {
    municipality::Entity::belongs_to(district::Entity)
        .from(municipality::Column::DistrictCode)
        .to(district::Column::Code)
        .into()
}

fn region_join() -> RelationDef {
    district::Entity::belongs_to(region::Entity)
        .from(district::Column::RegionCode)
        .to(region::Column::Code)
        .into()
}

/// Finds municipalities by the start of any word of their name, ignoring case and diacritics
/// ("usti nad o" finds Ústí nad Orlicí), or by their 6-digit code. At most `limit` results, names that
/// start with the query first, and among them district towns first ("Lib" offers Liberec first).
///
/// # Errors
/// Database errors.
pub async fn search_municipalities(
    db: &impl ConnectionTrait,
    query: &str,
    limit: u64,
) -> Result<Vec<MunicipalityRef>, ServiceError> {
    let folded = fold_for_search(query);
    if folded.chars().count() < 2 {
        return Ok(Vec::new());
    }
    let escaped: String = folded
        .chars()
        .flat_map(|c| {
            if matches!(c, '%' | '_' | '\\') {
                vec!['\\', c]
            } else {
                vec![c]
            }
        })
        .collect();
    let base = || {
        municipality::Entity::find()
            .select_only()
            .column(municipality::Column::Code)
            .column(municipality::Column::Name)
            .column_as(district::Column::Name, "district")
            .column_as(region::Column::Name, "region")
            .join(JoinType::InnerJoin, district_join())
            .join(JoinType::InnerJoin, region_join())
            .order_by(district_town_first(), sea_orm::Order::Asc)
            .order_by_asc(municipality::Column::NameFolded)
            .order_by_asc(municipality::Column::Code)
    };
    let mut rows: Vec<MunicipalityRow> = if let Ok(code) = MunicipalityCode::parse(&folded) {
        base()
            .filter(municipality::Column::Code.eq(i32::try_from(code.value()).unwrap_or_default()))
            .into_model()
            .all(db)
            .await?
    } else {
        base()
            .filter(
                sea_orm::sea_query::Expr::col((
                    municipality::Entity,
                    municipality::Column::NameFolded,
                ))
                .like(LikeExpr::new(format!("{escaped}%")).escape('\\')),
            )
            .limit(limit)
            .into_model()
            .all(db)
            .await?
    };
    if (rows.len() as u64) < limit {
        let more: Vec<MunicipalityRow> = base()
            .filter(
                sea_orm::sea_query::Expr::col((
                    municipality::Entity,
                    municipality::Column::NameFolded,
                ))
                .like(LikeExpr::new(format!("% {escaped}%")).escape('\\')),
            )
            .limit(limit)
            .into_model()
            .all(db)
            .await?;
        for m in more {
            if rows.len() as u64 >= limit {
                break;
            }
            if !rows.iter().any(|r| r.code == m.code) {
                rows.push(m);
            }
        }
    }
    Ok(rows
        .into_iter()
        .map(|m| MunicipalityRef {
            code: m.code,
            name: m.name,
            district: m.district,
            region: m.region,
        })
        .collect())
}

mod ruian;
pub use ruian::*;
