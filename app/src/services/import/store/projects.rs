//! Projects from the project list (new projects with their beneficiary, changed names, dates, budgets)
//! and the legal-act totals of the *Seznam operací*.

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{ActiveModelTrait, DbErr, EntityTrait, Set};

use entity::{organisation, project};

use super::units::{halere, money_label};
use super::{refuse, Outcome, Planner, Refusal};
use crate::domain::{fold_for_search, DateRange, Money, ProjectStatus, RegistrationNumber};
use crate::services::import::kinds::Field;
use crate::services::projects::{
    insert_project, Beneficiary, InsertedProject, NewProject, ProjectChange,
};

/// The organisations (beneficiaries), loaded once when a project row first needs them.
#[derive(Default)]
pub(super) struct Organisations {
    by_id: HashMap<i32, organisation::Model>,
    by_ico: HashMap<String, i32>,
}

impl Organisations {
    fn add(&mut self, org: organisation::Model) {
        self.by_ico.insert(org.ico.clone(), org.id);
        self.by_id.insert(org.id, org);
    }
}

impl Planner<'_> {
    /// The organisations, loaded in one query on first use.
    async fn organisations(&mut self) -> Result<&mut Organisations, DbErr> {
        if self.organisations.is_none() {
            let mut all = Organisations::default();
            for o in organisation::Entity::find().all(self.txn).await? {
                all.add(o);
            }
            self.organisations = Some(all);
        }
        Ok(self
            .organisations
            .get_or_insert_with(Organisations::default))
    }

    pub(super) async fn apply_project(
        &mut self,
        r: crate::services::import::sheet::ProjectRow,
    ) -> Result<Result<Outcome, Refusal>, DbErr> {
        let budget = r.budget.map(halere);
        let existing_id = self.projects.get(&r.reg_no).map(|p| p.id);
        let allowed = match (&self.viewer, existing_id) {
            (None, _) => true,
            (Some(v), Some(id)) => v.can_edit_project(id),
            (Some(v), None) => v.can_create_project(),
        };
        if !allowed {
            return Ok(Err(refuse(
                Field::RegNo,
                "forbidden_project",
                serde_json::Value::Null,
                "k tomuto projektu nemáte oprávnění (řádek se neuloží)",
            )));
        }
        if let Some(existing) = self.projects.get(&r.reg_no).cloned() {
            // The sheet changes what it gives: an empty acronym, budget or description leaves the stored one.
            let change = ProjectChange {
                name: Some(r.name.clone()),
                acronym: r.acronym.clone().map(Some),
                dates: r
                    .start
                    .zip(r.end)
                    .and_then(|(s, e)| DateRange::new(s, e).ok()),
                description: r.description.clone(),
                total_eligible: budget
                    .map(|h| Money::from_halere(h).map(Some))
                    .transpose()
                    .ok()
                    .flatten(),
                import_id: Some(Some(self.import_id)),
                ..ProjectChange::default()
            };
            let fields = change.changed_fields(&existing);
            if fields.is_empty() {
                return Ok(Ok(Outcome::Unchanged));
            }
            if let Some(dates) = change
                .dates
                .filter(|d| (d.start(), d.end()) != (existing.start_date, existing.end_date))
            {
                if let Err(refusal) = self.reschedule_periods(&existing, dates).await? {
                    return Ok(Err(refusal));
                }
            }
            let orgs = self.organisations().await?;
            let org = orgs.by_id.get(&existing.beneficiary_id);
            let beneficiary = Beneficiary {
                id: existing.beneficiary_id,
                name: org.map_or("", |o| o.name.as_str()),
                ico: org.map_or("", |o| o.ico.as_str()),
            };
            let updated = change
                .row(&existing, beneficiary, Utc::now())
                .update(self.txn)
                .await?;
            self.before(
                "project",
                existing.id,
                serde_json::json!({
                    "name": existing.name, "acronym": existing.acronym,
                    "start_date": existing.start_date, "end_date": existing.end_date,
                    "total_eligible_halere": existing.total_eligible_halere,
                    "description": existing.description, "search_folded": existing.search_folded,
                    "import_id": existing.import_id,
                }),
            );
            self.projects.insert(r.reg_no.clone(), updated);
            return Ok(Ok(Outcome::Changed(r.reg_no, fields)));
        }
        // A new project.
        let Ok(rn) = RegistrationNumber::parse(&r.reg_no) else {
            return Ok(Err(refuse(
                Field::RegNo,
                "invalid_registration_number",
                r.reg_no,
                "neplatné registrační číslo",
            )));
        };
        let (Some(start), Some(end)) = (r.start, r.end) else {
            return Ok(Err(refuse(
                Field::StartDate,
                "missing_value",
                serde_json::Value::Null,
                "nový projekt potřebuje datum zahájení i ukončení",
            )));
        };
        let programme_code = rn.programme_code().to_owned();
        let Some(programme) = crate::services::projects::programme_of(self.txn, &rn).await? else {
            return Ok(Err(refuse(
                Field::RegNo,
                "unknown_programme",
                r.reg_no,
                format!("program {programme_code} není v číselníku programů"),
            )));
        };
        let (Some(ico), Some(beneficiary)) = (r.ico.clone(), r.beneficiary.clone()) else {
            return Ok(Err(refuse(
                Field::Ico,
                "missing_value",
                serde_json::Value::Null,
                "nový projekt potřebuje příjemce (název a IČO)",
            )));
        };
        let txn = self.txn;
        let orgs = self.organisations().await?;
        let org = match orgs.by_ico.get(&ico).and_then(|id| orgs.by_id.get(id)) {
            Some(o) => o.clone(),
            None => {
                let created = organisation::ActiveModel {
                    ico: Set(ico.clone()),
                    name: Set(beneficiary.clone()),
                    ..Default::default()
                }
                .insert(txn)
                .await?;
                orgs.add(created.clone());
                created
            }
        };
        let status = status_from_sheet(r.status.as_deref().unwrap_or(""));
        let Ok(dates) = DateRange::new(start, end) else {
            return Ok(Err(refuse(
                Field::EndDate,
                "end_before_start",
                serde_json::Value::Null,
                "datum ukončení je dříve než datum zahájení",
            )));
        };
        let total_eligible = match budget.map(Money::from_halere).transpose() {
            Ok(t) => t,
            Err(e) => {
                return Ok(Err(refuse(
                    Field::Budget,
                    "out_of_range",
                    serde_json::Value::Null,
                    e.to_string(),
                )))
            }
        };
        let InsertedProject {
            project: inserted,
            periods,
        } = insert_project(
            self.txn,
            &NewProject {
                registration_number: &rn,
                name: &r.name,
                acronym: r.acronym.as_deref(),
                beneficiary: Beneficiary {
                    id: org.id,
                    name: &org.name,
                    ico: &org.ico,
                },
                programme_id: programme.id,
                status,
                dates,
                description: r.description.as_deref().unwrap_or_default(),
                total_eligible,
                intervention_code: None,
                import_id: Some(self.import_id),
            },
            Utc::now(),
        )
        .await?;
        self.records_changed += 1 + u64::try_from(periods.len()).unwrap_or(0);
        self.touched.insert(inserted.id);
        self.periods.insert(inserted.id, periods);
        self.projects.insert(r.reg_no.clone(), inserted);
        Ok(Ok(Outcome::New(
            format!("projekt {}", r.reg_no),
            r.name.clone(),
        )))
    }

    pub(super) async fn apply_seznam(
        &mut self,
        r: crate::services::import::sheet::SeznamRow,
    ) -> Result<Result<Outcome, Refusal>, DbErr> {
        if !r.first_of_project {
            return Ok(Ok(Outcome::Unchanged));
        }
        let Some(existing) = self.projects.get(&r.reg_no).cloned() else {
            // Projects of the official list that the registry does not track are left alone.
            return Ok(Ok(Outcome::Unchanged));
        };
        let Some(total) = r.la_total.map(halere) else {
            return Ok(Ok(Outcome::Unchanged));
        };
        if let Err(e) = self.permitted(Some(existing.id), true) {
            return Ok(Err(e));
        }
        if existing.total_eligible_halere == Some(total) {
            return Ok(Ok(Outcome::Unchanged));
        }
        let mut am: project::ActiveModel = existing.clone().into();
        am.total_eligible_halere = Set(Some(total));
        am.version = Set(existing.version + 1);
        am.updated_at = Set(Utc::now());
        am.import_id = Set(Some(self.import_id));
        let updated = am.update(self.txn).await?;
        self.before(
            "project",
            existing.id,
            serde_json::json!({"total_eligible_halere": existing.total_eligible_halere, "import_id": existing.import_id}),
        );
        self.projects.insert(r.reg_no.clone(), updated);
        Ok(Ok(Outcome::Changed(
            r.reg_no,
            vec![(
                "Celkové způsobilé výdaje (právní akt)".into(),
                existing
                    .total_eligible_halere
                    .map(money_label)
                    .unwrap_or_default(),
                money_label(total),
            )],
        )))
    }
}

/// Maps a project state as the monitoring system writes it (`Projekt v realizaci`, `Projekt s právním
/// aktem`, `Projekt ukončený`, `Projekt finančně ukončený`) to the registry's status.
fn status_from_sheet(text: &str) -> ProjectStatus {
    let folded = fold_for_search(text);
    if folded.contains("financne") || folded.contains("uzavren") {
        ProjectStatus::Uzavreny
    } else if folded.contains("ukoncen") {
        ProjectStatus::Ukonceny
    } else if folded.contains("realizac") {
        ProjectStatus::VRealizaci
    } else {
        ProjectStatus::VPriprave
    }
}
