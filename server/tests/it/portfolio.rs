//! The portfolio dashboard, the review workflow and the exports on SQLite and PostgreSQL, against
//! figures worked out by hand on a small fixture of two projects of one beneficiary.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use app::domain::roles::{Role, Viewer};
use app::domain::Money;
use app::dto::portfolio::{ReviewInput, RiskSort};
use app::dto::{
    BudgetLineInput, EditOutcome, ExpenditureInput, FinanceInput, MunicipalityRef, ProjectInput,
    ProjectListQuery, SaveOutcome,
};
use app::services::export::{self, Cell};
use app::services::{budget, demo, export_tables, monitoring, portfolio, projects, review};
use chrono::NaiveDate;
use entity::{audit_log, indicator, organisation, participant, payment_claim};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set,
};

fn m(s: &str) -> Money {
    Money::parse(s).unwrap()
}

fn d(y: i32, mo: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, mo, day).unwrap()
}

/// The day the fixture's figures are computed for.
fn today() -> NaiveDate {
    d(2026, 7, 1)
}

fn place(code: i32) -> MunicipalityRef {
    MunicipalityRef {
        code,
        name: String::new(),
        district: String::new(),
        region: String::new(),
    }
}

async fn create(db: &DatabaseConnection, input: ProjectInput) -> i32 {
    match projects::create(db, &input).await.unwrap() {
        SaveOutcome::Saved { id } => id,
        other => panic!("{other:?}"),
    }
}

struct Fixture {
    p1: i32,
    p2: i32,
    beneficiary: i32,
    p2_period: i32,
}

/// P1: 1. 1. 2026 – 31. 12. 2027 in Praha, Děčín and Most (1 + 2 municipalities), budget lines
/// 400 000 + 400 000 with 10 % indirect costs = 880 000,00 eligible; 100 000,00 spent (110 000,00 with
/// indirect costs); a claim of 90 000,00 paid.
/// P2: 1. 1. 2025 – 31. 12. 2026 in Ostrava, registered total 500 000,00 and no budget lines; a claim
/// submitted 1. 3. 2026 and unpaid (overdue on 1. 7. 2026); EECO01 target 100, 10 achieved; two
/// participants.
async fn fixture(db: &DatabaseConnection) -> Fixture {
    demo::load(db, crate::common::today(), &crate::common::ruian_dir())
        .await
        .unwrap();
    let base = ProjectInput {
        beneficiary_ico: "12345679".into(),
        beneficiary_name: "Testovací sdružení z. s.".into(),
        status: "realisation".into(),
        ..Default::default()
    };
    let p1 = create(
        db,
        ProjectInput {
            registration_number: "CZ.03.02.01/00/25_106/0009101".into(),
            name: "Portfolio A".into(),
            acronym: "PFA".into(),
            start_date: "1. 1. 2026".into(),
            end_date: "31. 12. 2027".into(),
            total_eligible: "900 000,00".into(),
            target_groups: vec!["socialne-vyloucene".into()],
            municipalities: vec![place(554782), place(562335), place(567027)],
            ..base.clone()
        },
    )
    .await;
    let p2 = create(
        db,
        ProjectInput {
            registration_number: "CZ.03.02.01/00/25_106/0009102".into(),
            name: "Portfolio B".into(),
            start_date: "1. 1. 2025".into(),
            end_date: "31. 12. 2026".into(),
            total_eligible: "500 000,00".into(),
            target_groups: vec!["uchazeci".into()],
            municipalities: vec![place(554821)],
            ..base
        },
    )
    .await;
    let fin = budget::view(db, p1, today()).await.unwrap().finance_version;
    assert_eq!(
        budget::save_finance(
            db,
            p1,
            fin,
            &FinanceInput {
                indirect_rate: "10".into(),
                eu_share: "85".into(),
                state_share: "15".into(),
                own_share: "0".into(),
                ..Default::default()
            }
        )
        .await
        .unwrap(),
        EditOutcome::Saved
    );
    for year in [2026, 2027] {
        let line = BudgetLineInput {
            code: "1.1".into(),
            name: "Mzdy".into(),
            chapter: "personnel".into(),
            year: year.to_string(),
            amount: "400 000,00".into(),
            ..Default::default()
        };
        assert_eq!(
            budget::save_line(db, p1, None, &line).await.unwrap(),
            EditOutcome::Saved
        );
    }
    let line_2026 = budget::view(db, p1, today())
        .await
        .unwrap()
        .lines
        .iter()
        .find(|l| l.year == 2026)
        .unwrap()
        .id;
    assert_eq!(
        budget::add_expenditure(
            db,
            p1,
            &ExpenditureInput {
                budget_line_id: line_2026,
                document_number: "FV-1".into(),
                amount: "100 000,00".into(),
                paid_on: "15. 3. 2026".into(),
                description: String::new(),
                ..Default::default()
            }
        )
        .await
        .unwrap(),
        EditOutcome::Saved
    );
    for (project_id, number, claimed, approved, submitted, paid, status) in [
        (
            p1,
            1,
            10_000_000,
            Some(9_000_000),
            d(2026, 4, 1),
            Some(d(2026, 6, 1)),
            "paid",
        ),
        (p2, 1, 20_000_000, None, d(2026, 3, 1), None, "submitted"),
    ] {
        payment_claim::ActiveModel {
            project_id: Set(project_id),
            number: Set(number),
            period_id: Set(None),
            claimed_halere: Set(claimed),
            approved_halere: Set(approved),
            submitted_on: Set(Some(submitted)),
            paid_on: Set(paid),
            status: Set(status.into()),
            version: Set(1),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
    }
    // One reporting period for 2025 instead of the half-years p2 got by its programme's rule.
    entity::monitoring_period::Entity::delete_many()
        .filter(entity::monitoring_period::Column::ProjectId.eq(p2))
        .exec(db)
        .await
        .unwrap();
    assert_eq!(
        monitoring::add_period(db, p2, "1. 1. 2025", "31. 12. 2025")
            .await
            .unwrap(),
        EditOutcome::Saved
    );
    let p2_period = entity::monitoring_period::Entity::find()
        .filter(entity::monitoring_period::Column::ProjectId.eq(p2))
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let eeco01 = indicator::Entity::find()
        .filter(indicator::Column::Code.eq("EECO01"))
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .id;
    assert_eq!(
        monitoring::add_project_indicator(
            db,
            p2,
            &app::dto::ProjectIndicatorInput {
                indicator_id: eeco01,
                baseline: String::new(),
                target: "100".into(),
                target_date: "31. 12. 2026".into(),
            }
        )
        .await
        .unwrap(),
        EditOutcome::Saved
    );
    let pi = entity::project_indicator::Entity::find()
        .filter(entity::project_indicator::Column::ProjectId.eq(p2))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        monitoring::set_achieved(db, p2, pi.id, p2_period, None, "10")
            .await
            .unwrap(),
        EditOutcome::Saved
    );
    for pseudonym in ["P-001", "P-002"] {
        participant::ActiveModel {
            project_id: Set(p2),
            pseudonym: Set(pseudonym.into()),
            entry_date: Set(d(2025, 3, 1)),
            exit_date: Set(None),
            gender: Set("F".into()),
            age_at_entry: Set(40),
            labour_status: Set("unemployed".into()),
            isced: Set(Some(3)),
            disability: Set(false),
            exit_situations: Set(String::new()),
            illustrative: Set(false),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
    }
    let beneficiary = organisation::Entity::find()
        .filter(organisation::Column::Ico.eq("12345679"))
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .id;
    Fixture {
        p1,
        p2,
        beneficiary,
        p2_period,
    }
}

fn only(f: &Fixture) -> ProjectListQuery {
    ProjectListQuery {
        beneficiary_id: Some(f.beneficiary),
        ..Default::default()
    }
}

fn reviewer() -> Viewer {
    Viewer {
        id: 0,
        email: "kontrolor@mpsv.cz".into(),
        name: "Kontrolorka".into(),
        roles: vec![Role::Reviewer],
        projects: vec![],
        finance_all: false,
    }
}

db_test!(
    dashboard_totals_match_the_hand_computed_figures,
    |db: DatabaseConnection| async move {
        let f = fixture(&db).await;
        let dash = portfolio::dashboard(&db, &only(&f), None, RiskSort::default(), today())
            .await
            .unwrap();
        let t = &dash.totals;
        assert_eq!(t.projects, 2);
        // P1: 800 000 direct + 10 % = 880 000,00; P2 has no budget lines: its registered 500 000,00.
        assert_eq!(t.eligible, m("1 380 000,00"));
        // 100 000,00 spent + 10 % indirect.
        assert_eq!(t.drawn, m("110 000,00"));
        assert_eq!(t.paid, m("90 000,00"));
        assert_eq!(t.participants, 2);
        assert_eq!(t.municipalities, 4);
        // Praha gets 1/3 of P1, Ústecký 2/3 (the odd haléř to the larger remainder), Moravskoslezský all of P2.
        let region = |nuts: &str| {
            dash.regions
                .iter()
                .find(|r| r.nuts3 == nuts)
                .unwrap()
                .clone()
        };
        assert_eq!(region("CZ010").budget, m("293 333,33"));
        assert_eq!(region("CZ042").budget, m("586 666,67"));
        assert_eq!(region("CZ042").municipalities, 2);
        assert_eq!(region("CZ080").budget, m("500 000,00"));
        assert_eq!(region("CZ080").projects, 1);
        let sum = Money::sum(dash.regions.iter().map(|r| r.budget)).unwrap();
        assert_eq!(sum, t.eligible);
        // EECO01: 10 of 100.
        let eeco01 = dash.indicators.iter().find(|i| i.code == "EECO01").unwrap();
        assert_eq!(eeco01.target, rust_decimal::Decimal::from(100));
        assert_eq!(eeco01.achieved, rust_decimal::Decimal::from(10));
        assert_eq!(eeco01.fulfilment, Some(rust_decimal::Decimal::from(10)));
        // Only P2 is at risk: its claim is 122 days old, and EECO01 is far behind.
        assert_eq!(t.at_risk, 1);
        assert_eq!(dash.risks.len(), 1);
        let risk = &dash.risks[0];
        assert_eq!(risk.project_id, f.p2);
        let kinds: Vec<&str> = risk.flags.iter().map(|f| f.kind.as_str()).collect();
        assert!(kinds.contains(&"claim_overdue"), "{kinds:?}");
        assert!(kinds.contains(&"indicator_short"), "{kinds:?}");
        assert!(
            risk.flags.iter().any(|f| f.message.contains("122 dnech")),
            "{:?}",
            risk.flags
        );
        assert!(!risk.correction.is_zero());
        // Drawdown over time: the plan reaches P1's 880 000,00 at its end; drawn on 1. 7. 2026 is 110 000,00.
        assert_eq!(dash.series.last().unwrap().planned, m("880 000,00"));
        let at_today = dash.series.iter().find(|p| p.date == today()).unwrap();
        assert_eq!(at_today.drawn, Some(m("110 000,00")));
        assert!(dash
            .series
            .iter()
            .filter(|p| p.date > today())
            .all(|p| p.drawn.is_none()));
    }
);

db_test!(
    dashboard_filters_narrow_the_figures,
    |db: DatabaseConnection| async move {
        let f = fixture(&db).await;
        let by = |q: ProjectListQuery| {
            let db = db.clone();
            async move {
                portfolio::dashboard(&db, &q, None, RiskSort::default(), today())
                    .await
                    .unwrap()
            }
        };
        // Two filters: beneficiary and kraj (Ústecký, code 60) → only P1.
        let ustecky = by(ProjectListQuery {
            region_code: Some(60),
            ..only(&f)
        })
        .await;
        assert_eq!(ustecky.totals.projects, 1);
        assert_eq!(ustecky.totals.eligible, m("880 000,00"));
        assert_eq!(ustecky.totals.at_risk, 0);
        // Beneficiary and target group → only P2.
        let uchazeci = by(ProjectListQuery {
            target_group: Some("uchazeci".into()),
            ..only(&f)
        })
        .await;
        assert_eq!(uchazeci.totals.projects, 1);
        assert_eq!(uchazeci.totals.eligible, m("500 000,00"));
        assert_eq!(uchazeci.totals.participants, 2);
        // A status nobody has → nothing, and no error.
        let none = by(ProjectListQuery {
            status: Some("closed".into()),
            ..only(&f)
        })
        .await;
        assert_eq!(none.totals.projects, 0);
        assert!(none.totals.eligible.is_zero());
        // A manager assigned to P1 only sees P1 whatever the filters.
        let visible = [f.p1];
        let mine =
            portfolio::dashboard(&db, &only(&f), Some(&visible), RiskSort::default(), today())
                .await
                .unwrap();
        assert_eq!(mine.totals.projects, 1);
        // The list page and the dashboard agree on what a filter selects.
        let page = projects::list(
            &db,
            &ProjectListQuery {
                region_code: Some(60),
                page: 1,
                per_page: 100,
                ..only(&f)
            },
        )
        .await
        .unwrap();
        assert_eq!(page.total, 1);
        assert_eq!(page.rows[0].id, f.p1);
    }
);

db_test!(
    review_returns_a_report_with_a_comment_and_records_it,
    |db: DatabaseConnection| async move {
        let f = fixture(&db).await;
        let r = reviewer();
        // Returning without saying what to correct is refused at the comment field; nothing is stored.
        let input = |comment: &str, status: &str, version: i32| ReviewInput {
            comment: comment.into(),
            status: status.into(),
            version,
        };
        let Err(app::services::ServiceError::Validation(e)) =
            review::submit(&db, &r, f.p2, f.p2_period, &input("", "returned", 0)).await
        else {
            panic!("expected a validation error");
        };
        assert!(e.get("comment").unwrap().contains("opravit"));
        // A report cannot be accepted before it is opened.
        assert!(matches!(
            review::submit(&db, &r, f.p2, f.p2_period, &input("", "accepted", 0)).await,
            Err(app::services::ServiceError::Validation(_))
        ));
        review::submit(&db, &r, f.p2, f.p2_period, &input("", "under_review", 0))
            .await
            .unwrap();
        let dash = portfolio::dashboard(&db, &only(&f), None, RiskSort::default(), today())
            .await
            .unwrap();
        assert_eq!(dash.totals.reviews_open, 1);
        review::submit(
            &db,
            &r,
            f.p2,
            f.p2_period,
            &input("Doložte prezenční listiny.", "returned", 1),
        )
        .await
        .unwrap();
        // A stale version is a conflict, not an overwrite.
        assert!(matches!(
            review::submit(&db, &r, f.p2, f.p2_period, &input("", "accepted", 1)).await,
            Err(app::services::ServiceError::Conflict(_))
        ));
        // The manager sees the status and the comment, may answer but not set a status.
        let manager = Viewer {
            id: 0,
            email: "manazer@demo.cz".into(),
            name: "Manažerka".into(),
            roles: vec![Role::Manager],
            projects: vec![f.p2],
            finance_all: false,
        };
        let view = review::view(&db, &manager, f.p2, f.p2_period)
            .await
            .unwrap();
        assert_eq!(view.status.as_deref(), Some("returned"));
        assert_eq!(view.status_label, "Vráceno k opravě");
        assert_eq!(view.comments.len(), 1);
        assert_eq!(view.comments[0].body, "Doložte prezenční listiny.");
        assert_eq!(
            view.comments[0].status_label.as_deref(),
            Some("Vráceno k opravě")
        );
        assert!(view.next_statuses.is_empty() && view.can_comment);
        assert_eq!(view.contents.indicators.len(), 1);
        assert_eq!(view.contents.indicators[0].code, "EECO01");
        assert_eq!(
            view.contents.indicators[0].fulfilment,
            Some(rust_decimal::Decimal::TEN)
        );
        // A period of another project is not found through this one.
        assert!(matches!(
            review::view(&db, &manager, f.p1, f.p2_period).await,
            Err(app::services::ServiceError::NotFound)
        ));
        let audit = audit_log::Entity::find()
            .filter(audit_log::Column::ProjectId.eq(f.p2))
            .all(&db)
            .await
            .unwrap();
        assert!(audit
            .iter()
            .any(|a| a.entity == "period_review" && a.action == "create"));
        assert!(audit.iter().any(|a| a.entity == "period_review"
            && a.action == "update"
            && a.changes_json.contains("returned")));
        assert!(audit
            .iter()
            .any(|a| a.entity == "review_comment" && a.changes_json.contains("prezenční")));
        let summaries = review::summaries(&db, f.p2).await.unwrap();
        assert_eq!(summaries.len(), 1);
        assert_eq!(summaries[0].comments, 1);
    }
);

db_test!(
    exports_read_back_cell_by_cell_and_reimport_unchanged,
    |db: DatabaseConnection| async move {
        use calamine::{Data, Reader, Xlsx};
        let f = fixture(&db).await;
        let list = export_tables::project_list(&db, &only(&f), None)
            .await
            .unwrap();
        let bytes = export::xlsx(std::slice::from_ref(&list)).unwrap();
        // The header row is frozen.
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.clone())).unwrap();
        let mut sheet_xml = String::new();
        std::io::Read::read_to_string(
            &mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(),
            &mut sheet_xml,
        )
        .unwrap();
        assert!(
            sheet_xml.contains("ySplit=\"1\"") && sheet_xml.contains("state=\"frozen\""),
            "{sheet_xml}"
        );
        let mut book = Xlsx::new(std::io::Cursor::new(bytes.clone())).unwrap();
        let range = book.worksheet_range("Projekty").unwrap();
        let header: Vec<String> = range
            .rows()
            .next()
            .unwrap()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(header[0], "Registrační číslo projektu");
        assert_eq!(header[9], "Celkové způsobilé výdaje");
        let row = range.rows().nth(1).unwrap();
        assert_eq!(row[0], Data::String("CZ.03.02.01/00/25_106/0009101".into()));
        assert_eq!(row[2], Data::String("PFA".into()));
        assert_eq!(row[4], Data::String("12345679".into()));
        assert_eq!(row[6], Data::String("v realizaci".into()));
        // Real date and number cells.
        match &row[7] {
            Data::DateTime(dt) => assert_eq!(dt.as_datetime().unwrap().date(), d(2026, 1, 1)),
            other => panic!("start date is not a date cell: {other:?}"),
        }
        assert_eq!(row[9], Data::Float(900_000.0));
        assert_eq!(
            row[10],
            Data::String("Osoby sociálně vyloučené či ohrožené sociálním vyloučením".into())
        );
        assert_eq!(range.rows().count(), 3);
        // Exported, then imported again: nothing changes.
        let report = app::services::import::run(
            &db,
            std::sync::Arc::new(bytes),
            "projekty.xlsx",
            app::services::import::ImportLimits::default(),
            &app::services::import::ImportOptions {
                commit: true,
                all_or_nothing: false,
                imported_by: "test".into(),
                viewer: None,
            },
            std::sync::Arc::new(app::services::import::Progress::default()),
        )
        .await
        .unwrap();
        let sheet = &report.sheets[0];
        assert_eq!(sheet.kind.as_deref(), Some("projects"), "{report:?}");
        assert_eq!(
            (sheet.new_rows, sheet.changed_rows, sheet.invalid_rows),
            (0, 0, 0),
            "{report:?}"
        );
        assert_eq!(sheet.unchanged_rows, 2);
        // The dashboard's tables, and a budget with the largest amount there is, kept to the haléř.
        let dash = portfolio::dashboard(&db, &only(&f), None, RiskSort::default(), today())
            .await
            .unwrap();
        let tables = export_tables::dashboard(&dash);
        let bytes = export::xlsx(&tables).unwrap();
        let mut book = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let souhrn = book.worksheet_range("Souhrn").unwrap();
        let eligible = souhrn
            .rows()
            .find(|r| r[0] == Data::String("Způsobilé výdaje".into()))
            .unwrap();
        assert_eq!(eligible[1], Data::Float(1_380_000.0));
        let kraje = book.worksheet_range("Kraje").unwrap();
        let praha = kraje
            .rows()
            .find(|r| r[1] == Data::String("CZ010".into()))
            .unwrap();
        assert_eq!(praha[4], Data::Float(293_333.33));
        let mut big = export::Table::new("Velké", &["Částka"]);
        big.rows.push(vec![Cell::Money(m("999 999 999 999,99"))]);
        big.rows.push(vec![Cell::Money(m("0,01"))]);
        let bytes = export::xlsx(&[big.clone()]).unwrap();
        let mut book = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let r = book.worksheet_range("Velké").unwrap();
        let back = |row: usize| match &r.rows().nth(row).unwrap()[0] {
            Data::Float(f) => rust_decimal::Decimal::from_str_exact(&format!("{f}")).unwrap(),
            other => panic!("{other:?}"),
        };
        assert_eq!(back(1), m("999 999 999 999,99").as_decimal());
        assert_eq!(back(2), m("0,01").as_decimal());
        let csv = export::csv(&[big]);
        assert_eq!(csv, "\u{feff}Částka\r\n999999999999,99\r\n0,01\r\n");
    }
);

/// The kept dashboard against the one computed afresh: equal, and how much the cache had to read.
async fn kept_and_fresh(
    cache: &portfolio::DashboardCache,
    db: &DatabaseConnection,
    q: &ProjectListQuery,
) -> (app::dto::portfolio::Dashboard, portfolio::CacheStats) {
    let before = cache.stats();
    let kept = cache
        .dashboard(db, q, None, RiskSort::default(), today())
        .await
        .unwrap();
    let after = cache.stats();
    let fresh = portfolio::dashboard(db, q, None, RiskSort::default(), today())
        .await
        .unwrap();
    assert_eq!(kept, fresh, "the kept dashboard is the one computed afresh");
    let delta = portfolio::CacheStats {
        kept: after.kept - before.kept,
        computed: after.computed - before.computed,
        projects_read: after.projects_read - before.projects_read,
    };
    (kept, delta)
}

/// Only the changed project was read again.
fn one_project_read() -> portfolio::CacheStats {
    portfolio::CacheStats {
        kept: 0,
        computed: 1,
        projects_read: 1,
    }
}

db_test!(
    kept_dashboard_shows_each_change_at_once_and_rereads_only_the_changed_project,
    |db: DatabaseConnection| async move {
        let f = fixture(&db).await;
        let cache = portfolio::DashboardCache::default();
        let q = only(&f);
        let (first, stats) = kept_and_fresh(&cache, &db, &q).await;
        assert_eq!(stats.projects_read, 2, "the first view reads both projects");
        assert_eq!(first.totals.drawn, m("110 000,00"));
        // Nothing changed: the kept dashboard, nothing computed.
        let (again, stats) = kept_and_fresh(&cache, &db, &q).await;
        assert_eq!(again, first);
        assert_eq!(
            stats,
            portfolio::CacheStats {
                kept: 1,
                computed: 0,
                projects_read: 0
            }
        );
        // An expenditure through the service: 100 000,00 → 200 000,00 (+ 10 %).
        let e = entity::expenditure::Entity::find()
            .filter(entity::expenditure::Column::ProjectId.eq(f.p1))
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        let input = ExpenditureInput {
            budget_line_id: e.budget_line_id,
            document_number: "FV-1".into(),
            amount: "200 000,00".into(),
            paid_on: "15. 3. 2026".into(),
            description: String::new(),
            ..Default::default()
        };
        assert_eq!(
            budget::update_expenditure(&db, f.p1, e.id, e.version, &input)
                .await
                .unwrap(),
            EditOutcome::Saved
        );
        let (dash, stats) = kept_and_fresh(&cache, &db, &q).await;
        assert_eq!(dash.totals.drawn, m("220 000,00"));
        assert_eq!(stats, one_project_read());
        // A budget line: 2027 400 000,00 → 500 000,00, so P1 is 990 000,00 with indirect costs.
        let line = entity::budget_line::Entity::find()
            .filter(entity::budget_line::Column::ProjectId.eq(f.p1))
            .filter(entity::budget_line::Column::Year.eq(2027))
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        let input = BudgetLineInput {
            code: "1.1".into(),
            name: "Mzdy".into(),
            chapter: "personnel".into(),
            year: "2027".into(),
            amount: "500 000,00".into(),
            ..Default::default()
        };
        assert_eq!(
            budget::save_line(&db, f.p1, Some((line.id, line.version)), &input)
                .await
                .unwrap(),
            EditOutcome::Saved
        );
        let (dash, stats) = kept_and_fresh(&cache, &db, &q).await;
        assert_eq!(dash.totals.eligible, m("1 490 000,00"));
        assert_eq!(dash.series.last().unwrap().planned, m("990 000,00"));
        assert_eq!(stats, one_project_read());
        // An indicator value of P2: EECO01 10 → 30.
        let pi = entity::project_indicator::Entity::find()
            .filter(entity::project_indicator::Column::ProjectId.eq(f.p2))
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        let value = entity::indicator_value::Entity::find()
            .filter(entity::indicator_value::Column::ProjectIndicatorId.eq(pi.id))
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            monitoring::set_achieved(
                &db,
                f.p2,
                value.project_indicator_id,
                f.p2_period,
                Some(value.version),
                "30"
            )
            .await
            .unwrap(),
            EditOutcome::Saved
        );
        let (dash, stats) = kept_and_fresh(&cache, &db, &q).await;
        let eeco01 = dash.indicators.iter().find(|i| i.code == "EECO01").unwrap();
        assert_eq!(eeco01.achieved, rust_decimal::Decimal::from(30));
        assert_eq!(stats, one_project_read());
        // A write past the services (another process, psql) is seen too: the triggers count it.
        db.execute_unprepared(&format!(
            "UPDATE expenditure SET amount_halere = 5000000 WHERE id = {}",
            e.id
        ))
        .await
        .unwrap();
        let (dash, stats) = kept_and_fresh(&cache, &db, &q).await;
        assert_eq!(dash.totals.drawn, m("55 000,00"));
        assert_eq!(stats, one_project_read());
        // A setting every project reads: claims overdue only after 200 days, so P2's claim (122 days) is not.
        entity::setting::Entity::delete_by_id("claim_overdue_days".to_owned())
            .exec(&db)
            .await
            .unwrap();
        entity::setting::ActiveModel {
            key: Set("claim_overdue_days".into()),
            value: Set("200".into()),
        }
        .insert(&db)
        .await
        .unwrap();
        let (dash, stats) = kept_and_fresh(&cache, &db, &q).await;
        assert!(
            dash.risks
                .iter()
                .flat_map(|r| &r.flags)
                .all(|f| f.kind != "claim_overdue"),
            "{:?}",
            dash.risks
        );
        assert_eq!(stats.projects_read, 2, "a setting rereads every project");
        // Another day is another dashboard, from the kept parts.
        let read = cache.stats().projects_read;
        let tomorrow = cache
            .dashboard(&db, &q, None, RiskSort::default(), d(2026, 7, 2))
            .await
            .unwrap();
        assert_eq!(tomorrow.today, d(2026, 7, 2));
        assert_eq!(cache.stats().projects_read, read);
    }
);

db_test!(
    kept_dashboard_shows_an_import_at_once,
    |db: DatabaseConnection| async move {
        use app::services::import::{run, ImportLimits, ImportOptions, Progress};
        use std::sync::Arc;
        demo::load(&db, crate::common::today(), &crate::common::ruian_dir())
            .await
            .unwrap();
        const REG: &str = "CZ.03.02.01/00/25_106/0009001";
        crate::common::project_with_budget(&db, REG).await;
        let cache = portfolio::DashboardCache::default();
        let all = ProjectListQuery::default();
        let (before, _) = kept_and_fresh(&cache, &db, &all).await;
        let report = run(
            &db,
            Arc::new(crate::common::expenditures_sheet(REG, 3)),
            "vydaje.xlsx",
            ImportLimits::default(),
            &ImportOptions {
                commit: true,
                all_or_nothing: true,
                imported_by: "test".into(),
                viewer: None,
            },
            Arc::new(Progress::default()),
        )
        .await
        .unwrap();
        assert!(report.committed, "{report:?}");
        let (after, stats) = kept_and_fresh(&cache, &db, &all).await;
        assert_eq!(stats, one_project_read());
        assert!(
            after.totals.drawn.as_decimal() > before.totals.drawn.as_decimal(),
            "{:?} → {:?}",
            before.totals,
            after.totals
        );
    }
);

db_test!(
    dashboard_revisions_migrate_down_and_up_again,
    |db: DatabaseConnection| async move {
        use migration::MigratorTrait;
        // Down through `m20261205_000001_dashboard_revisions` (and the read revisions and deadlines
        // after it).
        migration::Migrator::down(&db, Some(3)).await.unwrap();
        // Without the triggers, writes still work.
        demo::load(&db, crate::common::today(), &crate::common::ruian_dir())
            .await
            .unwrap();
        migration::Migrator::up(&db, None).await.unwrap();
        let cache = portfolio::DashboardCache::default();
        let (dash, _) = kept_and_fresh(&cache, &db, &ProjectListQuery::default()).await;
        assert!(dash.totals.projects > 0);
    }
);
