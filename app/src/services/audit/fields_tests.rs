//! The audit trail's words: each kind of value, and the fallback for what the table does not know.

use super::*;
use serde_json::json;

struct Fake;

impl Names for Fake {
    fn name(&self, table: Table, id: i64) -> Option<String> {
        match (table, id) {
            (Table::ProjectIndicator, 7) => Some("VNP · EECO01".into()),
            (Table::Period, 3) => Some("VNP · ZoR 8".into()),
            _ => None,
        }
    }
}

fn show(entity: &str, column: &str, v: serde_json::Value) -> String {
    value_text(kind(entity, column), &v, &Fake)
}

const NB: char = '\u{a0}';

#[test]
fn columns_carry_the_labels_of_their_forms() {
    assert_eq!(
        label("indicator_value", "achieved_milli"),
        "Dosažená hodnota"
    );
    assert_eq!(
        label("project", "total_eligible_halere"),
        "Celkové způsobilé výdaje"
    );
    assert_eq!(label("payment_claim", "status"), "Stav");
    assert_eq!(label("budget_line", "project_id"), "Projekt");
}

#[test]
fn unknown_columns_keep_their_name_and_raw_value() {
    assert_eq!(label("project", "new_column"), "new_column");
    assert_eq!(label("mystery", "x"), "x");
    assert_eq!(kind("project", "new_column"), Kind::Text);
    assert_eq!(show("project", "new_column", json!(42)), "42");
    assert_eq!(show("mystery", "x", json!("abc")), "abc");
    assert_eq!(entity_label("mystery"), "mystery");
    assert!(position("project", "name") < position("project", "description"));
    assert_eq!(position("project", "new_column"), usize::MAX);
}

#[test]
fn halere_are_crowns_exactly() {
    assert_eq!(
        show("project", "total_eligible_halere", json!(123_456_789)),
        format!("1{NB}234{NB}567,89{NB}Kč")
    );
    assert_eq!(
        show("expenditure", "amount_halere", json!(-5)),
        format!("-0,05{NB}Kč")
    );
    // The largest i64 is beyond Money's range and still exact.
    assert_eq!(halere_text(i64::MAX), format!("92233720368547758,07{NB}Kč"));
    assert_eq!(
        show("advance", "amount_halere", json!(100)),
        format!("1,00{NB}Kč")
    );
}

#[test]
fn thousandths_are_decimals() {
    assert_eq!(
        show("indicator_value", "achieved_milli", json!(12_500)),
        "12,5"
    );
    assert_eq!(
        show("project_indicator", "target_milli", json!(100_000)),
        "100"
    );
    assert_eq!(show("project_indicator", "baseline_milli", json!(0)), "0");
}

#[test]
fn dates_and_instants_are_czech() {
    assert_eq!(
        show("project", "end_date", json!("2025-12-31")),
        "31. 12. 2025"
    );
    assert_eq!(
        show("project", "archived_at", json!("2026-11-30T13:05:00+00:00")),
        "30. 11. 2026 14:05 SEČ"
    );
    assert_eq!(
        show("project", "end_date", json!("not a date")),
        "not a date"
    );
}

#[test]
fn booleans_are_ano_ne_and_nulls_empty() {
    assert_eq!(show("payment_claim", "with_documents", json!(true)), "ano");
    assert_eq!(show("indicator", "computed", json!(false)), "ne");
    assert_eq!(show("payment_claim", "approved_halere", json!(null)), "");
}

#[test]
fn codes_are_shown_by_their_labels() {
    assert_eq!(
        show("project", "status", json!("realisation")),
        "v realizaci"
    );
    assert_eq!(
        show("payment_claim", "status", json!("submitted")),
        "podaná"
    );
    assert_eq!(
        show("budget_line", "chapter", json!("personnel")),
        "Osobní náklady"
    );
    assert_eq!(show("indicator", "unit", json!("persons")), "osoby");
    assert_eq!(show("indicator", "kind", json!("result")), "výsledek");
    assert_eq!(
        show("unit_cost", "kind", json!("lump_sum")),
        "jednorázová částka"
    );
    assert_eq!(
        show("app_user", "roles", json!(["admin", "finance"])),
        "správce, finanční manažer"
    );
    // An unknown code stays as stored.
    assert_eq!(show("payment_claim", "status", json!("weird")), "weird");
}

#[test]
fn settings_are_worded() {
    assert_eq!(
        show("setting", "claim_overdue_days", json!("80")),
        format!("80{NB}dní")
    );
    assert_eq!(
        show("setting", "claim_overdue_days", json!("1")),
        format!("1{NB}den")
    );
    let bands = r#"[{"from_percent":"0","to_percent":"50","correction_percent":"100"},{"from_percent":"50","to_percent":null,"correction_percent":"5"}]"#;
    assert_eq!(
        show("setting", "correction_bands", json!(bands)),
        format!("0–50{NB}%: korekce 100{NB}%; od 50{NB}%: korekce 5{NB}%")
    );
    // Text that is not a table stays as it is.
    assert_eq!(show("setting", "correction_bands", json!("[oops")), "[oops");
}

#[test]
fn percentages_and_units_are_decimals() {
    assert_eq!(
        show("project_finance", "eu_share", json!("85.00")),
        format!("85{NB}%")
    );
    assert_eq!(show("expenditure", "units", json!("1.50")), "1,5");
}

#[test]
fn references_are_names() {
    assert_eq!(
        show("indicator_value", "project_indicator_id", json!(7)),
        "VNP · EECO01"
    );
    assert_eq!(
        show("indicator_value", "period_id", json!(3)),
        "VNP · ZoR 8"
    );
    // A row that is gone keeps its number.
    assert_eq!(show("indicator_value", "period_id", json!(99)), "99");
}

fn columns<E: sea_orm::EntityTrait>() -> Vec<String> {
    use sea_orm::{IdenStatic, Iterable};
    E::Column::iter()
        .map(|c| c.as_str().to_owned())
        .filter(|c| !crate::services::audit::SKIPPED.contains(&c.as_str()))
        .collect()
}

#[test]
fn every_recorded_column_has_a_label() {
    use entity::*;
    let recorded = [
        ("project", columns::<project::Entity>()),
        ("organisation", columns::<organisation::Entity>()),
        ("project_finance", columns::<project_finance::Entity>()),
        ("monitoring_period", columns::<monitoring_period::Entity>()),
        ("project_indicator", columns::<project_indicator::Entity>()),
        ("indicator_value", columns::<indicator_value::Entity>()),
        ("budget_line", columns::<budget_line::Entity>()),
        ("expenditure", columns::<expenditure::Entity>()),
        ("payment_claim", columns::<payment_claim::Entity>()),
        ("advance", columns::<advance::Entity>()),
        ("period_review", columns::<period_review::Entity>()),
        ("review_comment", columns::<review_comment::Entity>()),
        ("indicator", columns::<indicator::Entity>()),
        ("programme", columns::<programme::Entity>()),
        ("call", columns::<call::Entity>()),
        ("unit_cost", columns::<unit_cost::Entity>()),
    ];
    for (entity, columns) in recorded {
        for column in columns {
            assert!(
                field(entity, &column).is_some(),
                "{entity}.{column} has no label in services/audit/table.rs"
            );
        }
        assert_ne!(entity_label(entity), entity, "{entity} has no Czech name");
    }
}
