//! The import report as plain text, for the command line.

use crate::dto::import::ImportReport;

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
            let _ = writeln!(out, "  … a dalších {} chyb a upozornění", s.issues_omitted);
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
