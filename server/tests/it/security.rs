//! Tests that try to get in: every role against server functions it may and may not call (403 and nothing
//! changed), requests without a session (401 / sign-in page), CSRF-less requests, session cookie flags,
//! sign-in throttling, XSS and SQL-injection strings stored and shown as text, and the security headers.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use leptos::server_fn::ServerFn;
use sea_orm::{EntityTrait, PaginatorTrait};
use server::RunningServer;

use crate::http::{spawn_app, PASSWORD};

const NOE: &str = "CZ.03.01.01/00/22_015/0002653";
const VNP: &str = "CZ.03.01.01/00/22_015/0002657";

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn sign_in_raw(
    app: &RunningServer,
    email: &str,
    password: &str,
    headers: &[(&str, &str)],
) -> reqwest::Response {
    let mut req = no_redirects()
        .post(format!("{}/prihlaseni/odeslat", app.url()))
        .header("origin", app.url())
        .form(&[("email", email), ("password", password), ("dalsi", "/")]);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    req.send().await.unwrap()
}

/// The session cookie pair (`tracker_session=…`) of a signed-in user.
async fn session(app: &RunningServer, email: &str) -> String {
    let resp = sign_in_raw(app, email, PASSWORD, &[]).await;
    assert_eq!(resp.status(), 303, "sign-in of {email}");
    let cookie = resp.headers()["set-cookie"].to_str().unwrap().to_owned();
    cookie.split(';').next().unwrap().to_owned()
}

async fn call<F: ServerFn>(
    app: &RunningServer,
    cookie: Option<&str>,
    origin: Option<&str>,
    body: serde_json::Value,
) -> (u16, String) {
    let mut req = no_redirects()
        .post(format!("{}{}", app.url(), F::PATH))
        .json(&body);
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    if let Some(o) = origin {
        req = req.header("origin", o);
    }
    let resp = req.send().await.unwrap();
    (resp.status().as_u16(), resp.text().await.unwrap())
}

async fn project_id(app: &RunningServer, reg: &str) -> i32 {
    app::services::demo::project_id_by_registration(&app.db, reg)
        .await
        .unwrap()
        .unwrap()
}

async fn counts(app: &RunningServer) -> (u64, u64, u64) {
    (
        entity::budget_line::Entity::find()
            .count(&app.db)
            .await
            .unwrap(),
        entity::monitoring_period::Entity::find()
            .count(&app.db)
            .await
            .unwrap(),
        entity::setting::Entity::find()
            .count(&app.db)
            .await
            .unwrap(),
    )
}

#[tokio::test]
async fn every_role_is_checked_by_the_server() {
    let (app, _dir) = spawn_app().await;
    let origin = app.url();
    let o = Some(origin.as_str());
    let noe = project_id(&app, NOE).await;
    let vnp = project_id(&app, VNP).await;
    let manager = session(&app, "manager@demo.cz").await;
    let finance = session(&app, "finance@demo.cz").await;
    let reviewer = session(&app, "reviewer@demo.cz").await;
    let admin = session(&app, "admin@demo.cz").await;

    let period = |id: i32, from: &str, to: &str| serde_json::json!({"project_id": id, "start": from, "end": to});
    let line = |id: i32, code: &str| {
        serde_json::json!({"project_id": id, "line": null, "input": {
        "code": code, "name": "Test", "chapter": "services", "year": "2026", "amount": "1 000,00"}})
    };
    let settings = serde_json::json!({"input": {"drawdown_max_lag_points": "20", "correction_bands": "50; 100; 0"}});

    // Forbidden calls change nothing.
    let before = counts(&app).await;
    for (who, cookie, status, body) in [
        (
            "manager on VNP",
            &manager,
            403,
            period(vnp, "1. 1. 2030", "30. 6. 2030"),
        ),
        (
            "finance on periods",
            &finance,
            403,
            period(noe, "1. 1. 2030", "30. 6. 2030"),
        ),
        (
            "reviewer on periods",
            &reviewer,
            403,
            period(noe, "1. 1. 2030", "30. 6. 2030"),
        ),
        (
            "admin on project data",
            &admin,
            403,
            period(noe, "1. 1. 2030", "30. 6. 2030"),
        ),
    ] {
        let (s, text) = call::<app::api::AddPeriod>(&app, Some(cookie), o, body).await;
        assert_eq!(s, status, "{who}: {text}");
        assert!(text.contains("Forbidden"), "{who}: {text}");
    }
    for (who, cookie) in [
        ("manager", &manager),
        ("reviewer", &reviewer),
        ("admin", &admin),
    ] {
        let (s, text) =
            call::<app::api::SaveBudgetLine>(&app, Some(cookie), o, line(noe, "9.9.1")).await;
        assert_eq!(s, 403, "{who} may not edit a budget: {text}");
    }
    for (who, cookie) in [
        ("manager", &manager),
        ("finance", &finance),
        ("reviewer", &reviewer),
    ] {
        let (s, _) = call::<app::api::SaveSettings>(&app, Some(cookie), o, settings.clone()).await;
        assert_eq!(s, 403, "{who} may not change settings");
    }
    assert_eq!(counts(&app).await, before, "refused calls changed nothing");
    let (s, _) =
        call::<app::api::GetProject>(&app, Some(&manager), o, serde_json::json!({"id": vnp})).await;
    assert_eq!(s, 403, "a manager reads only the assigned projects");

    // Allowed calls work.
    // The manager adds to NOE an indicator it does not track yet.
    let tracked: Vec<i32> = entity::project_indicator::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .filter(|pi| pi.project_id == noe)
        .map(|pi| pi.indicator_id)
        .collect();
    let free = entity::indicator::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .find(|i| !tracked.contains(&i.id))
        .unwrap();
    let body = serde_json::json!({"project_id": noe, "input": {
        "indicator_id": free.id, "baseline": "0", "target": "10", "target_date": "31. 12. 2027"}});
    let (s, text) = call::<app::api::AddProjectIndicator>(&app, Some(&manager), o, body).await;
    assert_eq!(s, 200, "manager on NOE: {text}");
    assert!(text.contains("Saved"), "manager on NOE: {text}");
    let (s, text) =
        call::<app::api::SaveBudgetLine>(&app, Some(&finance), o, line(vnp, "9.9.1")).await;
    assert_eq!(s, 200, "finance for all projects: {text}");
    let (s, text) = call::<app::api::SaveSettings>(&app, Some(&admin), o, settings).await;
    assert_eq!(s, 200, "admin: {text}");
    let (s, _) =
        call::<app::api::GetProject>(&app, Some(&reviewer), o, serde_json::json!({"id": vnp}))
            .await;
    assert_eq!(s, 200, "a reviewer reads everything");

    // Every allowed change is on record under the user who made it; only admins read the whole log.
    let audit_query = serde_json::json!({"query": {"user_email": "", "project_id": null, "from": "", "to": "", "page": 1}});
    let (s, text) = call::<app::api::AuditLog>(&app, Some(&admin), o, audit_query.clone()).await;
    assert_eq!(s, 200, "{text}");
    assert!(
        text.contains("admin@demo.cz")
            && text.contains("Tolerované zpoždění čerpání za časem (p. b.)")
            && !text.contains("drawdown_max_lag_points"),
        "{text}"
    );
    assert!(
        text.contains("manager@demo.cz") && text.contains("Indikátor projektu"),
        "{text}"
    );
    assert!(
        text.contains("finance@demo.cz")
            && text.contains("Položka rozpočtu")
            && !text.contains("budget_line"),
        "{text}"
    );
    let (s, _) = call::<app::api::AuditLog>(&app, Some(&manager), o, audit_query).await;
    assert_eq!(s, 403, "only admins read the whole log");
    let (s, text) = call::<app::api::ProjectHistory>(
        &app,
        Some(&manager),
        o,
        serde_json::json!({"project_id": noe}),
    )
    .await;
    assert_eq!(s, 200, "{text}");
    assert!(
        text.contains("manager@demo.cz"),
        "the project's history: {text}"
    );
    let (s, _) = call::<app::api::ProjectHistory>(
        &app,
        Some(&manager),
        o,
        serde_json::json!({"project_id": vnp}),
    )
    .await;
    assert_eq!(s, 403);

    // The manager's project list holds only NOE.
    let query = serde_json::json!({"query": {"text": "", "status": null, "programme_id": null, "call_id": null,
        "region_code": null, "include_archived": false, "sort": "RegistrationNumber", "descending": false, "page": 1, "per_page": 25}});
    let (s, text) = call::<app::api::ListProjects>(&app, Some(&manager), o, query.clone()).await;
    assert_eq!(s, 200, "{text}");
    assert!(text.contains(NOE) && !text.contains(VNP), "{text}");
    let (_, text) = call::<app::api::ListProjects>(&app, Some(&reviewer), o, query).await;
    assert!(text.contains(NOE) && text.contains(VNP));

    // A reviewer cannot upload spreadsheets.
    let resp = no_redirects()
        .post(format!("{}/importy/nahrat", app.url()))
        .header("cookie", &reviewer)
        .header("origin", &origin)
        .header("content-type", "multipart/form-data; boundary=x")
        .body("--x--\r\n")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);
}

#[tokio::test]
async fn without_a_session_or_from_another_site_nothing_happens() {
    let (app, _dir) = spawn_app().await;
    let origin = app.url();
    // Pages send to the sign-in page; server functions answer 401.
    let resp = no_redirects()
        .get(format!("{}/projekty/1", app.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    assert_eq!(
        resp.headers()["location"],
        "/prihlaseni?dalsi=%2Fprojekty%2F1"
    );
    let (s, text) =
        call::<app::api::GetProject>(&app, None, Some(&origin), serde_json::json!({"id": 1})).await;
    assert_eq!(s, 401, "{text}");
    // A forged session cookie is no session.
    let forged = format!("tracker_session={}", "a".repeat(64));
    let (s, _) = call::<app::api::GetProject>(
        &app,
        Some(&forged),
        Some(&origin),
        serde_json::json!({"id": 1}),
    )
    .await;
    assert_eq!(s, 401);

    // CSRF: a valid session without Origin, or from another origin, is refused before anything runs.
    let admin = session(&app, "admin@demo.cz").await;
    let settings = serde_json::json!({"input": {"drawdown_max_lag_points": "20", "correction_bands": "50; 100; 0"}});
    let before = counts(&app).await;
    let (s, text) =
        call::<app::api::SaveSettings>(&app, Some(&admin), None, settings.clone()).await;
    assert_eq!(s, 403, "{text}");
    assert!(text.contains("CSRF"));
    let (s, _) = call::<app::api::SaveSettings>(
        &app,
        Some(&admin),
        Some("https://evil.example"),
        settings.clone(),
    )
    .await;
    assert_eq!(s, 403);
    assert_eq!(counts(&app).await, before);
    let (s, _) = call::<app::api::SaveSettings>(&app, Some(&admin), Some(&origin), settings).await;
    assert_eq!(s, 200);

    // Signing out ends the session.
    let resp = no_redirects()
        .post(format!("{}/odhlaseni", app.url()))
        .header("cookie", &admin)
        .header("origin", &origin)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let (s, _) = call::<app::api::GetProject>(
        &app,
        Some(&admin),
        Some(&origin),
        serde_json::json!({"id": 1}),
    )
    .await;
    assert_eq!(s, 401, "the session ended");
}

#[tokio::test]
async fn cookie_flags_throttling_and_one_message_for_unknown_accounts() {
    let (app, _dir) = spawn_app().await;
    let resp = sign_in_raw(&app, "reviewer@demo.cz", PASSWORD, &[]).await;
    let cookie = resp.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"),
        "{cookie}"
    );
    assert!(!cookie.contains("Secure"), "plain HTTP here: {cookie}");
    let resp = sign_in_raw(
        &app,
        "reviewer@demo.cz",
        PASSWORD,
        &[("x-forwarded-proto", "https")],
    )
    .await;
    assert!(resp.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .contains("; Secure"));

    let message = |resp: &reqwest::Response| {
        let location = resp.headers()["location"].to_str().unwrap().to_owned();
        assert!(location.starts_with("/prihlaseni?chyba="), "{location}");
        location
    };
    let wrong = message(&sign_in_raw(&app, "finance@demo.cz", "spatne-heslo-123", &[]).await);
    let unknown = message(&sign_in_raw(&app, "nikdo@demo.cz", "spatne-heslo-123", &[]).await);
    assert_eq!(
        wrong, unknown,
        "the message does not tell whether the e-mail exists"
    );
    for _ in 0..4 {
        sign_in_raw(&app, "finance@demo.cz", "spatne-heslo-123", &[]).await;
    }
    // Five failures: now even the right password is refused, with a message saying to wait.
    let throttled = message(&sign_in_raw(&app, "finance@demo.cz", PASSWORD, &[]).await);
    assert!(
        throttled.contains("P%C5%99%C3%ADli%C5%A1"),
        "Příliš mnoho …: {throttled}"
    );
    // Other accounts are not affected.
    assert_eq!(
        sign_in_raw(&app, "manager@demo.cz", PASSWORD, &[])
            .await
            .status(),
        303
    );
}

#[tokio::test]
async fn hostile_strings_are_stored_and_shown_as_text_and_headers_are_set() {
    let (app, _dir) = spawn_app().await;
    let origin = app.url();
    let admin = session(&app, "admin@demo.cz").await;
    let xss = "</title><script>alert(1)</script>";
    let sqli = "Robert'); DROP TABLE project;--";
    let input = serde_json::json!({"input": {
        "registration_number": "CZ.03.02.01/00/25_106/0009991", "name": xss, "acronym": "",
        "beneficiary_ico": "00296244", "beneficiary_name": sqli, "status": "preparation",
        "start_date": "1. 1. 2026", "end_date": "31. 12. 2026", "description": sqli, "total_eligible": "",
        "target_groups": [], "municipalities": []
    }});
    let (s, text) = call::<app::api::CreateProject>(&app, Some(&admin), Some(&origin), input).await;
    assert_eq!(s, 200, "{text}");
    let id: serde_json::Value = serde_json::from_str(&text).unwrap();
    let id = id["Saved"]["id"].as_i64().unwrap();
    let resp = no_redirects()
        .get(format!("{}/projekty/{id}", app.url()))
        .header("cookie", &admin)
        .send()
        .await
        .unwrap();
    let headers = resp.headers().clone();
    let html = resp.text().await.unwrap();
    if let Some(at) = html.find(xss) {
        panic!(
            "raw script tag in the page: …{}…",
            &html[at.saturating_sub(80)..(at + 120).min(html.len())]
        );
    }
    assert!(
        html.contains("&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;"),
        "shown as text"
    );
    assert!(
        !html.contains("<script>alert(1)"),
        "no executable script tag anywhere"
    );
    assert!(
        html.contains("DROP TABLE project;--"),
        "the SQL text is stored as text"
    );
    assert!(
        entity::project::Entity::find()
            .count(&app.db)
            .await
            .unwrap()
            > 0,
        "the table is still there"
    );
    // A search with SQL in it is just text.
    let resp = no_redirects()
        .get(format!("{}/?q=%27%20OR%201%3D1%20--", app.url()))
        .header("cookie", &admin)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let list = resp.text().await.unwrap();
    assert!(!list.contains(NOE), "the injection matched nothing");

    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("frame-ancestors 'none'") && csp.contains("'wasm-unsafe-eval'"),
        "{csp}"
    );
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .unwrap()
        .split('\'')
        .next()
        .unwrap();
    assert!(
        html.contains(&format!("nonce=\"{nonce}\"")),
        "the hydration script carries the response's nonce"
    );
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["referrer-policy"], "same-origin");
}

#[tokio::test]
async fn admins_manage_users_and_users_change_their_password() {
    let (app, _dir) = spawn_app().await;
    let origin = app.url();
    let o = Some(origin.as_str());
    let admin = session(&app, "admin@demo.cz").await;
    let manager = session(&app, "manager@demo.cz").await;
    let new_user = serde_json::json!({"input": {"email": "Jana.Novakova@MPSV.cz", "name": "Jana Nováková",
        "password": "pocatecni-heslo-1", "roles": ["reviewer"], "projects": "", "finance_all": false}});
    let (s, _) = call::<app::api::CreateUser>(&app, Some(&manager), o, new_user.clone()).await;
    assert_eq!(s, 403, "only admins create users");
    let (s, text) = call::<app::api::CreateUser>(&app, Some(&admin), o, new_user).await;
    assert_eq!(s, 200, "{text}");
    let jana_id: i32 = text.trim().parse().unwrap();
    let (_, text) = call::<app::api::ListUsers>(&app, Some(&admin), o, serde_json::json!({})).await;
    assert!(
        text.contains("jana.novakova@mpsv.cz"),
        "e-mails are stored in lower case: {text}"
    );

    // Jana signs in twice, changes her password in one session: the other one ends.
    let resp = sign_in_raw(&app, "jana.novakova@mpsv.cz", "pocatecni-heslo-1", &[]).await;
    let first = resp.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let resp = sign_in_raw(&app, "jana.novakova@mpsv.cz", "pocatecni-heslo-1", &[]).await;
    let second = resp.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let (_, text) = call::<app::api::ChangePassword>(
        &app,
        Some(&first),
        o,
        serde_json::json!({"old": "spatne-heslo-000", "new": "nove-dlouhe-heslo-2"}),
    )
    .await;
    assert!(text.contains("nesouhlasí"), "{text}");
    let (_, text) = call::<app::api::ChangePassword>(
        &app,
        Some(&first),
        o,
        serde_json::json!({"old": "pocatecni-heslo-1", "new": "kratke"}),
    )
    .await;
    assert!(text.contains("12 znaků"), "{text}");
    let (s, text) = call::<app::api::ChangePassword>(
        &app,
        Some(&first),
        o,
        serde_json::json!({"old": "pocatecni-heslo-1", "new": "nove-dlouhe-heslo-2"}),
    )
    .await;
    assert_eq!(s, 200, "{text}");
    let (s, _) =
        call::<app::api::GetProject>(&app, Some(&second), o, serde_json::json!({"id": 1})).await;
    assert_eq!(s, 401, "the other session ended");
    let (s, _) =
        call::<app::api::GetProject>(&app, Some(&first), o, serde_json::json!({"id": 1})).await;
    assert_eq!(s, 200, "the session that changed it stays");
    assert!(
        sign_in_raw(&app, "jana.novakova@mpsv.cz", "pocatecni-heslo-1", &[])
            .await
            .headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/prihlaseni?chyba="),
        "the old password no longer works"
    );

    // The admin deactivates Jana: her session ends and she cannot sign in.
    let (s, _) = call::<app::api::SetUserActive>(
        &app,
        Some(&admin),
        o,
        serde_json::json!({"id": jana_id, "active": false}),
    )
    .await;
    assert_eq!(s, 200);
    let (s, _) =
        call::<app::api::GetProject>(&app, Some(&first), o, serde_json::json!({"id": 1})).await;
    assert_eq!(s, 401);
    let location = sign_in_raw(&app, "jana.novakova@mpsv.cz", "nove-dlouhe-heslo-2", &[])
        .await
        .headers()["location"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(location.starts_with("/prihlaseni?chyba="), "{location}");
    // An admin cannot deactivate themselves.
    let admin_id = entity::app_user::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.email == "admin@demo.cz")
        .unwrap()
        .id;
    let (s, _) = call::<app::api::SetUserActive>(
        &app,
        Some(&admin),
        o,
        serde_json::json!({"id": admin_id, "active": false}),
    )
    .await;
    assert_eq!(s, 403);
}

/// Every server function that changes data, called by a role that may not: 403 (or 401 without a
/// session), and the database is the same afterwards. Reading functions for an unassigned project: 403.
#[tokio::test]
async fn every_forbidden_call_is_refused_and_changes_nothing() {
    use app::api::*;
    let (app, _dir) = spawn_app().await;
    let origin = app.url();
    let o = Some(origin.as_str());
    let vnp = project_id(&app, VNP).await;
    let reviewer = session(&app, "reviewer@demo.cz").await;
    let manager = session(&app, "manager@demo.cz").await;
    let project_input = serde_json::json!({
        "registration_number": "CZ.03.02.01/00/25_106/0009992", "name": "X", "acronym": "",
        "beneficiary_ico": "00296244", "beneficiary_name": "Obec", "status": "preparation",
        "start_date": "1. 1. 2026", "end_date": "31. 12. 2026", "description": "", "total_eligible": "",
        "target_groups": [], "municipalities": []});
    let p = vnp;
    let calls: Vec<(&str, &str, serde_json::Value, bool)> = vec![
        // (name, path, body, project-scoped: also refused to the manager of NOE on VNP)
        (
            "create_project",
            CreateProject::PATH,
            serde_json::json!({"input": project_input}),
            false,
        ),
        (
            "update_project",
            UpdateProject::PATH,
            serde_json::json!({"id": p, "version": 1, "input": project_input}),
            true,
        ),
        (
            "set_project_archived",
            SetProjectArchived::PATH,
            serde_json::json!({"id": p, "version": 1, "archived": true}),
            true,
        ),
        (
            "set_indicator_value",
            SetIndicatorValue::PATH,
            serde_json::json!({"project_id": p, "project_indicator_id": 1, "period_id": 1, "version": null, "value": "5"}),
            true,
        ),
        (
            "save_budget_line",
            SaveBudgetLine::PATH,
            serde_json::json!({"project_id": p, "line": null, "input": {"code": "9.9", "name": "X", "chapter": "services", "year": "2026", "amount": "1"}}),
            true,
        ),
        (
            "save_finance",
            SaveFinance::PATH,
            serde_json::json!({"project_id": p, "version": 1, "input": {"indirect_rate": "7", "eu_share": "85", "state_share": "10", "own_share": "5"}}),
            true,
        ),
        (
            "add_expenditure",
            AddExpenditure::PATH,
            serde_json::json!({"project_id": p, "input": {"budget_line_id": 1, "document_number": "X", "amount": "1", "paid_on": "", "description": ""}}),
            true,
        ),
        (
            "add_claim",
            AddClaim::PATH,
            serde_json::json!({"project_id": p, "input": {"period_id": null, "claimed": "1", "submitted_on": ""}}),
            true,
        ),
        (
            "update_expenditure",
            UpdateExpenditure::PATH,
            serde_json::json!({"project_id": p, "id": 1, "version": 1, "input": {"budget_line_id": 1, "document_number": "X", "amount": "1", "paid_on": "", "description": ""}}),
            true,
        ),
        (
            "correct_expenditure",
            CorrectExpenditure::PATH,
            serde_json::json!({"project_id": p, "id": 1, "version": 1, "input": {"document_number": "X", "amount": "1", "paid_on": "", "description": ""}}),
            true,
        ),
        (
            "open_claim",
            OpenClaim::PATH,
            serde_json::json!({"project_id": p, "period_id": null}),
            true,
        ),
        (
            "add_claim_documents",
            AddClaimDocuments::PATH,
            serde_json::json!({"project_id": p, "claim_id": 1, "version": 1, "pick": {"Ids": [1]}}),
            true,
        ),
        (
            "remove_claim_documents",
            RemoveClaimDocuments::PATH,
            serde_json::json!({"project_id": p, "claim_id": 1, "version": 1, "ids": [1]}),
            true,
        ),
        (
            "decide_claim",
            DecideClaim::PATH,
            serde_json::json!({"project_id": p, "claim_id": 1, "version": 1, "status": "paid", "approved": "1", "paid_on": ""}),
            true,
        ),
        (
            "add_period",
            AddPeriod::PATH,
            serde_json::json!({"project_id": p, "start": "1. 1. 2030", "end": "2. 1. 2030"}),
            true,
        ),
        (
            "add_project_indicator",
            AddProjectIndicator::PATH,
            serde_json::json!({"project_id": p, "input": {"indicator_id": 1, "baseline": "0", "target": "1", "target_date": "31. 12. 2027"}}),
            true,
        ),
        (
            "add_advance",
            AddAdvance::PATH,
            serde_json::json!({"project_id": p, "paid_on": "1. 1. 2026", "amount": "1", "note": ""}),
            true,
        ),
        (
            "save_indicator_def",
            SaveIndicatorDef::PATH,
            serde_json::json!({"id": null, "input": {"code": "EECO99", "name_cs": "X", "name_en": "X", "unit": "persons", "kind": "output"}}),
            false,
        ),
        (
            "save_settings",
            SaveSettings::PATH,
            serde_json::json!({"input": {"drawdown_max_lag_points": "20", "correction_bands": "50; 100; 0"}}),
            false,
        ),
        (
            "save_programme_rule",
            SaveProgrammeRule::PATH,
            serde_json::json!({"programme_id": 1, "input": {"report_period_months": "3"}}),
            false,
        ),
        (
            "commit_import",
            CommitImport::PATH,
            serde_json::json!({"token": "x"}),
            false,
        ),
        (
            "revert_import",
            RevertImport::PATH,
            serde_json::json!({"id": 1}),
            false,
        ),
        (
            "create_user",
            CreateUser::PATH,
            serde_json::json!({"input": {"email": "x@y.cz", "name": "", "password": "dlouhe-heslo-123", "roles": ["admin"], "projects": "", "finance_all": false}}),
            false,
        ),
        (
            "set_user_active",
            SetUserActive::PATH,
            serde_json::json!({"id": 1, "active": false}),
            false,
        ),
        ("list_users", ListUsers::PATH, serde_json::json!({}), false),
        (
            "audit_log",
            AuditLog::PATH,
            serde_json::json!({"query": {"user_email": "", "project_id": null, "from": "", "to": "", "page": 1}}),
            false,
        ),
        (
            "import_history",
            ImportHistory::PATH,
            serde_json::json!({}),
            false,
        ),
        (
            "get_project_input",
            GetProjectInput::PATH,
            serde_json::json!({"id": p}),
            true,
        ),
        (
            "get_indicator_table",
            GetIndicatorTable::PATH,
            serde_json::json!({"project_id": p}),
            true,
        ),
        (
            "get_budget",
            GetBudget::PATH,
            serde_json::json!({"project_id": p}),
            true,
        ),
        (
            "get_claims",
            GetClaims::PATH,
            serde_json::json!({"project_id": p}),
            true,
        ),
        (
            "get_ledger",
            GetLedger::PATH,
            serde_json::json!({"project_id": p, "query": app::dto::LedgerQuery::default()}),
            true,
        ),
        (
            "get_claim_detail",
            GetClaimDetail::PATH,
            serde_json::json!({"project_id": p, "claim_id": 1}),
            true,
        ),
    ];
    let snapshot = || async {
        let mut counts = Vec::new();
        for table in [
            "project",
            "budget_line",
            "project_finance",
            "expenditure",
            "payment_claim",
            "advance",
            "monitoring_period",
            "project_indicator",
            "indicator_value",
            "indicator",
            "setting",
            "app_user",
            "import_batch",
        ] {
            let row = sea_orm::ConnectionTrait::query_one_raw(
                &app.db,
                sea_orm::Statement::from_string(
                    sea_orm::DbBackend::Sqlite,
                    format!("SELECT COUNT(*) FROM {table}"),
                ),
            )
            .await
            .unwrap()
            .unwrap();
            counts.push((table, row.try_get_by_index::<i64>(0).unwrap()));
        }
        let archived = entity::project::Entity::find()
            .all(&app.db)
            .await
            .unwrap()
            .iter()
            .filter(|p| p.archived_at.is_some())
            .count();
        (counts, archived)
    };
    let before = snapshot().await;
    let reads = [
        "get_project_input",
        "get_indicator_table",
        "get_budget",
        "get_claims",
        "get_ledger",
        "get_claim_detail",
    ];
    for (name, path, body, scoped) in &calls {
        let post = |cookie: Option<String>| {
            let url = format!("{}{path}", app.url());
            let body = body.clone();
            let origin = origin.clone();
            async move {
                let mut req = no_redirects()
                    .post(url)
                    .header("origin", origin)
                    .json(&body);
                if let Some(c) = cookie {
                    req = req.header("cookie", c);
                }
                req.send().await.unwrap().status().as_u16()
            }
        };
        assert_eq!(post(None).await, 401, "{name} without a session");
        // The reviewer reads everything but changes nothing.
        if !reads.contains(name) {
            assert_eq!(
                post(Some(reviewer.clone())).await,
                403,
                "{name} as reviewer"
            );
        }
        if *scoped {
            assert_eq!(
                post(Some(manager.clone())).await,
                403,
                "{name} as the manager of another project"
            );
        }
    }
    let _ = o;
    assert_eq!(snapshot().await, before, "no refused call changed anything");
}
