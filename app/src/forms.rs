//! Form rules: the project form converted into domain values, collecting every field's error at once.
//! The browser runs this on each keystroke and the server runs it again on save (it never trusts the
//! browser), so both show the same Czech message next to the same field.

use crate::domain::{
    parse_czech_date, CostModel, DateRange, FieldErrors, Ico, InterventionCode, Money,
    MunicipalityCode, ProjectStatus, RegistrationNumber,
};
use crate::dto::ProjectInput;

/// Form field names, shared by the form, the validator and the server's own checks.
pub mod field {
    pub const REGISTRATION_NUMBER: &str = "registration_number";
    pub const NAME: &str = "name";
    pub const ACRONYM: &str = "acronym";
    pub const BENEFICIARY_ICO: &str = "beneficiary_ico";
    pub const BENEFICIARY_NAME: &str = "beneficiary_name";
    pub const BENEFICIARY_NATURAL_PERSON: &str = "beneficiary_natural_person";
    pub const INTERVENTION_CODE: &str = "intervention_code";
    pub const STATUS: &str = "status";
    pub const START_DATE: &str = "start_date";
    pub const END_DATE: &str = "end_date";
    pub const DESCRIPTION: &str = "description";
    pub const TOTAL_ELIGIBLE: &str = "total_eligible";
    pub const TARGET_GROUPS: &str = "target_groups";
    pub const MUNICIPALITIES: &str = "municipalities";
    pub const COST_MODEL: &str = "cost_model";
    /// In the order the form shows them.
    pub const ALL: [&str; 13] = [
        REGISTRATION_NUMBER,
        NAME,
        ACRONYM,
        STATUS,
        BENEFICIARY_ICO,
        BENEFICIARY_NAME,
        START_DATE,
        END_DATE,
        TOTAL_ELIGIBLE,
        COST_MODEL,
        TARGET_GROUPS,
        MUNICIPALITIES,
        DESCRIPTION,
    ];
}

pub const NAME_MAX: usize = 255;
pub const ACRONYM_MAX: usize = 32;
pub const DESCRIPTION_MAX: usize = 10_000;

/// A project whose every field passed the form rules. Whether it fits the database (a unique
/// registration number, a known programme, an allowed status change) is checked by the service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidProject {
    pub registration_number: RegistrationNumber,
    pub name: String,
    pub acronym: Option<String>,
    pub beneficiary_ico: Ico,
    pub beneficiary_name: String,
    /// The beneficiary is a natural person (left out of the open-data list of operations).
    pub beneficiary_natural_person: bool,
    pub status: ProjectStatus,
    pub dates: DateRange,
    pub description: String,
    pub total_eligible: Option<Money>,
    pub target_groups: Vec<String>,
    pub municipalities: Vec<MunicipalityCode>,
    /// The cost model chosen at creation (`None`: the default).
    pub cost_model: Option<CostModel>,
    /// Type of intervention (CPR Annex I), when known.
    pub intervention_code: Option<InterventionCode>,
}

fn required_text(
    errors: &mut FieldErrors,
    field: &str,
    value: &str,
    max: usize,
    what: &str,
) -> Option<String> {
    let v = value.trim();
    if v.is_empty() {
        errors.add(field, format!("Vyplňte {what}."));
        None
    } else if v.chars().count() > max {
        errors.add(
            field,
            format!("{what} může mít nejvýše {max} znaků.").to_uppercase_first(),
        );
        None
    } else {
        Some(v.to_string())
    }
}

trait UpperFirst {
    fn to_uppercase_first(&self) -> String;
}

impl UpperFirst for String {
    fn to_uppercase_first(&self) -> String {
        let mut c = self.chars();
        c.next()
            .map(|f| f.to_uppercase().chain(c).collect())
            .unwrap_or_default()
    }
}

/// Checks the whole form.
///
/// # Errors
/// Every field that breaks a rule, each with a Czech message saying what is expected.
pub fn validate_project(input: &ProjectInput) -> Result<ValidProject, FieldErrors> {
    use field::*;
    let mut e = FieldErrors::new();
    let registration_number = e.check(
        REGISTRATION_NUMBER,
        RegistrationNumber::parse(&input.registration_number),
    );
    let name = required_text(&mut e, NAME, &input.name, NAME_MAX, "název projektu");
    let acronym = input.acronym.trim();
    if acronym.chars().count() > ACRONYM_MAX {
        e.add(
            ACRONYM,
            format!("Akronym může mít nejvýše {ACRONYM_MAX} znaků."),
        );
    }
    let beneficiary_ico = e.check(BENEFICIARY_ICO, Ico::parse(&input.beneficiary_ico));
    let beneficiary_name = required_text(
        &mut e,
        BENEFICIARY_NAME,
        &input.beneficiary_name,
        NAME_MAX,
        "název příjemce",
    );
    let status = e.check(STATUS, ProjectStatus::from_code(&input.status));
    let start = e.check(START_DATE, parse_czech_date(&input.start_date));
    let end = e.check(END_DATE, parse_czech_date(&input.end_date));
    let dates = match (start, end) {
        (Some(s), Some(en)) => e.check(END_DATE, DateRange::new(s, en)),
        _ => None,
    };
    let description = input.description.trim().to_string();
    if description.chars().count() > DESCRIPTION_MAX {
        e.add(
            DESCRIPTION,
            format!("Popis může mít nejvýše {DESCRIPTION_MAX} znaků."),
        );
    }
    let total_eligible = if input.total_eligible.trim().is_empty() {
        Some(None)
    } else {
        match e.check(TOTAL_ELIGIBLE, Money::parse(&input.total_eligible)) {
            Some(m) if m.is_negative() => {
                e.add(
                    TOTAL_ELIGIBLE,
                    "Celkové způsobilé výdaje nesmí být záporné.",
                );
                None
            }
            Some(m) => Some(Some(m)),
            None => None,
        }
    };
    let mut target_groups: Vec<String> = input
        .target_groups
        .iter()
        .map(|c| c.trim().to_string())
        .collect();
    target_groups.sort();
    target_groups.dedup();
    let mut municipalities = Vec::new();
    for m in &input.municipalities {
        let code = u32::try_from(m.code)
            .map_err(|_| ())
            .and_then(|c| MunicipalityCode::new(c).map_err(|_| ()));
        match code {
            Ok(c) if !municipalities.contains(&c) => municipalities.push(c),
            Ok(_) => {}
            Err(()) => e.add(
                MUNICIPALITIES,
                format!("Obec {} nemá platný kód obce ({}).", m.name, m.code),
            ),
        }
    }
    let intervention_code = if input.intervention_code.trim().is_empty() {
        Some(None)
    } else {
        e.check(
            INTERVENTION_CODE,
            InterventionCode::parse(&input.intervention_code),
        )
        .map(Some)
    };
    let cost_model = if input.cost_model.trim().is_empty() {
        None
    } else {
        e.check(COST_MODEL, CostModel::from_code(&input.cost_model))
    };
    match (
        registration_number,
        name,
        beneficiary_ico,
        beneficiary_name,
        status,
        dates,
        total_eligible,
        intervention_code,
    ) {
        (
            Some(registration_number),
            Some(name),
            Some(beneficiary_ico),
            Some(beneficiary_name),
            Some(status),
            Some(dates),
            Some(total_eligible),
            Some(intervention_code),
        ) if e.is_empty() => Ok(ValidProject {
            registration_number,
            name,
            acronym: (!acronym.is_empty()).then(|| acronym.to_string()),
            beneficiary_ico,
            beneficiary_name,
            beneficiary_natural_person: input.beneficiary_natural_person,
            status,
            dates,
            description,
            total_eligible,
            target_groups,
            municipalities,
            cost_model,
            intervention_code,
        }),
        _ => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dto::MunicipalityRef;

    fn noe() -> ProjectInput {
        ProjectInput {
            registration_number: "CZ.03.01.01/00/22_015/0002653".into(),
            name: "Nová etapa".into(),
            acronym: "NOE".into(),
            beneficiary_ico: "72496991".into(),
            beneficiary_name: "Úřad práce České republiky".into(),
            status: "realisation".into(),
            start_date: "1. 7. 2023".into(),
            end_date: "30. 6. 2027".into(),
            description: String::new(),
            total_eligible: "1 234 567,89".into(),
            target_groups: vec!["osoby-30-54".into(), "osoby-30-54".into()],
            municipalities: vec![MunicipalityRef {
                code: 562335,
                name: "Děčín".into(),
                district: String::new(),
                region: String::new(),
            }],
            cost_model: String::new(),
            ..Default::default()
        }
    }

    #[test]
    fn a_correct_form_becomes_a_valid_project() {
        let p = validate_project(&noe()).unwrap();
        assert_eq!(p.registration_number.call_id(), "03_22_015");
        assert_eq!(p.total_eligible.map(Money::to_halere), Some(123_456_789));
        assert_eq!(p.target_groups, vec!["osoby-30-54".to_string()]);
        assert_eq!(p.municipalities.len(), 1);
        assert_eq!(p.acronym.as_deref(), Some("NOE"));
    }

    #[test]
    fn every_bad_field_gets_its_own_message() {
        let input = ProjectInput {
            registration_number: "CZ.03.01/22".into(),
            name: "  ".into(),
            beneficiary_ico: "72496992".into(),
            beneficiary_name: String::new(),
            status: "hotovo".into(),
            start_date: "1. 7. 2025".into(),
            end_date: "30. 6. 2024".into(),
            total_eligible: "12,3,4".into(),
            acronym: "X".repeat(40),
            ..noe()
        };
        let errors = validate_project(&input).unwrap_err();
        for f in [
            field::REGISTRATION_NUMBER,
            field::NAME,
            field::BENEFICIARY_ICO,
            field::BENEFICIARY_NAME,
            field::STATUS,
            field::END_DATE,
            field::TOTAL_ELIGIBLE,
            field::ACRONYM,
        ] {
            assert!(
                errors.get(f).is_some(),
                "expected an error for {f}: {errors:?}"
            );
        }
        assert!(errors
            .get(field::REGISTRATION_NUMBER)
            .unwrap()
            .contains("CZ.03.01.01/00/22_015/0002653"));
        assert!(errors
            .get(field::BENEFICIARY_ICO)
            .unwrap()
            .contains("kontrolní"));
        assert_eq!(errors.get(field::START_DATE), None);
        assert_eq!(errors.get(field::NAME), Some("Vyplňte název projektu."));
    }

    #[test]
    fn negative_budget_and_bad_municipality_code_are_refused() {
        let mut input = noe();
        input.total_eligible = "-1 000,00".into();
        input.municipalities.push(MunicipalityRef {
            code: 562336,
            name: "Nikde".into(),
            district: String::new(),
            region: String::new(),
        });
        let errors = validate_project(&input).unwrap_err();
        assert!(errors
            .get(field::TOTAL_ELIGIBLE)
            .unwrap()
            .contains("záporné"));
        assert!(errors.get(field::MUNICIPALITIES).unwrap().contains("Nikde"));
    }

    #[test]
    fn empty_budget_is_allowed_and_old_format_number_is_accepted() {
        let mut input = noe();
        input.total_eligible = String::new();
        input.registration_number = " cz.03.1.48/0.0/0.0/15_010/0000036 ".into();
        let p = validate_project(&input).unwrap();
        assert_eq!(p.total_eligible, None);
        assert_eq!(
            p.registration_number.as_str(),
            "CZ.03.1.48/0.0/0.0/15_010/0000036"
        );
    }

    #[test]
    fn intervention_code_and_natural_person_are_read_and_a_bad_code_names_its_field() {
        let mut input = noe();
        let p = validate_project(&input).unwrap();
        assert_eq!(p.intervention_code, None);
        assert!(!p.beneficiary_natural_person);
        input.intervention_code = " 98 ".into();
        input.beneficiary_natural_person = true;
        let p = validate_project(&input).unwrap();
        assert_eq!(p.intervention_code.unwrap().as_str(), "098");
        assert!(p.beneficiary_natural_person);
        input.intervention_code = "13a".into();
        let errors = validate_project(&input).unwrap_err();
        assert!(errors
            .get(field::INTERVENTION_CODE)
            .unwrap()
            .contains("oblasti intervence"));
    }
}
