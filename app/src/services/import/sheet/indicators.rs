//! Rows of indicator values (*Indikátory*): project, indicator code of the codebook, period, value.

use rust_decimal::Decimal;

use super::row::RowCtx;
use super::Lookups;
use crate::domain::sheet_values::PeriodRef;
use crate::domain::IndicatorCode;
use crate::services::import::kinds::Field;

/// An achieved indicator value.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorRow {
    pub reg_no: String,
    pub code: String,
    pub indicator_id: i32,
    pub period: PeriodRef,
    pub value: Decimal,
    pub target: Option<Decimal>,
    pub note: Option<String>,
}

pub(super) fn indicator_row(ctx: &mut RowCtx<'_>, lookups: &Lookups) -> Option<IndicatorRow> {
    let project = ctx.known_project(lookups);
    let code_text = ctx.text_ref(Field::IndicatorCode, Some("kód indikátoru"));
    let code = code_text.and_then(|t| {
        let known = match ctx.cache.indicator.get(t.as_ref()) {
            Some(k) => k.clone(),
            None => {
                let k = IndicatorCode::parse(&t)
                    .ok()
                    .map(|c| c.as_str().to_owned())
                    .filter(|c| lookups.indicators.contains_key(c));
                ctx.cache.indicator.insert(t.into_owned(), k.clone());
                k
            }
        };
        match known {
            Some(code) => {
                ctx.value(Field::IndicatorCode, code.clone());
                Some(code)
            }
            None => {
                ctx.err(
                    Field::IndicatorCode,
                    "unknown_indicator",
                    "indikátor není v číselníku (např. EECO01, EECR04, 6 00 00)",
                );
                None
            }
        }
    });
    let period = if ctx.has_column(Field::Period) {
        ctx.period(Field::Period, Some("monitorovací období"))
    } else {
        let from = ctx.date(Field::PeriodFrom, Some("začátek období"));
        let to = ctx.date(Field::PeriodTo, Some("konec období"));
        match (from, to) {
            (Some(from), Some(to)) if to < from => {
                ctx.err_value(
                    Field::PeriodTo,
                    "end_before_start",
                    serde_json::Value::from(to.to_string()),
                    "konec období je před jeho začátkem",
                );
                None
            }
            (Some(from), Some(to)) => Some(PeriodRef::Dates { from, to }),
            _ => None,
        }
    };
    let indicator = code
        .as_ref()
        .and_then(|c| lookups.indicators.get(c.as_str()).copied());
    let unit = indicator.map(|i| i.unit);
    let value = ctx.quantity(Field::Value, Some("dosažená hodnota"), unit);
    let target = ctx.quantity(Field::Target, None, unit);
    let note = ctx.text(Field::Note, None);
    let (reg_no, _) = project?;
    let code = code?;
    let indicator_id = indicator?.id;
    Some(IndicatorRow {
        reg_no,
        code: code.as_str().to_owned(),
        indicator_id,
        period: period?,
        value: value?,
        target,
        note,
    })
}
