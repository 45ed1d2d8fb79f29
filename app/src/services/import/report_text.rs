//! The import report as plain text, for the command line.

use crate::dto::import::{czech_money_text, money_total_label, ImportReport};

/// The report as plain text for the command line: one block per sheet, then every error and warning.
#[must_use]
pub fn report_text(report: &ImportReport) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Soubor {} ({}, {} B, SHA-256 {})",
        report.file_name, report.format, report.size_bytes, report.sha256
    );
    if let Some(id) = report.previously_imported_as {
        let _ = writeln!(out, "Tento soubor už byl importován (import č. {id}).");
    }
    for s in &report.sheets {
        let _ = writeln!(
            out,
            "List „{}“: {} – řádků s daty {}, platných {}, chybných {}; nových {}, změněných {}, beze změny {}",
            s.name, s.kind_label, s.data_rows, s.valid_rows, s.invalid_rows, s.new_rows, s.changed_rows,
            s.unchanged_rows
        );
        if s.kind.is_none() && !s.headers.is_empty() {
            let _ = writeln!(
                out,
                "  neznámý druh listu; záhlaví: {}",
                s.headers.join(" | ")
            );
        }
        if !s.ignored_columns.is_empty() {
            let _ = writeln!(
                out,
                "  ignorované sloupce: {}",
                s.ignored_columns.join(", ")
            );
        }
        if !s.money_totals.is_empty() {
            let totals: Vec<String> = s
                .money_totals
                .iter()
                .map(|(k, v)| format!("{} {} Kč", money_total_label(k), czech_money_text(v)))
                .collect();
            let _ = writeln!(out, "  součty platných řádků: {}", totals.join(" · "));
        }
        for e in &s.errors {
            let _ = writeln!(
                out,
                "  CHYBA {}: {} (nalezeno: {})",
                e.cell, e.message, e.value
            );
        }
        for w in &s.warnings {
            let _ = writeln!(
                out,
                "  upozornění {}: {} (nalezeno: {})",
                w.cell, w.message, w.value
            );
        }
        if s.issues_omitted > 0 {
            let _ = writeln!(
                out,
                "  … a ještě {}",
                crate::domain::plural(
                    u64::from(s.issues_omitted),
                    [
                        "chyba nebo upozornění",
                        "chyby nebo upozornění",
                        "chyb nebo upozornění"
                    ]
                )
            );
        }
    }
    if let Some(notice) = &report.notice {
        let _ = writeln!(out, "{notice}");
    }
    let _ = writeln!(
        out,
        "{}",
        match (report.committed, report.import_id) {
            (true, Some(id)) => format!("Uloženo jako import č. {id}."),
            _ => "Nic nebylo uloženo (náhled).".to_owned(),
        }
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dto::import::SheetReport;

    #[test]
    fn totals_are_labelled_in_czech() {
        let mut sheet = SheetReport {
            name: "Výdaje".into(),
            kind: Some("expenditures".into()),
            kind_label: "Výdaje".into(),
            ..SheetReport::default()
        };
        sheet
            .money_totals
            .insert("amount".into(), "1234567.5".into());
        let report = ImportReport {
            file_name: "v.xlsx".into(),
            sheets: vec![sheet],
            ..ImportReport::default()
        };
        let text = report_text(&report);
        assert!(
            text.contains("součty platných řádků: Částka 1\u{a0}234\u{a0}567,50 Kč"),
            "{text}"
        );
        assert!(!text.contains("amount"), "{text}");
    }
}
