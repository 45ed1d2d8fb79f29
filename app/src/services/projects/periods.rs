//! A project's monitoring periods from its dates, by the programme's reporting rule
//! (`programme.report_period_months`, see [`crate::domain::periods`]).
//!
//! - A new project gets its periods when it is created ([`generate`]), whoever creates it: the form, the
//!   importer and the command line all go through [`super::insert_project`].
//! - When its dates change, its periods are laid out again ([`reschedule`]): periods without data may be
//!   moved, added or removed; a period holding data (indicator values, expenditures, payment claims,
//!   reviews or review comments) is never moved: the change of dates is refused, at the date field of the
//!   form or the date cell of the sheet, with a Czech message naming the periods.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::domain::{format_czech_date, report_periods, DateRange, ReportPeriodMonths};
use entity::{
    expenditure, indicator_value, monitoring_period, payment_claim, period_review, programme,
    review_comment,
};

/// The reporting rule of a programme (the default when the programme is unknown).
///
/// # Errors
/// Database errors.
pub async fn rule_of_programme(
    db: &impl ConnectionTrait,
    programme_id: i32,
) -> Result<ReportPeriodMonths, DbErr> {
    Ok(programme::Entity::find_by_id(programme_id)
        .one(db)
        .await?
        .map_or(ReportPeriodMonths::DEFAULT, |p| {
            ReportPeriodMonths::from_stored(p.report_period_months)
        }))
}

/// A project's periods, in order of their numbers.
///
/// # Errors
/// Database errors.
pub async fn periods_of(
    db: &impl ConnectionTrait,
    project_id: i32,
) -> Result<Vec<monitoring_period::Model>, DbErr> {
    monitoring_period::Entity::find()
        .filter(monitoring_period::Column::ProjectId.eq(project_id))
        .order_by_asc(monitoring_period::Column::Number)
        .all(db)
        .await
}

async fn insert_period(
    db: &impl ConnectionTrait,
    project_id: i32,
    number: i32,
    dates: DateRange,
    import_id: Option<i32>,
) -> Result<monitoring_period::Model, DbErr> {
    monitoring_period::ActiveModel {
        project_id: Set(project_id),
        number: Set(number),
        start_date: Set(dates.start()),
        end_date: Set(dates.end()),
        import_id: Set(import_id),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// Gives a project the periods of its programme's rule over `dates`, unless it has periods already (then
/// nothing is added). Returns the periods added, tagged with `import_id` when an import adds them.
///
/// # Errors
/// Database errors.
pub async fn generate(
    db: &impl ConnectionTrait,
    project_id: i32,
    programme_id: i32,
    dates: DateRange,
    import_id: Option<i32>,
) -> Result<Vec<monitoring_period::Model>, DbErr> {
    let exists = monitoring_period::Entity::find()
        .filter(monitoring_period::Column::ProjectId.eq(project_id))
        .one(db)
        .await?
        .is_some();
    if exists {
        return Ok(Vec::new());
    }
    let rule = rule_of_programme(db, programme_id).await?;
    let mut added = Vec::new();
    for (number, period) in (1..).zip(report_periods(dates, rule)) {
        added.push(insert_period(db, project_id, number, period, import_id).await?);
    }
    Ok(added)
}

/// The periods among `ids` that hold data: indicator values, expenditures, payment claims, reviews or
/// review comments refer to them.
async fn periods_with_data(db: &impl ConnectionTrait, ids: &[i32]) -> Result<BTreeSet<i32>, DbErr> {
    let mut used = BTreeSet::new();
    if ids.is_empty() {
        return Ok(used);
    }
    let ids = ids.to_vec();
    used.extend(
        indicator_value::Entity::find()
            .select_only()
            .column(indicator_value::Column::PeriodId)
            .filter(indicator_value::Column::PeriodId.is_in(ids.clone()))
            .distinct()
            .into_tuple::<i32>()
            .all(db)
            .await?,
    );
    used.extend(
        expenditure::Entity::find()
            .select_only()
            .column(expenditure::Column::PeriodId)
            .filter(expenditure::Column::PeriodId.is_in(ids.clone()))
            .distinct()
            .into_tuple::<Option<i32>>()
            .all(db)
            .await?
            .into_iter()
            .flatten(),
    );
    used.extend(
        payment_claim::Entity::find()
            .select_only()
            .column(payment_claim::Column::PeriodId)
            .filter(payment_claim::Column::PeriodId.is_in(ids.clone()))
            .distinct()
            .into_tuple::<Option<i32>>()
            .all(db)
            .await?
            .into_iter()
            .flatten(),
    );
    used.extend(
        period_review::Entity::find()
            .select_only()
            .column(period_review::Column::PeriodId)
            .filter(period_review::Column::PeriodId.is_in(ids.clone()))
            .distinct()
            .into_tuple::<i32>()
            .all(db)
            .await?,
    );
    used.extend(
        review_comment::Entity::find()
            .select_only()
            .column(review_comment::Column::PeriodId)
            .filter(review_comment::Column::PeriodId.is_in(ids))
            .distinct()
            .into_tuple::<i32>()
            .all(db)
            .await?,
    );
    Ok(used)
}

/// A change of dates refused because periods holding data would move.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodsWithData {
    /// The periods that would move: number, from, to.
    pub periods: Vec<(i32, NaiveDate, NaiveDate)>,
    /// The programme's rule, for the message.
    pub rule: ReportPeriodMonths,
}

impl PeriodsWithData {
    /// The Czech message, for the date field or the date cell.
    #[must_use]
    pub fn message(&self) -> String {
        let named: Vec<String> = self
            .periods
            .iter()
            .map(|(n, from, to)| {
                format!(
                    "ZoR {n} ({} – {})",
                    format_czech_date(*from),
                    format_czech_date(*to)
                )
            })
            .collect();
        format!(
            "Dobu realizace takto změnit nelze: monitorovací období {} už obsahuje data (hodnoty \
             indikátorů, výdaje, žádosti o platbu nebo kontroly) a podle pravidla programu (období po {} \
             měsících) by se posunulo. Období s daty se nikdy nepřesouvají; zvolte data, při nichž tato \
             období zůstanou, nebo nejdřív přesuňte jejich data.",
            named.join(", "),
            self.rule.get()
        )
    }
}

/// What a new layout of periods did.
#[derive(Debug, Clone, Default)]
pub struct Rescheduled {
    /// Periods added.
    pub added: Vec<monitoring_period::Model>,
    /// Periods given new dates: before and after.
    pub moved: Vec<(monitoring_period::Model, monitoring_period::Model)>,
    /// Periods removed (they held no data).
    pub removed: Vec<monitoring_period::Model>,
}

/// Lays a project's periods out again for its new dates by the programme's rule: period *n* gets the
/// rule's *n*-th dates, missing periods are added and surplus ones removed. Nothing is written when a
/// period holding data would move or be removed: that is the `Err`. Periods written carry `import_id`
/// (`None` from the form, which so detaches them from an import).
///
/// # Errors
/// Database errors.
pub async fn reschedule(
    db: &impl ConnectionTrait,
    project_id: i32,
    programme_id: i32,
    dates: DateRange,
    import_id: Option<i32>,
) -> Result<Result<Rescheduled, PeriodsWithData>, DbErr> {
    let rule = rule_of_programme(db, programme_id).await?;
    let target = report_periods(dates, rule);
    let existing = periods_of(db, project_id).await?;
    let ids: Vec<i32> = existing.iter().map(|p| p.id).collect();
    let used = periods_with_data(db, &ids).await?;
    let wanted = |number: i32| usize::try_from(number - 1).ok().and_then(|i| target.get(i));
    let blocked: Vec<(i32, NaiveDate, NaiveDate)> = existing
        .iter()
        .filter(|p| used.contains(&p.id))
        .filter(|p| {
            wanted(p.number).is_none_or(|t| (t.start(), t.end()) != (p.start_date, p.end_date))
        })
        .map(|p| (p.number, p.start_date, p.end_date))
        .collect();
    if !blocked.is_empty() {
        return Ok(Err(PeriodsWithData {
            periods: blocked,
            rule,
        }));
    }
    let mut done = Rescheduled::default();
    for p in &existing {
        if wanted(p.number).is_none() {
            monitoring_period::Entity::delete_by_id(p.id)
                .exec(db)
                .await?;
            done.removed.push(p.clone());
        }
    }
    for (number, period) in (1..).zip(target) {
        match existing.iter().find(|p| p.number == number) {
            Some(p) if (p.start_date, p.end_date) == (period.start(), period.end()) => {}
            Some(p) => {
                let mut am: monitoring_period::ActiveModel = p.clone().into();
                am.start_date = Set(period.start());
                am.end_date = Set(period.end());
                am.import_id = Set(import_id);
                let after = am.update(db).await?;
                done.moved.push((p.clone(), after));
            }
            None => done
                .added
                .push(insert_period(db, project_id, number, period, import_id).await?),
        }
    }
    Ok(Ok(done))
}
