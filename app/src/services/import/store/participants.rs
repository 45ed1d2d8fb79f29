//! Participant records by pseudonym: new (batched) or changed field by field.

use sea_orm::{ActiveModelTrait, ColumnTrait, DbErr, EntityTrait, QueryFilter, Set};

use entity::participant;

use super::changes::date_label;
use super::{Outcome, Planner, Refusal};
use crate::domain::format_czech_date;

impl Planner<'_> {
    pub(super) async fn apply_participant(
        &mut self,
        r: crate::services::import::sheet::ParticipantRow,
    ) -> Result<Result<Outcome, Refusal>, DbErr> {
        let project = match self.row_project(&r.reg_no, false) {
            Ok(p) => p,
            Err(e) => return Ok(Err(e)),
        };
        if !self.participants.contains_key(&project.id) {
            let map = participant::Entity::find()
                .filter(participant::Column::ProjectId.eq(project.id))
                .all(self.txn)
                .await?
                .into_iter()
                .map(|p| (p.pseudonym.clone(), p))
                .collect();
            self.participants.insert(project.id, map);
        }
        let rec = &r.record;
        let situations: Vec<&str> = rec.exit_situations().iter().map(|s| s.code()).collect();
        let situations = situations.join(";");
        let record = if self.detail {
            format!("{} · účastník {}", r.reg_no, rec.pseudonym())
        } else {
            String::new()
        };
        let existing = self
            .participants
            .get(&project.id)
            .and_then(|m| m.get(rec.pseudonym()))
            .cloned();
        let gender = rec.gender().label().to_owned();
        let isced = rec.isced().map(i16::from);
        match existing {
            Some(p) => {
                let mut fields = Vec::new();
                if p.entry_date != rec.entry() {
                    fields.push((
                        "Datum vstupu".to_owned(),
                        date_label(Some(p.entry_date)),
                        date_label(Some(rec.entry())),
                    ));
                }
                if p.exit_date != rec.exit() {
                    fields.push((
                        "Datum výstupu".to_owned(),
                        date_label(p.exit_date),
                        date_label(rec.exit()),
                    ));
                }
                if p.gender != gender {
                    fields.push(("Pohlaví".to_owned(), p.gender.clone(), gender.clone()));
                }
                if p.age_at_entry != i16::from(rec.age_at_entry()) {
                    fields.push((
                        "Věk při vstupu".to_owned(),
                        p.age_at_entry.to_string(),
                        rec.age_at_entry().to_string(),
                    ));
                }
                if p.labour_status != rec.status().code() {
                    fields.push((
                        "Postavení na trhu práce".to_owned(),
                        p.labour_status.clone(),
                        rec.status().code().to_owned(),
                    ));
                }
                if p.isced != isced {
                    fields.push((
                        "ISCED".to_owned(),
                        p.isced.map(|i| i.to_string()).unwrap_or_default(),
                        isced.map(|i| i.to_string()).unwrap_or_default(),
                    ));
                }
                if p.disability != rec.disability() {
                    fields.push((
                        "Zdravotní postižení".to_owned(),
                        yes(p.disability),
                        yes(rec.disability()),
                    ));
                }
                if p.exit_situations != situations {
                    fields.push((
                        "Situace při výstupu".to_owned(),
                        p.exit_situations.clone(),
                        situations.clone(),
                    ));
                }
                if fields.is_empty() {
                    return Ok(Ok(Outcome::Unchanged));
                }
                let mut am: participant::ActiveModel = p.clone().into();
                am.entry_date = Set(rec.entry());
                am.exit_date = Set(rec.exit());
                am.gender = Set(gender);
                am.age_at_entry = Set(i16::from(rec.age_at_entry()));
                am.labour_status = Set(rec.status().code().to_owned());
                am.isced = Set(isced);
                am.disability = Set(rec.disability());
                am.exit_situations = Set(situations);
                am.import_id = Set(Some(self.import_id));
                let updated = am.update(self.txn).await?;
                self.before("participant", p.id, serde_json::json!({
                    "entry_date": p.entry_date, "exit_date": p.exit_date, "gender": p.gender,
                    "age_at_entry": p.age_at_entry, "labour_status": p.labour_status, "isced": p.isced,
                    "disability": p.disability, "exit_situations": p.exit_situations, "import_id": p.import_id,
                }));
                self.participants
                    .entry(project.id)
                    .or_default()
                    .insert(rec.pseudonym().to_owned(), updated);
                Ok(Ok(Outcome::Changed(record, fields)))
            }
            None => {
                let model = participant::Model {
                    id: 0,
                    project_id: project.id,
                    pseudonym: rec.pseudonym().to_owned(),
                    entry_date: rec.entry(),
                    exit_date: rec.exit(),
                    gender,
                    age_at_entry: i16::from(rec.age_at_entry()),
                    labour_status: rec.status().code().to_owned(),
                    isced,
                    disability: rec.disability(),
                    exit_situations: situations,
                    illustrative: false,
                    import_id: Some(self.import_id),
                };
                let mut am: participant::ActiveModel = model.clone().into();
                am.id = sea_orm::ActiveValue::NotSet;
                self.new_participants.push(am);
                self.participants
                    .entry(project.id)
                    .or_default()
                    .insert(model.pseudonym.clone(), model);
                self.records_changed += 1;
                Ok(Ok(Outcome::New(
                    record,
                    format!("vstup {}", format_czech_date(rec.entry())),
                )))
            }
        }
    }
}

fn yes(b: bool) -> String {
    if b { "ano" } else { "ne" }.to_owned()
}
