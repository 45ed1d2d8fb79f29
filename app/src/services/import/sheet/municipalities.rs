//! Rows of participating municipalities (*Obce*): a RÚIAN code, or a name that must be unambiguous.

use super::row::RowCtx;
use super::Lookups;
use crate::domain::{fold_for_search, MunicipalityCode};
use crate::dto::import::MunicipalityCandidate;
use crate::services::import::kinds::Field;

/// A participating municipality.
#[derive(Debug, Clone, PartialEq)]
pub struct MunicipalityRow {
    pub reg_no: String,
    pub code: u32,
}

pub(super) fn municipality_row(ctx: &mut RowCtx<'_>, lookups: &Lookups) -> Option<MunicipalityRow> {
    let project = ctx.known_project(lookups);
    let code_text = ctx.text(Field::MunicipalityCode, None);
    let name = ctx.text(Field::MunicipalityName, None);
    let code = if let Some(text) = code_text {
        let text = text.strip_suffix(".0").unwrap_or(&text).to_owned();
        match MunicipalityCode::parse(&text) {
            Ok(code) => match lookups.municipalities.get(&code.value()) {
                Some(info) => {
                    ctx.value(Field::MunicipalityCode, code.value().to_string());
                    if let Some(n) = &name {
                        if fold_for_search(n) != fold_for_search(&info.name) {
                            let message =
                                format!("kód {} je {}; platí kód", code.value(), info.name);
                            ctx.warn(
                                Field::MunicipalityName,
                                "municipality_name_mismatch",
                                serde_json::Value::from(n.clone()),
                                message,
                            );
                        }
                    }
                    Some(code.value())
                }
                None => {
                    ctx.err(
                        Field::MunicipalityCode,
                        "unknown_municipality",
                        "obec s tímto kódem není v číselníku RÚIAN",
                    );
                    None
                }
            },
            Err(crate::domain::DomainError::MunicipalityCodeChecksum { expected, .. }) => {
                ctx.err(
                    Field::MunicipalityCode,
                    "invalid_municipality_code",
                    format!("neplatný kód obce (kontrolní číslice má být {expected})"),
                );
                None
            }
            Err(e) => {
                ctx.err(
                    Field::MunicipalityCode,
                    "invalid_municipality_code",
                    e.to_string(),
                );
                None
            }
        }
    } else if let Some(n) = name {
        let candidates = lookups
            .municipality_names
            .get(&fold_for_search(&n))
            .cloned()
            .unwrap_or_default();
        match candidates.as_slice() {
            [one] => {
                ctx.value(Field::MunicipalityName, one.to_string());
                Some(*one)
            }
            [] => {
                ctx.err(
                    Field::MunicipalityName,
                    "unknown_municipality",
                    "obec není v číselníku RÚIAN; zkontrolujte název nebo uveďte kód obce",
                );
                None
            }
            many => {
                let mut list: Vec<MunicipalityCandidate> = many
                    .iter()
                    .filter_map(|c| {
                        lookups
                            .municipalities
                            .get(c)
                            .map(|m| MunicipalityCandidate {
                                code: c.to_string(),
                                name: m.name.clone(),
                                district: m.district.clone(),
                            })
                    })
                    .collect();
                list.sort_by(|a, b| a.code.cmp(&b.code));
                let districts: Vec<String> = {
                    let mut d: Vec<String> = list.iter().map(|c| c.district.clone()).collect();
                    d.sort();
                    d
                };
                let message = format!(
                    "název odpovídá {} obcím (okresy {}); uveďte kód obce",
                    list.len(),
                    districts.join(", ")
                );
                let mut issue = ctx.issue(
                    Field::MunicipalityName,
                    "ambiguous_municipality",
                    serde_json::Value::from(n.clone()),
                    message,
                );
                issue.candidates = list;
                ctx.errors.push(issue);
                None
            }
        }
    } else {
        ctx.missing(Field::MunicipalityCode, "kód nebo název obce");
        None
    };
    let (reg_no, _) = project?;
    Some(MunicipalityRow {
        reg_no,
        code: code?,
    })
}
