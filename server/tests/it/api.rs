//! The read-only JSON API with tokens, the exports and the dashboard pages, over HTTP against the real
//! server with the demo portfolio.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::http::{sign_in, spawn_app};
use leptos::server_fn::ServerFn;
use sea_orm::EntityTrait;
use serde_json::Value;
use server::RunningServer;

const NOE: &str = "CZ.03.01.01/00/22_015/0002653";
const VNP: &str = "CZ.03.01.01/00/22_015/0002657";

async fn token(app: &RunningServer, email: &str) -> String {
    app::services::tokens::create(&app.db, email, "test")
        .await
        .unwrap()
        .0
}

async fn get(app: &RunningServer, path: &str, token: Option<&str>) -> (u16, Value) {
    let mut req = reqwest::Client::new().get(format!("{}{path}", app.url()));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

fn encoded(reg: &str) -> String {
    app::dto::url_encode(reg)
}

async fn project_id(app: &RunningServer, reg: &str) -> i32 {
    app::services::demo::project_id_by_registration(&app.db, reg)
        .await
        .unwrap()
        .unwrap()
}

#[tokio::test]
async fn api_needs_a_valid_token_and_applies_the_users_rights() {
    let (app, _dir) = spawn_app().await;
    // Without credentials, with a made-up token, or with a session cookie only: 401 with a reason.
    let resp = reqwest::get(format!("{}/api/v1/projects", app.url()))
        .await
        .unwrap();
    assert_eq!(resp.status(), 401);
    assert!(resp.headers()["www-authenticate"]
        .to_str()
        .unwrap()
        .starts_with("Bearer"));
    let body: Value = resp.json().await.unwrap();
    assert!(body["error"].as_str().unwrap().contains("token"));
    let fake = format!("esf_{}", "0".repeat(64));
    assert_eq!(get(&app, "/api/v1/projects", Some(&fake)).await.0, 401);
    let browser = sign_in(&app, "reviewer@demo.cz").await;
    assert_eq!(
        browser
            .get(format!("{}/api/v1/projects", app.url()))
            .send()
            .await
            .unwrap()
            .status(),
        401
    );

    // A reviewer's token reads the whole portfolio; filters as on the dashboard.
    let reviewer = token(&app, "reviewer@demo.cz").await;
    let (status, all) = get(&app, "/api/v1/projects?na_strance=100", Some(&reviewer)).await;
    assert_eq!(status, 200);
    assert_eq!(all["total"], 7);
    assert_eq!(all["items"].as_array().unwrap().len(), 7);
    let (_, ustecky) = get(&app, "/api/v1/projects?kraj=60", Some(&reviewer)).await;
    let regs: Vec<&str> = ustecky["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["registration_number"].as_str().unwrap())
        .collect();
    assert_eq!(regs, vec![NOE], "Děčín and Most are NOE's");
    let (status, noe) = get(
        &app,
        &format!("/api/v1/projects/{}", encoded(NOE)),
        Some(&reviewer),
    )
    .await;
    assert_eq!(status, 200, "{noe}");
    assert_eq!(noe["registration_number"], NOE);
    assert_eq!(noe["beneficiary"]["ico"], "72496991");
    // Money as decimal strings with two decimals, never JSON numbers.
    for key in ["budgeted", "drawn", "paid", "remaining"] {
        let v = noe["budget"][key]
            .as_str()
            .unwrap_or_else(|| panic!("budget.{key} is {}", noe["budget"][key]));
        let (_, decimals) = v.split_once('.').unwrap();
        assert_eq!(decimals.len(), 2, "{key} = {v}");
    }
    // NOE accounts with the 40 % model: personnel and the flat part, nothing else, adding up.
    let b = &noe["budget"];
    assert_eq!(b["cost_model"], "flat_40_personnel");
    assert_eq!(b["flat_rate_percent"], "40");
    let amount = |k: &str| app::domain::Money::parse(b[k].as_str().unwrap()).unwrap();
    assert_eq!(amount("other_direct"), app::domain::Money::zero());
    assert!(!amount("personnel").is_zero());
    assert_eq!(
        amount("flat_part"),
        app::domain::percent_of(
            amount("personnel"),
            app::domain::Percentage::parse("40").unwrap()
        )
    );
    assert_eq!(
        amount("personnel")
            .checked_add(amount("flat_part"))
            .unwrap(),
        amount("eligible")
    );
    assert_eq!(amount("eligible"), amount("budgeted"));
    let indicators = noe["indicators"].as_array().unwrap();
    assert!(!indicators.is_empty());
    assert!(indicators
        .iter()
        .all(|i| i["target"].is_string() && i["achieved"].is_string()));
    assert!(noe["municipalities"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["name"] == "Děčín"));
    assert!(noe["target_groups"]
        .as_array()
        .unwrap()
        .iter()
        .any(|g| g["code"] == "osoby-30-54"));
    assert_eq!(
        get(&app, "/api/v1/projects/CZ.99.99", Some(&reviewer))
            .await
            .0,
        404
    );
    assert_eq!(get(&app, "/api/v1/nic", Some(&reviewer)).await.0, 404);

    // A manager's token sees NOE (assigned) and not VNP.
    let manager = token(&app, "manager@demo.cz").await;
    let (_, mine) = get(&app, "/api/v1/projects", Some(&manager)).await;
    assert_eq!(mine["total"], 1);
    assert_eq!(
        get(
            &app,
            &format!("/api/v1/projects/{}", encoded(NOE)),
            Some(&manager)
        )
        .await
        .0,
        200
    );
    let (status, body) = get(
        &app,
        &format!("/api/v1/projects/{}", encoded(VNP)),
        Some(&manager),
    )
    .await;
    assert_eq!(status, 403);
    assert!(body["error"].as_str().unwrap().contains("přístup"));

    // Revoked: refused at once; the list shows it revoked and when it was last used.
    let id = app::services::tokens::list(&app.db)
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.user_email == "manager@demo.cz")
        .unwrap()
        .id;
    app::services::tokens::revoke(&app.db, id).await.unwrap();
    assert_eq!(get(&app, "/api/v1/projects", Some(&manager)).await.0, 401);
    let listed = app::services::tokens::list(&app.db).await.unwrap();
    let t = listed.iter().find(|t| t.id == id).unwrap();
    assert!(t.revoked && t.last_used_at.is_some() && t.prefix.starts_with("esf_"));
    // Only the hash is stored.
    let stored = entity::api_token::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(!manager.contains(&stored.token_hash) && stored.token_hash.len() == 64);
}

#[tokio::test]
async fn openapi_describes_both_endpoints() {
    let (app, _dir) = spawn_app().await;
    let (status, spec) = get(&app, "/api/v1/openapi.json", None).await;
    assert_eq!(status, 200);
    assert_eq!(spec["openapi"], "3.0.3");
    assert!(spec["paths"]["/api/v1/projects"]["get"].is_object());
    assert!(spec["paths"]["/api/v1/projects/{registration_number}"]["get"].is_object());
    assert_eq!(
        spec["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    assert_eq!(
        spec["components"]["schemas"]["Budget"]["properties"]["drawn"]["type"],
        "string"
    );
}

#[tokio::test]
async fn token_admin_functions_are_for_admins_only() {
    let (app, _dir) = spawn_app().await;
    let url = format!("{}{}", app.url(), app::api::CreateApiToken::PATH);
    let body = serde_json::json!({"email": "reviewer@demo.cz", "name": "sklad"});
    let reviewer = sign_in(&app, "reviewer@demo.cz").await;
    assert_eq!(
        reviewer
            .post(&url)
            .json(&body)
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
    assert!(app::services::tokens::list(&app.db)
        .await
        .unwrap()
        .is_empty());
    let admin = sign_in(&app, "admin@demo.cz").await;
    let resp = admin.post(&url).json(&body).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    let token: String = resp.json().await.unwrap();
    assert_eq!(get(&app, "/api/v1/projects", Some(&token)).await.0, 200);
}

#[tokio::test]
async fn exports_follow_filters_and_rights() {
    use calamine::{Data, Reader, Xlsx};
    let (app, _dir) = spawn_app().await;
    let admin = sign_in(&app, "admin@demo.cz").await;
    let resp = admin
        .get(format!("{}/export/projekty.csv?kraj=60", app.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert!(resp.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    assert!(resp.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("projekty-"));
    let text = resp.text().await.unwrap();
    assert!(text.starts_with("\u{feff}Registrační číslo projektu;Název projektu;"));
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(text.contains(NOE));
    let resp = admin
        .get(format!("{}/export/prehled.xlsx", app.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let mut book = Xlsx::new(std::io::Cursor::new(resp.bytes().await.unwrap().to_vec())).unwrap();
    assert_eq!(
        book.sheet_names(),
        vec!["Souhrn", "Kraje", "Indikátory", "Čerpání v čase", "Rizika"]
    );
    let souhrn = book.worksheet_range("Souhrn").unwrap();
    let projects = souhrn
        .rows()
        .find(|r| r[0] == Data::String("Projekty".into()))
        .unwrap();
    assert_eq!(projects[1], Data::Float(7.0));
    let rizika = book.worksheet_range("Rizika").unwrap();
    assert!(
        rizika.rows().any(|r| r[0] == Data::String(VNP.into())),
        "VNP is at risk"
    );

    let vnp = project_id(&app, VNP).await;
    let noe = project_id(&app, NOE).await;
    let resp = admin
        .get(format!("{}/export/projekty/{vnp}/rozpocet.xlsx", app.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let mut book = Xlsx::new(std::io::Cursor::new(resp.bytes().await.unwrap().to_vec())).unwrap();
    let lines = book.worksheet_range("Rozpočet").unwrap();
    assert!(
        lines.rows().skip(1).all(|r| matches!(r[4], Data::Float(_))),
        "budget amounts are numbers"
    );
    let manager = sign_in(&app, "manager@demo.cz").await;
    let forbidden = manager
        .get(format!(
            "{}/export/projekty/{vnp}/indikatory.csv",
            app.url()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(forbidden.status(), 403);
    let mine = manager
        .get(format!(
            "{}/export/projekty/{noe}/indikatory.csv",
            app.url()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(mine.status(), 200);
    assert!(mine.text().await.unwrap().contains("EECO01"));
    // The manager's project list holds only their project.
    let list = manager
        .get(format!("{}/export/projekty.csv", app.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(list.text().await.unwrap().lines().count(), 2);
    // Not signed in: sent to the sign-in page.
    let anonymous = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let resp = anonymous
        .get(format!("{}/export/projekty.csv", app.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
}

#[tokio::test]
async fn dashboard_and_print_page_are_server_rendered_with_their_charts() {
    let (app, _dir) = spawn_app().await;
    let reviewer = sign_in(&app, "reviewer@demo.cz").await;
    let html = reviewer
        .get(format!("{}/prehled", app.url()))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Přehled portfolia"));
    for expected in [
        "data-nuts=\"CZ042\"",
        "id=\"indicators-chart-title\"",
        "id=\"map-title\"",
        "Projekty s upozorněním",
        "Věk není překážkou",
        "polyline",
    ] {
        assert!(html.contains(expected), "{expected} missing from /prehled");
    }
    let vnp = project_id(&app, VNP).await;
    let html = reviewer
        .get(format!("{}/projekty/{vnp}/tisk", app.url()))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("print-summary") && html.contains("EECO01"),
        "print page"
    );
    // The demo has a review in progress: VNP's last report is under review.
    let html = reviewer
        .get(format!("{}/projekty/{vnp}", app.url()))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("V kontrole"),
        "VNP's review status on its page"
    );
}

#[tokio::test]
async fn only_reviewers_set_a_review_status() {
    let (app, _dir) = spawn_app().await;
    let noe = project_id(&app, NOE).await;
    let period = app::services::review::summaries(&app.db, noe)
        .await
        .unwrap()[0]
        .period_id;
    let url = format!("{}{}", app.url(), app::api::SubmitReview::PATH);
    let body = |comment: &str, status: &str, version: i32| {
        serde_json::json!({"project_id": noe, "period_id": period,
            "input": {"comment": comment, "status": status, "version": version}})
    };
    let manager = sign_in(&app, "manager@demo.cz").await;
    let before =
        app::services::review::view(&app.db, &app::domain::roles::Viewer::default(), noe, period)
            .await
            .unwrap();
    let resp = manager
        .post(&url)
        .json(&body("", "accepted", before.version))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403, "a manager may not set a status");
    let finance = sign_in(&app, "finance@demo.cz").await;
    let resp = finance
        .post(&url)
        .json(&body("Dotaz", "", 0))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403, "finance may not comment on reviews");
    // The manager may answer.
    let resp = manager
        .post(&url)
        .json(&body("Listiny doplníme.", "", 0))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let reviewer = sign_in(&app, "reviewer@demo.cz").await;
    let status = app::domain::ReviewStatus::from_stored(before.status.as_deref())
        .unwrap()
        .allowed_next()[0]
        .code();
    let resp = reviewer
        .post(&url)
        .json(&body("Přijato.", status, before.version))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let after =
        app::services::review::view(&app.db, &app::domain::roles::Viewer::default(), noe, period)
            .await
            .unwrap();
    assert_eq!(after.comments.len(), before.comments.len() + 2);
}

#[tokio::test]
async fn tracker_token_create_prints_a_working_token_once() {
    use std::process::Command;
    let dir = std::env::temp_dir().join(format!("tracker-token-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.join("t.sqlite").display());
    let tracker = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_tracker"))
            .args(args)
            .env("DATABASE_URL", &url)
            .env("TRACKER_DEMO_PASSWORD", crate::http::PASSWORD)
            .env("RUST_LOG", "error")
            .output()
            .unwrap()
    };
    assert!(tracker(&["demo"]).status.success());
    let out = tracker(&[
        "token",
        "create",
        "reviewer@demo.cz",
        "--name",
        "datový sklad",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let token = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    assert!(token.starts_with("esf_") && token.len() == 68, "{token}");
    let db = server::open_database(&url).await.unwrap();
    let viewer = app::services::tokens::bearer_viewer(&db, &token)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(viewer.email, "reviewer@demo.cz");
    let listed = app::services::tokens::list(&db).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].name, "datový sklad");
    // An unknown user: a Czech message and a non-zero exit code, nothing stored.
    let out = tracker(&["token", "create", "nikdo@demo.cz"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("neexistuje"));
    assert_eq!(app::services::tokens::list(&db).await.unwrap().len(), 1);
    // Revoked from the command line: the token stops working.
    let out = tracker(&["token", "revoke", &listed[0].id.to_string()]);
    assert!(out.status.success());
    assert!(app::services::tokens::bearer_viewer(&db, &token)
        .await
        .unwrap()
        .is_none());
    db.close().await.ok();
    std::fs::remove_dir_all(&dir).ok();
}
