//! Settings for rules the domain notes mark as unverified [U]: the financial-correction bands for
//! missed indicator targets, the tolerated lag of drawdown behind elapsed time and the payment limit of
//! claims (ŽoP). Stored in `setting`.

use super::ServiceError;
use crate::domain::{CorrectionBand, CorrectionBands, FieldErrors, Percentage};
use crate::dto::{EditOutcome, SettingsInput};
use entity::setting;
use rust_decimal::Decimal;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ConnectionTrait, DatabaseTransaction, EntityTrait, Set, TransactionTrait};
use std::str::FromStr;

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
    Ok(SettingsInput {
        drawdown_max_lag_points: lag,
        correction_bands: bands_to_text(&super::monitoring::correction_bands(db).await?),
        claim_overdue_days: super::budget::claim_overdue_days(db).await?.to_string(),
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
    let overdue_days = match input.claim_overdue_days.trim() {
        "" => Some(super::budget::DEFAULT_CLAIM_OVERDUE_DAYS),
        text => match text.parse::<i64>() {
            Ok(d) if (1..=365).contains(&d) => Some(d),
            _ => {
                e.add(
                    "claim_overdue_days",
                    "Zadejte celý počet dní od 1 do 365 (výchozí 80).",
                );
                None
            }
        },
    };
    let (Some(lag), Some(bands), Some(overdue_days)) = (lag, bands, overdue_days) else {
        return Ok(EditOutcome::Invalid(e));
    };
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
    for (key, value) in [
        ("drawdown_max_lag_points", lag.normalize().to_string()),
        ("correction_bands", json),
        ("claim_overdue_days", overdue_days.to_string()),
    ] {
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
