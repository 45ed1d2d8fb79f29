//! Settings for rules the domain notes mark as unverified [U]: the financial-correction bands for
//! missed indicator targets, the tolerated lag of drawdown behind elapsed time, the payment limit of
//! claims (ŽoP) and the days the deadlines follow from (ZoR after its period, the check of a submitted
//! ZoR, the final report after the project, how far ahead `/terminy` looks). Stored in `setting`.

use super::ServiceError;
use crate::domain::{CorrectionBand, CorrectionBands, DeadlineRules, FieldErrors, Percentage};
use crate::dto::{EditOutcome, SettingsInput};
use entity::setting;
use rust_decimal::Decimal;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ConnectionTrait, DatabaseTransaction, EntityTrait, Set, TransactionTrait};
use std::collections::BTreeMap;
use std::str::FromStr;

/// A setting holding a number of days from 1 to 365: its key and default.
struct DaySetting {
    key: &'static str,
    default: u32,
}

/// The settings of whole days, in the order of the form: the payment limit of claims and the deadlines'
/// rules ([`DeadlineRules`]; defaults unverified [U]).
const DAY_SETTINGS: [DaySetting; 5] = {
    let d = DeadlineRules::DEFAULT;
    [
        DaySetting {
            key: "claim_overdue_days",
            default: d.payment_days,
        },
        DaySetting {
            key: "report_due_days",
            default: d.report_days,
        },
        DaySetting {
            key: "review_due_days",
            default: d.review_days,
        },
        DaySetting {
            key: "final_report_due_days",
            default: d.final_report_days,
        },
        DaySetting {
            key: "deadline_horizon_days",
            default: d.horizon_days,
        },
    ]
};

/// The stored value of each day setting (its default when missing or unreadable).
async fn days(db: &impl ConnectionTrait) -> Result<BTreeMap<&'static str, u32>, ServiceError> {
    let stored: BTreeMap<String, String> = setting::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.key, s.value))
        .collect();
    Ok(DAY_SETTINGS
        .iter()
        .map(|d| {
            let v = stored
                .get(d.key)
                .and_then(|v| v.trim().parse().ok())
                .filter(|v| (1..=365).contains(v))
                .unwrap_or(d.default);
            (d.key, v)
        })
        .collect())
}

/// The deadlines' rules as set (defaults where nothing is stored).
///
/// # Errors
/// Database errors.
pub async fn deadline_rules(db: &impl ConnectionTrait) -> Result<DeadlineRules, ServiceError> {
    let d = days(db).await?;
    let get = |k: &str| d.get(k).copied().unwrap_or_default();
    Ok(DeadlineRules {
        report_days: get("report_due_days"),
        review_days: get("review_due_days"),
        final_report_days: get("final_report_due_days"),
        payment_days: get("claim_overdue_days"),
        horizon_days: get("deadline_horizon_days"),
    })
}

/// The text of a day setting in the form (`key`), checked: empty is the default.
fn day_input<'a>(input: &'a SettingsInput, key: &str) -> &'a str {
    match key {
        "claim_overdue_days" => &input.claim_overdue_days,
        "report_due_days" => &input.report_due_days,
        "review_due_days" => &input.review_due_days,
        "final_report_due_days" => &input.final_report_due_days,
        _ => &input.deadline_horizon_days,
    }
}

fn parse_days(text: &str, d: &DaySetting, e: &mut FieldErrors) -> Option<u32> {
    match text.trim() {
        "" => Some(d.default),
        t => match t.parse::<u32>() {
            Ok(v) if (1..=365).contains(&v) => Some(v),
            _ => {
                e.add(
                    d.key,
                    format!(
                        "Zadejte celý počet dní od 1 do 365 (výchozí {}).",
                        d.default
                    ),
                );
                None
            }
        },
    }
}

/// The bands as editable text: one band per line, `from; to; correction` in percent (`to` empty for no
/// upper limit), e.g. `50; 70; 10`.
#[must_use]
pub fn bands_to_text(bands: &CorrectionBands) -> String {
    let n = |d: Decimal| d.normalize().to_string().replace('.', ",");
    bands
        .bands()
        .iter()
        .map(|b| {
            format!(
                "{}; {}; {}",
                n(b.from_percent),
                b.to_percent.map(n).unwrap_or_default(),
                n(b.correction_percent.value())
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Parses the bands text.
///
/// # Errors
/// A Czech message naming the line.
pub fn bands_from_text(text: &str) -> Result<CorrectionBands, String> {
    let num = |s: &str, line: usize| {
        Decimal::from_str(&s.trim().replace(',', "."))
            .map_err(|_| format!("Řádek {line}: „{}“ není číslo.", s.trim()))
    };
    let mut bands = Vec::new();
    for (i, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let parts: Vec<&str> = line.split(';').collect();
        let [from, to, corr] = parts[..] else {
            return Err(format!(
                "Řádek {}: očekávám „od; do; korekce“, např. 50; 70; 10.",
                i + 1
            ));
        };
        bands.push(CorrectionBand {
            from_percent: num(from, i + 1)?,
            to_percent: if to.trim().is_empty() {
                None
            } else {
                Some(num(to, i + 1)?)
            },
            correction_percent: Percentage::parse(corr)
                .map_err(|e| format!("Řádek {}: {e}", i + 1))?,
        });
    }
    CorrectionBands::new(bands).map_err(|e| e.to_string())
}

/// The current settings as the form shows them.
///
/// # Errors
/// Database errors.
pub async fn get(db: &impl ConnectionTrait) -> Result<SettingsInput, ServiceError> {
    let lag = entity::setting::Entity::find_by_id("drawdown_max_lag_points".to_string())
        .one(db)
        .await?
        .map_or_else(
            || super::budget::DEFAULT_MAX_LAG_POINTS.to_string(),
            |s| s.value,
        );
    let d = days(db).await?;
    let get = |k: &str| d.get(k).copied().unwrap_or_default().to_string();
    Ok(SettingsInput {
        drawdown_max_lag_points: lag,
        correction_bands: bands_to_text(&super::monitoring::correction_bands(db).await?),
        claim_overdue_days: super::budget::claim_overdue_days(db).await?.to_string(),
        report_due_days: get("report_due_days"),
        review_due_days: get("review_due_days"),
        final_report_due_days: get("final_report_due_days"),
        deadline_horizon_days: get("deadline_horizon_days"),
    })
}

/// Saves the settings, in one transaction.
///
/// # Errors
/// Database errors; input problems are `EditOutcome::Invalid`.
pub async fn save(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    input: &SettingsInput,
) -> Result<EditOutcome, ServiceError> {
    let mut e = FieldErrors::new();
    let lag = match Decimal::from_str(&input.drawdown_max_lag_points.trim().replace(',', ".")) {
        Ok(d) if d >= Decimal::ZERO && d <= Decimal::ONE_HUNDRED => Some(d),
        _ => {
            e.add(
                "drawdown_max_lag_points",
                "Zadejte počet procentních bodů od 0 do 100.",
            );
            None
        }
    };
    let bands = bands_from_text(&input.correction_bands)
        .map_err(|m| e.add("correction_bands", m))
        .ok();
    let day_values: Vec<(&str, Option<u32>)> = DAY_SETTINGS
        .iter()
        .map(|d| (d.key, parse_days(day_input(input, d.key), d, &mut e)))
        .collect();
    let (Some(lag), Some(bands)) = (lag, bands) else {
        return Ok(EditOutcome::Invalid(e));
    };
    if !e.is_empty() {
        return Ok(EditOutcome::Invalid(e));
    }
    let json =
        serde_json::to_string(&bands).map_err(|err| ServiceError::Unexpected(err.to_string()))?;
    let txn = super::db::begin_write(db).await?;
    let old: serde_json::Map<String, serde_json::Value> = setting::Entity::find()
        .all(&txn)
        .await?
        .into_iter()
        .map(|s| (s.key, s.value.into()))
        .collect();
    let mut changes = serde_json::Map::new();
    let values = [
        ("drawdown_max_lag_points", lag.normalize().to_string()),
        ("correction_bands", json),
    ]
    .into_iter()
    .chain(
        day_values
            .into_iter()
            .map(|(k, v)| (k, v.unwrap_or_default().to_string())),
    );
    for (key, value) in values {
        setting::Entity::insert(setting::ActiveModel {
            key: Set(key.into()),
            value: Set(value.clone()),
        })
        .on_conflict(
            OnConflict::column(setting::Column::Key)
                .update_column(setting::Column::Value)
                .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
        let before = old.get(key).cloned().unwrap_or(serde_json::Value::Null);
        if before.as_str() != Some(value.as_str()) {
            changes.insert(key.to_owned(), serde_json::json!([before, value]));
        }
    }
    if !changes.is_empty() {
        let actor = super::audit::current();
        super::audit::record(&txn, &actor, "update", "setting", 0, None, changes.into()).await?;
    }
    txn.commit().await?;
    Ok(EditOutcome::Saved)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_round_trip_through_text() {
        let d = CorrectionBands::unverified_default();
        let text = bands_to_text(&d);
        assert_eq!(text, "0; 50; 25\n50; 70; 10\n70; 85; 5\n85; ; 0");
        assert_eq!(bands_from_text(&text).unwrap(), d);
    }

    #[test]
    fn bad_band_lines_name_their_line() {
        assert!(bands_from_text("0; 50; 25\n50; x; 10")
            .unwrap_err()
            .contains("Řádek 2"));
        assert!(bands_from_text("0; 50").unwrap_err().contains("Řádek 1"));
        assert!(
            bands_from_text("0; 60; 25\n50; 70; 10").is_err(),
            "overlapping bands"
        );
    }
}
