//! The project registry: list (filtered, sorted, paginated in SQL), detail, create, update with
//! optimistic locking, archive and restore. Each action is one transaction.

use super::ServiceError;
use crate::domain::roles::Viewer;
use crate::domain::{fold_for_search, format_czech_date, Money, ProjectStatus, RegistrationNumber};
use crate::dto::{
    Choice, MunicipalityRef, ProjectDetail, ProjectInput, ProjectListQuery, ProjectPage,
    ProjectRow, SaveOutcome, SortColumn,
};
use crate::forms::{field, validate_project, ValidProject};
use chrono::{NaiveDate, Utc};
use entity::{
    call, district, municipality, organisation, priority, programme, project, project_municipality,
    project_target_group, region, target_group,
};
use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, DbErr,
    EntityTrait, FromQueryResult, JoinType, Order, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, RelationTrait, Set, TransactionTrait,
};
use std::collections::BTreeSet;

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

fn status_of(code: &str) -> Result<ProjectStatus, ServiceError> {
    ProjectStatus::from_code(code)
        .map_err(|e| ServiceError::Unexpected(format!("stored status: {e}")))
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
        total_eligible: p
            .total_eligible_halere
            .map(Money::from_halere)
            .transpose()
            .map_err(|e| ServiceError::Unexpected(format!("stored amount: {e}")))?,
        amounts_illustrative: p.amounts_illustrative,
        archived: p.archived_at.is_some(),
        target_groups: target_groups_of(db, id).await?,
        municipalities: municipalities_of(db, id).await?,
        updated_at: p.updated_at.format("%d. %m. %Y %H:%M UTC").to_string(),
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
        },
        d.version,
    ))
}

/// Checks a valid form against the database and resolves its programme: unknown programme, duplicate
/// registration number, unknown target groups or municipalities become field errors.
async fn check_against_db(
    txn: &DatabaseTransaction,
    v: &ValidProject,
    own_id: Option<i32>,
) -> Result<i32, ServiceError> {
    let rn = &v.registration_number;
    let Some(prog) = programme_of(txn, rn).await? else {
        return Err(ServiceError::field(
            field::REGISTRATION_NUMBER,
            format!(
                "Program {} období {} není v číselníku programů (evidujeme OPZ+ a OPZ).",
                rn.programme_code(),
                rn.period().label()
            ),
        ));
    };
    let mut dup =
        project::Entity::find().filter(project::Column::RegistrationNumber.eq(rn.as_str()));
    if let Some(id) = own_id {
        dup = dup.filter(project::Column::Id.ne(id));
    }
    if dup.count(txn).await? > 0 {
        return Err(duplicate_error(rn.as_str()));
    }
    let known_groups = target_group::Entity::find()
        .filter(target_group::Column::Code.is_in(v.target_groups.clone()))
        .count(txn)
        .await?;
    if known_groups != v.target_groups.len() as u64 {
        return Err(ServiceError::field(
            field::TARGET_GROUPS,
            "Vyberte cílové skupiny z číselníku.",
        ));
    }
    let codes: Vec<i32> = v
        .municipalities
        .iter()
        .filter_map(|m| i32::try_from(m.value()).ok())
        .collect();
    let known = municipality::Entity::find()
        .filter(municipality::Column::Code.is_in(codes.clone()))
        .all(txn)
        .await?
        .into_iter()
        .map(|m| m.code)
        .collect::<BTreeSet<_>>();
    if let Some(missing) = codes.iter().find(|c| !known.contains(c)) {
        return Err(ServiceError::field(
            field::MUNICIPALITIES,
            format!("Obec s kódem {missing} není v číselníku obcí (načtěte číselník RÚIAN)."),
        ));
    }
    Ok(prog.id)
}

fn duplicate_error(rn: &str) -> ServiceError {
    ServiceError::field(field::REGISTRATION_NUMBER, duplicate_message(rn))
}

/// The programme of a registration number, found by its programme code **and** its programming period:
/// OPZ (2014–2020) and OPZ+ (2021–2027) share the code `03`. The one lookup of the project form and of
/// the importer; `None` when the programme is not in the codebook.
///
/// # Errors
/// Database errors.
pub async fn programme_of(
    db: &impl ConnectionTrait,
    rn: &RegistrationNumber,
) -> Result<Option<programme::Model>, DbErr> {
    programme::Entity::find()
        .filter(programme::Column::Period.eq(rn.period().code()))
        .filter(programme::Column::Code.eq(rn.programme_code()))
        .one(db)
        .await
}

/// Finds the beneficiary by IČO, creating it, or renaming it when `by` may (see
/// [`Viewer::can_rename_organisation`]; `None`, the command line and seed data, may). A rename is
/// audited; a different name from anyone else is a field error, so nothing is saved.
async fn upsert_beneficiary(
    txn: &DatabaseTransaction,
    v: &ValidProject,
    by: Option<&Viewer>,
    project_id: Option<i32>,
) -> Result<i32, ServiceError> {
    let existing = organisation::Entity::find()
        .filter(organisation::Column::Ico.eq(v.beneficiary_ico.as_str()))
        .one(txn)
        .await?;
    Ok(match existing {
        Some(o) if o.name == v.beneficiary_name => o.id,
        Some(o) => {
            if let Some(viewer) = by {
                let its_projects: Vec<i32> = project::Entity::find()
                    .select_only()
                    .column(project::Column::Id)
                    .filter(project::Column::BeneficiaryId.eq(o.id))
                    .into_tuple()
                    .all(txn)
                    .await?;
                if !viewer.can_rename_organisation(&its_projects) {
                    return Err(ServiceError::field(
                        field::BENEFICIARY_NAME,
                        format!(
                            "Název organizace s tímto IČO může změnit jen správce nebo ten, kdo smí \
                             upravovat všechny její projekty; uložený název: {}",
                            o.name
                        ),
                    ));
                }
            }
            let id = o.id;
            let mut am: organisation::ActiveModel = o.clone().into();
            am.name = Set(v.beneficiary_name.clone());
            let renamed = am.update(txn).await?;
            refresh_search_of(txn, &renamed).await?;
            super::audit::changed(
                txn,
                "update",
                "organisation",
                id,
                project_id,
                Some(&o),
                Some(&renamed),
            )
            .await?;
            id
        }
        None => {
            organisation::ActiveModel {
                ico: Set(v.beneficiary_ico.as_str().to_string()),
                name: Set(v.beneficiary_name.clone()),
                ..Default::default()
            }
            .insert(txn)
            .await?
            .id
        }
    })
}

/// What the project list's text search finds a project by: its registration number, name, acronym and
/// its beneficiary's name and IČO.
#[derive(Debug, Clone, Copy)]
pub struct SearchParts<'a> {
    pub registration_number: &'a str,
    pub name: &'a str,
    pub acronym: Option<&'a str>,
    pub beneficiary_name: &'a str,
    pub beneficiary_ico: &'a str,
}

/// The project's `search_folded` column: its [`SearchParts`] folded (lower case, no diacritics). The one
/// builder for the form and the importer; whoever changes a part rebuilds it.
#[must_use]
pub fn search_text(parts: &SearchParts<'_>) -> String {
    fold_for_search(&format!(
        "{} {} {} {} {}",
        parts.registration_number,
        parts.name,
        parts.acronym.unwrap_or_default(),
        parts.beneficiary_name,
        parts.beneficiary_ico
    ))
}

/// Rebuilds the search text of every project of `org` (after a rename: its name is part of it).
async fn refresh_search_of(
    txn: &DatabaseTransaction,
    org: &organisation::Model,
) -> Result<(), ServiceError> {
    let projects = project::Entity::find()
        .filter(project::Column::BeneficiaryId.eq(org.id))
        .all(txn)
        .await?;
    for p in projects {
        let text = search_text(&SearchParts {
            registration_number: &p.registration_number,
            name: &p.name,
            acronym: p.acronym.as_deref(),
            beneficiary_name: &org.name,
            beneficiary_ico: &org.ico,
        });
        if text != p.search_folded {
            project::Entity::update_many()
                .col_expr(project::Column::SearchFolded, Expr::value(text))
                .filter(project::Column::Id.eq(p.id))
                .exec(txn)
                .await?;
        }
    }
    Ok(())
}

fn search_text_of(v: &ValidProject) -> String {
    search_text(&SearchParts {
        registration_number: v.registration_number.as_str(),
        name: &v.name,
        acronym: v.acronym.as_deref(),
        beneficiary_name: &v.beneficiary_name,
        beneficiary_ico: v.beneficiary_ico.as_str(),
    })
}

async fn replace_links(
    txn: &DatabaseTransaction,
    id: i32,
    v: &ValidProject,
) -> Result<(), ServiceError> {
    project_target_group::Entity::delete_many()
        .filter(project_target_group::Column::ProjectId.eq(id))
        .exec(txn)
        .await?;
    project_municipality::Entity::delete_many()
        .filter(project_municipality::Column::ProjectId.eq(id))
        .exec(txn)
        .await?;
    if !v.target_groups.is_empty() {
        project_target_group::Entity::insert_many(v.target_groups.iter().map(|c| {
            project_target_group::ActiveModel {
                project_id: Set(id),
                target_group_code: Set(c.clone()),
            }
        }))
        .exec(txn)
        .await?;
    }
    if !v.municipalities.is_empty() {
        project_municipality::Entity::insert_many(v.municipalities.iter().filter_map(|m| {
            Some(project_municipality::ActiveModel {
                import_id: Set(None),
                project_id: Set(id),
                municipality_code: Set(i32::try_from(m.value()).ok()?),
            })
        }))
        .exec(txn)
        .await?;
    }
    Ok(())
}

fn outcome(result: Result<i32, ServiceError>) -> Result<SaveOutcome, ServiceError> {
    match result {
        Ok(id) => Ok(SaveOutcome::Saved { id }),
        Err(ServiceError::Validation(f)) => Ok(SaveOutcome::Invalid(f)),
        Err(e) => Err(e),
    }
}

/// Creates a project from the form on behalf of the command line or seed data (see [`create_as`]).
///
/// # Errors
/// As [`create_as`].
pub async fn create(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    input: &ProjectInput,
) -> Result<SaveOutcome, ServiceError> {
    create_as(db, None, input).await
}

/// Creates a project from the form, in one transaction. `by` is the signed-in user (`None`: the command
/// line or seed data); it decides whether a different name for a known IČO renames the organisation.
///
/// # Errors
/// Database errors; every problem with the input is an `Ok(SaveOutcome::Invalid)`.
#[tracing::instrument(skip(db, by, input), fields(registration_number = %input.registration_number))]
pub async fn create_as(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    by: Option<&Viewer>,
    input: &ProjectInput,
) -> Result<SaveOutcome, ServiceError> {
    let v = match validate_project(input) {
        Ok(v) => v,
        Err(f) => return Ok(SaveOutcome::Invalid(f)),
    };
    let txn = super::db::begin_write(db).await?;
    let result = async {
        let programme_id = check_against_db(&txn, &v, None).await?;
        let beneficiary_id = upsert_beneficiary(&txn, &v, by, None).await?;
        let now = Utc::now();
        let rn = &v.registration_number;
        let inserted = project::ActiveModel {
            registration_number: Set(rn.as_str().to_string()),
            name: Set(v.name.clone()),
            acronym: Set(v.acronym.clone()),
            beneficiary_id: Set(beneficiary_id),
            programme_id: Set(programme_id),
            priority_code: Set(rn.priority_code().to_string()),
            specific_objective_code: Set(rn.specific_objective_code().to_string()),
            call_id: Set(rn.call_id()),
            status: Set(v.status.code().to_string()),
            start_date: Set(v.dates.start()),
            end_date: Set(v.dates.end()),
            description: Set(v.description.clone()),
            search_folded: Set(search_text_of(&v)),
            total_eligible_halere: Set(v.total_eligible.map(Money::to_halere)),
            amounts_illustrative: Set(false),
            archived_at: Set(None),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await
        .map_err(|e| {
            ServiceError::unique_to_field(
                e,
                field::REGISTRATION_NUMBER,
                duplicate_message(rn.as_str()),
            )
        })?;
        replace_links(&txn, inserted.id, &v).await?;
        if let Some(model) = v.cost_model {
            super::budget::start_finance(&txn, inserted.id, &rn.call_id(), model).await?;
        }
        let after = super::audit::row::<project::Entity>(&txn, inserted.id).await?;
        super::audit::log(
            &txn,
            "create",
            "project",
            inserted.id,
            Some(inserted.id),
            None,
            after,
        )
        .await?;
        Ok(inserted.id)
    }
    .await;
    finish(txn, result).await
}

fn duplicate_message(rn: &str) -> String {
    format!("Projekt s registračním číslem {rn} už je v evidenci.")
}

/// Commits on success, rolls back otherwise, and turns field errors into `SaveOutcome::Invalid`.
async fn finish(
    txn: DatabaseTransaction,
    result: Result<i32, ServiceError>,
) -> Result<SaveOutcome, ServiceError> {
    if result.is_ok() {
        txn.commit().await?;
    } else {
        txn.rollback().await?;
    }
    outcome(result)
}

/// Updates a project from the form on behalf of the command line or seed data (see [`update_as`]).
///
/// # Errors
/// As [`update_as`].
pub async fn update(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    id: i32,
    expected_version: i32,
    input: &ProjectInput,
) -> Result<SaveOutcome, ServiceError> {
    update_as(db, None, id, expected_version, input).await
}

/// Updates a project from the form if nobody saved it since `expected_version`, in one transaction.
/// `by` is the signed-in user (`None`: the command line or seed data); it decides whether a different
/// name for a known IČO renames the organisation.
///
/// # Errors
/// `NotFound`, `Conflict` for an archived project, database errors. Input problems are
/// `Ok(SaveOutcome::Invalid)`, a concurrent change is `Ok(SaveOutcome::Conflict)`.
#[tracing::instrument(skip(db, by, input))]
pub async fn update_as(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    by: Option<&Viewer>,
    id: i32,
    expected_version: i32,
    input: &ProjectInput,
) -> Result<SaveOutcome, ServiceError> {
    let v = match validate_project(input) {
        Ok(v) => v,
        Err(f) => return Ok(SaveOutcome::Invalid(f)),
    };
    let txn = super::db::begin_write(db).await?;
    let stored = project::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if stored.archived_at.is_some() {
        txn.rollback().await?;
        return Err(ServiceError::Conflict(
            "Archivovaný projekt nelze upravovat; nejdřív jej obnovte.".into(),
        ));
    }
    if stored.version != expected_version {
        let (stored_input, stored_version) = input_of(&txn, id).await?;
        txn.rollback().await?;
        return Ok(SaveOutcome::Conflict {
            stored: stored_input,
            stored_version,
        });
    }
    // The project's links (target groups, municipalities) before the change, for the audit trail.
    let (links_before, _) = input_of(&txn, id).await?;
    let result = async {
        let old_status = status_of(&stored.status)?;
        if let Err(e) = old_status.transition(v.status) {
            return Err(ServiceError::field(field::STATUS, e.to_string()));
        }
        let programme_id = check_against_db(&txn, &v, Some(id)).await?;
        let beneficiary_id = upsert_beneficiary(&txn, &v, by, Some(id)).await?;
        let rn = &v.registration_number;
        let res = project::Entity::update_many()
            .col_expr(
                project::Column::RegistrationNumber,
                Expr::value(rn.as_str()),
            )
            .col_expr(project::Column::Name, Expr::value(v.name.clone()))
            .col_expr(project::Column::ImportId, Expr::value(Option::<i32>::None))
            .col_expr(project::Column::Acronym, Expr::value(v.acronym.clone()))
            .col_expr(project::Column::BeneficiaryId, Expr::value(beneficiary_id))
            .col_expr(project::Column::ProgrammeId, Expr::value(programme_id))
            .col_expr(
                project::Column::PriorityCode,
                Expr::value(rn.priority_code()),
            )
            .col_expr(
                project::Column::SpecificObjectiveCode,
                Expr::value(rn.specific_objective_code()),
            )
            .col_expr(project::Column::CallId, Expr::value(rn.call_id()))
            .col_expr(project::Column::Status, Expr::value(v.status.code()))
            .col_expr(project::Column::StartDate, Expr::value(v.dates.start()))
            .col_expr(project::Column::EndDate, Expr::value(v.dates.end()))
            .col_expr(
                project::Column::Description,
                Expr::value(v.description.clone()),
            )
            .col_expr(
                project::Column::SearchFolded,
                Expr::value(search_text_of(&v)),
            )
            .col_expr(
                project::Column::TotalEligibleHalere,
                Expr::value(v.total_eligible.map(Money::to_halere)),
            )
            .col_expr(project::Column::Version, Expr::value(expected_version + 1))
            .col_expr(project::Column::UpdatedAt, Expr::value(Utc::now()))
            .filter(project::Column::Id.eq(id))
            .filter(project::Column::Version.eq(expected_version))
            .exec(&txn)
            .await
            .map_err(|e| {
                ServiceError::unique_to_field(
                    e,
                    field::REGISTRATION_NUMBER,
                    duplicate_message(rn.as_str()),
                )
            })?;
        if res.rows_affected != 1 {
            // Someone saved between our version check and the update: say so; the next save shows both.
            return Err(ServiceError::Conflict(
                "Projekt právě uložil někdo jiný. Uložte znovu: zobrazí se porovnání obou verzí."
                    .into(),
            ));
        }
        replace_links(&txn, id, &v).await?;
        let (links_after, _) = input_of(&txn, id).await?;
        let mut before = super::audit::snapshot(&stored);
        let mut after = super::audit::row::<project::Entity>(&txn, id)
            .await?
            .unwrap_or_default();
        for (snap, links) in [(&mut before, &links_before), (&mut after, &links_after)] {
            let mut groups = links.target_groups.clone();
            groups.sort();
            let mut places: Vec<String> = links
                .municipalities
                .iter()
                .map(|m| format!("{} {}", m.code, m.name))
                .collect();
            places.sort();
            snap.insert("target_groups".into(), serde_json::json!(groups.join(", ")));
            snap.insert(
                "municipalities".into(),
                serde_json::json!(places.join(", ")),
            );
        }
        super::audit::log(
            &txn,
            "update",
            "project",
            id,
            Some(id),
            Some(before),
            Some(after),
        )
        .await?;
        Ok(id)
    }
    .await;
    finish(txn, result).await
}

/// Archives (`archive = true`) or restores a project, if nobody changed it since `expected_version`.
/// Projects are never deleted: their data stay for the audit.
///
/// # Errors
/// `NotFound`; `Conflict` when the project changed meanwhile.
#[tracing::instrument(skip(db))]
pub async fn set_archived(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    id: i32,
    expected_version: i32,
    archive: bool,
) -> Result<(), ServiceError> {
    let txn = super::db::begin_write(db).await?;
    let before = project::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let now = Utc::now();
    let res = project::Entity::update_many()
        .col_expr(
            project::Column::ArchivedAt,
            Expr::value(archive.then_some(now)),
        )
        .col_expr(project::Column::Version, Expr::value(expected_version + 1))
        .col_expr(project::Column::UpdatedAt, Expr::value(now))
        .filter(project::Column::Id.eq(id))
        .filter(project::Column::Version.eq(expected_version))
        .exec(&txn)
        .await?;
    if res.rows_affected != 1 {
        txn.rollback().await?;
        return Err(ServiceError::Conflict(
            "Projekt mezitím změnil někdo jiný. Načtěte stránku znovu a akci zopakujte.".into(),
        ));
    }
    let after = super::audit::row::<project::Entity>(&txn, id).await?;
    let action = if archive { "archive" } else { "restore" };
    super::audit::log(
        &txn,
        action,
        "project",
        id,
        Some(id),
        Some(super::audit::snapshot(&before)),
        after,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
