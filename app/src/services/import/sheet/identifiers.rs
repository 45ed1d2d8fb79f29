//! Identifiers and references of a row: the registration number (and whether the project is known),
//! IČO, the monitoring period, and dates within the project's realisation.

use chrono::NaiveDate;

use super::row::RowCtx;
use super::{Lookups, ProjectInfo};
use crate::domain::sheet_values::PeriodRef;
use crate::domain::{Ico, RegistrationNumber};
use crate::services::import::kinds::Field;

impl RowCtx<'_> {
    pub(super) fn reg_no(&mut self) -> Option<String> {
        let text = self.text_ref(Field::RegNo, Some("registrační číslo projektu"))?;
        if let Some(hit) = self.cache.reg_no.get(text.as_ref()) {
            let hit = hit.clone();
            self.value(Field::RegNo, hit.clone());
            return Some(hit);
        }
        let raw = text.clone().into_owned();
        let compact: String = text
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_uppercase();
        match RegistrationNumber::parse(&compact) {
            Ok(r) => {
                let s = r.as_str().to_owned();
                self.value(Field::RegNo, s.clone());
                self.cache.reg_no.insert(raw, s.clone());
                Some(s)
            }
            Err(e) => {
                self.err(
                    Field::RegNo,
                    "invalid_registration_number",
                    format!("neplatné registrační číslo. {e}"),
                );
                None
            }
        }
    }

    /// A registration number that must be in the registry.
    pub(super) fn known_project(&mut self, lookups: &Lookups) -> Option<(String, ProjectInfo)> {
        let reg = self.reg_no()?;
        match lookups.projects.get(&reg) {
            Some(info) => Some((reg, info.clone())),
            None => {
                self.err(
                    Field::RegNo,
                    "unknown_project",
                    "projekt není v evidenci; založte jej nebo importujte nejdřív list projektů",
                );
                None
            }
        }
    }

    pub(super) fn within_project(
        &mut self,
        field: Field,
        date: NaiveDate,
        info: &ProjectInfo,
    ) -> bool {
        if let Some((start, end)) = info.range {
            if date < start || date > end {
                self.err_value(
                    field,
                    "date_outside_project",
                    serde_json::Value::from(date.to_string()),
                    format!(
                        "datum mimo dobu realizace projektu ({} – {})",
                        crate::domain::format_czech_date(start),
                        crate::domain::format_czech_date(end)
                    ),
                );
                return false;
            }
        }
        true
    }

    pub(super) fn ico(&mut self, field: Field, required: Option<&str>) -> Option<String> {
        let text = self.text(field, required)?;
        let text = text.strip_suffix(".0").unwrap_or(&text).to_owned();
        match Ico::parse_lenient(&text) {
            Ok(ico) => {
                self.value(field, ico.as_str());
                Some(ico.as_str().to_owned())
            }
            Err(crate::domain::DomainError::IcoChecksum { ico, expected }) => {
                self.warn(
                    field,
                    "ico_checksum",
                    serde_json::Value::from(ico.clone()),
                    format!(
                        "IČO {ico} nemá platnou kontrolní číslici (očekávána {expected}); \
                         ověřte je v ARES, některá stará IČO kontrolou neprocházejí"
                    ),
                );
                self.value(field, ico.clone());
                Some(ico)
            }
            Err(_) => {
                self.err(field, "invalid_ico", "IČO musí mít 1 až 8 číslic");
                None
            }
        }
    }

    pub(super) fn period(&mut self, field: Field, required: Option<&str>) -> Option<PeriodRef> {
        let text = self.text_ref(field, required)?;
        let parsed = match self.cache.period.get(text.as_ref()) {
            Some(p) => *p,
            None => {
                let p = PeriodRef::parse(&text);
                self.cache.period.insert(text.into_owned(), p);
                p
            }
        };
        match parsed {
            Some(p) => {
                self.value(field, p.to_string());
                Some(p)
            }
            None => {
                self.err(
                    field,
                    "invalid_period",
                    "neplatné monitorovací období; čekalo se číslo zprávy (1, ZoR 1, 1. ZoR) \
                     nebo pololetí (2024-H1)",
                );
                None
            }
        }
    }
}
