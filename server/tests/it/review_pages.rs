//! The review workflow over HTTP (resubmission for the project's team only, the queue per role, the
//! `/kontroly` page) and what a report's page shows it contains, on SQLite and PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::review_workflow::{move_to, projects, reviewer, viewer};
use app::domain::roles::Role;
use app::services::{demo, review};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

/// The demo's VNP and NOE, with NOE's first period returned to its team.
async fn returned_noe(app: &server::RunningServer) -> (i32, i32, i32) {
    let noe = demo::project_id_by_registration(&app.db, "CZ.03.01.01/00/22_015/0002653")
        .await
        .unwrap()
        .unwrap();
    let vnp = demo::project_id_by_registration(&app.db, "CZ.03.01.01/00/22_015/0002657")
        .await
        .unwrap()
        .unwrap();
    let period = review::summaries(&app.db, noe).await.unwrap()[0].period_id;
    let v = review::view(&app.db, &reviewer(), noe, period)
        .await
        .unwrap();
    let mut version = v.version;
    if v.status.as_deref() != Some("under_review") {
        move_to(&app.db, noe, period, "under_review", version, "").await;
        version += 1;
    }
    move_to(
        &app.db,
        noe,
        period,
        "returned",
        version,
        "Doplňte přílohy.",
    )
    .await;
    (noe, vnp, period)
}

#[tokio::test]
async fn resubmission_over_http_is_for_the_projects_team_only() {
    use leptos::server_fn::ServerFn;
    let (app, _dir) = crate::http::spawn_app().await;
    let (noe, vnp, period) = returned_noe(&app).await;
    let version = review::view(&app.db, &reviewer(), noe, period)
        .await
        .unwrap()
        .version;
    let url = format!("{}{}", app.url(), app::api::ResubmitReport::PATH);
    let body = |project: i32| {
        serde_json::json!({"project_id": project, "period_id": period,
            "input": {"answer": "Přílohy jsou doplněny.", "version": version}})
    };
    let reviewer_client = crate::http::sign_in(&app, "reviewer@demo.cz").await;
    let resp = reviewer_client
        .post(&url)
        .json(&body(noe))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403, "a reviewer does not resubmit");
    let manager = crate::http::sign_in(&app, "manager@demo.cz").await;
    let resp = manager.post(&url).json(&body(vnp)).send().await.unwrap();
    assert_eq!(resp.status(), 403, "not the manager's project");
    let resp = manager.post(&url).json(&body(noe)).send().await.unwrap();
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let after = review::view(&app.db, &reviewer(), noe, period)
        .await
        .unwrap();
    assert_eq!(after.status.as_deref(), Some("resubmitted"));
    // The reviewer finds it in the queue (server function and page); the manager sees only NOE's.
    let queue_url = format!("{}{}", app.url(), app::api::GetReviewQueue::PATH);
    let q =
        serde_json::json!({"query": {"status": null, "text": "", "programme_id": null, "page": 1}});
    let page: serde_json::Value = reviewer_client
        .post(&queue_url)
        .json(&q)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let rows = page["rows"].as_array().unwrap();
    assert!(rows
        .iter()
        .any(|r| r["period_id"] == period && r["status"] == "resubmitted"));
    assert!(
        rows.iter().any(|r| r["project_id"] == vnp),
        "the demo's VNP review too"
    );
    let mine: serde_json::Value = manager
        .post(&queue_url)
        .json(&q)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mine = mine["rows"].as_array().unwrap();
    assert!(!mine.is_empty() && mine.iter().all(|r| r["project_id"] == noe));
    let html = reviewer_client
        .get(format!("{}/kontroly", app.url()))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Kontroly zpráv o realizaci") && html.contains("Znovu předloženo"));
}

db_test!(
    a_reports_contents_are_the_periods_indicators_expenditures_and_claims,
    |db: DatabaseConnection| async move {
        use app::dto::{ClaimInput, EditOutcome, ExpenditureInput, ProjectIndicatorInput};
        use app::services::{budget, monitoring};
        let (a, _, pa, _) = projects(&db).await;
        let eeco01 = entity::indicator::Entity::find()
            .filter(entity::indicator::Column::Code.eq("EECO01"))
            .one(&db)
            .await
            .unwrap()
            .unwrap()
            .id;
        let target = ProjectIndicatorInput {
            indicator_id: eeco01,
            baseline: String::new(),
            target: "100".into(),
            target_date: "31. 12. 2027".into(),
        };
        let saved = EditOutcome::Saved;
        assert_eq!(
            monitoring::add_project_indicator(&db, a, &target)
                .await
                .unwrap(),
            saved
        );
        let pi = entity::project_indicator::Entity::find()
            .filter(entity::project_indicator::Column::ProjectId.eq(a))
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        for (period, value) in [(pa[0], "10"), (pa[1], "15")] {
            let r = monitoring::set_achieved(&db, a, pi.id, period, None, value).await;
            assert_eq!(r.unwrap(), saved);
        }
        let line = entity::budget_line::Entity::find()
            .filter(entity::budget_line::Column::ProjectId.eq(a))
            .one(&db)
            .await
            .unwrap()
            .unwrap()
            .id;
        for (doc, amount, paid_on) in [
            ("D-1", "1 234 567,89", "15. 3. 2026"),
            ("D-2", "100,00", "30. 6. 2026"),
            ("D-3", "50,00", "1. 7. 2026"),
        ] {
            let e = ExpenditureInput {
                budget_line_id: line,
                document_number: doc.into(),
                amount: amount.into(),
                paid_on: paid_on.into(),
                description: "Mzda".into(),
                ..Default::default()
            };
            assert_eq!(budget::add_expenditure(&db, a, &e).await.unwrap(), saved);
        }
        let claim = ClaimInput {
            period_id: Some(pa[0]),
            claimed: "1 000,00".into(),
            submitted_on: "10. 7. 2026".into(),
        };
        assert_eq!(budget::add_claim(&db, a, &claim).await.unwrap(), saved);
        let manager = viewer(1, &[Role::Manager], &[a]);
        let first = review::view(&db, &manager, a, pa[0])
            .await
            .unwrap()
            .contents;
        assert_eq!(first.expenditure_count, 2);
        assert_eq!(
            first.expenditure_sum.to_string(),
            "1\u{a0}234\u{a0}667,89\u{a0}Kč"
        );
        assert_eq!(first.claims.len(), 1);
        assert_eq!(first.claims[0].claimed.to_string(), "1\u{a0}000,00\u{a0}Kč");
        let ind = &first.indicators[0];
        assert_eq!(
            (ind.code.as_str(), ind.in_period),
            ("EECO01", Some(10.into()))
        );
        assert_eq!(
            (ind.cumulative, ind.fulfilment),
            (10.into(), Some(10.into()))
        );
        let second = review::view(&db, &manager, a, pa[1])
            .await
            .unwrap()
            .contents;
        assert_eq!((second.expenditure_count, second.claims.len()), (1, 0));
        assert_eq!(second.expenditure_sum.to_string(), "50,00\u{a0}Kč");
        let ind = &second.indicators[0];
        assert_eq!(
            (ind.in_period, ind.cumulative),
            (Some(15.into()), 25.into())
        );
        assert_eq!((ind.target, ind.fulfilment), (100.into(), Some(25.into())));
    }
);
