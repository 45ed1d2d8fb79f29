//! The expenditure ledger (*evidence výdajů*): every paid document of a project, filtered, ordered and
//! paged on the server, with the totals of the filtered rows. The same filtered rows feed the ledger's
//! exports and "select all filtered" when documents are put into a payment claim.

use std::collections::HashMap;

use super::{money, sum, ServiceError};
use crate::domain::{fold_for_search, ClaimStatus};
use crate::dto::{
    Choice, ClaimFilter, LedgerPage, LedgerQuery, LedgerRow, LedgerSort, SourceFilter,
};
use entity::{budget_line, expenditure, import_batch, monitoring_period, payment_claim, project};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

/// What the ledger needs to describe a row: the project's lines, periods and claims by id.
pub(crate) struct LedgerContext {
    pub registration_number: String,
    pub lines: Vec<budget_line::Model>,
    pub periods: Vec<monitoring_period::Model>,
    pub claims: Vec<payment_claim::Model>,
    line_by_id: HashMap<i32, usize>,
    period_by_id: HashMap<i32, i32>,
    claim_by_id: HashMap<i32, usize>,
}

impl LedgerContext {
    /// Loads the project's lines, periods and claims (one query per table).
    pub(crate) async fn load(
        db: &impl ConnectionTrait,
        project_id: i32,
    ) -> Result<Self, ServiceError> {
        let p = project::Entity::find_by_id(project_id)
            .one(db)
            .await?
            .ok_or(ServiceError::NotFound)?;
        let lines = budget_line::Entity::find()
            .filter(budget_line::Column::ProjectId.eq(project_id))
            .order_by_asc(budget_line::Column::Code)
            .order_by_asc(budget_line::Column::Year)
            .all(db)
            .await?;
        let periods = monitoring_period::Entity::find()
            .filter(monitoring_period::Column::ProjectId.eq(project_id))
            .order_by_asc(monitoring_period::Column::Number)
            .all(db)
            .await?;
        let claims = payment_claim::Entity::find()
            .filter(payment_claim::Column::ProjectId.eq(project_id))
            .order_by_asc(payment_claim::Column::Number)
            .all(db)
            .await?;
        Ok(Self {
            registration_number: p.registration_number,
            line_by_id: lines.iter().enumerate().map(|(i, l)| (l.id, i)).collect(),
            period_by_id: periods.iter().map(|p| (p.id, p.number)).collect(),
            claim_by_id: claims.iter().enumerate().map(|(i, c)| (c.id, i)).collect(),
            lines,
            periods,
            claims,
        })
    }

    pub(crate) fn line(&self, id: i32) -> Option<&budget_line::Model> {
        self.line_by_id.get(&id).map(|i| &self.lines[*i])
    }

    pub(crate) fn claim(&self, id: i32) -> Option<&payment_claim::Model> {
        self.claim_by_id.get(&id).map(|i| &self.claims[*i])
    }

    pub(crate) fn period_number(&self, id: i32) -> Option<i32> {
        self.period_by_id.get(&id).copied()
    }

    /// Whether the document may change: not in a claim whose list is frozen.
    pub(crate) fn editable(&self, e: &expenditure::Model) -> bool {
        e.claim_id.and_then(|c| self.claim(c)).is_none_or(|c| {
            ClaimStatus::from_code(&c.status).is_ok_and(ClaimStatus::documents_editable)
        })
    }

    /// The ledger row of a stored expenditure.
    pub(crate) fn row(&self, e: &expenditure::Model) -> Result<LedgerRow, ServiceError> {
        Ok(LedgerRow {
            id: e.id,
            version: e.version,
            document_number: e.document_number.clone(),
            paid_on: e.paid_on,
            budget_line_id: e.budget_line_id,
            budget_line_code: self
                .line(e.budget_line_id)
                .map(|l| l.code.clone())
                .unwrap_or_default(),
            budget_line: self
                .line(e.budget_line_id)
                .map(line_label)
                .unwrap_or_default(),
            amount: money(e.amount_halere)?,
            units: e.units.clone(),
            description: e.description.clone(),
            supplier: e.supplier.clone(),
            period_number: e.period_id.and_then(|p| self.period_number(p)),
            claim: e
                .claim_id
                .and_then(|c| self.claim(c))
                .map(|c| (c.id, c.number)),
            editable: self.editable(e),
            import_id: e.import_id,
        })
    }
}

/// `1.1.1.1 Mzdy (2026)`.
pub(crate) fn line_label(l: &budget_line::Model) -> String {
    format!("{} {} ({})", l.code, l.name, l.year)
}

/// Every expenditure of the project that the filters match, in the query's order (not paged).
///
/// # Errors
/// Database errors.
pub(crate) async fn filtered(
    db: &impl ConnectionTrait,
    project_id: i32,
    q: &LedgerQuery,
    ctx: &LedgerContext,
) -> Result<Vec<expenditure::Model>, ServiceError> {
    let mut select =
        expenditure::Entity::find().filter(expenditure::Column::ProjectId.eq(project_id));
    if let Some(l) = q.line_id {
        select = select.filter(expenditure::Column::BudgetLineId.eq(l));
    }
    if let Some(p) = q.period_id {
        select = select.filter(expenditure::Column::PeriodId.eq(p));
    }
    if let Some(d) = q.from {
        select = select.filter(expenditure::Column::PaidOn.gte(d));
    }
    if let Some(d) = q.to {
        select = select.filter(expenditure::Column::PaidOn.lte(d));
    }
    select = match q.claim {
        ClaimFilter::Any => select,
        ClaimFilter::Unclaimed => select.filter(expenditure::Column::ClaimId.is_null()),
        ClaimFilter::Claim(c) => select.filter(expenditure::Column::ClaimId.eq(c)),
    };
    select = match q.source {
        SourceFilter::Any => select,
        SourceFilter::Form => select.filter(expenditure::Column::ImportId.is_null()),
        SourceFilter::Import(i) => select.filter(expenditure::Column::ImportId.eq(i)),
    };
    let mut rows = select.order_by_asc(expenditure::Column::Id).all(db).await?;
    let needle = fold_for_search(&q.text);
    if !needle.is_empty() {
        rows.retain(|e| {
            [
                e.document_number.as_deref().unwrap_or(""),
                &e.description,
                &e.supplier,
            ]
            .iter()
            .any(|t| fold_for_search(t).contains(&needle))
        });
    }
    let line_code = |e: &expenditure::Model| {
        ctx.line(e.budget_line_id)
            .map(|l| (l.code.clone(), l.year))
            .unwrap_or_default()
    };
    match q.sort {
        LedgerSort::PaidOn => rows.sort_by_key(|e| e.paid_on),
        LedgerSort::Document => rows.sort_by(|a, b| {
            natural(a.document_number.as_deref()).cmp(&natural(b.document_number.as_deref()))
        }),
        LedgerSort::BudgetLine => rows.sort_by_key(line_code),
        LedgerSort::Amount => rows.sort_by_key(|e| e.amount_halere),
        LedgerSort::Supplier => rows.sort_by_key(|e| fold_for_search(&e.supplier)),
        LedgerSort::Period => {
            rows.sort_by_key(|e| e.period_id.and_then(|p| ctx.period_number(p)));
        }
    }
    if q.descending {
        rows.reverse();
    }
    Ok(rows)
}

/// A document number ordered as people read it: `FV-2` before `FV-10`.
fn natural(doc: Option<&str>) -> Vec<(String, u64)> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut digits = String::new();
    for c in doc.unwrap_or("").chars() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else {
            if !digits.is_empty() {
                out.push((
                    std::mem::take(&mut text),
                    digits.parse().unwrap_or(u64::MAX),
                ));
                digits.clear();
            }
            text.extend(c.to_lowercase());
        }
    }
    out.push((text, digits.parse().unwrap_or(0)));
    out
}

/// A page of a project's ledger.
///
/// # Errors
/// `NotFound`; database errors.
pub async fn ledger(
    db: &impl ConnectionTrait,
    project_id: i32,
    q: &LedgerQuery,
) -> Result<LedgerPage, ServiceError> {
    let ctx = LedgerContext::load(db, project_id).await?;
    let rows = filtered(db, project_id, q, &ctx).await?;
    let per_page = if q.per_page == 0 {
        crate::dto::DEFAULT_PER_PAGE
    } else {
        q.per_page
    };
    let total = rows.len() as u64;
    let pages = usize::try_from(total.div_ceil(u64::from(per_page)).max(1)).unwrap_or(1);
    let page = usize::try_from(q.page.max(1)).unwrap_or(1).min(pages);
    let start = (page - 1) * per_page as usize;
    let unclaimed: Vec<i64> = rows
        .iter()
        .filter(|e| e.claim_id.is_none())
        .map(|e| e.amount_halere)
        .collect();
    let imports = import_choices(db, project_id).await?;
    Ok(LedgerPage {
        sum: sum(rows.iter().map(|e| e.amount_halere))?,
        unclaimed: unclaimed.len() as u64,
        unclaimed_sum: sum(unclaimed)?,
        rows: rows
            .iter()
            .skip(start)
            .take(per_page as usize)
            .map(|e| ctx.row(e))
            .collect::<Result<_, _>>()?,
        total,
        page: u32::try_from(page).unwrap_or(1),
        per_page,
        lines: ctx
            .lines
            .iter()
            .map(|l| Choice {
                value: l.id.to_string(),
                label: line_label(l),
            })
            .collect(),
        periods: ctx
            .periods
            .iter()
            .map(|p| Choice {
                value: p.id.to_string(),
                label: format!("ZoR {}", p.number),
            })
            .collect(),
        claims: ctx.claims.iter().map(claim_choice).collect(),
        open_claims: ctx
            .claims
            .iter()
            .filter(|c| {
                c.with_documents
                    && ClaimStatus::from_code(&c.status).is_ok_and(ClaimStatus::documents_editable)
            })
            .map(claim_choice)
            .collect(),
        imports,
        registration_number: ctx.registration_number,
    })
}

fn claim_choice(c: &payment_claim::Model) -> Choice {
    let status = ClaimStatus::from_code(&c.status).map_or("", ClaimStatus::label);
    Choice {
        value: c.id.to_string(),
        label: format!("ŽoP č. {} ({status})", c.number),
    }
}

/// The imports that booked or changed some of the project's expenditures.
async fn import_choices(
    db: &impl ConnectionTrait,
    project_id: i32,
) -> Result<Vec<Choice>, ServiceError> {
    use sea_orm::QuerySelect;
    let ids: Vec<Option<i32>> = expenditure::Entity::find()
        .select_only()
        .column(expenditure::Column::ImportId)
        .filter(expenditure::Column::ProjectId.eq(project_id))
        .filter(expenditure::Column::ImportId.is_not_null())
        .distinct()
        .into_tuple()
        .all(db)
        .await?;
    let ids: Vec<i32> = ids.into_iter().flatten().collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let batches = import_batch::Entity::find()
        .filter(import_batch::Column::Id.is_in(ids))
        .order_by_asc(import_batch::Column::Id)
        .all(db)
        .await?;
    Ok(batches
        .into_iter()
        .map(|b| Choice {
            value: b.id.to_string(),
            label: format!("import č. {} ({})", b.id, b.file_name),
        })
        .collect())
}

/// The headers of an exported ledger: the importer's own (kind 4, *Výdaje*), so an exported ledger
/// imports back unchanged. `Poznámka` (read as a note) says which claim holds the document.
pub const EXPORT_HEADERS: [&str; 9] = [
    "Registrační číslo projektu",
    "Číslo dokladu",
    "Datum úhrady",
    "Položka rozpočtu",
    "Částka (Kč)",
    "Období",
    "Popis",
    "Dodavatel",
    "Poznámka",
];

/// Ledger rows as an export table (one sheet `Výdaje`).
#[must_use]
pub fn export_table(
    registration_number: &str,
    rows: &[LedgerRow],
) -> crate::services::export::Table {
    use crate::services::export::{Cell, Table};
    let mut t = Table::new("Výdaje", &EXPORT_HEADERS);
    for r in rows {
        t.rows.push(vec![
            Cell::Text(registration_number.to_owned()),
            r.document_number.clone().map_or(Cell::Empty, Cell::Text),
            r.paid_on.into(),
            Cell::Text(r.budget_line_code.clone()),
            Cell::Money(r.amount),
            r.period_number
                .map_or(Cell::Empty, |n| Cell::Text(format!("ZoR {n}"))),
            Cell::Text(r.description.clone()),
            Cell::Text(r.supplier.clone()),
            r.claim
                .map_or(Cell::Empty, |(_, n)| Cell::Text(format!("ŽoP č. {n}"))),
        ]);
    }
    t
}

/// Every filtered row of the ledger (all pages) as an export table.
///
/// # Errors
/// `NotFound`; database errors.
pub async fn ledger_export(
    db: &impl ConnectionTrait,
    project_id: i32,
    q: &LedgerQuery,
) -> Result<crate::services::export::Table, ServiceError> {
    let ctx = LedgerContext::load(db, project_id).await?;
    let rows = filtered(db, project_id, &q.filters_only(), &ctx).await?;
    let rows: Vec<LedgerRow> = rows.iter().map(|e| ctx.row(e)).collect::<Result<_, _>>()?;
    Ok(export_table(&ctx.registration_number, &rows))
}
