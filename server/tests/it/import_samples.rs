//! The importer against the sample workbooks of `shared/samples` (made by openpyxl and LibreOffice, in
//! .xlsx, .xls and .ods): for every sheet its kind, header rows, row counts, money totals, total-row
//! checks, every error and warning by cell and code, and the normalised value of the quirky cells, as
//! each `NAME.expected.json` states them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use app::services::import::sheet::{Lookups, ProjectInfo};
use app::services::import::{parse_file, store, ImportLimits, Progress};
use app::services::{codebooks, monitoring};
use chrono::NaiveDate;
use serde_json::Value;

fn samples_dir() -> PathBuf {
    let candidates = [
        std::env::var("TRACKER_SAMPLES_DIR").ok().map(PathBuf::from),
        Some(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/samples")),
        Some(PathBuf::from("/work/shared/samples")),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|p| p.join("README.md").is_file())
        .expect("the sample workbooks (../shared/samples or TRACKER_SAMPLES_DIR) are required")
}

async fn base_lookups() -> Lookups {
    let db = common::sqlite().await;
    codebooks::import_ruian(&db, &common::ruian_dir(), common::today())
        .await
        .unwrap();
    monitoring::seed_codebook(&db).await.unwrap();
    store::load_lookups(&db).await.unwrap()
}

fn date(v: &Value) -> NaiveDate {
    NaiveDate::parse_from_str(v.as_str().unwrap(), "%Y-%m-%d").unwrap()
}

fn check_file(path: &std::path::Path, expected: &Value, base: &Lookups) -> Vec<String> {
    let mut lookups = base.clone();
    for code in expected["assumes"]["indicator_codes"].as_array().unwrap() {
        let code = code.as_str().unwrap();
        assert!(
            lookups.indicators.contains_key(code),
            "the indicator codebook lacks {code}"
        );
    }
    for (reg, dates) in expected["assumes"]["registry_projects"]
        .as_object()
        .unwrap()
    {
        lookups.projects.insert(
            reg.clone(),
            ProjectInfo {
                id: Some(0),
                range: Some((date(&dates["start"]), date(&dates["end"]))),
            },
        );
    }
    let bytes = std::fs::read(path).unwrap();
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let (reports, values) = parse_file(
        &bytes,
        &name,
        ImportLimits::default(),
        lookups,
        true,
        &Progress::default(),
        &mut |_| true,
    )
    .unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut problems = Vec::new();
    let mut p = |s: String| problems.push(format!("{name}: {s}"));
    let sheets = expected["sheets"].as_array().unwrap();
    if reports.len() != sheets.len() {
        p(format!(
            "{} sheets read, {} expected",
            reports.len(),
            sheets.len()
        ));
    }
    for exp in sheets {
        let sheet_name = exp["name"].as_str().unwrap();
        let Some(got) = reports.iter().find(|r| r.name == sheet_name) else {
            p(format!("sheet {sheet_name} missing"));
            continue;
        };
        let got_json = serde_json::to_value(got).unwrap();
        for key in [
            "kind",
            "header_row",
            "second_header_row",
            "first_data_row",
            "data_rows",
            "valid_rows",
            "invalid_rows",
            "unique_valid_projects",
        ] {
            if let Some(e) = exp.get(key) {
                let g = got_json.get(key).cloned().unwrap_or(Value::Null);
                if &g != e {
                    p(format!("{sheet_name}.{key}: got {g}, expected {e}"));
                }
            }
        }
        if let Some(e) = exp.get("ignored_columns") {
            let g = got_json["ignored_columns"].clone();
            if &g != e {
                p(format!(
                    "{sheet_name}.ignored_columns: got {g}, expected {e}"
                ));
            }
        }
        if let Some(e) = exp.get("skipped_other_programme_rows") {
            let g = got_json["skipped_other_programme_rows"].clone();
            if &g != e {
                p(format!("{sheet_name}.skipped rows: got {g}, expected {e}"));
            }
        }
        for totals in ["money_totals", "procurement_totals"] {
            if let Some(e) = exp.get(totals).and_then(Value::as_object) {
                for (k, v) in e {
                    let g = got.money_totals.get(k);
                    if g.map(String::as_str) != v.as_str() {
                        p(format!(
                            "{sheet_name}.{totals}.{k}: got {g:?}, expected {v}"
                        ));
                    }
                }
            }
        }
        let exp_totals = exp["total_rows"].as_array().cloned().unwrap_or_default();
        let mut n_total_values = 0;
        for t in &exp_totals {
            for (column, v) in t["values"].as_object().unwrap() {
                n_total_values += 1;
                let found = got
                    .total_rows
                    .iter()
                    .find(|g| g.column == *column && t["row"] == g.row);
                match found {
                    None => p(format!(
                        "{sheet_name}: total row {} {column} not checked",
                        t["row"]
                    )),
                    Some(g) => {
                        if g.cell != v["cell"].as_str().unwrap()
                            || g.value.as_deref() != v["value"].as_str()
                            || g.sum_of_rows_above != v["sum_of_rows_above"].as_str().unwrap()
                            || v["matches"] != g.matches
                        {
                            p(format!("{sheet_name}: total {g:?} vs {v}"));
                        }
                    }
                }
            }
        }
        if got.total_rows.len() != n_total_values {
            p(format!(
                "{sheet_name}: {} total checks, expected {n_total_values}",
                got.total_rows.len()
            ));
        }
        for (list, got_list) in [("errors", &got.errors), ("warnings", &got.warnings)] {
            let exp_list = exp[list].as_array().cloned().unwrap_or_default();
            let got_set: BTreeSet<(String, String)> = got_list
                .iter()
                .map(|i| (i.cell.clone(), i.code.clone()))
                .collect();
            let mut matched = BTreeSet::new();
            for e in &exp_list {
                let cell = e["cell"].as_str().unwrap().to_owned();
                let mut codes = vec![e["code"].as_str().unwrap().to_owned()];
                if let Some(alt) = e.get("alt_codes").and_then(Value::as_array) {
                    codes.extend(alt.iter().map(|a| a.as_str().unwrap().to_owned()));
                }
                match codes
                    .iter()
                    .find(|c| got_set.contains(&(cell.clone(), (*c).clone())))
                {
                    Some(c) => {
                        matched.insert((cell.clone(), c.clone()));
                        if let Some(cands) = e.get("candidates") {
                            let g = got_list
                                .iter()
                                .find(|i| i.cell == cell && &i.code == c)
                                .unwrap();
                            let g = serde_json::to_value(&g.candidates).unwrap();
                            if &g != cands {
                                p(format!("{cell} candidates: got {g}, expected {cands}"));
                            }
                        }
                    }
                    None => p(format!("{list}: missing {cell} {codes:?}")),
                }
            }
            for extra in got_set.difference(&matched) {
                let i = got_list
                    .iter()
                    .find(|i| i.cell == extra.0 && i.code == extra.1)
                    .unwrap();
                p(format!(
                    "{list}: unexpected {} {} ({}: {})",
                    extra.0, extra.1, i.value, i.message
                ));
            }
        }
        if let Some(vals) = exp.get("values").and_then(Value::as_object) {
            for (cell, v) in vals {
                let g = values.get(cell);
                if g.map(String::as_str) != v.as_str() {
                    p(format!("value {cell}: got {g:?}, expected {v}"));
                }
            }
        }
    }
    problems
}

#[tokio::test]
async fn every_sample_reads_as_its_expected_json_says() {
    let dir = samples_dir();
    let base = base_lookups().await;
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".expected.json"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 14,
        "expected the 14 sample workbooks, found {}",
        files.len()
    );
    let mut problems = Vec::new();
    let mut formats = BTreeMap::new();
    for expected_path in files {
        let expected: Value =
            serde_json::from_str(&std::fs::read_to_string(&expected_path).unwrap()).unwrap();
        let workbook = dir.join(expected["file"].as_str().unwrap());
        *formats
            .entry(expected["format"].as_str().unwrap().to_owned())
            .or_insert(0) += 1;
        problems.extend(check_file(&workbook, &expected, &base));
    }
    assert_eq!(formats.len(), 3, "xlsx, xls and ods samples: {formats:?}");
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
