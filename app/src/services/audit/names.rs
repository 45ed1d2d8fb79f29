//! Names of the rows the audit trail refers to (`VNP · EECO01 · ZoR 8`, not `indicator_value 61`), read
//! for a whole page of entries at once: one query per table, never one per entry.

use std::collections::{BTreeSet, HashMap};

use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

use entity::{
    advance, api_token, app_user, audit_log, budget_line, call, document, expenditure,
    import_batch, indicator, indicator_value, monitoring_period, organisation, payment_claim,
    period_review, programme, project, project_indicator, review_comment, unit_cost,
};

use super::fields::{self, Kind, Names, Table};
use crate::domain::format_czech_date;

type Ids = BTreeSet<i32>;

/// The names of every row a page of entries mentions.
#[derive(Debug, Default)]
pub struct Directory {
    projects: HashMap<i32, String>,
    organisations: HashMap<i32, String>,
    programmes: HashMap<i32, String>,
    indicators: HashMap<i32, (String, String)>,
    project_indicators: HashMap<i32, (i32, i32)>,
    periods: HashMap<i32, (i32, i32)>,
    values: HashMap<i32, (i32, i32)>,
    lines: HashMap<i32, (i32, String)>,
    claims: HashMap<i32, (i32, i32)>,
    expenditures: HashMap<i32, (i32, String)>,
    advances: HashMap<i32, (i32, String)>,
    reviews: HashMap<i32, i32>,
    comments: HashMap<i32, i32>,
    unit_costs: HashMap<i32, String>,
    users: HashMap<i32, String>,
    calls: HashMap<i32, String>,
    tokens: HashMap<i32, String>,
    imports: HashMap<i32, String>,
    documents: HashMap<i32, (i32, String)>,
}

async fn rows<E>(
    db: &impl ConnectionTrait,
    col: E::Column,
    ids: &Ids,
) -> Result<Vec<E::Model>, DbErr>
where
    E: EntityTrait,
{
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    E::find()
        .filter(col.is_in(ids.iter().copied()))
        .all(db)
        .await
}

fn id_of(v: &serde_json::Value) -> Option<i32> {
    v.as_i64()
        .and_then(|i| i32::try_from(i).ok())
        .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
}

/// The ids a page mentions, table by table.
#[derive(Default)]
struct Wanted {
    by_table: HashMap<Table, Ids>,
    by_entity: HashMap<String, Ids>,
}

impl Wanted {
    fn table(&mut self, t: Table) -> &mut Ids {
        self.by_table.entry(t).or_default()
    }
    fn entity(&self, e: &str) -> Ids {
        self.by_entity.get(e).cloned().unwrap_or_default()
    }
    fn of(entries: &[audit_log::Model]) -> Self {
        let mut w = Self::default();
        for e in entries {
            if let Some(p) = e.project_id {
                w.table(Table::Project).insert(p);
            }
            if let Ok(id) = e.entity_id.trim().parse::<i32>() {
                w.by_entity.entry(e.entity.clone()).or_default().insert(id);
            }
            let changes: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(&e.changes_json).unwrap_or_default();
            for (column, pair) in &changes {
                if let Kind::Ref(t) = fields::kind(&e.entity, column) {
                    let ids = pair.as_array().into_iter().flatten().filter_map(id_of);
                    w.table(t).extend(ids);
                }
            }
        }
        w
    }
}

impl Directory {
    /// Reads the names of every row the entries mention (the entries' own rows, their projects and every
    /// value that refers to a row).
    ///
    /// # Errors
    /// Database errors.
    pub async fn load(
        db: &impl ConnectionTrait,
        entries: &[audit_log::Model],
    ) -> Result<Self, DbErr> {
        let mut w = Wanted::of(entries);
        let mut d = Self::default();
        for e in ["project", "project_finance"] {
            let ids = w.entity(e);
            w.table(Table::Project).extend(ids);
        }
        for (e, t) in [
            ("organisation", Table::Organisation),
            ("programme", Table::Programme),
            ("indicator", Table::Indicator),
            ("project_indicator", Table::ProjectIndicator),
            ("monitoring_period", Table::Period),
            ("budget_line", Table::BudgetLine),
            ("payment_claim", Table::Claim),
            ("unit_cost", Table::UnitCost),
            ("app_user", Table::User),
        ] {
            let ids = w.entity(e);
            w.table(t).extend(ids);
        }
        for r in rows::<indicator_value::Entity>(
            db,
            indicator_value::Column::Id,
            &w.entity("indicator_value"),
        )
        .await?
        {
            w.table(Table::ProjectIndicator)
                .insert(r.project_indicator_id);
            w.table(Table::Period).insert(r.period_id);
            d.values.insert(r.id, (r.project_indicator_id, r.period_id));
        }
        let mut expenditures = w.entity("expenditure");
        expenditures.extend(w.table(Table::Expenditure).iter().copied());
        for r in rows::<expenditure::Entity>(db, expenditure::Column::Id, &expenditures).await? {
            w.table(Table::Project).insert(r.project_id);
            let what = r
                .document_number
                .filter(|n| !n.trim().is_empty())
                .map_or(r.description, |n| format!("doklad {n}"));
            d.expenditures.insert(r.id, (r.project_id, what));
        }
        for r in rows::<advance::Entity>(db, advance::Column::Id, &w.entity("advance")).await? {
            w.table(Table::Project).insert(r.project_id);
            d.advances
                .insert(r.id, (r.project_id, format_czech_date(r.paid_on)));
        }
        for r in
            rows::<period_review::Entity>(db, period_review::Column::Id, &w.entity("period_review"))
                .await?
        {
            w.table(Table::Period).insert(r.period_id);
            d.reviews.insert(r.id, r.period_id);
        }
        for r in rows::<review_comment::Entity>(
            db,
            review_comment::Column::Id,
            &w.entity("review_comment"),
        )
        .await?
        {
            w.table(Table::Period).insert(r.period_id);
            d.comments.insert(r.id, r.period_id);
        }
        for r in rows::<document::Entity>(db, document::Column::Id, &w.entity("document")).await? {
            w.table(Table::Project).insert(r.project_id);
            d.documents.insert(r.id, (r.project_id, r.name));
        }
        let ids = w.table(Table::ProjectIndicator).clone();
        for r in rows::<project_indicator::Entity>(db, project_indicator::Column::Id, &ids).await? {
            w.table(Table::Project).insert(r.project_id);
            w.table(Table::Indicator).insert(r.indicator_id);
            d.project_indicators
                .insert(r.id, (r.project_id, r.indicator_id));
        }
        let ids = w.table(Table::Period).clone();
        for r in rows::<monitoring_period::Entity>(db, monitoring_period::Column::Id, &ids).await? {
            w.table(Table::Project).insert(r.project_id);
            d.periods.insert(r.id, (r.project_id, r.number));
        }
        let ids = w.table(Table::BudgetLine).clone();
        for r in rows::<budget_line::Entity>(db, budget_line::Column::Id, &ids).await? {
            w.table(Table::Project).insert(r.project_id);
            d.lines
                .insert(r.id, (r.project_id, format!("{} {}", r.code, r.name)));
        }
        let ids = w.table(Table::Claim).clone();
        for r in rows::<payment_claim::Entity>(db, payment_claim::Column::Id, &ids).await? {
            w.table(Table::Project).insert(r.project_id);
            d.claims.insert(r.id, (r.project_id, r.number));
        }
        d.load_leaves(db, &mut w).await?;
        Ok(d)
    }

    /// The rows that refer to no other: projects, organisations, codebooks, users and the like.
    async fn load_leaves(
        &mut self,
        db: &impl ConnectionTrait,
        w: &mut Wanted,
    ) -> Result<(), DbErr> {
        let ids = w.table(Table::Project).clone();
        for r in rows::<project::Entity>(db, project::Column::Id, &ids).await? {
            let name = r
                .acronym
                .filter(|a| !a.trim().is_empty())
                .unwrap_or(r.registration_number);
            self.projects.insert(r.id, name);
        }
        let ids = w.table(Table::Organisation).clone();
        for r in rows::<organisation::Entity>(db, organisation::Column::Id, &ids).await? {
            self.organisations
                .insert(r.id, format!("{} (IČO {})", r.name, r.ico));
        }
        let ids = w.table(Table::Programme).clone();
        for r in rows::<programme::Entity>(db, programme::Column::Id, &ids).await? {
            self.programmes.insert(r.id, r.short_name);
        }
        let ids = w.table(Table::Indicator).clone();
        for r in rows::<indicator::Entity>(db, indicator::Column::Id, &ids).await? {
            self.indicators.insert(r.id, (r.code, r.name_cs));
        }
        let ids = w.table(Table::UnitCost).clone();
        for r in rows::<unit_cost::Entity>(db, unit_cost::Column::Id, &ids).await? {
            self.unit_costs
                .insert(r.id, format!("{} {}", r.code, r.name));
        }
        let ids = w.table(Table::User).clone();
        for r in rows::<app_user::Entity>(db, app_user::Column::Id, &ids).await? {
            self.users.insert(r.id, r.email);
        }
        for r in rows::<call::Entity>(db, call::Column::Id, &w.entity("call")).await? {
            self.calls.insert(r.id, format!("{} {}", r.call_id, r.name));
        }
        for r in
            rows::<api_token::Entity>(db, api_token::Column::Id, &w.entity("api_token")).await?
        {
            self.tokens.insert(r.id, r.name);
        }
        for r in
            rows::<import_batch::Entity>(db, import_batch::Column::Id, &w.entity("import_batch"))
                .await?
        {
            self.imports
                .insert(r.id, format!("č. {} · {}", r.id, r.file_name));
        }
        Ok(())
    }

    fn project(&self, id: i32) -> String {
        self.projects
            .get(&id)
            .cloned()
            .unwrap_or_else(|| format!("projekt č. {id}"))
    }

    fn in_project(&self, project_id: i32, what: &str) -> String {
        format!("{} · {what}", self.project(project_id))
    }

    fn period(&self, id: i32) -> Option<String> {
        self.periods
            .get(&id)
            .map(|(p, n)| self.in_project(*p, &format!("ZoR {n}")))
    }

    fn project_indicator(&self, id: i32) -> Option<(i32, String)> {
        let (p, i) = self.project_indicators.get(&id)?;
        let code = self
            .indicators
            .get(i)
            .map_or_else(|| i.to_string(), |(c, _)| c.clone());
        Some((*p, code))
    }

    /// The name of the row an entry is about (`VNP · EECO01 · ZoR 8`); `None` when it is not known (a
    /// deleted row, a kind of record without names).
    #[must_use]
    pub fn record(&self, entity: &str, id: &str) -> Option<String> {
        let id: i32 = id.trim().parse().ok()?;
        match entity {
            "project" | "project_finance" => self.projects.get(&id).cloned(),
            "indicator_value" => {
                let (pi, period) = self.values.get(&id)?;
                let (p, code) = self.project_indicator(*pi)?;
                let zor = self
                    .periods
                    .get(period)
                    .map_or_else(String::new, |(_, n)| format!(" · ZoR {n}"));
                Some(self.in_project(p, &format!("{code}{zor}")))
            }
            "expenditure" => self
                .expenditures
                .get(&id)
                .map(|(p, w)| self.in_project(*p, w)),
            "advance" => self
                .advances
                .get(&id)
                .map(|(p, on)| self.in_project(*p, &format!("záloha z {on}"))),
            "period_review" => self.reviews.get(&id).and_then(|p| self.period(*p)),
            "review_comment" => self.comments.get(&id).and_then(|p| self.period(*p)),
            "call" => self.calls.get(&id).cloned(),
            "api_token" => self.tokens.get(&id).cloned(),
            "import_batch" => self.imports.get(&id).cloned(),
            "document" => self.documents.get(&id).map(|(p, n)| self.in_project(*p, n)),
            "setting" => Some(String::new()),
            other => {
                let table = match other {
                    "organisation" => Table::Organisation,
                    "programme" => Table::Programme,
                    "indicator" => Table::Indicator,
                    "project_indicator" => Table::ProjectIndicator,
                    "monitoring_period" => Table::Period,
                    "budget_line" => Table::BudgetLine,
                    "payment_claim" => Table::Claim,
                    "unit_cost" => Table::UnitCost,
                    "app_user" => Table::User,
                    _ => return None,
                };
                self.name(table, i64::from(id))
            }
        }
    }

    /// The name of an entry's project.
    #[must_use]
    pub fn project_name(&self, id: i32) -> String {
        self.project(id)
    }
}

impl Names for Directory {
    fn name(&self, table: Table, id: i64) -> Option<String> {
        let id = i32::try_from(id).ok()?;
        match table {
            Table::Project => self.projects.get(&id).cloned(),
            Table::Organisation => self.organisations.get(&id).cloned(),
            Table::Programme => self.programmes.get(&id).cloned(),
            Table::Indicator => self.indicators.get(&id).map(|(c, n)| format!("{c} {n}")),
            Table::ProjectIndicator => self
                .project_indicator(id)
                .map(|(p, code)| self.in_project(p, &code)),
            Table::Period => self.period(id),
            Table::BudgetLine => self.lines.get(&id).map(|(p, l)| self.in_project(*p, l)),
            Table::Claim => self
                .claims
                .get(&id)
                .map(|(p, n)| self.in_project(*p, &format!("ŽoP č. {n}"))),
            Table::UnitCost => self.unit_costs.get(&id).cloned(),
            Table::User => self.users.get(&id).cloned(),
            Table::Expenditure => self
                .expenditures
                .get(&id)
                .map(|(p, w)| self.in_project(*p, w)),
        }
    }
}
