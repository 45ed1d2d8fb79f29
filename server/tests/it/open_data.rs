//! The open-data list of operations (issue 15, point 3): `/export/seznam-operaci.csv` and `.xlsx` over
//! HTTP against the real server with the demo data, on SQLite and PostgreSQL, and
//! `tracker export operations FILE`. The columns of CPR 2021/1060 art. 49(3) under the Czech list's
//! names; a natural person's name and IČO never appear; nothing about participants, reviews or
//! expenditures does either.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::csv_records as records;
use crate::http::{sign_in, spawn_app_on};
use calamine::{Data, Reader, Xlsx};
use entity::{expenditure, participant, review_comment};
use sea_orm::{DatabaseConnection, EntityTrait};

const NOE: &str = "CZ.03.01.01/00/22_015/0002653";
const VNP: &str = "CZ.03.01.01/00/22_015/0002657";
/// The demo's invented project of a natural-person beneficiary.
const PERSON_PROJECT: &str = "CZ.03.01.01/00/22_015/9999999";
const PERSON_NAME: &str = "Jana Ukázková";
const PERSON_ICO: &str = "00000019";

/// The columns, in order: the contract with whoever publishes the file.
const HEADERS: [&str; 20] = [
    "Registrační číslo projektu",
    "Číslo programu",
    "Název programu",
    "Fond",
    "Název priority",
    "Specifický cíl - kód",
    "Název projektu",
    "Popis projektu",
    "Typ příjemce",
    "Příjemce - název",
    "IČ příjemce",
    "Skutečné datum zahájení fyzické realizace projektu",
    "Předpokládané datum ukončení fyzické realizace projektu",
    "Celkové náklady na operaci (CZK)",
    "Míra spolufinancování Unie (%)",
    "Místo realizace Kód NUTS 3",
    "Místo realizace Název NUTS 3",
    "Místo realizace Kód NUTS 2",
    "Stát",
    "Oblast intervence - kód",
];

fn row_of<'a>(rows: &'a [Vec<String>], registration_number: &str) -> &'a [String] {
    rows.iter()
        .find(|r| r.first().map(String::as_str) == Some(registration_number))
        .unwrap_or_else(|| panic!("no row {registration_number} in {rows:?}"))
}

fn col(name: &str) -> usize {
    HEADERS.iter().position(|h| *h == name).unwrap()
}

/// What must never be published: participants' pseudonyms, review comments, expenditure documents.
async fn internal_texts(db: &DatabaseConnection) -> Vec<String> {
    let mut out: Vec<String> = participant::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.pseudonym)
        .collect();
    assert!(!out.is_empty(), "the demo has participants");
    out.extend(
        review_comment::Entity::find()
            .all(db)
            .await
            .unwrap()
            .into_iter()
            .map(|c| c.body)
            .filter(|b| b.len() > 12),
    );
    out.extend(
        expenditure::Entity::find()
            .all(db)
            .await
            .unwrap()
            .into_iter()
            .filter_map(|e| e.document_number)
            .filter(|d| d.len() > 5),
    );
    out
}

async fn get(c: &reqwest::Client, url: String) -> reqwest::Response {
    let resp = c.get(url).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    resp
}

async fn the_list_of_operations_is_open_data_without_personal_data(url: &str) {
    let app = spawn_app_on(url).await;
    let admin = sign_in(&app, "admin@demo.cz").await;

    // CSV.
    let resp = get(&admin, format!("{}/export/seznam-operaci.csv", app.url())).await;
    assert_eq!(resp.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(resp.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("seznam-operaci-"));
    let csv = resp.text().await.unwrap();
    let rows = records(&csv);
    assert_eq!(rows[0], HEADERS.map(String::from).to_vec());
    // One row per project of the demo.
    assert_eq!(rows.len(), 1 + 7, "{csv}");
    let noe = row_of(&rows, NOE);
    let expected: Vec<(&str, &str)> = vec![
        ("Číslo programu", "03"),
        ("Název programu", "Operační program Zaměstnanost plus"),
        ("Fond", "ESF+"),
        ("Název priority", "Budoucnost práce"),
        ("Specifický cíl - kód", "03.01.01"),
        ("Název projektu", "Nová etapa"),
        ("Typ příjemce", "právnická osoba"),
        ("Příjemce - název", "Úřad práce České republiky"),
        ("IČ příjemce", "72496991"),
        (
            "Skutečné datum zahájení fyzické realizace projektu",
            "1.1.2023",
        ),
        (
            "Předpokládané datum ukončení fyzické realizace projektu",
            "31.12.2027",
        ),
        ("Celkové náklady na operaci (CZK)", "1500000000,00"),
        ("Místo realizace Kód NUTS 3", "CZ010; CZ042; CZ080"),
        (
            "Místo realizace Název NUTS 3",
            "Hlavní město Praha; Ústecký kraj; Moravskoslezský kraj",
        ),
        ("Místo realizace Kód NUTS 2", "CZ01; CZ04; CZ08"),
        ("Stát", "CZ"),
        ("Oblast intervence - kód", "134"),
    ];
    for (header, value) in expected {
        assert_eq!(noe[col(header)], value, "{header}: {noe:?}");
    }
    assert!(noe[col("Popis projektu")].starts_with("Projekt Úřadu práce ČR"));
    // The demo's monitoring data give NOE its financing shares: the EU's, a number.
    let eu = &noe[col("Míra spolufinancování Unie (%)")];
    assert!(
        eu.parse::<f64>().is_ok() || eu.replace(',', ".").parse::<f64>().is_ok(),
        "{eu}"
    );
    // The 2014–2020 project is from the ESF.
    let old = row_of(&rows, "CZ.03.1.48/0.0/0.0/15_121/0000597");
    assert_eq!(old[col("Fond")], "ESF");

    // The natural person: no name, no IČO, no kraj; the project itself is there.
    let person = row_of(&rows, PERSON_PROJECT);
    assert_eq!(person[col("Typ příjemce")], "fyzická osoba");
    assert_eq!(person[col("Příjemce - název")], "");
    assert_eq!(person[col("IČ příjemce")], "");
    assert_eq!(person[col("Místo realizace Kód NUTS 3")], "");
    assert_eq!(person[col("Místo realizace Název NUTS 3")], "");
    assert_eq!(person[col("Místo realizace Kód NUTS 2")], "CZ03");
    assert_eq!(person[col("Stát")], "CZ");
    assert!(person[col("Název projektu")].contains("Sdílené pracovní místo"));
    assert!(
        !csv.contains(PERSON_NAME) && !csv.contains(PERSON_ICO),
        "{csv}"
    );
    // Nothing internal.
    for secret in internal_texts(&app.db).await {
        assert!(
            !csv.contains(&secret),
            "{secret} is in the list of operations"
        );
    }

    // XLSX: the same rows, numbers as numbers and dates as dates.
    let bytes = get(&admin, format!("{}/export/seznam-operaci.xlsx", app.url()))
        .await
        .bytes()
        .await
        .unwrap();
    let mut book = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let range = book.worksheet_range("Seznam operací").unwrap();
    let header: Vec<String> = range
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(header, HEADERS.map(String::from).to_vec());
    assert_eq!(range.rows().count(), 1 + 7);
    let xrow = |reg: &str| {
        range
            .rows()
            .find(|r| r[0] == Data::String(reg.into()))
            .unwrap()
            .to_vec()
    };
    let noe = xrow(NOE);
    assert_eq!(
        noe[col("Celkové náklady na operaci (CZK)")],
        Data::Float(1_500_000_000.0)
    );
    match &noe[col("Skutečné datum zahájení fyzické realizace projektu")] {
        Data::DateTime(dt) => assert_eq!(
            dt.as_datetime().unwrap().date(),
            chrono::NaiveDate::from_ymd_opt(2023, 1, 1).unwrap()
        ),
        other => panic!("the start is not a date cell: {other:?}"),
    }
    assert!(matches!(
        noe[col("Míra spolufinancování Unie (%)")],
        Data::Float(f) if f > 0.0 && f <= 1.0
    ));
    assert_eq!(
        noe[col("Příjemce - název")],
        Data::String("Úřad práce České republiky".into())
    );
    let vnp = xrow(VNP);
    assert_eq!(
        vnp[col("Oblast intervence - kód")],
        Data::String("147".into())
    );
    let person = xrow(PERSON_PROJECT);
    assert_eq!(person[col("Příjemce - název")], Data::Empty);
    assert_eq!(person[col("IČ příjemce")], Data::Empty);
    assert_eq!(
        person[col("Typ příjemce")],
        Data::String("fyzická osoba".into())
    );
    for r in range.rows() {
        for cell in r {
            let text = cell.to_string();
            assert!(!text.contains(PERSON_NAME) && text != PERSON_ICO, "{text}");
        }
    }

    // A manager gets the projects assigned to them only; nobody signed in gets nothing.
    let manager = sign_in(&app, "manager@demo.cz").await;
    let mine = get(&manager, format!("{}/export/seznam-operaci.csv", app.url()))
        .await
        .text()
        .await
        .unwrap();
    let mine = records(&mine);
    assert_eq!(mine.len(), 2, "{mine:?}");
    assert_eq!(mine[1][0], NOE);
    let anonymous = reqwest::get(format!("{}/export/seznam-operaci.csv", app.url()))
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
}

#[tokio::test]
async fn the_list_of_operations_is_open_data_without_personal_data_on_sqlite() {
    let dir = std::env::temp_dir().join(format!("tracker-od-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.join("t.sqlite").display());
    the_list_of_operations_is_open_data_without_personal_data(&url).await;
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn the_list_of_operations_is_open_data_without_personal_data_on_postgres() {
    let pg = crate::common::postgres().await;
    let url = pg.url.clone();
    let result = tokio::spawn(async move {
        the_list_of_operations_is_open_data_without_personal_data(&url).await;
    })
    .await;
    pg.cleanup().await;
    if let Err(e) = result {
        std::panic::resume_unwind(e.into_panic());
    }
}

#[test]
fn the_command_line_writes_the_same_list_by_the_files_extension() {
    use crate::common::process::tracker;
    let dir = std::env::temp_dir().join(format!("tracker-odc-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.join("t.sqlite").display());
    let demo = tracker(&url).arg("demo").output().unwrap();
    assert!(
        demo.status.success(),
        "{}",
        String::from_utf8_lossy(&demo.stderr)
    );
    let csv_file = dir.join("seznam-operaci.csv");
    let out = tracker(&url)
        .args(["export", "operations"])
        .arg(&csv_file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("7\u{a0}projektů"));
    let rows = records(&std::fs::read_to_string(&csv_file).unwrap());
    assert_eq!(rows[0], HEADERS.map(String::from).to_vec());
    assert_eq!(rows.len(), 1 + 7);
    let person = row_of(&rows, PERSON_PROJECT);
    assert_eq!(person[col("Příjemce - název")], "");
    assert_eq!(person[col("IČ příjemce")], "");

    let xlsx_file = dir.join("seznam-operaci.XLSX");
    let out = tracker(&url)
        .args(["export", "operations"])
        .arg(&xlsx_file)
        .output()
        .unwrap();
    assert!(out.status.success());
    let mut book = Xlsx::new(std::io::BufReader::new(
        std::fs::File::open(&xlsx_file).unwrap(),
    ))
    .unwrap();
    let range = book.worksheet_range("Seznam operací").unwrap();
    assert_eq!(range.rows().count(), 1 + 7);

    let out = tracker(&url)
        .args(["export", "operations"])
        .arg(dir.join("seznam.txt"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains(".csv nebo .xlsx"));
    assert!(!dir.join("seznam.txt").exists());
    std::fs::remove_dir_all(&dir).ok();
}

db_test!(
    the_form_sets_natural_person_and_intervention_and_only_a_right_holder_flips_the_flag,
    |db: DatabaseConnection| async move {
        use app::domain::roles::{Role, Viewer};
        use app::dto::SaveOutcome;
        use app::forms::field;
        use app::services::{demo, projects};
        demo::load(&db, crate::common::today(), &crate::common::ruian_dir())
            .await
            .unwrap();
        let noe = demo::project_id_by_registration(&db, NOE)
            .await
            .unwrap()
            .unwrap();
        let (input, version) = projects::input_of(&db, noe).await.unwrap();
        assert_eq!(input.intervention_code, "134");
        assert!(!input.beneficiary_natural_person);
        // NOE's manager may not say that Úřad práce (VNP's beneficiary too) is a natural person.
        let manager = Viewer {
            id: 1,
            email: "x@demo.cz".into(),
            name: "X".into(),
            roles: vec![Role::Manager],
            projects: vec![noe],
            finance_all: false,
            lang: app::domain::Lang::Cs,
        };
        let flipped = app::dto::ProjectInput {
            beneficiary_natural_person: true,
            ..input.clone()
        };
        let SaveOutcome::Invalid(errors) =
            projects::update_as(&db, Some(&manager), noe, version, &flipped)
                .await
                .unwrap()
        else {
            panic!("expected a field error")
        };
        assert!(errors
            .get(field::BENEFICIARY_NATURAL_PERSON)
            .unwrap()
            .contains("jen správce"));
        // A bad code is refused at its field; a good one is stored with three digits.
        let bad = app::dto::ProjectInput {
            intervention_code: "1345".into(),
            ..input.clone()
        };
        let SaveOutcome::Invalid(errors) = projects::update(&db, noe, version, &bad).await.unwrap()
        else {
            panic!("expected a field error")
        };
        assert!(errors.get(field::INTERVENTION_CODE).is_some());
        let changed = app::dto::ProjectInput {
            intervention_code: "98".into(),
            beneficiary_natural_person: true,
            ..input
        };
        assert_eq!(
            projects::update(&db, noe, version, &changed).await.unwrap(),
            SaveOutcome::Saved { id: noe }
        );
        let (stored, _) = projects::input_of(&db, noe).await.unwrap();
        assert_eq!(stored.intervention_code, "098");
        assert!(stored.beneficiary_natural_person);
        // Now the list of operations leaves Úřad práce out of NOE's and VNP's rows.
        let list =
            app::services::open_data::operations(&db, &app::dto::ProjectListQuery::default(), None)
                .await
                .unwrap();
        let text = app::services::export::csv(&[list]);
        assert!(!text.contains("Úřad práce České republiky") && !text.contains("72496991"));
    }
);
