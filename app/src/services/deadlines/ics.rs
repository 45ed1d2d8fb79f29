//! The personal calendar feed as iCalendar (RFC 5545): one all-day event per deadline, with a stable UID
//! so that a calendar subscribed to the feed updates an event instead of adding another. Lines end with
//! CRLF and are folded at 75 octets (never inside a UTF-8 character); TEXT values are escaped.

use crate::domain::{format_czech_date, DeadlineState};
use crate::dto::deadlines::DeadlineRow;
use chrono::{Duration, NaiveDate};

/// Escapes a TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and line breaks.
#[must_use]
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// One content line, folded (RFC 5545 §3.1): at most 75 octets a line, continued lines start with a
/// space; every line ends with CRLF.
fn push_line(out: &mut String, line: &str) {
    let mut used = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if used + len > 75 {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += len;
    }
    out.push_str("\r\n");
}

fn date(d: NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

/// The feed named `name` of `rows`; `base` is the app's address for links (`https://host`), `today`
/// the stamp of every event.
#[must_use]
pub fn calendar(name: &str, rows: &[DeadlineRow], base: &str, today: NaiveDate) -> String {
    let mut out = String::new();
    let stamp = format!("{}T000000Z", date(today));
    for line in [
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//Evidence projektu ESF+//Terminy//CS".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        "METHOD:PUBLISH".to_owned(),
        format!("X-WR-CALNAME:{}", escape_text(name)),
        "X-WR-TIMEZONE:Europe/Prague".to_owned(),
    ] {
        push_line(&mut out, &line);
    }
    for r in rows {
        let done = r.state == DeadlineState::Done;
        let summary = format!(
            "{}{} – {}",
            if done { "✓ " } else { "" },
            r.title,
            r.acronym.as_deref().unwrap_or(&r.registration_number)
        );
        let description = format!(
            "{}\n{}\nTermín: {} ({})\n{base}{}",
            r.project_name,
            r.registration_number,
            format_czech_date(r.due),
            r.state.label(),
            r.href
        );
        for line in [
            "BEGIN:VEVENT".to_owned(),
            format!("UID:{}", r.uid),
            format!("DTSTAMP:{stamp}"),
            format!("DTSTART;VALUE=DATE:{}", date(r.due)),
            format!("DTEND;VALUE=DATE:{}", date(r.due + Duration::days(1))),
            format!("SUMMARY:{}", escape_text(&summary)),
            format!("DESCRIPTION:{}", escape_text(&description)),
            format!("URL:{base}{}", r.href),
            format!("CATEGORIES:{}", escape_text(r.kind.label())),
            "TRANSP:TRANSPARENT".to_owned(),
            "END:VEVENT".to_owned(),
        ] {
            push_line(&mut out, &line);
        }
    }
    push_line(&mut out, "END:VCALENDAR");
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::domain::DeadlineKind;

    fn row() -> DeadlineRow {
        DeadlineRow {
            project_id: 4,
            acronym: Some("NOE".into()),
            registration_number: "CZ.03.01.01/00/22_015/0002653".into(),
            project_name:
                "Nová etapa; pro lidi 30–54, s nástroji APZ \\ dlouhý název, který se musí zalomit"
                    .into(),
            kind: DeadlineKind::Report,
            title: "ZoR 2".into(),
            due: NaiveDate::from_ymd_opt(2026, 7, 30).unwrap(),
            state: DeadlineState::Soon,
            href: "/projekty/4/obdobi/9".into(),
            uid: "zor-4-9@evidence-esf".into(),
        }
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape_text("a;b,c\\d\ne"), "a\\;b\\,c\\\\d\\ne");
    }

    #[test]
    fn lines_are_folded_at_75_octets_without_splitting_characters() {
        let mut out = String::new();
        let long = format!("SUMMARY:{}", "ž".repeat(100));
        push_line(&mut out, &long);
        for l in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{} octets", l.len());
        }
        let unfolded = out.replace("\r\n ", "");
        assert_eq!(unfolded, format!("{long}\r\n"));
    }

    #[test]
    fn an_event_per_deadline_all_day() {
        let today = NaiveDate::from_ymd_opt(2026, 7, 1).unwrap();
        let ics = calendar("Termíny", &[row()], "http://host", today);
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        assert!(ics.contains("\r\nDTSTART;VALUE=DATE:20260730\r\n"));
        assert!(ics.contains("\r\nDTEND;VALUE=DATE:20260731\r\n"));
        assert!(ics.contains("\r\nDTSTAMP:20260701T000000Z\r\n"));
        assert!(ics.contains("\r\nUID:zor-4-9@evidence-esf\r\n"));
        assert!(
            !ics.replace("\r\n", "").contains('\n'),
            "only CRLF line ends"
        );
        for l in ics.split("\r\n") {
            assert!(l.len() <= 75);
        }
    }
}
