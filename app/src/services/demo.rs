//! The demo portfolio (`tracker demo`): real programmes, priorities, calls, projects and places from
//! `data/demo/portfolio.json`, with invented amounts flagged as illustrative, on top of the national
//! RÚIAN code lists shipped in `data/ruian` (every kraj, okres and obec). Idempotent: codebook rows and
//! projects that already exist are left alone, so a second run changes nothing.

use super::codebooks::{read_ruian, store_ruian, upsert_territory, ExistingCodes};
use super::{projects, ServiceError};
use crate::dto::{MunicipalityRef, ProjectInput, SaveOutcome};
use entity::{
    call, district, municipality, organisation, priority, programme, project, region, target_group,
};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait,
    PaginatorTrait, QueryFilter, TransactionTrait,
};
use serde::Deserialize;

/// The demo data shipped in the repository.
pub const PORTFOLIO_JSON: &str = include_str!("../../../data/demo/portfolio.json");

#[derive(Deserialize)]
struct Portfolio {
    regions: Vec<Region>,
    districts: Vec<District>,
    municipalities: Vec<Municipality>,
    programmes: Vec<Programme>,
    calls: Vec<Call>,
    target_groups: Vec<Named>,
    organisations: Vec<Organisation>,
    projects: Vec<Project>,
}
#[derive(Deserialize)]
struct Region {
    code: i32,
    name: String,
    nuts3: String,
}
#[derive(Deserialize)]
struct District {
    code: i32,
    name: String,
    region_code: i32,
    lau1: String,
}
#[derive(Deserialize)]
struct Municipality {
    code: i32,
    name: String,
    district_code: i32,
}
#[derive(Deserialize)]
struct Programme {
    period: String,
    code: String,
    short_name: String,
    name: String,
    priorities: Vec<Named>,
}
#[derive(Deserialize)]
struct Named {
    code: String,
    name: String,
}
#[derive(Deserialize)]
struct Call {
    period: String,
    programme_code: String,
    call_id: String,
    name: String,
    /// The call's simplified cost options (illustrative rates).
    #[serde(default)]
    unit_costs: Vec<UnitCost>,
}
#[derive(Deserialize)]
struct UnitCost {
    code: String,
    name: String,
    unit: String,
    kind: String,
    rate: String,
}
#[derive(Deserialize)]
struct Organisation {
    ico: String,
    name: String,
    /// A natural person (self-employed): left out of the open-data list of operations.
    #[serde(default)]
    natural_person: bool,
}
#[derive(Deserialize)]
struct Project {
    registration_number: String,
    name: String,
    acronym: Option<String>,
    beneficiary_ico: String,
    status: String,
    start_date: String,
    end_date: String,
    description: String,
    total_eligible: Option<String>,
    amounts_illustrative: bool,
    target_groups: Vec<String>,
    municipalities: Vec<i32>,
    /// Type of intervention (CPR Annex I), illustrative.
    #[serde(default)]
    intervention_code: Option<String>,
}

/// What a demo load added (all zero on a second run).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DemoCounts {
    pub programmes: u64,
    pub projects: u64,
    /// Projects that received invented monitoring data.
    pub monitored: u64,
}

async fn programme_id(
    db: &impl ConnectionTrait,
    period: &str,
    code: &str,
) -> Result<i32, ServiceError> {
    programme::Entity::find()
        .filter(programme::Column::Period.eq(period))
        .filter(programme::Column::Code.eq(code))
        .one(db)
        .await?
        .map(|p| p.id)
        .ok_or_else(|| ServiceError::Unexpected(format!("demo: programme {period}/{code} missing")))
}

/// Loads the demo portfolio in one transaction: first the RÚIAN code lists from `ruian_dir` (the
/// shipped `data/ruian`, or `TRACKER_RUIAN_DIR`; only missing codes are added, so a newer official
/// import stays), then the demo's own places (the same codes, checked against the shipped files by a
/// test), programmes, calls and projects. `today` decides which monitoring periods of the demo
/// projects are finished and carry values (the CLI passes the real date, tests a fixed one).
///
/// # Errors
/// `BadRequest` when the code lists cannot be read (naming the file and line); when the shipped data
/// are inconsistent (a bug) or the database fails.
#[tracing::instrument(skip(db))]
pub async fn load(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    today: chrono::NaiveDate,
    ruian_dir: &std::path::Path,
) -> Result<DemoCounts, ServiceError> {
    let data: Portfolio = serde_json::from_str(PORTFOLIO_JSON)
        .map_err(|e| ServiceError::Unexpected(format!("demo data: {e}")))?;
    let lists = read_ruian(ruian_dir, today)?;
    let txn = super::db::begin_write(db).await?;
    let mut counts = DemoCounts::default();
    store_ruian(&txn, lists, ExistingCodes::Keep).await?;
    let fold = crate::domain::fold_for_search;
    upsert_territory(
        &txn,
        data.regions
            .iter()
            .map(|r| region::ActiveModel {
                code: Set(r.code),
                name: Set(r.name.clone()),
                nuts3: Set(r.nuts3.clone()),
            })
            .collect(),
        data.districts
            .iter()
            .map(|d| district::ActiveModel {
                code: Set(d.code),
                name: Set(d.name.clone()),
                region_code: Set(d.region_code),
                lau1: Set(d.lau1.clone()),
            })
            .collect(),
        data.municipalities
            .iter()
            .map(|m| municipality::ActiveModel {
                code: Set(m.code),
                name: Set(m.name.clone()),
                name_folded: Set(fold(&m.name)),
                district_code: Set(m.district_code),
            })
            .collect(),
        ExistingCodes::Keep,
    )
    .await?;
    for p in &data.programmes {
        counts.programmes += programme::Entity::insert(programme::ActiveModel {
            period: Set(p.period.clone()),
            code: Set(p.code.clone()),
            short_name: Set(p.short_name.clone()),
            name: Set(p.name.clone()),
            ..Default::default()
        })
        .on_conflict(
            OnConflict::columns([programme::Column::Period, programme::Column::Code])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
        let pid = programme_id(&txn, &p.period, &p.code).await?;
        for pr in &p.priorities {
            priority::Entity::insert(priority::ActiveModel {
                programme_id: Set(pid),
                code: Set(pr.code.clone()),
                name: Set(pr.name.clone()),
                ..Default::default()
            })
            .on_conflict(
                OnConflict::columns([priority::Column::ProgrammeId, priority::Column::Code])
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(&txn)
            .await?;
        }
    }
    for c in &data.calls {
        let pid = programme_id(&txn, &c.period, &c.programme_code).await?;
        call::Entity::insert(call::ActiveModel {
            programme_id: Set(pid),
            call_id: Set(c.call_id.clone()),
            name: Set(c.name.clone()),
            ..Default::default()
        })
        .on_conflict(
            OnConflict::column(call::Column::CallId)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
        let Some(call_row) = super::cost_rules::call_by_code(&txn, &c.call_id).await? else {
            continue;
        };
        for u in &c.unit_costs {
            let rate = crate::domain::Money::parse(&u.rate)
                .map_err(|e| ServiceError::Unexpected(format!("demo unit cost {}: {e}", u.code)))?;
            entity::unit_cost::Entity::insert(entity::unit_cost::ActiveModel {
                call_id: Set(call_row.id),
                code: Set(u.code.clone()),
                name: Set(u.name.clone()),
                unit: Set(u.unit.clone()),
                kind: Set(u.kind.clone()),
                rate_halere: Set(rate.to_halere()),
                ..Default::default()
            })
            .on_conflict(
                OnConflict::columns([
                    entity::unit_cost::Column::CallId,
                    entity::unit_cost::Column::Code,
                ])
                .do_nothing()
                .to_owned(),
            )
            .exec_without_returning(&txn)
            .await?;
        }
    }
    for (i, t) in data.target_groups.iter().enumerate() {
        target_group::Entity::insert(target_group::ActiveModel {
            code: Set(t.code.clone()),
            name: Set(t.name.clone()),
            sort_order: Set(i32::try_from(i).unwrap_or(i32::MAX)),
        })
        .on_conflict(
            OnConflict::column(target_group::Column::Code)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
    }
    for p in &data.projects {
        let exists = project::Entity::find()
            .filter(project::Column::RegistrationNumber.eq(p.registration_number.as_str()))
            .count(&txn)
            .await?
            > 0;
        if exists {
            continue;
        }
        let org = data
            .organisations
            .iter()
            .find(|o| o.ico == p.beneficiary_ico)
            .ok_or_else(|| {
                ServiceError::Unexpected(format!("demo: no organisation {}", p.beneficiary_ico))
            })?;
        let existing_org = organisation::Entity::find()
            .filter(organisation::Column::Ico.eq(org.ico.as_str()))
            .one(&txn)
            .await?;
        let input = ProjectInput {
            registration_number: p.registration_number.clone(),
            name: p.name.clone(),
            acronym: p.acronym.clone().unwrap_or_default(),
            beneficiary_ico: org.ico.clone(),
            // A beneficiary already on record keeps the name it has there.
            beneficiary_name: existing_org.map_or_else(|| org.name.clone(), |o| o.name),
            status: p.status.clone(),
            start_date: p.start_date.clone(),
            end_date: p.end_date.clone(),
            description: p.description.clone(),
            total_eligible: p.total_eligible.clone().unwrap_or_default(),
            target_groups: p.target_groups.clone(),
            municipalities: p
                .municipalities
                .iter()
                .map(|c| MunicipalityRef {
                    code: *c,
                    name: c.to_string(),
                    district: String::new(),
                    region: String::new(),
                })
                .collect(),
            cost_model: String::new(),
            beneficiary_natural_person: org.natural_person,
            intervention_code: p.intervention_code.clone().unwrap_or_default(),
        };
        match projects::create(&txn, &input).await? {
            SaveOutcome::Saved { id } => {
                project::Entity::update_many()
                    .col_expr(
                        project::Column::AmountsIllustrative,
                        sea_orm::sea_query::Expr::value(p.amounts_illustrative),
                    )
                    .filter(project::Column::Id.eq(id))
                    .exec(&txn)
                    .await?;
                counts.projects += 1;
            }
            other => {
                return Err(ServiceError::Unexpected(format!(
                    "demo project {}: {other:?}",
                    p.registration_number
                )));
            }
        }
    }
    super::monitoring::seed_codebook(&txn).await?;
    counts.monitored = super::demo_monitoring::seed(&txn, today).await?;
    txn.commit().await?;
    Ok(counts)
}

/// The id of a project by its registration number.
///
/// # Errors
/// Database errors.
pub async fn project_id_by_registration(
    db: &impl ConnectionTrait,
    registration_number: &str,
) -> Result<Option<i32>, sea_orm::DbErr> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let rn = registration_number.trim().to_uppercase();
    Ok(entity::project::Entity::find()
        .filter(entity::project::Column::RegistrationNumber.eq(rn))
        .one(db)
        .await?
        .map(|p| p.id))
}

/// Creates the demo users (one per role) with `password`, if they do not exist yet; returns how many
/// were created. `manager@demo.cz` is assigned NOE; `finance@demo.cz` handles all projects.
///
/// # Errors
/// Database errors, a password under 12 characters.
pub async fn ensure_demo_users(
    db: &sea_orm::DatabaseConnection,
    password: &str,
) -> Result<u64, super::auth::AuthError> {
    use crate::domain::roles::Role;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let noe = project_id_by_registration(db, "CZ.03.01.01/00/22_015/0002653").await?;
    let users: [(&str, &str, Role, bool); 4] = [
        ("admin@demo.cz", "Správce (demo)", Role::Admin, false),
        (
            "manager@demo.cz",
            "Projektová manažerka NOE (demo)",
            Role::Manager,
            false,
        ),
        (
            "finance@demo.cz",
            "Finanční manažer (demo)",
            Role::Finance,
            true,
        ),
        (
            "reviewer@demo.cz",
            "Monitorovací pracovnice MPSV (demo)",
            Role::Reviewer,
            false,
        ),
    ];
    let mut created = 0;
    for (email, name, role, finance_all) in users {
        let exists = entity::app_user::Entity::find()
            .filter(entity::app_user::Column::Email.eq(email))
            .one(db)
            .await?
            .is_some();
        if exists {
            continue;
        }
        let projects: Vec<i32> = if role == Role::Manager {
            noe.into_iter().collect()
        } else {
            Vec::new()
        };
        super::auth::create_user(db, email, name, password, &[role], &projects, finance_all)
            .await?;
        created += 1;
    }
    Ok(created)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use sea_orm::ActiveValue;

    fn value<T: Clone + Into<sea_orm::Value>>(v: &ActiveValue<T>) -> T {
        v.clone().unwrap()
    }

    /// The shipped RÚIAN code lists (`data/ruian`).
    fn shipped() -> crate::services::codebooks::RuianLists {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/ruian");
        read_ruian(&dir, chrono::NaiveDate::from_ymd_opt(2026, 7, 1).unwrap()).unwrap()
    }

    #[test]
    fn the_demo_places_are_the_official_ones() {
        let data: Portfolio = serde_json::from_str(PORTFOLIO_JSON).unwrap();
        let lists = shipped();
        assert_eq!(lists.counts().municipalities, 6258);
        for r in &data.regions {
            let official = lists
                .regions
                .iter()
                .find(|o| value(&o.code) == r.code)
                .unwrap_or_else(|| panic!("kraj {} is not in UI_VUSC.csv", r.code));
            assert_eq!(
                (value(&official.name), value(&official.nuts3)),
                (r.name.clone(), r.nuts3.clone())
            );
        }
        for d in &data.districts {
            let official = lists
                .districts
                .iter()
                .find(|o| value(&o.code) == d.code)
                .unwrap_or_else(|| panic!("okres {} is not in UI_OKRES.csv", d.code));
            assert_eq!(
                (
                    value(&official.name),
                    value(&official.region_code),
                    value(&official.lau1)
                ),
                (d.name.clone(), d.region_code, d.lau1.clone())
            );
        }
        for m in &data.municipalities {
            let official = lists
                .municipalities
                .iter()
                .find(|o| value(&o.code) == m.code)
                .unwrap_or_else(|| panic!("obec {} is not in UI_OBEC.csv", m.code));
            assert_eq!(
                (value(&official.name), value(&official.district_code)),
                (m.name.clone(), m.district_code)
            );
        }
    }
}
