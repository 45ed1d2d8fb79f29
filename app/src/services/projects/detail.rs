//! A project's detail page (with its beneficiary, target groups and municipalities) and the stored
//! project as the edit form shows it.

use super::status_of;
use crate::domain::{format_czech_date, Money};
use crate::dto::{Choice, MunicipalityRef, ProjectDetail, ProjectInput};
use crate::services::ServiceError;
use entity::{
    call, district, municipality, organisation, priority, programme, project, project_municipality,
    project_target_group, region, target_group,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, JoinType, QueryFilter, QueryOrder,
    QuerySelect,
};

/// Municipalities of the given projects with district and region names, in one query.
async fn municipalities_of(
    db: &impl ConnectionTrait,
    project_id: i32,
) -> Result<Vec<MunicipalityRef>, ServiceError> {
    #[derive(FromQueryResult)]
    struct M {
        code: i32,
        name: String,
        district: String,
        region: String,
    }
    let rows = municipality::Entity::find()
        .select_only()
        .column(municipality::Column::Code)
        .column(municipality::Column::Name)
        .column_as(
            Expr::col((district::Entity, district::Column::Name)),
            "district",
        )
        .column_as(Expr::col((region::Entity, region::Column::Name)), "region")
        .join(
            JoinType::InnerJoin,
            municipality::Entity::belongs_to(project_municipality::Entity)
                .from(municipality::Column::Code)
                .to(project_municipality::Column::MunicipalityCode)
                .into(),
        )
        .join(
            JoinType::InnerJoin,
            municipality::Entity::belongs_to(district::Entity)
                .from(municipality::Column::DistrictCode)
                .to(district::Column::Code)
                .into(),
        )
        .join(
            JoinType::InnerJoin,
            district::Entity::belongs_to(region::Entity)
                .from(district::Column::RegionCode)
                .to(region::Column::Code)
                .into(),
        )
        .filter(project_municipality::Column::ProjectId.eq(project_id))
        .order_by_asc(municipality::Column::Name)
        .into_model::<M>()
        .all(db)
        .await?;
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

async fn target_groups_of(
    db: &impl ConnectionTrait,
    project_id: i32,
) -> Result<Vec<Choice>, ServiceError> {
    let codes: Vec<String> = project_target_group::Entity::find()
        .filter(project_target_group::Column::ProjectId.eq(project_id))
        .all(db)
        .await?
        .into_iter()
        .map(|t| t.target_group_code)
        .collect();
    Ok(target_group::Entity::find()
        .filter(target_group::Column::Code.is_in(codes))
        .order_by_asc(target_group::Column::SortOrder)
        .all(db)
        .await?
        .into_iter()
        .map(|t| Choice {
            value: t.code,
            label: t.name,
        })
        .collect())
}

/// Everything the detail page shows.
///
/// # Errors
/// `NotFound` for an unknown id.
#[tracing::instrument(skip(db))]
pub async fn detail(db: &impl ConnectionTrait, id: i32) -> Result<ProjectDetail, ServiceError> {
    let p = project::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let org = organisation::Entity::find_by_id(p.beneficiary_id)
        .one(db)
        .await?
        .ok_or_else(|| ServiceError::Unexpected(format!("project {id} without beneficiary")))?;
    let prog = programme::Entity::find_by_id(p.programme_id)
        .one(db)
        .await?
        .ok_or_else(|| ServiceError::Unexpected(format!("project {id} without programme")))?;
    let prio = priority::Entity::find()
        .filter(priority::Column::ProgrammeId.eq(p.programme_id))
        .filter(priority::Column::Code.eq(p.priority_code.as_str()))
        .one(db)
        .await?;
    let call = call::Entity::find()
        .filter(call::Column::CallId.eq(p.call_id.as_str()))
        .one(db)
        .await?;
    Ok(ProjectDetail {
        id: p.id,
        version: p.version,
        registration_number: p.registration_number,
        name: p.name,
        acronym: p.acronym,
        beneficiary_ico: org.ico,
        beneficiary_name: org.name,
        beneficiary_natural_person: org.natural_person,
        programme: format!("{} – {}", prog.short_name, prog.name),
        period: prog.period.replace('-', "–"),
        priority: match prio {
            Some(pr) => format!("{} {}", pr.code, pr.name),
            None => p.priority_code.clone(),
        },
        specific_objective_code: p.specific_objective_code,
        call_id: p.call_id,
        call_name: call.map(|c| c.name),
        status: status_of(&p.status)?,
        start_date: p.start_date,
        end_date: p.end_date,
        description: p.description,
        intervention_code: p.intervention_code,
        total_eligible: p
            .total_eligible_halere
            .map(Money::from_halere)
            .transpose()
            .map_err(|e| ServiceError::Unexpected(format!("stored amount: {e}")))?,
        amounts_illustrative: p.amounts_illustrative,
        archived: p.archived_at.is_some(),
        target_groups: target_groups_of(db, id).await?,
        municipalities: municipalities_of(db, id).await?,
        updated_at: crate::services::audit::time::prague(p.updated_at),
    })
}

/// The stored project as the form shows it (used to prefill the edit form and to show a conflict).
///
/// # Errors
/// `NotFound` for an unknown id.
pub async fn input_of(
    db: &impl ConnectionTrait,
    id: i32,
) -> Result<(ProjectInput, i32), ServiceError> {
    let d = detail(db, id).await?;
    Ok((
        ProjectInput {
            registration_number: d.registration_number,
            name: d.name,
            acronym: d.acronym.unwrap_or_default(),
            beneficiary_ico: d.beneficiary_ico,
            beneficiary_name: d.beneficiary_name,
            status: d.status.code().to_string(),
            start_date: format_czech_date(d.start_date),
            end_date: format_czech_date(d.end_date),
            description: d.description,
            total_eligible: d
                .total_eligible
                .map(Money::format_plain)
                .unwrap_or_default(),
            target_groups: d.target_groups.into_iter().map(|c| c.value).collect(),
            municipalities: d.municipalities,
            cost_model: String::new(),
            beneficiary_natural_person: d.beneficiary_natural_person,
            intervention_code: d.intervention_code.unwrap_or_default(),
        },
        d.version,
    ))
}
