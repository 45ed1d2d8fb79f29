//! The open-data list of operations (*seznam operací*) in the shape the Commission's Kohesio portal
//! reads: one row per project with the data fields of CPR 2021/1060 art. 49(3), under the column names
//! of the Czech official list where it has one (see `docs/open-data.md` for the mapping).
//!
//! Only a project's public fields are read: the project, its beneficiary, programme, priority,
//! financing shares and places. Nothing about participants, internal notes, flags, reviews or
//! expenditures. A beneficiary who is a natural person is published without name and IČO, and its
//! place only at NUTS 2 level (art. 49(3)(m)).
//!
//! `/export/seznam-operaci.{csv,xlsx}` and `tracker export operations FILE` both call [`operations`].

use super::export::{Cell, Table};
use super::{projects, ServiceError};
use crate::domain::{Money, Percentage};
use crate::dto::ProjectListQuery;
use entity::{
    district, municipality, organisation, priority, programme, project, project_finance,
    project_municipality, region,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, JoinType, QueryFilter, QueryOrder,
    QuerySelect, RelationTrait,
};
use std::collections::{BTreeMap, BTreeSet};

/// The sheet's name and the file's stem.
pub const NAME: &str = "Seznam operací";

/// Column headers, in order (the Czech official list's names where it has the column).
pub const HEADERS: [&str; 20] = [
    "Registrační číslo projektu",
    "Číslo programu",
    "Název programu",
    "Fond",
    "Název priority",
    "Specifický cíl - kód",
    "Název projektu",
    "Popis projektu",
    "Typ příjemce",
    "Příjemce - název",
    "IČ příjemce",
    "Skutečné datum zahájení fyzické realizace projektu",
    "Předpokládané datum ukončení fyzické realizace projektu",
    "Celkové náklady na operaci (CZK)",
    "Míra spolufinancování Unie (%)",
    "Místo realizace Kód NUTS 3",
    "Místo realizace Název NUTS 3",
    "Místo realizace Kód NUTS 2",
    "Stát",
    "Oblast intervence - kód",
];

/// The fund of a programme period: ESF+ for 2021–2027 (OPZ+), ESF for 2014–2020 (OPZ).
#[must_use]
pub fn fund_of_period(period: &str) -> &'static str {
    if period.starts_with("2014") {
        "ESF"
    } else {
        "ESF+"
    }
}

#[derive(Debug, FromQueryResult)]
struct Row {
    id: i32,
    registration_number: String,
    name: String,
    description: String,
    priority_code: String,
    specific_objective_code: String,
    start_date: chrono::NaiveDate,
    end_date: chrono::NaiveDate,
    total_eligible_halere: Option<i64>,
    intervention_code: Option<String>,
    programme_id: i32,
    programme_code: String,
    programme_name: String,
    programme_period: String,
    beneficiary_name: String,
    ico: String,
    natural_person: bool,
}

/// A place of a project: NUTS 3 code and the kraj's name.
type Places = BTreeMap<i32, BTreeSet<(String, String)>>;

async fn places(db: &impl ConnectionTrait, ids: &[i32]) -> Result<Places, ServiceError> {
    let links = project_municipality::Entity::find()
        .filter(project_municipality::Column::ProjectId.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    let municipalities: BTreeMap<i32, i32> = municipality::Entity::find()
        .filter(municipality::Column::Code.is_in(links.iter().map(|l| l.municipality_code)))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.code, m.district_code))
        .collect();
    let districts: BTreeMap<i32, i32> = district::Entity::find()
        .filter(district::Column::Code.is_in(municipalities.values().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|d| (d.code, d.region_code))
        .collect();
    let regions: BTreeMap<i32, region::Model> = region::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.code, r))
        .collect();
    let mut out = Places::new();
    for l in links {
        let region = municipalities
            .get(&l.municipality_code)
            .and_then(|d| districts.get(d))
            .and_then(|r| regions.get(r));
        if let Some(r) = region {
            out.entry(l.project_id)
                .or_default()
                .insert((r.nuts3.clone(), r.name.clone()));
        }
    }
    Ok(out)
}

/// A NUTS 2 code from a NUTS 3 code (`CZ080` → `CZ08`).
fn nuts2(nuts3: &str) -> String {
    nuts3.chars().take(4).collect()
}

fn joined<'a>(items: impl Iterator<Item = &'a str>) -> Cell {
    let v: Vec<&str> = items.collect();
    if v.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(v.join("; "))
    }
}

fn text_or_empty(s: String) -> Cell {
    if s.trim().is_empty() {
        Cell::Empty
    } else {
        Cell::Text(s)
    }
}

/// The list of operations: every project the filters of `q` select among `visible` (`None`: all), by
/// registration number.
///
/// # Errors
/// Database errors; a stored amount or share that no longer parses (`Unexpected`).
#[tracing::instrument(skip(db, q, visible))]
pub async fn operations(
    db: &impl ConnectionTrait,
    q: &ProjectListQuery,
    visible: Option<&[i32]>,
) -> Result<Table, ServiceError> {
    let rows: Vec<Row> = project::Entity::find()
        .join(JoinType::InnerJoin, project::Relation::Beneficiary.def())
        .join(JoinType::InnerJoin, project::Relation::Programme.def())
        .filter(projects::filter_condition(&q.filters_only(), visible))
        .select_only()
        .columns([
            project::Column::Id,
            project::Column::RegistrationNumber,
            project::Column::Name,
            project::Column::Description,
            project::Column::PriorityCode,
            project::Column::SpecificObjectiveCode,
            project::Column::StartDate,
            project::Column::EndDate,
            project::Column::TotalEligibleHalere,
            project::Column::InterventionCode,
            project::Column::ProgrammeId,
        ])
        .column_as(programme::Column::Code, "programme_code")
        .column_as(programme::Column::Name, "programme_name")
        .column_as(programme::Column::Period, "programme_period")
        .column_as(organisation::Column::Name, "beneficiary_name")
        .column_as(organisation::Column::Ico, "ico")
        .column_as(organisation::Column::NaturalPerson, "natural_person")
        .order_by_asc(project::Column::RegistrationNumber)
        .into_model()
        .all(db)
        .await?;
    let ids: Vec<i32> = rows.iter().map(|r| r.id).collect();
    let priorities: BTreeMap<(i32, String), String> = priority::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|p| ((p.programme_id, p.code), p.name))
        .collect();
    let eu_shares: BTreeMap<i32, String> = project_finance::Entity::find()
        .filter(project_finance::Column::ProjectId.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|f| (f.project_id, f.eu_share))
        .collect();
    let mut places = places(db, &ids).await?;
    let mut t = Table::new(NAME, &HEADERS);
    for r in rows {
        let total = r
            .total_eligible_halere
            .map(Money::from_halere)
            .transpose()
            .map_err(|e| ServiceError::Unexpected(format!("stored amount: {e}")))?;
        let eu_rate = eu_shares
            .get(&r.id)
            .map(|s| Percentage::parse(s))
            .transpose()
            .map_err(|e| ServiceError::Unexpected(format!("stored EU share: {e}")))?;
        let place = places.remove(&r.id).unwrap_or_default();
        let nuts2s: BTreeSet<String> = place.iter().map(|(code, _)| nuts2(code)).collect();
        let priority = priorities
            .get(&(r.programme_id, r.priority_code.clone()))
            .cloned()
            .unwrap_or_default();
        let (beneficiary, ico, kind) = if r.natural_person {
            (Cell::Empty, Cell::Empty, "fyzická osoba")
        } else {
            (
                Cell::Text(r.beneficiary_name),
                Cell::Text(r.ico),
                "právnická osoba",
            )
        };
        // A natural person's place only at NUTS 2 level (art. 49(3)(m)): no kraj.
        let (nuts3_codes, nuts3_names) = if r.natural_person {
            (Cell::Empty, Cell::Empty)
        } else {
            (
                joined(place.iter().map(|(c, _)| c.as_str())),
                joined(place.iter().map(|(_, n)| n.as_str())),
            )
        };
        t.rows.push(vec![
            Cell::Text(r.registration_number),
            Cell::Text(r.programme_code.clone()),
            Cell::Text(r.programme_name),
            Cell::Text(fund_of_period(&r.programme_period).to_owned()),
            text_or_empty(priority),
            Cell::Text(format!(
                "{}.{}.{}",
                r.programme_code, r.priority_code, r.specific_objective_code
            )),
            Cell::Text(r.name),
            text_or_empty(r.description),
            Cell::Text(kind.to_owned()),
            beneficiary,
            ico,
            Cell::Date(r.start_date),
            Cell::Date(r.end_date),
            total.map_or(Cell::Empty, Cell::Money),
            eu_rate.map_or(Cell::Empty, |p| Cell::Percent(p.value())),
            nuts3_codes,
            nuts3_names,
            joined(nuts2s.iter().map(String::as_str)),
            Cell::Text("CZ".to_owned()),
            r.intervention_code.map_or(Cell::Empty, Cell::Text),
        ]);
    }
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fund_follows_the_programme_period() {
        assert_eq!(fund_of_period("2021-2027"), "ESF+");
        assert_eq!(fund_of_period("2014-2020"), "ESF");
    }

    #[test]
    fn nuts2_is_the_cohesion_region_of_a_kraj() {
        assert_eq!(nuts2("CZ010"), "CZ01");
        assert_eq!(nuts2("CZ080"), "CZ08");
        assert_eq!(nuts2("CZ064"), "CZ06");
    }
}
