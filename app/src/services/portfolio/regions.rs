//! The portfolio by region (kraj, one of the 14 higher self-governing regions): participating
//! municipalities per kraj, and each project's budget split among the kraje in proportion to its
//! municipalities there.

use super::part::ProjectPart;
use super::{add, money, Shared};
use crate::domain::Money;
use crate::dto::portfolio::RegionFigure;
use crate::services::ServiceError;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// What the portfolio looks like by kraj.
pub(super) struct ByRegion {
    pub regions: Vec<RegionFigure>,
    /// Budget and number of the projects without a participating municipality.
    pub unplaced_budget: Money,
    pub unplaced_projects: u64,
    /// Distinct participating municipalities.
    pub municipalities: u64,
}

/// The figures per kraj of `parts`.
pub(super) fn figures<T>(
    parts: &[(Arc<ProjectPart>, T)],
    shared: &Shared,
) -> Result<ByRegion, ServiceError> {
    let mut municipalities_by_region: BTreeMap<i32, BTreeSet<i32>> = BTreeMap::new();
    let mut all_municipalities: BTreeSet<i32> = BTreeSet::new();
    let mut budget_by_region: BTreeMap<i32, i64> = BTreeMap::new();
    let mut projects_by_region: BTreeMap<i32, u64> = BTreeMap::new();
    let mut unplaced_budget = Money::zero();
    let mut unplaced_projects = 0;
    for (p, _) in parts {
        for (m, r) in &p.places {
            municipalities_by_region.entry(*r).or_default().insert(*m);
            all_municipalities.insert(*m);
        }
        if p.municipalities_by_region.is_empty() {
            unplaced_budget = add(unplaced_budget, p.eligible)?;
            unplaced_projects += 1;
            continue;
        }
        // Each project's budget split by its municipalities per kraj.
        for (r, part) in split_by_weight(p.eligible.to_halere(), &p.municipalities_by_region) {
            *budget_by_region.entry(r).or_default() += part;
            *projects_by_region.entry(r).or_default() += 1;
        }
    }
    let mut regions = Vec::new();
    for r in &shared.regions {
        regions.push(RegionFigure {
            code: r.code,
            name: r.name.clone(),
            nuts3: r.nuts3.clone(),
            projects: projects_by_region.get(&r.code).copied().unwrap_or(0),
            municipalities: municipalities_by_region
                .get(&r.code)
                .map_or(0, |s| s.len() as u64),
            budget: money(budget_by_region.get(&r.code).copied().unwrap_or(0))?,
        });
    }
    Ok(ByRegion {
        regions,
        unplaced_budget,
        unplaced_projects,
        municipalities: all_municipalities.len() as u64,
    })
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
