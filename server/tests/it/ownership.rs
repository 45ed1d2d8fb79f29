//! A record of another project is not found: the budget and monitoring services load a child record
//! (budget line, claim, period, project indicator) filtered by the project first, and say nothing else
//! about it. On SQLite and PostgreSQL, and once through the server function as a finance officer of one
//! project.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::http::{sign_in, spawn_app, PASSWORD};
use app::domain::roles::Role;
use app::domain::Money;
use app::dto::BudgetLineInput;
use app::error::AppError;
use app::services::{budget, demo, monitoring, ServiceError};
use entity::{
    budget_line, expenditure, indicator, monitoring_period, payment_claim, project_indicator,
};
use leptos::server_fn::ServerFn;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

const NOE: &str = "CZ.03.01.01/00/22_015/0002653";
const VNP: &str = "CZ.03.01.01/00/22_015/0002657";

async fn id_of(db: &impl ConnectionTrait, reg: &str) -> i32 {
    demo::project_id_by_registration(db, reg)
        .await
        .unwrap()
        .unwrap()
}

/// A budget line of `project` with money drawn on it, and the amount drawn.
async fn drawn_line(db: &impl ConnectionTrait, project: i32) -> (budget_line::Model, Money) {
    let spent = expenditure::Entity::find()
        .filter(expenditure::Column::ProjectId.eq(project))
        .all(db)
        .await
        .unwrap();
    let line_id = spent.first().expect("demo expenditures").budget_line_id;
    let drawn: i64 = spent
        .iter()
        .filter(|e| e.budget_line_id == line_id)
        .map(|e| e.amount_halere)
        .sum();
    let line = budget_line::Entity::find_by_id(line_id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    (line, Money::from_halere(drawn).unwrap())
}

fn tiny(line: &budget_line::Model) -> BudgetLineInput {
    BudgetLineInput {
        code: "8.8.8".into(),
        name: "Cizí položka".into(),
        chapter: line.chapter.clone(),
        year: "2026".into(),
        amount: "0,01".into(),
        ..Default::default()
    }
}

db_test!(
    children_of_another_project_are_not_found_and_stay_unchanged,
    |db: sea_orm::DatabaseConnection| async move {
        demo::load(&db, crate::common::today(), &crate::common::ruian_dir())
            .await
            .unwrap();
        let (a, b) = (id_of(&db, NOE).await, id_of(&db, VNP).await);
        let (line, drawn) = drawn_line(&db, b).await;
        assert!(drawn > Money::parse("0,01").unwrap());
        // A budget line of B, changed as if it were A's: not found, no amount drawn revealed.
        let r = budget::save_line(&db, a, Some((line.id, line.version)), &tiny(&line)).await;
        assert!(matches!(r, Err(ServiceError::NotFound)), "{r:?}");
        let after = budget_line::Entity::find_by_id(line.id)
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(after, line, "B's line is unchanged");
        // B's claim decided from A.
        let claim = payment_claim::Entity::find()
            .filter(payment_claim::Column::ProjectId.eq(b))
            .one(&db)
            .await
            .unwrap()
            .expect("demo claims");
        let r = budget::decide_claim(&db, a, claim.id, claim.version, "returned", "", "").await;
        assert!(matches!(r, Err(ServiceError::NotFound)), "{r:?}");
        let claim_after = payment_claim::Entity::find_by_id(claim.id)
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(claim_after, claim);
        // A's indicator counted in persons with B's period: not found (not a message about A's unit).
        let persons: Vec<i32> = indicator::Entity::find()
            .filter(indicator::Column::Unit.eq("persons"))
            .all(&db)
            .await
            .unwrap()
            .into_iter()
            .map(|i| i.id)
            .collect();
        let pi = project_indicator::Entity::find()
            .filter(project_indicator::Column::ProjectId.eq(a))
            .filter(project_indicator::Column::IndicatorId.is_in(persons))
            .one(&db)
            .await
            .unwrap()
            .expect("a demo indicator in persons");
        let b_period = monitoring_period::Entity::find()
            .filter(monitoring_period::Column::ProjectId.eq(b))
            .one(&db)
            .await
            .unwrap()
            .expect("demo periods");
        let r = monitoring::set_achieved(&db, a, pi.id, b_period.id, None, "1,5").await;
        assert!(matches!(r, Err(ServiceError::NotFound)), "{r:?}");
        // B's project indicator with A's own period: not found either.
        let a_period = monitoring_period::Entity::find()
            .filter(monitoring_period::Column::ProjectId.eq(a))
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        let b_pi = project_indicator::Entity::find()
            .filter(project_indicator::Column::ProjectId.eq(b))
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        let r = monitoring::set_achieved(&db, a, b_pi.id, a_period.id, None, "1").await;
        assert!(matches!(r, Err(ServiceError::NotFound)), "{r:?}");
    }
);

#[tokio::test]
async fn a_finance_officer_of_one_project_gets_not_found_for_anothers_budget_line() {
    let (app, _dir) = spawn_app().await;
    let (a, b) = (id_of(&app.db, NOE).await, id_of(&app.db, VNP).await);
    app::services::auth::create_user(
        &app.db,
        "finance-noe@demo.cz",
        "Finance NOE",
        PASSWORD,
        &[Role::Finance],
        &[a],
        false,
    )
    .await
    .unwrap();
    let (line, drawn) = drawn_line(&app.db, b).await;
    let finance = sign_in(&app, "finance-noe@demo.cz").await;
    let resp = finance
        .post(format!("{}{}", app.url(), app::api::SaveBudgetLine::PATH))
        .json(&serde_json::json!({
            "project_id": a,
            "line": [line.id, line.version],
            "input": tiny(&line),
        }))
        .send()
        .await
        .unwrap();
    let status = resp.status();
    let body = resp.text().await.unwrap();
    assert_ne!(status, 200, "{body}");
    assert_eq!(
        serde_json::from_str::<AppError>(&body).unwrap(),
        AppError::NotFound,
        "{body}"
    );
    for shown in [drawn.to_string(), drawn.format_plain()] {
        assert!(!body.contains(&shown), "{body} reveals {shown}");
    }
    let after = budget_line::Entity::find_by_id(line.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(after, line);
}
