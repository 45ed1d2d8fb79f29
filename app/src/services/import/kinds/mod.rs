//! The seven kinds of monitoring sheet and their columns (`shared/docs/monitoring-sheets.md`): each column
//! is found by its header name, in Czech or English, in any order; a sheet's kind by its key headers.
//! The table of columns and header aliases is in `headers`.

mod headers;

use serde::{Deserialize, Serialize};

use crate::domain::sheet_values::fold_header;

pub use headers::{FieldDef, KindDef, KINDS};

/// A kind of monitoring sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SheetKind {
    /// The project list (*Projekty*).
    Projects,
    /// The managing authority's official list of operations (*Seznam operací*), one row per project ×
    /// public procurement.
    Seznam,
    /// Achieved indicator values per period (*Indikátory*).
    Indicators,
    /// Expenditures (*Výdaje*, *soupiska dokladů*).
    Expenditures,
    /// Participating municipalities (*Obce*).
    Municipalities,
    /// Pseudonymised participant records (*Účastníci*).
    Participants,
    /// Budget lines by code and year (*Rozpočet*).
    Budget,
}

impl SheetKind {
    /// Stable code, as in the JSON report: `projects`, `seznam`, `indicators`, `expenditures`,
    /// `municipalities`, `participants`, `budget`.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::Projects => "projects",
            Self::Seznam => "seznam",
            Self::Indicators => "indicators",
            Self::Expenditures => "expenditures",
            Self::Municipalities => "municipalities",
            Self::Participants => "participants",
            Self::Budget => "budget",
        }
    }

    /// Czech name for the preview.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Projects => "Seznam projektů",
            Self::Seznam => "Seznam operací (ŘO)",
            Self::Indicators => "Hodnoty indikátorů",
            Self::Expenditures => "Výdaje",
            Self::Municipalities => "Zapojené obce",
            Self::Participants => "Účastníci (pseudonymizovaně)",
            Self::Budget => "Rozpočet (položky)",
        }
    }

    /// When a sheet of this kind is applied (lowest first): projects create the projects and their
    /// monitoring periods; the list of operations updates projects; budget lines come before the
    /// expenditures drawn on them; everything else refers to those.
    #[must_use]
    pub fn apply_order(self) -> u8 {
        match self {
            Self::Projects => 0,
            Self::Seznam => 1,
            Self::Budget => 2,
            Self::Indicators | Self::Expenditures | Self::Municipalities | Self::Participants => 3,
        }
    }

    /// Parses a stable code.
    #[must_use]
    pub fn from_code(code: &str) -> Option<Self> {
        KINDS.iter().map(|k| k.kind).find(|k| k.code() == code)
    }
}

/// A column the importer knows.
#[allow(missing_docs)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    RegNo,
    Name,
    Acronym,
    Beneficiary,
    Ico,
    Call,
    Status,
    StartDate,
    EndDate,
    Budget,
    TargetGroups,
    Description,
    Note,
    // Seznam operací
    Programme,
    LegalActDate,
    TotalCost,
    LaTotal,
    LaEu,
    LaNational,
    PaidTotal,
    PaidEu,
    PaidNational,
    PzEstimate,
    PzPrice,
    PzPaid,
    // Indicators
    IndicatorCode,
    IndicatorName,
    Period,
    PeriodFrom,
    PeriodTo,
    Value,
    Target,
    // Expenditures
    Amount,
    BudgetLine,
    DocumentNumber,
    PaymentDate,
    Supplier,
    SupplierIco,
    // Budget lines (the code is `BudgetLine`, the name `Name`)
    Chapter,
    Year,
    Units,
    UnitPrice,
    // Municipalities
    MunicipalityCode,
    MunicipalityName,
    Role,
    // Participants
    ParticipantId,
    EntryDate,
    ExitDate,
    Gender,
    BirthDate,
    BirthYear,
    AgeAtEntry,
    LabourStatus,
    Isced,
    Disability,
    ExitSituation,
}
/// The column positions of a recognised header row.
#[derive(Debug, Clone)]
pub struct Columns {
    /// The kind.
    pub kind: SheetKind,
    /// `(field, zero-based column, header text)`.
    pub found: Vec<(Field, u32, String)>,
    /// Headers of unknown columns, in sheet order.
    pub ignored: Vec<String>,
}

impl Columns {
    /// The column of a field.
    #[must_use]
    pub fn column(&self, field: Field) -> Option<u32> {
        self.found
            .iter()
            .find(|(f, _, _)| *f == field)
            .map(|(_, c, _)| *c)
    }

    /// The header text of a field's column.
    #[must_use]
    pub fn header(&self, field: Field) -> Option<&str> {
        self.found
            .iter()
            .find(|(f, _, _)| *f == field)
            .map(|(_, _, h)| h.as_str())
    }

    /// True when the field's column is informational only.
    #[must_use]
    pub fn is_informational(&self, field: Field) -> bool {
        kind_def(self.kind)
            .fields
            .iter()
            .any(|d| d.field == field && d.informational)
    }
}

/// The definition of a kind.
#[must_use]
pub fn kind_def(kind: SheetKind) -> &'static KindDef {
    KINDS.iter().find(|k| k.kind == kind).unwrap_or(&KINDS[0])
}

/// A kind's fields with their header aliases folded.
type FoldedFields = Vec<(Field, Vec<String>)>;

/// Every kind's header aliases, folded once (in [`KINDS`] order): recognising a header row compares
/// folded texts only.
fn folded_aliases() -> &'static [FoldedFields] {
    static FOLDED: std::sync::OnceLock<Vec<FoldedFields>> = std::sync::OnceLock::new();
    FOLDED.get_or_init(|| {
        KINDS
            .iter()
            .map(|def| {
                def.fields
                    .iter()
                    .map(|d| (d.field, d.aliases.iter().map(|a| fold_header(a)).collect()))
                    .collect()
            })
            .collect()
    })
}

/// The field of the kind at `kind_index` (in [`KINDS`]) whose alias is the folded header `folded`.
fn field_of(kind_index: usize, folded: &str) -> Option<Field> {
    folded_aliases()
        .get(kind_index)?
        .iter()
        .find(|(_, aliases)| aliases.iter().any(|a| a == folded))
        .map(|(field, _)| *field)
}

/// Recognises a header row: the first kind (in [`KINDS`] order) whose key headers all appear.
#[must_use]
pub fn recognise(headers: &[(u32, String)]) -> Option<Columns> {
    let folded: Vec<(u32, String, String)> = headers
        .iter()
        .map(|(c, h)| (*c, fold_header(h), h.clone()))
        .filter(|(_, f, _)| !f.is_empty())
        .collect();
    KINDS.iter().enumerate().find_map(|(index, def)| {
        let mut found: Vec<(Field, u32, String)> = Vec::new();
        let mut ignored = Vec::new();
        for (col, fold, original) in &folded {
            match field_of(index, fold) {
                Some(field) if !found.iter().any(|(f, _, _)| *f == field) => {
                    found.push((field, *col, original.clone()));
                }
                _ => ignored.push(original.clone()),
            }
        }
        let keys_ok = def
            .key
            .iter()
            .all(|group| group.iter().any(|k| found.iter().any(|(f, _, _)| f == k)));
        keys_ok.then_some(Columns {
            kind: def.kind,
            found,
            ignored,
        })
    })
}

/// True when the folded text is a header alias of any kind (used to spot a second, English header row).
#[must_use]
pub fn is_known_alias(text: &str) -> bool {
    let folded = fold_header(text);
    !folded.is_empty() && (0..KINDS.len()).any(|index| field_of(index, &folded).is_some())
}
