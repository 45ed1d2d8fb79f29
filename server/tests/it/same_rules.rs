//! One rule, one place: the forms and the importer apply the same rules (programme lookup, search text,
//! whole numbers by indicator unit), so the same change made through either leaves the same rows. On
//! SQLite and PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use std::sync::Arc;

use app::domain::{fold_for_search, Ico, Money};
use app::dto::import::ImportReport;
use app::dto::{
    EditOutcome, IndicatorDefInput, ProjectIndicatorInput, ProjectInput, ProjectListQuery,
    SaveOutcome,
};
use app::services::import::{run, store, ImportLimits, ImportOptions, Progress};
use app::services::{demo, monitoring, projects};
use chrono::{Days, NaiveDate};
use common::{row, xlsx};
use entity::{
    indicator, indicator_value, monitoring_period, programme, project, project_indicator,
};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

const REG: &str = "CZ.03.02.01/00/25_106/0009001";
/// An OPZ 2014–2020 project: programme code `03`, like OPZ+.
const OPZ_2014: &str = "CZ.03.1.48/0.0/0.0/15_010/0009901";

async fn import(db: &DatabaseConnection, bytes: Vec<u8>) -> ImportReport {
    run(
        db,
        Arc::new(bytes),
        "same-rules.xlsx",
        ImportLimits::default(),
        &ImportOptions {
            commit: true,
            all_or_nothing: false,
            imported_by: "test".into(),
            viewer: None,
        },
        Arc::new(Progress::default()),
    )
    .await
    .unwrap()
}

fn error_codes(report: &ImportReport) -> Vec<(String, String)> {
    report
        .sheets
        .iter()
        .flat_map(|s| s.errors.iter().map(|e| (e.cell.clone(), e.code.clone())))
        .collect()
}

/// A row of the project sheet; `None` and `""` leave the cell empty.
#[derive(Debug, Clone, Default)]
struct SheetProject {
    reg_no: String,
    name: String,
    acronym: Option<String>,
    beneficiary: Option<String>,
    ico: Option<String>,
    status: Option<String>,
    start: Option<String>,
    end: Option<String>,
    budget: Option<String>,
    description: Option<String>,
}

fn projects_sheet(rows: &[SheetProject]) -> Vec<u8> {
    let mut sheet = vec![row(&[
        "Registrační číslo projektu",
        "Název projektu",
        "Akronym",
        "Příjemce",
        "IČO",
        "Stav projektu",
        "Datum zahájení",
        "Datum ukončení",
        "Celkové způsobilé výdaje",
        "Popis",
    ])];
    for p in rows {
        let cell = |v: &Option<String>| v.clone().unwrap_or_default();
        sheet.push(vec![
            p.reg_no.clone(),
            p.name.clone(),
            cell(&p.acronym),
            cell(&p.beneficiary),
            cell(&p.ico),
            cell(&p.status),
            cell(&p.start),
            cell(&p.end),
            cell(&p.budget),
            cell(&p.description),
        ]);
    }
    xlsx(&[("Projekty", sheet)])
}

fn form(reg_no: &str, name: &str) -> ProjectInput {
    ProjectInput {
        registration_number: reg_no.into(),
        name: name.into(),
        beneficiary_ico: "00296244".into(),
        beneficiary_name: "Obec Liptaň".into(),
        status: "realisation".into(),
        start_date: "1. 1. 2026".into(),
        end_date: "31. 12. 2027".into(),
        ..Default::default()
    }
}

async fn create(db: &DatabaseConnection, input: &ProjectInput) -> i32 {
    match projects::create(db, input).await.unwrap() {
        SaveOutcome::Saved { id } => id,
        other => panic!("{other:?}"),
    }
}

async fn by_reg_no(db: &DatabaseConnection, reg_no: &str) -> project::Model {
    project::Entity::find()
        .filter(project::Column::RegistrationNumber.eq(reg_no))
        .one(db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("project {reg_no} not stored"))
}

/// Ids of the projects the project list finds by `text`.
async fn found(db: &DatabaseConnection, text: &str) -> Vec<i32> {
    let q = ProjectListQuery {
        text: text.into(),
        page: 1,
        per_page: 100,
        ..Default::default()
    };
    projects::list(db, &q)
        .await
        .unwrap()
        .rows
        .into_iter()
        .map(|r| r.id)
        .collect()
}

db_test!(
    imported_opz_2014_2020_project_belongs_to_opz_as_in_the_form,
    |db: DatabaseConnection| async move {
        demo::load(&db, common::today(), &crate::common::ruian_dir())
            .await
            .unwrap();
        let row = |reg_no: &str| SheetProject {
            reg_no: reg_no.into(),
            name: format!("Projekt {reg_no}"),
            beneficiary: Some("Obec Liptaň".into()),
            ico: Some("00296244".into()),
            status: Some("Projekt v realizaci".into()),
            start: Some("1. 1. 2016".into()),
            end: Some("31. 12. 2019".into()),
            ..Default::default()
        };
        let report = import(&db, projects_sheet(&[row(OPZ_2014), row(REG)])).await;
        assert!(
            error_codes(&report).is_empty(),
            "{:?}",
            error_codes(&report)
        );
        for (reg_no, period, short_name) in
            [(OPZ_2014, "2014-2020", "OPZ"), (REG, "2021-2027", "OPZ+")]
        {
            let p = by_reg_no(&db, reg_no).await;
            let prog = programme::Entity::find_by_id(p.programme_id)
                .one(&db)
                .await
                .unwrap()
                .unwrap();
            assert_eq!(
                (
                    prog.period.as_str(),
                    prog.short_name.as_str(),
                    prog.code.as_str()
                ),
                (period, short_name, "03"),
                "{reg_no}"
            );
        }
        // The form attaches a project of the same period to the same programme.
        let twin = create(&db, &form("CZ.03.1.48/0.0/0.0/15_010/0009902", "Dvojče")).await;
        let twin = project::Entity::find_by_id(twin)
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            twin.programme_id,
            by_reg_no(&db, OPZ_2014).await.programme_id
        );
    }
);

db_test!(
    a_project_renamed_by_an_import_is_found_by_its_new_name_and_by_ico,
    |db: DatabaseConnection| async move {
        demo::load(&db, common::today(), &crate::common::ruian_dir())
            .await
            .unwrap();
        let id = create(&db, &form(REG, "Původní název projektu")).await;
        assert_eq!(found(&db, "puvodni nazev").await, [id]);

        let renamed = SheetProject {
            reg_no: REG.into(),
            name: "Žluťoučký kůň pro zaměstnanost".into(),
            acronym: Some("KŮŇ".into()),
            ..Default::default()
        };
        let report = import(&db, projects_sheet(&[renamed])).await;
        assert!(
            error_codes(&report).is_empty(),
            "{:?}",
            error_codes(&report)
        );
        assert_eq!(report.sheets[0].changed_rows, 1);
        assert_eq!(found(&db, "Žluťoučký kůň").await, [id], "by the new name");
        assert_eq!(found(&db, "zlutoucky kun").await, [id], "folded");
        assert_eq!(found(&db, "kůň pro").await, [id]);
        assert!(
            found(&db, "Původní název").await.is_empty(),
            "not by the old name"
        );
        assert!(found(&db, "00296244").await.contains(&id), "by the IČO");

        // Reverting the import brings the old name back, and with it the old search text.
        store::revert(&db, report.import_id.unwrap()).await.unwrap();
        assert_eq!(found(&db, "Původní název").await, [id]);
        assert!(found(&db, "Žluťoučký kůň").await.is_empty());

        // A project the import creates is found by its IČO too (the importer used to leave it out).
        let new = SheetProject {
            reg_no: OPZ_2014.into(),
            name: "Nový z importu".into(),
            beneficiary: Some("Spolek Šance, z. s.".into()),
            ico: Some("25596641".into()),
            start: Some("1. 1. 2016".into()),
            end: Some("31. 12. 2019".into()),
            ..Default::default()
        };
        let report = import(&db, projects_sheet(&[new])).await;
        assert!(
            error_codes(&report).is_empty(),
            "{:?}",
            error_codes(&report)
        );
        let imported = by_reg_no(&db, OPZ_2014).await.id;
        assert_eq!(found(&db, "25596641").await, [imported]);
        assert_eq!(found(&db, "spolek sance").await, [imported]);

        // Renaming the organisation through the form refreshes the search text of all its projects.
        let mut second = form("CZ.03.02.01/00/25_106/0009002", "Druhý projekt");
        second.beneficiary_ico = "25596641".into();
        second.beneficiary_name = "Spolek Nová šance, z. s.".into();
        let second = create(&db, &second).await;
        let mut both = found(&db, "nova sance").await;
        both.sort_unstable();
        assert_eq!(both, [imported, second]);
    }
);

db_test!(
    indicator_values_are_whole_by_unit_in_the_form_and_the_import,
    |db: DatabaseConnection| async move {
        demo::load(&db, common::today(), &crate::common::ruian_dir())
            .await
            .unwrap();
        // The project has ZoR 1 (1. 1. – 30. 6. 2026) and ZoR 2 (1. 7. – 31. 12. 2026) by its programme's
        // rule.
        let id = create(&db, &form(REG, "Indikátory")).await;
        let def = IndicatorDefInput {
            code: "69 00 99".into(),
            name_cs: "Podíl úspěšných absolventů".into(),
            name_en: "Share of successful graduates".into(),
            unit: "percent".into(),
            kind: "result".into(),
        };
        assert_eq!(
            monitoring::save_indicator_def(&db, None, &def)
                .await
                .unwrap(),
            EditOutcome::Saved
        );
        let ind = |code: &'static str| {
            let db = db.clone();
            async move {
                indicator::Entity::find()
                    .filter(indicator::Column::Code.eq(code))
                    .one(&db)
                    .await
                    .unwrap()
                    .unwrap()
                    .id
            }
        };
        let (percent, persons) = (ind("690099").await, ind("EECO01").await);
        let add = |indicator_id: i32, target: &str| ProjectIndicatorInput {
            indicator_id,
            baseline: String::new(),
            target: target.into(),
            target_date: "31. 12. 2027".into(),
        };

        // The form: 12,5 % is a value, 1,5 persons is not.
        assert_eq!(
            monitoring::add_project_indicator(&db, id, &add(percent, "12,5"))
                .await
                .unwrap(),
            EditOutcome::Saved
        );
        let EditOutcome::Invalid(e) =
            monitoring::add_project_indicator(&db, id, &add(persons, "1,5"))
                .await
                .unwrap()
        else {
            panic!("1,5 persons as a target")
        };
        assert_eq!(
            e.get("target"),
            Some("Počet osob nebo subjektů musí být celé číslo, např. 12 (zadáno 1,5)")
        );
        assert_eq!(
            monitoring::add_project_indicator(&db, id, &add(persons, "10"))
                .await
                .unwrap(),
            EditOutcome::Saved
        );
        let pi = |indicator_id: i32| {
            let db = db.clone();
            async move {
                project_indicator::Entity::find()
                    .filter(project_indicator::Column::ProjectId.eq(id))
                    .filter(project_indicator::Column::IndicatorId.eq(indicator_id))
                    .one(&db)
                    .await
                    .unwrap()
                    .unwrap()
            }
        };
        let (pi_percent, pi_persons) = (pi(percent).await, pi(persons).await);
        let periods = monitoring_period::Entity::find()
            .filter(monitoring_period::Column::ProjectId.eq(id))
            .all(&db)
            .await
            .unwrap();
        let zor = |n: i32| periods.iter().find(|p| p.number == n).unwrap().id;
        assert_eq!(
            monitoring::set_achieved(&db, id, pi_percent.id, zor(1), None, "12,5")
                .await
                .unwrap(),
            EditOutcome::Saved
        );
        let EditOutcome::Invalid(e) =
            monitoring::set_achieved(&db, id, pi_persons.id, zor(1), None, "1,5")
                .await
                .unwrap()
        else {
            panic!("1,5 persons achieved")
        };
        assert!(e.get("value").unwrap().contains("celé číslo"), "{e:?}");

        // The import: the same values, the same answers, each error at its cell.
        let file = xlsx(&[(
            "Indikátory",
            vec![
                row(&[
                    "Registrační číslo projektu",
                    "Kód indikátoru",
                    "Období",
                    "Dosažená hodnota",
                    "Cílová hodnota",
                ]),
                row(&[REG, "69 00 99", "ZoR 2", "12,5", "#n:20.5"]),
                row(&[REG, "EECO01", "ZoR 1", "1,5", ""]),
                row(&[REG, "EECO01", "ZoR 2", "#n:4", "#n:2.5"]),
            ],
        )]);
        let report = import(&db, file).await;
        assert_eq!(
            error_codes(&report),
            [
                ("Indikátory!D3".to_owned(), "not_whole_number".to_owned()),
                ("Indikátory!E4".to_owned(), "not_whole_number".to_owned()),
            ]
        );
        let messages: Vec<&str> = report.sheets[0]
            .errors
            .iter()
            .map(|e| e.message.as_str())
            .collect();
        assert_eq!(
            messages[0],
            "Počet osob nebo subjektů musí být celé číslo, např. 12 (zadáno 1,5)"
        );
        let value = |pi: i32, period: i32| {
            let db = db.clone();
            async move {
                indicator_value::Entity::find()
                    .filter(indicator_value::Column::ProjectIndicatorId.eq(pi))
                    .filter(indicator_value::Column::PeriodId.eq(period))
                    .one(&db)
                    .await
                    .unwrap()
                    .map(|v| v.achieved_milli)
            }
        };
        assert_eq!(value(pi_percent.id, zor(1)).await, Some(12_500), "form");
        assert_eq!(value(pi_percent.id, zor(2)).await, Some(12_500), "import");
        assert_eq!(value(pi_persons.id, zor(1)).await, None, "refused twice");
        assert_eq!(
            value(pi_persons.id, zor(2)).await,
            None,
            "its target refused"
        );
        assert_eq!(pi(percent).await.target_milli, 20_500, "a percent target");
        assert_eq!(
            pi(persons).await.target_milli,
            10_000,
            "2,5 persons refused"
        );
    }
);

/// A small deterministic generator (an LCG): the same cases on every run and both backends.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn chance(&mut self, one_in: u64) -> bool {
        self.below(one_in) == 0
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }

    fn name(&mut self) -> String {
        const WORDS: &[&str] = &[
            "Podpora",
            "zaměstnanosti",
            "Žluťoučký",
            "kůň",
            "v",
            "Ústí nad Labem",
            "„Nové“ příležitosti",
            "50+",
            "O'Brien",
            "sociální",
            "začleňování",
            "– pilotní",
            "(fáze II)",
            "ŘEŠENÍ",
            "č. 3",
            "Ďáblice",
        ];
        let n = 2 + self.below(5);
        let words: Vec<&str> = (0..n).map(|_| self.pick(WORDS)).collect();
        let name = words.join(" ");
        if self.chance(4) {
            format!("  {name} ")
        } else {
            name
        }
    }

    fn ico(&mut self) -> String {
        loop {
            let digits: Vec<u32> = (0..7).map(|_| self.below(10) as u32).collect();
            let sum: u32 = digits.iter().zip((2..=8).rev()).map(|(d, w)| d * w).sum();
            let check = match sum % 11 {
                0 => 1,
                1 => 0,
                r => 11 - r,
            };
            let ico: String = digits
                .iter()
                .chain(std::iter::once(&check))
                .map(u32::to_string)
                .collect();
            if Ico::parse(&ico).is_ok() {
                return ico;
            }
        }
    }

    fn date(&mut self, from: NaiveDate, days: u64) -> NaiveDate {
        from.checked_add_days(Days::new(self.below(days))).unwrap()
    }
}

/// A project's data as both paths take it.
#[derive(Debug, Clone)]
struct Data {
    name: String,
    acronym: Option<String>,
    beneficiary: String,
    ico: String,
    status: (&'static str, &'static str),
    start: NaiveDate,
    end: NaiveDate,
    budget: Option<i64>,
    description: String,
}

const STATUSES: &[(&str, &str)] = &[
    ("preparation", "Projekt s právním aktem"),
    ("realisation", "Projekt v realizaci"),
    ("finished", "Projekt ukončený"),
    ("closed", "Projekt finančně ukončený"),
];

fn generate(g: &mut Gen) -> Data {
    let start = g.date(NaiveDate::from_ymd_opt(2016, 1, 1).unwrap(), 3_000);
    Data {
        name: g.name(),
        acronym: (!g.chance(3)).then(|| {
            g.pick(&["ZAM+", "Šance", "P-2026", "ÚSPĚCH", "abc", "Ďas"])
                .to_owned()
        }),
        beneficiary: g
            .pick(&[
                "Obec Dolní Lhota",
                "Spolek Šance, z. s.",
                "Charita Ústí nad Orlicí",
                "Město Žďár nad Sázavou",
                "ACME s.r.o.",
            ])
            .to_owned(),
        ico: g.ico(),
        status: STATUSES[g.below(STATUSES.len() as u64) as usize],
        start,
        end: g.date(start, 1_500),
        budget: (!g.chance(4)).then(|| g.below(5_000_000_000) as i64),
        description: g
            .pick(&["", "Projekt pro 30 osob.", "Dva\nřádky", "  mezery okolo  "])
            .to_owned(),
    }
}

fn czech(d: NaiveDate) -> String {
    app::domain::format_czech_date(d)
}

fn form_of(reg_no: &str, d: &Data) -> ProjectInput {
    ProjectInput {
        registration_number: reg_no.into(),
        name: d.name.clone(),
        acronym: d.acronym.clone().unwrap_or_default(),
        beneficiary_ico: d.ico.clone(),
        beneficiary_name: d.beneficiary.clone(),
        status: d.status.0.into(),
        start_date: czech(d.start),
        end_date: czech(d.end),
        description: d.description.clone(),
        total_eligible: d
            .budget
            .map(|h| Money::from_halere(h).unwrap().format_plain())
            .unwrap_or_default(),
        ..Default::default()
    }
}

/// The sheet row for `d`, with cells written in varied ways (date cells or texts, number cells or
/// texts with `Kč`). `new`: a new project (beneficiary and status given).
fn sheet_of(g: &mut Gen, reg_no: &str, d: &Data, new: bool) -> SheetProject {
    let date = |g: &mut Gen, day: NaiveDate| match g.below(3) {
        0 => format!("#d:{day}"),
        1 => czech(day),
        _ => day.to_string(),
    };
    let budget = d.budget.map(|h| {
        if g.chance(2) {
            format!("#n:{}.{:02}", h / 100, h % 100)
        } else {
            format!("{} Kč", Money::from_halere(h).unwrap().format_plain())
        }
    });
    SheetProject {
        reg_no: reg_no.into(),
        name: d.name.clone(),
        acronym: d.acronym.clone(),
        beneficiary: new.then(|| d.beneficiary.clone()),
        ico: new.then(|| d.ico.clone()),
        status: new.then(|| d.status.1.to_owned()),
        start: Some(date(g, d.start)),
        end: Some(date(g, d.end)),
        budget,
        description: Some(d.description.clone()),
    }
}

/// The stored row without what necessarily differs between two projects (ids, registration number,
/// times, version, the import that wrote it); the registration number in the search text is replaced.
fn comparable(p: &project::Model) -> project::Model {
    let mut p = p.clone();
    p.search_folded = p
        .search_folded
        .replace(&fold_for_search(&p.registration_number), "<reg>");
    p.id = 0;
    p.registration_number = String::new();
    p.version = 0;
    p.import_id = None;
    p.created_at = chrono::DateTime::default();
    p.updated_at = chrono::DateTime::default();
    p
}

async fn import_ok(db: &DatabaseConnection, row: SheetProject, new: bool) {
    let report = import(db, projects_sheet(&[row])).await;
    assert!(
        error_codes(&report).is_empty(),
        "{:?}",
        error_codes(&report)
    );
    let sheet = &report.sheets[0];
    let counts = (sheet.new_rows, sheet.changed_rows + sheet.unchanged_rows);
    assert_eq!(counts, if new { (1, 0) } else { (0, 1) });
}

db_test!(
    the_same_change_through_the_form_and_an_import_leaves_the_same_project_row,
    |db: DatabaseConnection| async move {
        demo::load(&db, common::today(), &crate::common::ruian_dir())
            .await
            .unwrap();
        let mut g = Gen(0x5eed_2026);
        for case in 0..10u32 {
            let reg = |n: u32| {
                if case % 3 == 2 {
                    format!("CZ.03.1.48/0.0/0.0/15_010/{:07}", 10_000 + n)
                } else {
                    format!("CZ.03.02.01/00/25_106/{:07}", 10_000 + n)
                }
            };
            let (by_form, by_import) = (reg(2 * case), reg(2 * case + 1));
            let data = generate(&mut g);
            let sheet_row = sheet_of(&mut g, &by_import, &data, true);
            // Alternate which path meets the beneficiary first (and creates it).
            let form_id = if case % 2 == 0 {
                let id = create(&db, &form_of(&by_form, &data)).await;
                import_ok(&db, sheet_row, true).await;
                id
            } else {
                import_ok(&db, sheet_row, true).await;
                create(&db, &form_of(&by_form, &data)).await
            };
            let (a, b) = (
                by_reg_no(&db, &by_form).await,
                by_reg_no(&db, &by_import).await,
            );
            assert_eq!(a.id, form_id);
            assert_eq!(
                comparable(&a),
                comparable(&b),
                "created, case {case}: {data:?}"
            );
            let name = data.name.trim();
            let mut hits = found(&db, name).await;
            hits.sort_unstable();
            assert!(
                hits.contains(&a.id) && hits.contains(&b.id),
                "case {case}: {name:?}"
            );

            // A change the sheet can express: name, acronym, dates, budget, description.
            let mut changed = data.clone();
            let other = generate(&mut g);
            if !g.chance(3) {
                changed.name = other.name;
            }
            if other.acronym.is_some() {
                changed.acronym = other.acronym;
            }
            if g.chance(2) {
                (changed.start, changed.end) = (other.start, other.end);
            }
            if other.budget.is_some() {
                changed.budget = other.budget;
            }
            if !other.description.is_empty() {
                changed.description = other.description;
            }
            let outcome = projects::update(&db, a.id, a.version, &form_of(&by_form, &changed))
                .await
                .unwrap();
            assert!(matches!(outcome, SaveOutcome::Saved { .. }), "{outcome:?}");
            import_ok(&db, sheet_of(&mut g, &by_import, &changed, false), false).await;
            let (a, b) = (
                by_reg_no(&db, &by_form).await,
                by_reg_no(&db, &by_import).await,
            );
            assert_eq!(
                comparable(&a),
                comparable(&b),
                "changed, case {case}: {data:?} → {changed:?}"
            );
            let name = changed.name.trim();
            let mut hits = found(&db, name).await;
            hits.sort_unstable();
            assert!(
                hits.contains(&a.id) && hits.contains(&b.id),
                "case {case}: {name:?}"
            );
            assert!(found(&db, &changed.ico).await.contains(&b.id));
        }
    }
);
