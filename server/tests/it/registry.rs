//! The project registry's services on SQLite and PostgreSQL: every test on a fresh database.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use app::domain::Money;
use app::dto::{MunicipalityRef, ProjectInput, ProjectListQuery, SaveOutcome, SortColumn};
use app::forms::field;
use app::services::{codebooks, demo, projects};
use entity::{organisation, project};
use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait};

const NOE: &str = "CZ.03.01.01/00/22_015/0002653";
const VNP: &str = "CZ.03.01.01/00/22_015/0002657";

fn place(code: i32) -> MunicipalityRef {
    MunicipalityRef {
        code,
        name: code.to_string(),
        district: String::new(),
        region: String::new(),
    }
}

fn new_project(rn: &str) -> ProjectInput {
    ProjectInput {
        registration_number: rn.into(),
        name: "Zkušební projekt sociálního začleňování".into(),
        acronym: "ZKU".into(),
        beneficiary_ico: "00296244".into(),
        beneficiary_name: "Město Moravský Beroun".into(),
        status: "preparation".into(),
        start_date: "1. 1. 2026".into(),
        end_date: "31. 12. 2027".into(),
        description: "Popis".into(),
        total_eligible: "1 234 567,89".into(),
        target_groups: vec!["osoby-30-54".into()],
        municipalities: vec![place(562335)],
        cost_model: String::new(),
        ..Default::default()
    }
}

async fn with_demo(db: &DatabaseConnection) {
    demo::load(db, crate::common::today(), &crate::common::ruian_dir())
        .await
        .expect("demo data load");
}

fn query() -> ProjectListQuery {
    ProjectListQuery {
        page: 1,
        per_page: 20,
        ..Default::default()
    }
}

async fn saved_id(outcome: SaveOutcome) -> i32 {
    match outcome {
        SaveOutcome::Saved { id } => id,
        other => panic!("expected Saved, got {other:?}"),
    }
}

db_test!(
    demo_load_is_idempotent_and_holds_noe_and_vnp,
    |db: DatabaseConnection| async move {
        let first = demo::load(&db, crate::common::today(), &crate::common::ruian_dir())
            .await
            .unwrap();
        assert!(first.projects >= 2, "{first:?}");
        let projects_after_first = project::Entity::find().count(&db).await.unwrap();
        let orgs_after_first = organisation::Entity::find().count(&db).await.unwrap();
        let second = demo::load(&db, crate::common::today(), &crate::common::ruian_dir())
            .await
            .unwrap();
        assert_eq!(
            second,
            demo::DemoCounts::default(),
            "a second run adds nothing"
        );
        assert_eq!(
            project::Entity::find().count(&db).await.unwrap(),
            projects_after_first
        );
        assert_eq!(
            organisation::Entity::find().count(&db).await.unwrap(),
            orgs_after_first
        );
        let page = projects::list(
            &db,
            &ProjectListQuery {
                text: "0002653".into(),
                ..query()
            },
        )
        .await
        .unwrap();
        assert_eq!(page.rows.len(), 1);
        let noe = projects::detail(&db, page.rows[0].id).await.unwrap();
        assert_eq!(noe.registration_number, NOE);
        assert_eq!(noe.acronym.as_deref(), Some("NOE"));
        assert_eq!(noe.beneficiary_ico, "72496991");
        assert_eq!(noe.call_id, "03_22_015");
        assert!(noe.amounts_illustrative);
        assert!(
            noe.target_groups
                .iter()
                .any(|t| t.label.contains("30") && t.label.contains("54")),
            "{:?}",
            noe.target_groups
        );
    }
);

db_test!(
    create_project_then_read_it_back_exactly,
    |db: DatabaseConnection| async move {
        with_demo(&db).await;
        let mut input = new_project("CZ.03.02.01/00/25_106/0009999");
        input.total_eligible = "999 999 999 999,99".into();
        let id = saved_id(projects::create(&db, &input).await.unwrap()).await;
        let d = projects::detail(&db, id).await.unwrap();
        assert_eq!(d.total_eligible.unwrap().to_halere(), 99_999_999_999_999);
        assert_eq!(
            d.total_eligible.unwrap().to_string(),
            "999\u{a0}999\u{a0}999\u{a0}999,99\u{a0}Kč"
        );
        assert_eq!(d.priority, "02 Sociální začleňování");
        assert_eq!(d.specific_objective_code, "01");
        assert_eq!(d.call_id, "03_25_106");
        assert_eq!(
            d.municipalities,
            vec![MunicipalityRef {
                code: 562335,
                name: "Děčín".into(),
                district: "Děčín".into(),
                region: "Ústecký kraj".into()
            }]
        );
        assert_eq!(d.version, 1);
        let (back, version) = projects::input_of(&db, id).await.unwrap();
        assert_eq!(version, 1);
        assert_eq!(back.start_date, "1. 1. 2026");
        assert_eq!(
            Money::parse(&back.total_eligible).unwrap().to_halere(),
            99_999_999_999_999
        );
    }
);

db_test!(
    smallest_and_fractional_amounts_survive_the_round_trip,
    |db: DatabaseConnection| async move {
        with_demo(&db).await;
        for (i, amount, halere) in [
            (1, "0,01", 1_i64),
            (2, "1234567.89", 123_456_789),
            (3, "0,10", 10),
        ] {
            let mut input = new_project(&format!("CZ.03.02.01/00/25_106/000990{i}"));
            input.total_eligible = amount.into();
            let id = saved_id(projects::create(&db, &input).await.unwrap()).await;
            assert_eq!(
                projects::detail(&db, id)
                    .await
                    .unwrap()
                    .total_eligible
                    .unwrap()
                    .to_halere(),
                halere
            );
        }
    }
);

db_test!(
    create_project_rejects_duplicate_registration_number,
    |db: DatabaseConnection| async move {
        with_demo(&db).await;
        let before = project::Entity::find().count(&db).await.unwrap();
        let outcome = projects::create(&db, &new_project(" cz.03.01.01/00/22_015/0002653 "))
            .await
            .unwrap();
        let SaveOutcome::Invalid(errors) = outcome else {
            panic!("expected Invalid, got {outcome:?}")
        };
        assert!(errors
            .get(field::REGISTRATION_NUMBER)
            .unwrap()
            .contains("už je v evidenci"));
        assert_eq!(project::Entity::find().count(&db).await.unwrap(), before);
    }
);

db_test!(
    nothing_is_saved_half_way,
    |db: DatabaseConnection| async move {
        with_demo(&db).await;
        let orgs = organisation::Entity::find().count(&db).await.unwrap();
        let mut input = new_project("CZ.03.02.01/00/25_106/0009998");
        input.beneficiary_ico = "25596641".into();
        input.beneficiary_name = "Nová organizace".into();
        input.municipalities.push(place(599981)); // a valid code of no municipality
        let outcome = projects::create(&db, &input).await.unwrap();
        let SaveOutcome::Invalid(errors) = outcome else {
            panic!("expected Invalid, got {outcome:?}")
        };
        assert!(errors
            .get(field::MUNICIPALITIES)
            .unwrap()
            .contains("599981"));
        assert_eq!(
            organisation::Entity::find().count(&db).await.unwrap(),
            orgs,
            "no organisation left behind"
        );
        let page = projects::list(
            &db,
            &ProjectListQuery {
                text: "0009998".into(),
                ..query()
            },
        )
        .await
        .unwrap();
        assert_eq!(page.total, 0);
    }
);

db_test!(
    unknown_programme_and_bad_fields_are_field_errors,
    |db: DatabaseConnection| async move {
        with_demo(&db).await;
        let outcome = projects::create(&db, &new_project("CZ.31.2.0/0.0/0.0/23_090/0010634"))
            .await
            .unwrap();
        let SaveOutcome::Invalid(errors) = outcome else {
            panic!("{outcome:?}")
        };
        assert!(errors
            .get(field::REGISTRATION_NUMBER)
            .unwrap()
            .contains("Program 31"));
        let mut bad = new_project("CZ.03.01/22");
        bad.beneficiary_ico = "72496992".into();
        bad.end_date = "1. 1. 2020".into();
        let SaveOutcome::Invalid(errors) = projects::create(&db, &bad).await.unwrap() else {
            panic!()
        };
        assert!(errors.get(field::REGISTRATION_NUMBER).is_some());
        assert!(errors.get(field::BENEFICIARY_ICO).is_some());
        assert!(errors.get(field::END_DATE).is_some());
    }
);

db_test!(
    second_save_from_an_old_version_is_a_conflict,
    |db: DatabaseConnection| async move {
        with_demo(&db).await;
        let id = saved_id(
            projects::create(&db, &new_project("CZ.03.02.01/00/25_106/0009997"))
                .await
                .unwrap(),
        )
        .await;
        let (mut alice, v) = projects::input_of(&db, id).await.unwrap();
        let (mut bob, _) = projects::input_of(&db, id).await.unwrap();
        alice.name = "Název podle Alice".into();
        bob.name = "Název podle Boba".into();
        assert!(matches!(
            projects::update(&db, id, v, &alice).await.unwrap(),
            SaveOutcome::Saved { .. }
        ));
        match projects::update(&db, id, v, &bob).await.unwrap() {
            SaveOutcome::Conflict {
                stored,
                stored_version,
            } => {
                assert_eq!(stored.name, "Název podle Alice");
                assert_eq!(stored_version, v + 1);
                // Bob decides to overwrite, now knowing the stored version.
                assert!(matches!(
                    projects::update(&db, id, stored_version, &bob)
                        .await
                        .unwrap(),
                    SaveOutcome::Saved { .. }
                ));
            }
            other => panic!("expected Conflict, got {other:?}"),
        }
        assert_eq!(
            projects::detail(&db, id).await.unwrap().name,
            "Název podle Boba"
        );
    }
);

db_test!(
    status_follows_the_workflow,
    |db: DatabaseConnection| async move {
        with_demo(&db).await;
        let id = saved_id(
            projects::create(&db, &new_project("CZ.03.02.01/00/25_106/0009996"))
                .await
                .unwrap(),
        )
        .await;
        let (mut input, v) = projects::input_of(&db, id).await.unwrap();
        input.status = "finished".into(); // preparation → finished skips realisation
        let SaveOutcome::Invalid(errors) = projects::update(&db, id, v, &input).await.unwrap()
        else {
            panic!()
        };
        assert!(errors.get(field::STATUS).is_some());
        input.status = "realisation".into();
        assert!(matches!(
            projects::update(&db, id, v, &input).await.unwrap(),
            SaveOutcome::Saved { .. }
        ));
        input.status = "preparation".into(); // no way back
        let SaveOutcome::Invalid(errors) = projects::update(&db, id, v + 1, &input).await.unwrap()
        else {
            panic!()
        };
        assert!(errors.get(field::STATUS).is_some());
    }
);

db_test!(
    archived_projects_leave_the_list_and_come_back,
    |db: DatabaseConnection| async move {
        with_demo(&db).await;
        let all = projects::list(&db, &query()).await.unwrap().total;
        let id = projects::list(
            &db,
            &ProjectListQuery {
                text: "VNP".into(),
                ..query()
            },
        )
        .await
        .unwrap()
        .rows[0]
            .id;
        let v = projects::detail(&db, id).await.unwrap().version;
        projects::set_archived(&db, id, v, true).await.unwrap();
        assert_eq!(projects::list(&db, &query()).await.unwrap().total, all - 1);
        let with_archived = projects::list(
            &db,
            &ProjectListQuery {
                include_archived: true,
                ..query()
            },
        )
        .await
        .unwrap();
        assert_eq!(with_archived.total, all);
        assert!(with_archived.rows.iter().any(|r| r.id == id && r.archived));
        let (input, v2) = projects::input_of(&db, id).await.unwrap();
        assert!(
            projects::update(&db, id, v2, &input).await.is_err(),
            "an archived project cannot be edited"
        );
        assert!(
            projects::set_archived(&db, id, v, false).await.is_err(),
            "stale version refused"
        );
        projects::set_archived(&db, id, v2, false).await.unwrap();
        assert_eq!(projects::list(&db, &query()).await.unwrap().total, all);
        assert_eq!(
            projects::detail(&db, id).await.unwrap().registration_number,
            VNP
        );
    }
);

db_test!(
    list_filters_sorts_and_pages_on_the_server,
    |db: DatabaseConnection| async move {
        with_demo(&db).await;
        let all = projects::list(&db, &query()).await.unwrap();
        assert!(all.total >= 5);
        // Text is matched without case and diacritics, in name, acronym, number and beneficiary.
        let found = projects::list(
            &db,
            &ProjectListQuery {
                text: "VEK NENI".into(),
                ..query()
            },
        )
        .await
        .unwrap();
        assert_eq!(
            found
                .rows
                .iter()
                .map(|r| r.registration_number.as_str())
                .collect::<Vec<_>>(),
            vec![VNP]
        );
        let by_office = projects::list(
            &db,
            &ProjectListQuery {
                text: "urad prace".into(),
                ..query()
            },
        )
        .await
        .unwrap();
        assert!(by_office.rows.iter().any(|r| r.registration_number == NOE));
        // A literal % is not a wildcard.
        assert_eq!(
            projects::list(
                &db,
                &ProjectListQuery {
                    text: "%".into(),
                    ..query()
                }
            )
            .await
            .unwrap()
            .total,
            0
        );
        // Call and status.
        let call = projects::list(
            &db,
            &ProjectListQuery {
                call_id: Some("03_22_015".into()),
                ..query()
            },
        )
        .await
        .unwrap();
        // NOE, VNP and the demo's invented project of a natural person.
        assert_eq!(call.total, 3);
        let closed = projects::list(
            &db,
            &ProjectListQuery {
                status: Some("closed".into()),
                ..query()
            },
        )
        .await
        .unwrap();
        assert!(closed.rows.iter().all(|r| r.status.code() == "closed"));
        // Region: Ústecký kraj (60) holds Děčín and Most, where NOE runs.
        let usti = projects::list(
            &db,
            &ProjectListQuery {
                region_code: Some(60),
                ..query()
            },
        )
        .await
        .unwrap();
        assert!(usti.rows.iter().any(|r| r.registration_number == NOE));
        assert!(!usti.rows.iter().any(|r| r.registration_number == VNP));
        // Sorting by name both ways.
        let asc = projects::list(
            &db,
            &ProjectListQuery {
                sort: SortColumn::Name,
                ..query()
            },
        )
        .await
        .unwrap();
        let desc = projects::list(
            &db,
            &ProjectListQuery {
                sort: SortColumn::Name,
                descending: true,
                ..query()
            },
        )
        .await
        .unwrap();
        let names =
            |p: &app::dto::ProjectPage| p.rows.iter().map(|r| r.name.clone()).collect::<Vec<_>>();
        let mut reversed = names(&asc);
        reversed.reverse();
        assert_eq!(names(&desc), reversed);
        let mut sorted_dates = asc.rows.iter().map(|r| r.start_date).collect::<Vec<_>>();
        let by_start = projects::list(
            &db,
            &ProjectListQuery {
                sort: SortColumn::StartDate,
                ..query()
            },
        )
        .await
        .unwrap();
        sorted_dates.sort();
        assert_eq!(
            by_start
                .rows
                .iter()
                .map(|r| r.start_date)
                .collect::<Vec<_>>(),
            sorted_dates
        );
        // Pages of two.
        let p1 = projects::list(
            &db,
            &ProjectListQuery {
                per_page: 2,
                ..query()
            },
        )
        .await
        .unwrap();
        let p2 = projects::list(
            &db,
            &ProjectListQuery {
                per_page: 2,
                page: 2,
                ..query()
            },
        )
        .await
        .unwrap();
        assert_eq!(p1.rows.len(), 2);
        assert_eq!(p1.total, all.total);
        assert!(p1.rows.iter().all(|a| p2.rows.iter().all(|b| a.id != b.id)));
        assert_eq!(p1.rows[0].id, all.rows[0].id);
        assert_eq!(p2.rows[0].id, all.rows[2].id);
    }
);

db_test!(
    ruian_import_loads_the_national_codebook,
    |db: DatabaseConnection| async move {
        let counts = codebooks::import_ruian(&db, &common::ruian_dir(), common::today())
            .await
            .unwrap();
        assert_eq!(
            (counts.regions, counts.districts, counts.municipalities),
            (14, 77, 6258)
        );
        // Running it again updates in place.
        codebooks::import_ruian(&db, &common::ruian_dir(), common::today())
            .await
            .unwrap();
        assert_eq!(
            entity::municipality::Entity::find()
                .count(&db)
                .await
                .unwrap(),
            6258
        );
        let usti = codebooks::search_municipalities(&db, "usti nad o", 10)
            .await
            .unwrap();
        assert_eq!(
            usti.first()
                .map(|m| (m.code, m.name.as_str(), m.region.as_str())),
            Some((579891, "Ústí nad Orlicí", "Pardubický kraj"))
        );
        let jindrichov = codebooks::search_municipalities(&db, "Jindřichov", 10)
            .await
            .unwrap();
        let exact: Vec<_> = jindrichov
            .iter()
            .filter(|m| m.name == "Jindřichov")
            .map(|m| m.district.as_str())
            .collect();
        assert_eq!(exact.len(), 3, "{jindrichov:?}");
        assert!(
            exact.contains(&"Šumperk") && exact.contains(&"Bruntál") && exact.contains(&"Přerov")
        );
        let by_code = codebooks::search_municipalities(&db, "562335", 10)
            .await
            .unwrap();
        assert_eq!(by_code.len(), 1);
        assert_eq!(by_code[0].name, "Děčín");
        // A word inside the name: "orlici" finds Ústí nad Orlicí too.
        assert!(codebooks::search_municipalities(&db, "orlici", 15)
            .await
            .unwrap()
            .iter()
            .any(|m| m.code == 579891));
    }
);

db_test!(
    ruian_import_refuses_a_bad_file_without_loading_anything,
    |db: DatabaseConnection| async move {
        let dir = std::env::temp_dir().join(format!("ruian-bad-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        for f in ["UI_VUSC.csv", "UI_OKRES.csv"] {
            std::fs::copy(common::ruian_dir().join(f), dir.join(f)).unwrap();
        }
        let original = std::fs::read(common::ruian_dir().join("UI_OBEC.csv")).unwrap();
        let (text, _, _) = encoding_rs::WINDOWS_1250.decode(&original);
        let broken = text.replacen("500011;", "500012;", 1);
        let (bytes, _, _) = encoding_rs::WINDOWS_1250.encode(&broken);
        std::fs::write(dir.join("UI_OBEC.csv"), bytes).unwrap();
        let err = codebooks::import_ruian(&db, &dir, common::today())
            .await
            .unwrap_err()
            .to_string();
        assert!(err.contains("UI_OBEC.csv, řádek 2"), "{err}");
        assert_eq!(entity::region::Entity::find().count(&db).await.unwrap(), 0);
        std::fs::remove_dir_all(&dir).ok();
    }
);

db_test!(
    demo_load_brings_every_municipality_of_the_shipped_code_list,
    |db: DatabaseConnection| async move {
        with_demo(&db).await;
        let rows = std::fs::read(common::ruian_dir().join("UI_OBEC.csv")).unwrap();
        let (text, _, _) = encoding_rs::WINDOWS_1250.decode(&rows);
        let file_rows = text
            .lines()
            .skip(1)
            .filter(|l| !l.trim().is_empty())
            .count();
        assert_eq!(file_rows, 6258);
        let stored = entity::municipality::Entity::find()
            .count(&db)
            .await
            .unwrap();
        assert_eq!(
            usize::try_from(stored).unwrap(),
            file_rows,
            "one municipality per row"
        );
        for (query, name, code, region) in [
            ("Brno", "Brno", 582786, "Jihomoravský kraj"),
            ("Liberec", "Liberec", 563889, "Liberecký kraj"),
            ("olomouc", "Olomouc", 500496, "Olomoucký kraj"),
            ("Teplice", "Teplice", 567442, "Ústecký kraj"),
            ("usti nad l", "Ústí nad Labem", 554804, "Ústecký kraj"),
        ] {
            let found = codebooks::search_municipalities(&db, query, 10)
                .await
                .unwrap();
            assert!(
                found
                    .iter()
                    .any(|m| m.code == code && m.name == name && m.region == region),
                "{query}: {found:?}"
            );
        }
        // The demo's own places are the official ones, and a second load changes nothing.
        let decin = codebooks::search_municipalities(&db, "562335", 10)
            .await
            .unwrap();
        assert_eq!(decin[0].name, "Děčín");
        assert_eq!(
            demo::load(&db, common::today(), &common::ruian_dir())
                .await
                .unwrap(),
            demo::DemoCounts::default()
        );
        assert_eq!(
            entity::municipality::Entity::find()
                .count(&db)
                .await
                .unwrap(),
            stored
        );
    }
);

db_test!(
    demo_load_keeps_a_newer_official_import,
    |db: DatabaseConnection| async move {
        let dir = std::env::temp_dir().join(format!("ruian-new-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        for f in ["UI_VUSC.csv", "UI_OKRES.csv"] {
            std::fs::copy(common::ruian_dir().join(f), dir.join(f)).unwrap();
        }
        let obec = std::fs::read(common::ruian_dir().join("UI_OBEC.csv")).unwrap();
        let (text, _, _) = encoding_rs::WINDOWS_1250.decode(&obec);
        let renamed = text.replacen("563889;Liberec;", "563889;Statutární město Liberec;", 1);
        assert_ne!(renamed, text);
        std::fs::write(dir.join("UI_OBEC.csv"), renamed).unwrap();
        codebooks::import_ruian(&db, &dir, common::today())
            .await
            .unwrap();
        with_demo(&db).await;
        let liberec = codebooks::search_municipalities(&db, "563889", 10)
            .await
            .unwrap();
        assert_eq!(liberec[0].name, "Statutární město Liberec");
        std::fs::remove_dir_all(&dir).ok();
    }
);
