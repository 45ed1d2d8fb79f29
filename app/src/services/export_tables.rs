//! What each export contains: the filtered project list (in the columns of the project-list import, so
//! that it imports back without changes), a project's indicator table and budget, and the dashboard.

use super::export::{Cell, Table};
use super::{projects, ServiceError};
use crate::domain::{Money, ProjectStatus};
use crate::dto::portfolio::Dashboard;
use crate::dto::{BudgetView, IndicatorTable, ProjectListQuery, CHAPTERS};
use entity::{organisation, project, project_target_group, target_group};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, JoinType, QueryFilter, QueryOrder,
    QuerySelect, RelationTrait,
};
use std::collections::BTreeMap;

/// Headers of the project list: the project-list import's own (see `import::kinds`).
pub const PROJECT_HEADERS: [&str; 12] = [
    "Registrační číslo projektu",
    "Název projektu",
    "Akronym",
    "Příjemce - název",
    "IČ příjemce",
    "Výzva",
    "Stav projektu",
    "Datum zahájení",
    "Datum ukončení",
    "Celkové způsobilé výdaje",
    "Cílové skupiny",
    "Popis",
];

#[derive(Debug, FromQueryResult)]
struct Row {
    id: i32,
    registration_number: String,
    name: String,
    acronym: Option<String>,
    beneficiary_name: String,
    ico: String,
    call_id: String,
    status: String,
    start_date: chrono::NaiveDate,
    end_date: chrono::NaiveDate,
    total_eligible_halere: Option<i64>,
    description: String,
}

/// Every project the filters of `q` select among `visible`, by registration number.
///
/// # Errors
/// Database errors.
pub async fn project_list(
    db: &impl ConnectionTrait,
    q: &ProjectListQuery,
    visible: Option<&[i32]>,
) -> Result<Table, ServiceError> {
    let rows: Vec<Row> = project::Entity::find()
        .join(JoinType::InnerJoin, project::Relation::Beneficiary.def())
        .filter(projects::filter_condition(&q.filters_only(), visible))
        .select_only()
        .columns([
            project::Column::Id,
            project::Column::RegistrationNumber,
            project::Column::Name,
            project::Column::Acronym,
            project::Column::CallId,
            project::Column::Status,
            project::Column::StartDate,
            project::Column::EndDate,
            project::Column::TotalEligibleHalere,
            project::Column::Description,
        ])
        .column_as(organisation::Column::Name, "beneficiary_name")
        .column_as(organisation::Column::Ico, "ico")
        .order_by_asc(project::Column::RegistrationNumber)
        .into_model()
        .all(db)
        .await?;
    let names: BTreeMap<String, String> = target_group::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.code, t.name))
        .collect();
    let mut groups: BTreeMap<i32, Vec<String>> = BTreeMap::new();
    for g in project_target_group::Entity::find()
        .filter(project_target_group::Column::ProjectId.is_in(rows.iter().map(|r| r.id)))
        .all(db)
        .await?
    {
        groups.entry(g.project_id).or_default().push(
            names
                .get(&g.target_group_code)
                .cloned()
                .unwrap_or(g.target_group_code),
        );
    }
    let mut t = Table::new("Projekty", &PROJECT_HEADERS);
    for r in rows {
        let status =
            ProjectStatus::from_code(&r.status).map_or(r.status.clone(), |s| s.label().to_owned());
        let total = r
            .total_eligible_halere
            .map(Money::from_halere)
            .transpose()
            .map_err(|e| ServiceError::Unexpected(e.to_string()))?;
        t.rows.push(vec![
            Cell::Text(r.registration_number),
            Cell::Text(r.name),
            r.acronym.map_or(Cell::Empty, Cell::Text),
            Cell::Text(r.beneficiary_name),
            Cell::Text(r.ico),
            Cell::Text(r.call_id),
            Cell::Text(status),
            Cell::Date(r.start_date),
            Cell::Date(r.end_date),
            total.map_or(Cell::Empty, Cell::Money),
            Cell::Text(groups.remove(&r.id).unwrap_or_default().join("; ")),
            if r.description.is_empty() {
                Cell::Empty
            } else {
                Cell::Text(r.description)
            },
        ]);
    }
    Ok(t)
}

/// A project's indicators: target, values per monitoring period, cumulative, fulfilment.
#[must_use]
pub fn indicators(t: &IndicatorTable) -> Table {
    let mut headers: Vec<String> = [
        "Kód indikátoru",
        "Název",
        "Jednotka",
        "Výchozí hodnota",
        "Cílová hodnota",
        "Cílové datum",
    ]
    .iter()
    .map(|h| (*h).to_owned())
    .collect();
    headers.extend(t.periods.iter().map(|p| format!("ZoR {}", p.number)));
    headers.push("Dosaženo celkem".into());
    headers.push("Plnění (%)".into());
    let rows = t
        .rows
        .iter()
        .map(|r| {
            let mut row = vec![
                Cell::Text(r.code.clone()),
                Cell::Text(r.name.clone()),
                Cell::Text(crate::domain::words::unit_name(&r.unit).to_owned()),
                Cell::Number(r.baseline),
                Cell::Number(r.target),
                Cell::Date(r.target_date),
            ];
            row.extend(
                r.values
                    .iter()
                    .map(|v| v.map_or(Cell::Empty, |(value, _)| Cell::Number(value))),
            );
            row.push(Cell::Number(r.cumulative));
            row.push(r.fulfilment.map_or(Cell::Empty, Cell::Percent));
            row
        })
        .collect();
    Table {
        name: "Indikátory".into(),
        headers,
        rows,
    }
}

/// A project's budget: the lines with what was drawn on them, then the totals and the co-financing.
#[must_use]
pub fn budget(b: &BudgetView) -> Vec<Table> {
    let label = |code: &str| {
        CHAPTERS
            .iter()
            .find(|(c, _)| *c == code)
            .map_or(code.to_owned(), |(_, l)| (*l).to_owned())
    };
    let mut lines = Table::new(
        "Rozpočet",
        &[
            "Kód položky",
            "Název",
            "Kapitola",
            "Rok",
            "Rozpočet (Kč)",
            "Čerpáno (Kč)",
            "Čerpání (%)",
        ],
    );
    for l in &b.lines {
        lines.rows.push(vec![
            Cell::Text(l.code.clone()),
            Cell::Text(l.name.clone()),
            Cell::Text(label(&l.chapter)),
            Cell::Year(l.year),
            Cell::Money(l.amount),
            Cell::Money(l.drawn),
            l.drawdown_percent.map_or(Cell::Empty, Cell::Percent),
        ]);
    }
    let mut totals = Table::new("Souhrn", &["Ukazatel", "Částka (Kč)", "Podíl (%)"]);
    let mut add = |what: &str, m: Money, p: Option<rust_decimal::Decimal>| {
        totals.rows.push(vec![
            Cell::Text(what.to_owned()),
            Cell::Money(m),
            p.map_or(Cell::Empty, Cell::Percent),
        ]);
    };
    let t = &b.budgeted;
    add("Přímé osobní náklady", t.personnel, None);
    add("Ostatní přímé náklady", t.other_direct, None);
    add(
        "Jednotkové náklady a jednorázové částky",
        t.simplified,
        None,
    );
    add(
        b.cost_model
            .flat_part_label()
            .unwrap_or("Paušál (model jej nemá)"),
        t.flat_part,
        Some(b.indirect_rate),
    );
    if !t.not_counted.is_zero() {
        add("Nezapočteno (položky mimo model)", t.not_counted, None);
    }
    add("Celkové způsobilé výdaje", b.total_eligible, None);
    add("Podíl EU", b.eu, Some(b.eu_share));
    add("Státní rozpočet", b.state, Some(b.state_share));
    add("Vlastní zdroje", b.own, Some(b.own_share));
    add("Čerpáno", b.drawn, b.drawdown_percent);
    add("Zbývá", b.remaining, None);
    let mut model = Table::new(
        "Model vykazování",
        &["Model (cost_model)", "Název modelu", "Paušální sazba (%)"],
    );
    model.rows.push(vec![
        Cell::Text(b.cost_model.code().to_owned()),
        Cell::Text(b.cost_model.label().to_owned()),
        if b.cost_model.has_rate() {
            Cell::Percent(b.indirect_rate)
        } else {
            Cell::Empty
        },
    ]);
    vec![lines, totals, model]
}

/// The dashboard's figures: totals, kraje, indicators, drawdown over time and the risk list.
#[must_use]
pub fn dashboard(d: &Dashboard) -> Vec<Table> {
    let t = &d.totals;
    let mut totals = Table::new("Souhrn", &["Ukazatel", "Hodnota", "Jednotka"]);
    let count = |n: u64| Cell::Number(n.into());
    totals.rows = vec![
        vec!["Stav k".into(), Cell::Date(d.today), Cell::Empty],
        vec!["Projekty".into(), count(t.projects), "počet".into()],
        vec![
            "Způsobilé výdaje".into(),
            Cell::Money(t.eligible),
            "Kč".into(),
        ],
        vec!["Čerpáno".into(), Cell::Money(t.drawn), "Kč".into()],
        vec![
            "Čerpání".into(),
            t.drawdown_percent()
                .map_or(Cell::Empty, |p| Cell::Number(p.round_dp(2))),
            "%".into(),
        ],
        vec!["Proplaceno (ŽoP)".into(), Cell::Money(t.paid), "Kč".into()],
        vec!["Účastníci".into(), count(t.participants), "osoby".into()],
        vec![
            "Zapojené obce".into(),
            count(t.municipalities),
            "počet".into(),
        ],
        vec![
            "Projekty s upozorněním".into(),
            count(t.at_risk),
            "počet".into(),
        ],
        vec![
            "Otevřené kontroly ZoR".into(),
            count(t.reviews_open),
            "počet".into(),
        ],
    ];
    let mut regions = Table::new(
        "Kraje",
        &[
            "Kraj",
            "NUTS 3",
            "Projekty",
            "Zapojené obce",
            "Rozpočet (podíl, Kč)",
        ],
    );
    for r in &d.regions {
        regions.rows.push(vec![
            Cell::Text(r.name.clone()),
            Cell::Text(r.nuts3.clone()),
            count(r.projects),
            count(r.municipalities),
            Cell::Money(r.budget),
        ]);
    }
    if d.unplaced_projects > 0 {
        regions.rows.push(vec![
            "Bez zapojených obcí".into(),
            Cell::Empty,
            count(d.unplaced_projects),
            Cell::Empty,
            Cell::Money(d.unplaced_budget),
        ]);
    }
    let mut indicators = Table::new(
        "Indikátory",
        &[
            "Kód",
            "Název",
            "Jednotka",
            "Projekty",
            "Cíl",
            "Dosaženo",
            "Plnění (%)",
        ],
    );
    for i in &d.indicators {
        indicators.rows.push(vec![
            Cell::Text(i.code.clone()),
            Cell::Text(i.name.clone()),
            Cell::Text(crate::domain::words::unit_name(&i.unit).to_owned()),
            count(i.projects),
            Cell::Number(i.target),
            Cell::Number(i.achieved),
            i.fulfilment.map_or(Cell::Empty, Cell::Percent),
        ]);
    }
    let mut series = Table::new(
        "Čerpání v čase",
        &["Datum", "Plán kumulativně (Kč)", "Čerpáno kumulativně (Kč)"],
    );
    for p in &d.series {
        series.rows.push(vec![
            Cell::Date(p.date),
            Cell::Money(p.planned),
            p.drawn.map_or(Cell::Empty, Cell::Money),
        ]);
    }
    let mut risks = Table::new(
        "Rizika",
        &[
            "Registrační číslo projektu",
            "Projekt",
            "Čerpání (%)",
            "Uplynulý čas (%)",
            "Hrozící korekce (Kč)",
            "Důvody",
        ],
    );
    for r in &d.risks {
        risks.rows.push(vec![
            Cell::Text(r.registration_number.clone()),
            Cell::Text(r.acronym.clone().unwrap_or_else(|| r.name.clone())),
            r.drawdown_percent.map_or(Cell::Empty, Cell::Percent),
            Cell::Percent(r.elapsed_percent),
            Cell::Money(r.correction),
            Cell::Text(
                r.flags
                    .iter()
                    .map(|f| f.message.as_str())
                    .collect::<Vec<_>>()
                    .join(" | "),
            ),
        ]);
    }
    vec![totals, regions, indicators, series, risks]
}
