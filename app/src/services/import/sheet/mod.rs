//! One sheet, row by row: find the header row, recognise the kind, then read and check each data row
//! into a typed record, with every problem at its cell. No database access here: what the rows are
//! checked against (projects, indicator codes, municipalities) comes in [`Lookups`].
//!
//! Beside the lookups and records defined here: the parser that walks a sheet (`parser`), the row
//! context that reports each problem at its cell (`row`), cell readers (`values`), identifiers
//! (`identifiers`) and total rows (`totals`); each sheet kind's rules are in a module of its own.

mod budget;
mod expenditures;
mod identifiers;
mod indicators;
mod municipalities;
mod parser;
mod participants;
mod personal_data;
mod projects;
mod row;
mod seznam;
mod totals;
mod values;

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::domain::{fold_for_search, IndicatorUnit};

pub use budget::BudgetRow;
pub use expenditures::ExpenditureRow;
pub use indicators::IndicatorRow;
pub use municipalities::MunicipalityRow;
pub use parser::SheetParser;
pub use participants::ParticipantRow;
pub use projects::ProjectRow;
pub use seznam::SeznamRow;
pub use values::money_text;

/// A project as the checks need it.
#[derive(Debug, Clone)]
pub struct ProjectInfo {
    /// Database id; `None` for a project that this workbook's project sheet adds.
    pub id: Option<i32>,
    /// Realisation from–to, when known.
    pub range: Option<(NaiveDate, NaiveDate)>,
}

/// A municipality of the RÚIAN codebook.
#[derive(Debug, Clone)]
pub struct MunicipalityInfo {
    /// Name.
    pub name: String,
    /// District (*okres*) name.
    pub district: String,
}

/// An indicator of the codebook as the checks need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndicatorInfo {
    /// Database id.
    pub id: i32,
    /// What its values count: decides whether a value must be whole.
    pub unit: IndicatorUnit,
}

/// What rows are checked against.
#[derive(Debug, Clone, Default)]
pub struct Lookups {
    /// Projects by normalised registration number.
    pub projects: HashMap<String, ProjectInfo>,
    /// Indicators by stored code (`EECO01`, `60000`).
    pub indicators: HashMap<String, IndicatorInfo>,
    /// Municipalities by code.
    pub municipalities: HashMap<u32, MunicipalityInfo>,
    /// Municipality codes by folded name.
    pub municipality_names: HashMap<String, Vec<u32>>,
}

impl Lookups {
    /// Adds a municipality to both indexes.
    pub fn add_municipality(&mut self, code: u32, name: String, district: String) {
        self.municipality_names
            .entry(fold_for_search(&name))
            .or_default()
            .push(code);
        self.municipalities
            .insert(code, MunicipalityInfo { name, district });
    }
}

/// A checked row of any kind.
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    Project(ProjectRow),
    Seznam(SeznamRow),
    Indicator(IndicatorRow),
    Expenditure(ExpenditureRow),
    Municipality(MunicipalityRow),
    Participant(ParticipantRow),
    Budget(BudgetRow),
}

/// A valid row: its zero-based sheet row and record.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedRow {
    pub row: u32,
    pub record: Record,
}
