//! The portfolio by region (kraj, one of the 14 higher self-governing regions): participating
//! municipalities per kraj, and each project's budget split among the kraje in proportion to its
//! municipalities there.

use super::{add, ids, money, Acc, ProjectRaw};
use crate::domain::Money;
use crate::dto::portfolio::RegionFigure;
use crate::services::ServiceError;
use entity::{district, municipality, project_municipality, region};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{Condition, ConnectionTrait, EntityTrait, FromQueryResult, QueryOrder};
use std::collections::{BTreeMap, BTreeSet};

/// Each project's participating municipalities per kraj (into `acc`); the municipalities per kraj and all
/// of them.
pub(super) async fn load_places(
    db: &impl ConnectionTrait,
    cond: &Condition,
    acc: &mut BTreeMap<i32, Acc>,
) -> Result<(BTreeMap<i32, BTreeSet<i32>>, BTreeSet<i32>), ServiceError> {
    #[derive(Debug, FromQueryResult)]
    struct Place {
        project_id: i32,
        municipality_code: i32,
        region_code: i32,
    }
    let places_q = Query::select()
        .column((
            project_municipality::Entity,
            project_municipality::Column::ProjectId,
        ))
        .column((
            project_municipality::Entity,
            project_municipality::Column::MunicipalityCode,
        ))
        .column((district::Entity, district::Column::RegionCode))
        .from(project_municipality::Entity)
        .inner_join(
            municipality::Entity,
            Expr::col((municipality::Entity, municipality::Column::Code)).equals((
                project_municipality::Entity,
                project_municipality::Column::MunicipalityCode,
            )),
        )
        .inner_join(
            district::Entity,
            Expr::col((district::Entity, district::Column::Code))
                .equals((municipality::Entity, municipality::Column::DistrictCode)),
        )
        .and_where(
            Expr::col((
                project_municipality::Entity,
                project_municipality::Column::ProjectId,
            ))
            .in_subquery(ids(cond)),
        )
        .to_owned();
    let places = Place::find_by_statement(db.get_database_backend().build(&places_q))
        .all(db)
        .await?;
    let mut municipalities_by_region: BTreeMap<i32, BTreeSet<i32>> = BTreeMap::new();
    let mut all_municipalities: BTreeSet<i32> = BTreeSet::new();
    for Place {
        project_id: p,
        municipality_code: m,
        region_code: r,
    } in places
    {
        if let Some(a) = acc.get_mut(&p) {
            *a.municipalities_by_region.entry(r).or_default() += 1;
        }
        municipalities_by_region.entry(r).or_default().insert(m);
        all_municipalities.insert(m);
    }
    Ok((municipalities_by_region, all_municipalities))
}

/// The figures per kraj, and the budget and number of the projects without a participating municipality.
pub(super) async fn figures(
    db: &impl ConnectionTrait,
    rows: &[ProjectRaw],
    acc: &BTreeMap<i32, Acc>,
    eligible_of: &BTreeMap<i32, Money>,
    municipalities_by_region: &BTreeMap<i32, BTreeSet<i32>>,
) -> Result<(Vec<RegionFigure>, Money, u64), ServiceError> {
    // Regions: each project's budget split by its municipalities per kraj.
    let mut budget_by_region: BTreeMap<i32, i64> = BTreeMap::new();
    let mut projects_by_region: BTreeMap<i32, u64> = BTreeMap::new();
    let mut unplaced_budget = Money::zero();
    let mut unplaced_projects = 0;
    for p in rows {
        let (Some(a), Some(e)) = (acc.get(&p.id), eligible_of.get(&p.id)) else {
            continue;
        };
        if a.municipalities_by_region.is_empty() {
            unplaced_budget = add(unplaced_budget, *e)?;
            unplaced_projects += 1;
            continue;
        }
        for (r, part) in split_by_weight(e.to_halere(), &a.municipalities_by_region) {
            *budget_by_region.entry(r).or_default() += part;
            *projects_by_region.entry(r).or_default() += 1;
        }
    }
    let mut regions = Vec::new();
    for r in region::Entity::find()
        .order_by_asc(region::Column::Nuts3)
        .all(db)
        .await?
    {
        regions.push(RegionFigure {
            code: r.code,
            name: r.name,
            nuts3: r.nuts3,
            projects: projects_by_region.get(&r.code).copied().unwrap_or(0),
            municipalities: municipalities_by_region
                .get(&r.code)
                .map_or(0, |s| s.len() as u64),
            budget: money(budget_by_region.get(&r.code).copied().unwrap_or(0))?,
        });
    }
    Ok((regions, unplaced_budget, unplaced_projects))
}

/// Splits `amount` haléřů among keys in proportion to their weights, largest remainder first, so that
/// the parts add up exactly to `amount`.
#[must_use]
pub fn split_by_weight(amount: i64, weights: &BTreeMap<i32, u64>) -> Vec<(i32, i64)> {
    let total: u128 = weights.values().map(|w| u128::from(*w)).sum();
    if total == 0 {
        return Vec::new();
    }
    let negative = amount < 0;
    let abs = u128::from(amount.unsigned_abs());
    let mut parts: Vec<(i32, u128, u128)> = weights
        .iter()
        .map(|(k, w)| {
            let exact = abs * u128::from(*w);
            (*k, exact / total, exact % total)
        })
        .collect();
    let mut left = abs - parts.iter().map(|(_, q, _)| q).sum::<u128>();
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by(|a, b| parts[*b].2.cmp(&parts[*a].2).then(a.cmp(b)));
    for i in order {
        if left == 0 {
            break;
        }
        parts[i].1 += 1;
        left -= 1;
    }
    parts
        .into_iter()
        .map(|(k, q, _)| {
            let v = i64::try_from(q).unwrap_or(i64::MAX);
            (k, if negative { -v } else { v })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_by_weight_adds_up_to_the_halir() {
        let w: BTreeMap<i32, u64> = [(1, 1), (2, 1), (3, 1)].into_iter().collect();
        // 100 haléřů in three: 33,34 — 34 goes to the first of equal remainders.
        assert_eq!(split_by_weight(100, &w), vec![(1, 34), (2, 33), (3, 33)]);
        let w: BTreeMap<i32, u64> = [(19, 3), (27, 1)].into_iter().collect();
        assert_eq!(
            split_by_weight(1_000_001, &w),
            vec![(19, 750_001), (27, 250_000)]
        );
        let total: i64 = split_by_weight(99_999_999_999_999, &w)
            .iter()
            .map(|(_, v)| v)
            .sum();
        assert_eq!(total, 99_999_999_999_999);
        assert!(split_by_weight(5, &BTreeMap::new()).is_empty());
    }
}
