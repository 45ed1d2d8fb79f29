//! Sheets holding birth numbers are refused whole, with one `birth_number` error at the first such cell
//! and none of their rows handed on to be stored; the workbook's other sheets are read as usual.

use super::support::{d, parse, t, texts, xlsx, Parsed, REG, V};

const PARTICIPANT_HEADER: &[&str] = &[
    "Registrační číslo projektu",
    "ID účastníka",
    "Datum vstupu",
    "Pohlaví",
    "Rok narození",
    "Postavení na trhu práce při vstupu",
];

fn participant(id: &str) -> Vec<V> {
    vec![
        t(REG),
        t(id),
        V::Date(d(2026, 3, 1)),
        t("Ž"),
        V::Num(1990.0),
        t("nezaměstnaný"),
    ]
}

fn indicators() -> (&'static str, Vec<Vec<V>>) {
    (
        "Indikátory",
        vec![
            texts(&[
                "Registrační číslo projektu",
                "Kód indikátoru",
                "Období",
                "Dosažená hodnota",
            ]),
            vec![t(REG), t("EECO01"), t("ZoR 1"), V::Num(5.0)],
        ],
    )
}

/// A workbook of a participants sheet (`header` plus `extra` header, rows of a pseudonym plus the
/// `extra` cell) and an indicator sheet.
fn workbook(extra_header: &str, rows: &[(&str, V)]) -> Parsed {
    let mut header = texts(PARTICIPANT_HEADER);
    header.push(t(extra_header));
    let mut sheet = vec![header];
    for (id, extra) in rows {
        let mut row = participant(id);
        row.push(extra.clone());
        sheet.push(row);
    }
    let book = xlsx(&[("Účastníci", sheet), indicators()], false);
    parse(&book, "rc.xlsx").unwrap()
}

fn assert_refused_at(parsed: &Parsed, cell: &str) {
    assert_eq!(
        parsed.errors("Účastníci"),
        [(cell.to_owned(), "birth_number".to_owned())]
    );
    let sheet = parsed.sheet("Účastníci");
    assert_eq!((sheet.valid_rows, sheet.data_rows), (0, 0));
    assert_eq!(sheet.kind.as_deref(), Some("participants"));
    assert!(
        !parsed.rows.contains_key("Účastníci"),
        "no row of a refused sheet is handed on"
    );
    // The value is never copied into the report.
    assert!(!sheet.errors[0].value.to_string().contains("850315"));
    assert_eq!(parsed.errors("Indikátory"), []);
    assert_eq!(
        parsed.rows["Indikátory"].len(),
        1,
        "the other sheet is read"
    );
}

#[test]
fn a_header_naming_a_birth_number_refuses_the_sheet() {
    let parsed = workbook("Rodné číslo", &[("U-1", t("")), ("U-2", V::Empty)]);
    assert_refused_at(&parsed, "Účastníci!G1");
    assert_eq!(parsed.sheet("Účastníci").errors[0].value, "Rodné číslo");
}

#[test]
fn values_shaped_like_birth_numbers_refuse_the_sheet() {
    for (value, what) in [
        (t("850315/1234"), "with a slash"),
        (t("8503151234"), "without it"),
        (t("991399/0000"), "an impossible month and check digit"),
        (V::Num(8_503_151_234.0), "typed as a number"),
    ] {
        let parsed = workbook(
            "Identifikátor",
            &[("U-1", t("A-1")), ("U-2", t("A-2")), ("U-3", value)],
        );
        assert_eq!(
            parsed.errors("Účastníci"),
            [("Účastníci!G4".to_owned(), "birth_number".to_owned())],
            "{what}"
        );
        assert_refused_at(&parsed, "Účastníci!G4");
    }
}

#[test]
fn a_header_and_values_give_one_error_at_the_header() {
    let parsed = workbook("RČ", &[("U-1", t("850315/1234")), ("U-2", t("855315/123"))]);
    assert_refused_at(&parsed, "Účastníci!G1");
}

#[test]
fn a_birth_number_far_down_the_sheet_still_refuses_all_of_it() {
    // More rows than one chunk (2 000) before the birth number: none of them may be handed on.
    let mut rows: Vec<(String, V)> = (0..2_100).map(|i| (format!("U-{i}"), V::Empty)).collect();
    rows.push(("U-X".into(), t("850315/1234")));
    let rows: Vec<(&str, V)> = rows
        .iter()
        .map(|(id, v)| (id.as_str(), v.clone()))
        .collect();
    let parsed = workbook("Poznámka", &rows);
    assert_refused_at(&parsed, "Účastníci!G2102");
}

#[test]
fn ten_digit_numbers_of_other_sheets_are_not_birth_numbers() {
    let header = texts(&[
        "Reg. č.",
        "Číslo dokladu",
        "Položka rozpočtu",
        "Datum úhrady",
        "Částka",
        "VS",
        "Poznámka",
    ]);
    let row = |doc: &str, vs: V, note: &str| {
        vec![
            t(REG),
            t(doc),
            t("1.1.1.1"),
            V::Date(d(2026, 3, 1)),
            V::Num(1_234_567_890.0),
            vs,
            t(note),
        ]
    };
    let book = xlsx(
        &[(
            "Výdaje",
            vec![
                header.clone(),
                row("2410001234", V::Num(2_410_001_234.0), "mzda"),
                row("2410001235", t("2410001235"), ""),
            ],
        )],
        false,
    );
    let parsed = parse(&book, "vydaje.xlsx").unwrap();
    assert_eq!(parsed.errors("Výdaje"), []);
    assert_eq!(parsed.rows["Výdaje"].len(), 2);
    // …but a birth number with its slash, in an unknown column or a note, refuses the sheet.
    for (vs, note, cell) in [
        (t("850315/1234"), "", "Výdaje!F3"),
        (V::Empty, "8503151234", "Výdaje!G3"),
    ] {
        let book = xlsx(
            &[(
                "Výdaje",
                vec![
                    header.clone(),
                    row("D-1", V::Empty, ""),
                    row("D-2", vs, note),
                ],
            )],
            false,
        );
        let parsed = parse(&book, "vydaje.xlsx").unwrap();
        assert_eq!(
            parsed.errors("Výdaje"),
            [(cell.to_owned(), "birth_number".to_owned())],
            "{note}"
        );
        assert!(!parsed.rows.contains_key("Výdaje"));
    }
}
