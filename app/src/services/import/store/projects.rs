//! Projects from the project list (new projects with their beneficiary, changed names, dates, budgets)
//! and the legal-act totals of the *Seznam operací*.

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{ActiveModelTrait, DbErr, EntityTrait, Set};

use entity::{organisation, project};

use super::units::{halere, money_label};
use super::{refuse, Outcome, Planner, Refusal};
use crate::domain::{fold_for_search, format_czech_date, ProjectStatus, RegistrationNumber};
use crate::services::import::kinds::Field;

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

/// A project's search text from its stored parts (see [`crate::services::projects::search_text`]).
fn search_text_of(p: &project::Model, org: Option<&organisation::Model>) -> String {
    crate::services::projects::search_text(&crate::services::projects::SearchParts {
        registration_number: &p.registration_number,
        name: &p.name,
        acronym: p.acronym.as_deref(),
        beneficiary_name: org.map_or("", |o| o.name.as_str()),
        beneficiary_ico: org.map_or("", |o| o.ico.as_str()),
    })
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
            let mut fields = Vec::new();
            let mut am: project::ActiveModel = existing.clone().into();
            if existing.name != r.name {
                fields.push(("Název".into(), existing.name.clone(), r.name.clone()));
                am.name = Set(r.name.clone());
            }
            if let Some(a) = &r.acronym {
                if existing.acronym.as_deref() != Some(a.as_str()) {
                    fields.push((
                        "Akronym".into(),
                        existing.acronym.clone().unwrap_or_default(),
                        a.clone(),
                    ));
                    am.acronym = Set(Some(a.clone()));
                }
            }
            if let (Some(s), Some(e)) = (r.start, r.end) {
                if (s, e) != (existing.start_date, existing.end_date) {
                    fields.push((
                        "Doba realizace".into(),
                        format!(
                            "{} – {}",
                            format_czech_date(existing.start_date),
                            format_czech_date(existing.end_date)
                        ),
                        format!("{} – {}", format_czech_date(s), format_czech_date(e)),
                    ));
                    am.start_date = Set(s);
                    am.end_date = Set(e);
                }
            }
            if budget.is_some() && budget != existing.total_eligible_halere {
                fields.push((
                    "Celkové způsobilé výdaje".into(),
                    existing
                        .total_eligible_halere
                        .map(money_label)
                        .unwrap_or_default(),
                    budget.map(money_label).unwrap_or_default(),
                ));
                am.total_eligible_halere = Set(budget);
            }
            if let Some(d) = &r.description {
                if &existing.description != d {
                    fields.push(("Popis".into(), existing.description.clone(), d.clone()));
                    am.description = Set(d.clone());
                }
            }
            if fields.is_empty() {
                return Ok(Ok(Outcome::Unchanged));
            }
            let mut changed = existing.clone();
            changed.name.clone_from(&r.name);
            if r.acronym.is_some() {
                changed.acronym.clone_from(&r.acronym);
            }
            let orgs = self.organisations().await?;
            let search = search_text_of(&changed, orgs.by_id.get(&existing.beneficiary_id));
            if search != existing.search_folded {
                am.search_folded = Set(search);
            }
            am.version = Set(existing.version + 1);
            am.updated_at = Set(Utc::now());
            am.import_id = Set(Some(self.import_id));
            let updated = am.update(self.txn).await?;
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
        let org_id = org.id;
        let status = status_from_sheet(r.status.as_deref().unwrap_or(""));
        let now = Utc::now();
        let search =
            crate::services::projects::search_text(&crate::services::projects::SearchParts {
                registration_number: rn.as_str(),
                name: &r.name,
                acronym: r.acronym.as_deref(),
                beneficiary_name: &org.name,
                beneficiary_ico: &org.ico,
            });
        let inserted = project::ActiveModel {
            registration_number: Set(rn.as_str().to_owned()),
            name: Set(r.name.clone()),
            acronym: Set(r.acronym.clone()),
            beneficiary_id: Set(org_id),
            programme_id: Set(programme.id),
            priority_code: Set(rn.priority_code().to_owned()),
            specific_objective_code: Set(rn.specific_objective_code().to_owned()),
            call_id: Set(rn.call_id()),
            status: Set(status.code().to_owned()),
            start_date: Set(start),
            end_date: Set(end),
            description: Set(r.description.clone().unwrap_or_default()),
            search_folded: Set(search),
            total_eligible_halere: Set(budget),
            amounts_illustrative: Set(false),
            archived_at: Set(None),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            import_id: Set(Some(self.import_id)),
            ..Default::default()
        }
        .insert(self.txn)
        .await?;
        self.records_changed += 1;
        self.touched.insert(inserted.id);
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
