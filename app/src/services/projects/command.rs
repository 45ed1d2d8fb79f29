//! The project commands every writer shares: [`NewProject`] (a project to create) and [`ProjectChange`]
//! (the fields a change sets). The form, the importer and the command line build one and turn it into a
//! row here, so a project row comes out the same whoever writes it: the same derived codes (priority,
//! specific objective, call) from the registration number, the same search text, the same version and
//! timestamps, and the same monitoring periods from its dates (see [`super::periods`]).

use super::search::{search_text, SearchParts};
use crate::domain::{
    format_czech_date, DateRange, InterventionCode, Money, ProjectStatus, RegistrationNumber,
};
use chrono::{DateTime, Utc};
use entity::{monitoring_period, project};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, Set};

/// The beneficiary (*příjemce*) as the project's search text names it.
#[derive(Debug, Clone, Copy)]
pub struct Beneficiary<'a> {
    pub id: i32,
    pub name: &'a str,
    pub ico: &'a str,
}

/// A project to create.
#[derive(Debug, Clone)]
pub struct NewProject<'a> {
    pub registration_number: &'a RegistrationNumber,
    pub name: &'a str,
    pub acronym: Option<&'a str>,
    pub beneficiary: Beneficiary<'a>,
    pub programme_id: i32,
    pub status: ProjectStatus,
    pub dates: DateRange,
    pub description: &'a str,
    pub total_eligible: Option<Money>,
    /// Type of intervention (CPR Annex I), when known.
    pub intervention_code: Option<&'a InterventionCode>,
    /// The import that creates it (`None`: the form or the command line).
    pub import_id: Option<i32>,
}

/// A project just inserted, with the monitoring periods its programme's reporting rule gave it.
#[derive(Debug, Clone)]
pub struct InsertedProject {
    pub project: project::Model,
    /// Its periods (ZoR 1, 2, …), tagged with the import that created the project, if any.
    pub periods: Vec<monitoring_period::Model>,
}

/// Inserts a new project row and gives the project its monitoring periods by its programme's reporting
/// rule.
///
/// # Errors
/// Database errors (a duplicate registration number is a unique-key violation the caller maps).
pub async fn insert_project(
    db: &impl ConnectionTrait,
    p: &NewProject<'_>,
    now: DateTime<Utc>,
) -> Result<InsertedProject, DbErr> {
    let rn = p.registration_number;
    let project = project::ActiveModel {
        registration_number: Set(rn.as_str().to_owned()),
        name: Set(p.name.to_owned()),
        acronym: Set(p.acronym.map(str::to_owned)),
        beneficiary_id: Set(p.beneficiary.id),
        programme_id: Set(p.programme_id),
        priority_code: Set(rn.priority_code().to_owned()),
        specific_objective_code: Set(rn.specific_objective_code().to_owned()),
        call_id: Set(rn.call_id()),
        status: Set(p.status.code().to_owned()),
        start_date: Set(p.dates.start()),
        end_date: Set(p.dates.end()),
        description: Set(p.description.to_owned()),
        search_folded: Set(search_text(&SearchParts {
            registration_number: rn.as_str(),
            name: p.name,
            acronym: p.acronym,
            beneficiary_name: p.beneficiary.name,
            beneficiary_ico: p.beneficiary.ico,
        })),
        total_eligible_halere: Set(p.total_eligible.map(Money::to_halere)),
        amounts_illustrative: Set(false),
        archived_at: Set(None),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        import_id: Set(p.import_id),
        intervention_code: Set(p.intervention_code.map(|c| c.as_str().to_owned())),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let periods =
        super::periods::generate(db, project.id, p.programme_id, p.dates, p.import_id).await?;
    Ok(InsertedProject { project, periods })
}

/// What a change sets; `None` leaves a field as it is (`Some(None)` clears a nullable one).
#[derive(Debug, Clone, Default)]
pub struct ProjectChange {
    /// A new registration number with the programme it belongs to.
    pub registration_number: Option<(RegistrationNumber, i32)>,
    pub name: Option<String>,
    pub acronym: Option<Option<String>>,
    pub beneficiary_id: Option<i32>,
    pub status: Option<ProjectStatus>,
    pub dates: Option<DateRange>,
    pub description: Option<String>,
    pub total_eligible: Option<Option<Money>>,
    pub intervention_code: Option<Option<InterventionCode>>,
    /// The import that makes the change (`Some(None)`: a change by hand detaches the row from its import).
    pub import_id: Option<Option<i32>>,
}

/// One changed field, for an import's report: Czech label, before, after.
pub type ChangedField = (String, String, String);

impl ProjectChange {
    /// The fields this change would change on `existing`, as an import reports them.
    #[must_use]
    pub fn changed_fields(&self, existing: &project::Model) -> Vec<ChangedField> {
        let money = |h: Option<i64>| {
            h.and_then(|h| Money::from_halere(h).ok())
                .map(|m| format!("{} Kč", m.format_plain()))
                .unwrap_or_default()
        };
        let mut fields = Vec::new();
        if let Some(name) = self.name.as_ref().filter(|n| **n != existing.name) {
            fields.push(("Název".into(), existing.name.clone(), name.clone()));
        }
        if let Some(acronym) = self.acronym.as_ref().filter(|a| **a != existing.acronym) {
            fields.push((
                "Akronym".into(),
                existing.acronym.clone().unwrap_or_default(),
                acronym.clone().unwrap_or_default(),
            ));
        }
        if let Some(d) = self
            .dates
            .filter(|d| (d.start(), d.end()) != (existing.start_date, existing.end_date))
        {
            fields.push((
                "Doba realizace".into(),
                format!(
                    "{} – {}",
                    format_czech_date(existing.start_date),
                    format_czech_date(existing.end_date)
                ),
                format!(
                    "{} – {}",
                    format_czech_date(d.start()),
                    format_czech_date(d.end())
                ),
            ));
        }
        if let Some(total) = self
            .total_eligible
            .filter(|t| t.map(Money::to_halere) != existing.total_eligible_halere)
        {
            fields.push((
                "Celkové způsobilé výdaje".into(),
                money(existing.total_eligible_halere),
                money(total.map(Money::to_halere)),
            ));
        }
        if let Some(d) = self
            .description
            .as_ref()
            .filter(|d| **d != existing.description)
        {
            fields.push(("Popis".into(), existing.description.clone(), d.clone()));
        }
        fields
    }

    /// The row `existing` becomes: the fields set, the search text rebuilt from the result (with the
    /// beneficiary as given), the version one up and the time of the change. Only the columns set are
    /// written, so it serves both an update of the loaded row and an `UPDATE … WHERE version = …`.
    #[must_use]
    pub fn row(
        &self,
        existing: &project::Model,
        beneficiary: Beneficiary<'_>,
        now: DateTime<Utc>,
    ) -> project::ActiveModel {
        let mut am = project::ActiveModel {
            id: sea_orm::ActiveValue::Unchanged(existing.id),
            ..Default::default()
        };
        let mut registration_number = existing.registration_number.clone();
        if let Some((rn, programme_id)) = &self.registration_number {
            registration_number = rn.as_str().to_owned();
            am.registration_number = Set(registration_number.clone());
            am.programme_id = Set(*programme_id);
            am.priority_code = Set(rn.priority_code().to_owned());
            am.specific_objective_code = Set(rn.specific_objective_code().to_owned());
            am.call_id = Set(rn.call_id());
        }
        let name = self.name.clone().unwrap_or_else(|| existing.name.clone());
        if let Some(n) = &self.name {
            am.name = Set(n.clone());
        }
        let acronym = self
            .acronym
            .clone()
            .unwrap_or_else(|| existing.acronym.clone());
        if let Some(a) = &self.acronym {
            am.acronym = Set(a.clone());
        }
        if let Some(b) = self.beneficiary_id {
            am.beneficiary_id = Set(b);
        }
        if let Some(s) = self.status {
            am.status = Set(s.code().to_owned());
        }
        if let Some(d) = self.dates {
            am.start_date = Set(d.start());
            am.end_date = Set(d.end());
        }
        if let Some(d) = &self.description {
            am.description = Set(d.clone());
        }
        if let Some(t) = self.total_eligible {
            am.total_eligible_halere = Set(t.map(Money::to_halere));
        }
        if let Some(c) = &self.intervention_code {
            am.intervention_code = Set(c.as_ref().map(|c| c.as_str().to_owned()));
        }
        if let Some(i) = self.import_id {
            am.import_id = Set(i);
        }
        am.search_folded = Set(search_text(&SearchParts {
            registration_number: &registration_number,
            name: &name,
            acronym: acronym.as_deref(),
            beneficiary_name: beneficiary.name,
            beneficiary_ico: beneficiary.ico,
        }));
        am.version = Set(existing.version + 1);
        am.updated_at = Set(now);
        am
    }
}
