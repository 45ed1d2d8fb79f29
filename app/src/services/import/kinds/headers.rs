//! The header table: every kind's columns with their Czech and English header aliases, and the key
//! headers that identify the kind.

use super::{Field, SheetKind};

/// A column of a kind: its header aliases and whether it is informational only (a note or a name shown in
/// the preview; a row holding nothing else is not a data row).
pub struct FieldDef {
    /// The field.
    pub field: Field,
    /// Header names, compared after [`fold_header`](crate::domain::sheet_values::fold_header).
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
                Field::BirthDate,
                &["Datum narození", "Date of birth", "Birth date"],
            ),
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
    // Before expenditures: a budget sheet has their key headers too (`Kapitola`, `Částka`), and a year.
    KindDef {
        kind: SheetKind::Budget,
        key: &[
            &[Field::RegNo],
            &[Field::BudgetLine],
            &[Field::Year],
            &[Field::Amount, Field::Units],
        ],
        fields: &[
            f(Field::RegNo, REG_NO),
            f(
                Field::BudgetLine,
                &[
                    "Kód položky",
                    "Položka rozpočtu",
                    "Kód položky rozpočtu",
                    "Budget line code",
                    "Budget line",
                    "Item code",
                ],
            ),
            f(
                Field::Name,
                &["Název položky", "Název", "Budget line name", "Name"],
            ),
            f(
                Field::Chapter,
                &["Kapitola", "Kapitola rozpočtu", "Chapter"],
            ),
            f(Field::Year, &["Rok", "Year"]),
            f(Field::Amount, &["Částka", "Rozpočet", "Amount", "Budget"]),
            f(
                Field::Units,
                &["Počet jednotek", "Jednotky", "Units", "Number of units"],
            ),
            f(Field::UnitPrice, &["Jednotková cena", "Unit price"]),
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
