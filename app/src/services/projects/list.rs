//! The project list: the filters shared with the dashboard, the exports and the API as one SQL condition,
//! and one sorted page of rows, all in SQL.

use super::status_of;
use crate::domain::fold_for_search;
use crate::dto::{ProjectListQuery, ProjectPage, ProjectRow, SortColumn};
use crate::services::ServiceError;
use chrono::{NaiveDate, Utc};
use entity::{
    district, municipality, organisation, project, project_municipality, project_target_group,
};
use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr, Query};
use sea_orm::{
    Condition, ConnectionTrait, EntityTrait, FromQueryResult, JoinType, Order, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, RelationTrait,
};

#[derive(Debug, FromQueryResult)]
struct RowRaw {
    id: i32,
    registration_number: String,
    acronym: Option<String>,
    name: String,
    beneficiary_name: String,
    call_id: String,
    status: String,
    start_date: NaiveDate,
    end_date: NaiveDate,
    archived_at: Option<chrono::DateTime<Utc>>,
}

/// Escapes `%`, `_` and `\` so a user's text is matched literally by `LIKE … ESCAPE '\'`.
fn like_contains(text: &str) -> LikeExpr {
    let mut p = String::from("%");
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    LikeExpr::new(p).escape('\\')
}

/// The project filters of `q` (all but text order and page are shared by the list, the dashboard, the
/// exports and the API) as one condition on `project`, restricted to `visible` ids when given.
#[must_use]
pub fn filter_condition(q: &ProjectListQuery, visible: Option<&[i32]>) -> Condition {
    let mut c = Condition::all();
    if let Some(ids) = visible {
        c = c.add(Expr::col((project::Entity, project::Column::Id)).is_in(ids.to_vec()));
    }
    if !q.include_archived {
        c = c.add(Expr::col((project::Entity, project::Column::ArchivedAt)).is_null());
    }
    let text = fold_for_search(&q.text);
    if !text.is_empty() {
        c = c.add(
            Expr::col((project::Entity, project::Column::SearchFolded)).like(like_contains(&text)),
        );
    }
    if let Some(s) = &q.status {
        c = c.add(Expr::col((project::Entity, project::Column::Status)).eq(s.as_str()));
    }
    if let Some(p) = q.programme_id {
        c = c.add(Expr::col((project::Entity, project::Column::ProgrammeId)).eq(p));
    }
    if let Some(call) = &q.call_id {
        c = c.add(Expr::col((project::Entity, project::Column::CallId)).eq(call.as_str()));
    }
    if let Some(b) = q.beneficiary_id {
        c = c.add(Expr::col((project::Entity, project::Column::BeneficiaryId)).eq(b));
    }
    if let Some(t) = &q.target_group {
        let in_group = Query::select()
            .column((
                project_target_group::Entity,
                project_target_group::Column::ProjectId,
            ))
            .from(project_target_group::Entity)
            .and_where(
                Expr::col((
                    project_target_group::Entity,
                    project_target_group::Column::TargetGroupCode,
                ))
                .eq(t.as_str()),
            )
            .to_owned();
        c = c.add(Expr::col((project::Entity, project::Column::Id)).in_subquery(in_group));
    }
    if let Some(r) = q.region_code {
        let in_region = Query::select()
            .column((
                project_municipality::Entity,
                project_municipality::Column::ProjectId,
            ))
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
            .and_where(Expr::col((district::Entity, district::Column::RegionCode)).eq(r))
            .to_owned();
        c = c.add(Expr::col((project::Entity, project::Column::Id)).in_subquery(in_region));
    }
    c
}

/// One page of the project list.
///
/// # Errors
/// Database errors only; unknown filter values simply match nothing.
#[tracing::instrument(skip(db))]
pub async fn list(
    db: &impl ConnectionTrait,
    q: &ProjectListQuery,
) -> Result<ProjectPage, ServiceError> {
    list_visible(db, q, None).await
}

/// One page of the project list, restricted to `visible` project ids when given (a user's assigned
/// projects).
///
/// # Errors
/// Database errors only.
pub async fn list_visible(
    db: &impl ConnectionTrait,
    q: &ProjectListQuery,
    visible: Option<&[i32]>,
) -> Result<ProjectPage, ServiceError> {
    let sel = project::Entity::find()
        .join(JoinType::InnerJoin, project::Relation::Beneficiary.def())
        .filter(filter_condition(q, visible));
    let total = sel.clone().count(db).await?;
    let order = if q.descending {
        Order::Desc
    } else {
        Order::Asc
    };
    let sel = match q.sort {
        SortColumn::RegistrationNumber => sel.order_by(project::Column::RegistrationNumber, order),
        SortColumn::Acronym => sel.order_by(project::Column::Acronym, order),
        SortColumn::Name => sel.order_by(project::Column::Name, order),
        SortColumn::Beneficiary => sel.order_by(organisation::Column::Name, order),
        SortColumn::Call => sel.order_by(project::Column::CallId, order),
        SortColumn::Status => sel.order_by(project::Column::Status, order),
        SortColumn::StartDate => sel.order_by(project::Column::StartDate, order),
        SortColumn::EndDate => sel.order_by(project::Column::EndDate, order),
    };
    let per_page = q.per_page.clamp(1, crate::dto::MAX_PER_PAGE);
    let page = std::cmp::max(q.page, 1);
    let rows = sel
        .order_by(project::Column::Id, Order::Asc)
        .select_only()
        .columns([
            project::Column::Id,
            project::Column::RegistrationNumber,
            project::Column::Acronym,
            project::Column::Name,
            project::Column::CallId,
            project::Column::Status,
            project::Column::StartDate,
            project::Column::EndDate,
            project::Column::ArchivedAt,
        ])
        .column_as(organisation::Column::Name, "beneficiary_name")
        .offset(u64::from(page - 1) * u64::from(per_page))
        .limit(u64::from(per_page))
        .into_model::<RowRaw>()
        .all(db)
        .await?;
    let rows = rows
        .into_iter()
        .map(|r| {
            Ok(ProjectRow {
                id: r.id,
                registration_number: r.registration_number,
                acronym: r.acronym,
                name: r.name,
                beneficiary_name: r.beneficiary_name,
                call_id: r.call_id,
                status: status_of(&r.status)?,
                start_date: r.start_date,
                end_date: r.end_date,
                archived: r.archived_at.is_some(),
            })
        })
        .collect::<Result<Vec<_>, ServiceError>>()?;
    Ok(ProjectPage {
        rows,
        total,
        page,
        per_page,
    })
}
