//! The six kinds of monitoring sheet and their columns (`shared/docs/monitoring-sheets.md`): each column
//! is found by its header name, in Czech or English, in any order; a sheet's kind by its key headers.

use serde::{Deserialize, Serialize};

use crate::domain::sheet_values::fold_header;

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
}

impl SheetKind {
    /// Stable code, as in the JSON report: `projects`, `seznam`, `indicators`, `expenditures`,
    /// `municipalities`, `participants`.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::Projects => "projects",
            Self::Seznam => "seznam",
            Self::Indicators => "indicators",
            Self::Expenditures => "expenditures",
            Self::Municipalities => "municipalities",
            Self::Participants => "participants",
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
    // Municipalities
    MunicipalityCode,
    MunicipalityName,
    Role,
    // Participants
    ParticipantId,
    EntryDate,
    ExitDate,
    Gender,
    BirthYear,
    AgeAtEntry,
    LabourStatus,
    Isced,
    Disability,
    ExitSituation,
}

/// A column of a kind: its header aliases and whether it is informational only (a note or a name shown in
/// the preview; a row holding nothing else is not a data row).
pub struct FieldDef {
    /// The field.
    pub field: Field,
    /// Header names, compared after [`fold_header`].
    pub aliases: &'static [&'static str],
    /// A note or a description: does not make a row a data row.
    pub informational: bool,
}

const fn f(field: Field, aliases: &'static [&'static str]) -> FieldDef {
    FieldDef {
        field,
        aliases,
        informational: false,
    }
}

const fn info(field: Field, aliases: &'static [&'static str]) -> FieldDef {
    FieldDef {
        field,
        aliases,
        informational: true,
    }
}

/// A kind: its columns, and the key headers that identify it (every group must be present; a group is
/// satisfied by any of its fields).
pub struct KindDef {
    /// The kind.
    pub kind: SheetKind,
    /// Its columns.
    pub fields: &'static [FieldDef],
    /// Key header groups.
    pub key: &'static [&'static [Field]],
}

const REG_NO: &[&str] = &[
    "Registrační číslo projektu",
    "Registrační číslo",
    "Reg. č.",
    "Reg. číslo",
    "Project registration number",
    "Registration number",
];

/// Every kind, in the order they are tried: the more specific key sets first.
pub static KINDS: &[KindDef] = &[
    KindDef {
        kind: SheetKind::Seznam,
        key: &[&[Field::RegNo], &[Field::Ico], &[Field::Programme]],
        fields: &[
            f(Field::RegNo, REG_NO),
            f(Field::Ico, &["IČ příjemce", "Beneficiary ID"]),
            f(
                Field::Programme,
                &["Číslo programu", "Programme number", "Programme code"],
            ),
            f(Field::Name, &["Název projektu", "Project name"]),
            info(
                Field::Description,
                &["Popis projektu", "Project description"],
            ),
            f(Field::Status, &["Stav projektu", "Project status"]),
            f(
                Field::Beneficiary,
                &["Příjemce - název", "Beneficiary name"],
            ),
            f(Field::Call, &["Číslo výzvy", "Call number"]),
            f(Field::LegalActDate, &["Datum podepsání právního aktu"]),
            f(
                Field::StartDate,
                &["Skutečné datum zahájení fyzické realizace projektu"],
            ),
            f(
                Field::EndDate,
                &["Předpokládané datum ukončení fyzické realizace projektu"],
            ),
            f(Field::TotalCost, &["Celkové náklady na operaci"]),
            f(
                Field::LaTotal,
                &["Finanční prostředky v právních aktech celkové způsobilé výdaje"],
            ),
            f(
                Field::LaEu,
                &["Finanční prostředky v právních aktech příspěvek Unie"],
            ),
            f(
                Field::LaNational,
                &["Finanční prostředky v právních aktech národní veřejné zdroje"],
            ),
            f(
                Field::PaidTotal,
                &["Finanční prostředky vyúčtované v žádostech o platbu celkové způsobilé výdaje"],
            ),
            f(
                Field::PaidEu,
                &["Finanční prostředky vyúčtované v žádostech o platbu příspěvek Unie"],
            ),
            f(
                Field::PaidNational,
                &["Finanční prostředky vyúčtované v žádostech o platbu národní veřejné zdroje"],
            ),
            f(
                Field::PzEstimate,
                &["Předpokládaná hodnota veřejné zakázky bez DPH"],
            ),
            f(
                Field::PzPrice,
                &["Cena veřejné zakázky dle smlouvy bez DPH"],
            ),
            f(
                Field::PzPaid,
                &["Skutečně uhrazená cena veřejné zakázky bez DPH"],
            ),
        ],
    },
    KindDef {
        kind: SheetKind::Participants,
        key: &[
            &[Field::RegNo],
            &[Field::ParticipantId],
            &[Field::EntryDate],
        ],
        fields: &[
            f(Field::RegNo, REG_NO),
            f(
                Field::ParticipantId,
                &["ID účastníka", "Participant ID", "Pseudonym"],
            ),
            f(Field::EntryDate, &["Datum vstupu", "Entry date"]),
            f(Field::ExitDate, &["Datum výstupu", "Exit date"]),
            f(Field::Gender, &["Pohlaví", "Gender", "Sex"]),
            f(
                Field::BirthYear,
                &["Rok narození", "Year of birth", "Birth year"],
            ),
            f(Field::AgeAtEntry, &["Věk při vstupu", "Age at entry"]),
            f(
                Field::LabourStatus,
                &[
                    "Postavení na trhu práce při vstupu",
                    "Postavení na trhu práce",
                    "Labour market status at entry",
                    "Labour market status",
                ],
            ),
            f(
                Field::Isced,
                &[
                    "Vzdělání ISCED",
                    "ISCED",
                    "Vzdělání",
                    "Education ISCED",
                    "Education",
                ],
            ),
            f(Field::Disability, &["Zdravotní postižení", "Disability"]),
            f(
                Field::ExitSituation,
                &[
                    "Situace při výstupu",
                    "Situation upon leaving",
                    "Situation at exit",
                ],
            ),
            info(Field::Note, &["Poznámka", "Note"]),
        ],
    },
    KindDef {
        kind: SheetKind::Indicators,
        key: &[
            &[Field::RegNo],
            &[Field::IndicatorCode],
            &[Field::Period, Field::PeriodFrom],
            &[Field::Value],
        ],
        fields: &[
            f(Field::RegNo, REG_NO),
            f(
                Field::IndicatorCode,
                &["Kód indikátoru", "Indikátor", "Indicator code", "Indicator"],
            ),
            info(
                Field::IndicatorName,
                &["Název indikátoru", "Indicator name"],
            ),
            f(
                Field::Period,
                &[
                    "Období",
                    "Monitorovací období",
                    "ZoR",
                    "Period",
                    "Monitoring period",
                ],
            ),
            f(Field::PeriodFrom, &["Období od", "Period from"]),
            f(Field::PeriodTo, &["Období do", "Period to"]),
            f(
                Field::Value,
                &["Dosažená hodnota", "Hodnota", "Value", "Achieved value"],
            ),
            f(Field::Target, &["Cílová hodnota", "Target", "Target value"]),
            info(Field::Note, &["Poznámka", "Note"]),
        ],
    },
    KindDef {
        kind: SheetKind::Expenditures,
        key: &[&[Field::RegNo], &[Field::Amount], &[Field::BudgetLine]],
        fields: &[
            f(Field::RegNo, REG_NO),
            f(Field::Amount, &["Částka", "Amount"]),
            f(
                Field::BudgetLine,
                &["Položka rozpočtu", "Kapitola", "Budget line", "Budget item"],
            ),
            f(
                Field::Period,
                &["Období", "ZoR", "Monitorovací období", "Period"],
            ),
            f(
                Field::DocumentNumber,
                &["Číslo dokladu", "Document number", "Doklad"],
            ),
            f(
                Field::PaymentDate,
                &["Datum úhrady", "Datum", "Payment date", "Date"],
            ),
            info(Field::Description, &["Popis", "Description"]),
            f(Field::Supplier, &["Dodavatel", "Supplier"]),
            f(Field::SupplierIco, &["IČO dodavatele", "Supplier ID"]),
            info(Field::Note, &["Poznámka", "Note"]),
        ],
    },
    KindDef {
        kind: SheetKind::Municipalities,
        key: &[
            &[Field::RegNo],
            &[Field::MunicipalityCode, Field::MunicipalityName],
        ],
        fields: &[
            f(Field::RegNo, REG_NO),
            f(Field::MunicipalityCode, &["Kód obce", "Municipality code"]),
            f(
                Field::MunicipalityName,
                &["Obec", "Název obce", "Municipality", "Municipality name"],
            ),
            f(Field::Role, &["Role"]),
            info(Field::Note, &["Poznámka", "Note"]),
        ],
    },
    KindDef {
        kind: SheetKind::Projects,
        key: &[&[Field::RegNo], &[Field::Name]],
        fields: &[
            f(Field::RegNo, REG_NO),
            f(Field::Name, &["Název projektu", "Název", "Project name"]),
            f(Field::Acronym, &["Akronym", "Zkratka", "Acronym"]),
            f(
                Field::Beneficiary,
                &[
                    "Příjemce - název",
                    "Příjemce",
                    "Beneficiary name",
                    "Beneficiary",
                ],
            ),
            f(Field::Ico, &["IČ příjemce", "IČO", "IČ", "Beneficiary ID"]),
            f(Field::Call, &["Výzva", "Call"]),
            f(Field::Status, &["Stav projektu", "Stav", "Status"]),
            f(
                Field::StartDate,
                &["Datum zahájení", "Zahájení", "Start date"],
            ),
            f(Field::EndDate, &["Datum ukončení", "Ukončení", "End date"]),
            f(
                Field::Budget,
                &[
                    "Celkové způsobilé výdaje",
                    "Celkový rozpočet",
                    "Rozpočet",
                    "Total eligible expenditure",
                ],
            ),
            f(
                Field::TargetGroups,
                &[
                    "Cílová skupina",
                    "Cílové skupiny",
                    "Target groups",
                    "Target group",
                ],
            ),
            info(Field::Description, &["Popis", "Description"]),
        ],
    },
];

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

fn field_of(def: &KindDef, folded: &str) -> Option<Field> {
    def.fields
        .iter()
        .find(|d| d.aliases.iter().any(|a| fold_header(a) == folded))
        .map(|d| d.field)
}

/// Recognises a header row: the first kind (in [`KINDS`] order) whose key headers all appear.
#[must_use]
pub fn recognise(headers: &[(u32, String)]) -> Option<Columns> {
    let folded: Vec<(u32, String, String)> = headers
        .iter()
        .map(|(c, h)| (*c, fold_header(h), h.clone()))
        .filter(|(_, f, _)| !f.is_empty())
        .collect();
    KINDS.iter().find_map(|def| {
        let mut found: Vec<(Field, u32, String)> = Vec::new();
        let mut ignored = Vec::new();
        for (col, fold, original) in &folded {
            match field_of(def, fold) {
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
    !folded.is_empty() && KINDS.iter().any(|def| field_of(def, &folded).is_some())
}
