//! Deadlines (issue 15, point 1) over HTTP on SQLite and PostgreSQL: the personal calendar feed parsed as
//! iCalendar (events, dates, UIDs, access), `/terminy`, the project page and the dashboard's count never
//! stale after a claim changes; and the e-mail digest against an SMTP sink started by the test (one per
//! user and day, also with two senders at once, opt-out, the command line).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, Mutex};

use app::services::deadlines;
use app::services::deadlines::digest::{send_digests, Mailer};
use leptos::server_fn::ServerFn;
use sea_orm::{ConnectionTrait, DatabaseConnection};
use server::RunningServer;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

use crate::common::{self, today};
use crate::http::{sign_in, start_on, PASSWORD};

const NOE: &str = "CZ.03.01.01/00/22_015/0002653";
const VNP: &str = "CZ.03.01.01/00/22_015/0002657";

async fn seed(db: &DatabaseConnection) {
    app::services::demo::load(db, today(), &common::ruian_dir())
        .await
        .unwrap();
    app::services::demo::ensure_demo_users(db, PASSWORD)
        .await
        .unwrap();
}

/// The demo on a fresh database of `backend` and a server on it; the PostgreSQL database to drop.
async fn app_on(backend: &str) -> (RunningServer, Option<common::PgDb>) {
    if backend == "postgres" {
        let pg = common::postgres().await;
        seed(&pg.db).await;
        let app = start_on(pg.url.clone()).await;
        (app, Some(pg))
    } else {
        let dir =
            std::env::temp_dir().join(format!("tracker-dl-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        let url = format!("sqlite://{}?mode=rwc", dir.join("t.sqlite").display());
        let db = server::open_database(&url).await.unwrap();
        seed(&db).await;
        db.close().await.unwrap();
        (start_on(url).await, None)
    }
}

async fn call(
    client: &reqwest::Client,
    app: &RunningServer,
    path: &str,
    body: serde_json::Value,
) -> serde_json::Value {
    let resp = client
        .post(format!("{}{path}", app.url()))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200, "{path}: {}", resp.text().await.unwrap());
    resp.json().await.unwrap()
}

/// The page at `path` as `client` gets it.
async fn text(client: &reqwest::Client, app: &RunningServer, path: &str) -> String {
    let resp = client
        .get(format!("{}{path}", app.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200, "{path}");
    resp.text().await.unwrap()
}

async fn project(db: &DatabaseConnection, reg: &str) -> i32 {
    app::services::demo::project_id_by_registration(db, reg)
        .await
        .unwrap()
        .unwrap()
}

fn prop<'a>(
    e: &'a ical::parser::ical::component::IcalEvent,
    name: &str,
) -> &'a ical::property::Property {
    e.properties
        .iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("{name} missing"))
}

async fn calendar_feed_is_icalendar_of_the_users_projects(backend: &str) {
    let (app, pg) = app_on(backend).await;
    let manager = sign_in(&app, "manager@demo.cz").await;
    let noe = project(&app.db, NOE).await;
    let path: String = serde_json::from_value(
        call(
            &manager,
            &app,
            app::api::CreateCalendarFeed::PATH,
            serde_json::json!({}),
        )
        .await,
    )
    .unwrap();
    assert!(
        path.starts_with("/kalendar/") && path.ends_with(".ics"),
        "{path}"
    );
    // No session needed: the secret is the credential.
    let resp = reqwest::get(format!("{}{path}", app.url())).await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(
        resp.headers()["content-type"],
        "text/calendar; charset=utf-8"
    );
    let text = resp.text().await.unwrap();
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n") && text.ends_with("END:VCALENDAR\r\n"));
    for line in text.split("\r\n") {
        assert!(!line.contains('\n'), "a bare LF in {line:?}");
        assert!(line.len() <= 75, "{} octets: {line}", line.len());
    }
    let calendars: Vec<_> = ical::IcalParser::new(std::io::BufReader::new(text.as_bytes()))
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(calendars.len(), 1);
    let events = &calendars[0].events;

    // The same deadlines as the service computes for the manager's projects, on the same day.
    let viewer = app::services::auth::viewer(
        &app.db,
        (call(
            &manager,
            &app,
            app::api::CurrentUser::PATH,
            serde_json::json!({}),
        )
        .await)["id"]
            .as_i64()
            .unwrap() as i32,
    )
    .await
    .unwrap()
    .unwrap();
    assert!(viewer.projects.contains(&noe));
    let (expected, rules) = deadlines::all(&app.db, Some(&viewer.projects), today())
        .await
        .unwrap();
    assert!(!expected.is_empty());
    assert_eq!(events.len(), expected.len());
    let mut uids = std::collections::BTreeSet::new();
    for (e, row) in events.iter().zip(&expected) {
        let uid = prop(e, "UID").value.clone().unwrap();
        assert_eq!(uid, row.uid);
        assert!(uids.insert(uid), "UIDs are unique");
        let start = prop(e, "DTSTART");
        assert_eq!(
            start.params.as_ref().unwrap()[0],
            ("VALUE".to_owned(), vec!["DATE".to_owned()])
        );
        assert_eq!(
            start.value.as_deref(),
            Some(row.due.format("%Y%m%d").to_string().as_str())
        );
        let end = (row.due + chrono::Duration::days(1))
            .format("%Y%m%d")
            .to_string();
        assert_eq!(prop(e, "DTEND").value.as_deref(), Some(end.as_str()));
        assert_eq!(
            prop(e, "DTSTAMP").value.as_deref(),
            Some("20260701T000000Z")
        );
        assert!(prop(e, "SUMMARY")
            .value
            .as_ref()
            .unwrap()
            .contains(&row.title));
        assert!(
            viewer.projects.contains(&row.project_id),
            "only the manager's projects"
        );
    }
    // NOE's first report is due the set number of days after its first period.
    let first = app
        .db
        .query_one_raw(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            format!("SELECT id, end_date FROM monitoring_period WHERE project_id = {noe} AND number = 1"),
        ))
        .await
        .unwrap()
        .unwrap();
    let (period, end): (i32, chrono::NaiveDate) = (
        first.try_get("", "id").unwrap(),
        first.try_get("", "end_date").unwrap(),
    );
    let zor = events
        .iter()
        .find(|e| {
            prop(e, "UID").value.as_deref()
                == Some(format!("zor-{noe}-{period}@evidence-esf").as_str())
        })
        .expect("NOE's ZoR 1");
    let due = end + chrono::Duration::days(i64::from(rules.report_days));
    assert_eq!(
        prop(zor, "DTSTART").value.as_deref(),
        Some(due.format("%Y%m%d").to_string().as_str())
    );

    // Revoked (only by its owner), unknown and malformed secrets answer 404.
    let account: app::dto::deadlines::AccountDeadlines = serde_json::from_value(
        call(
            &manager,
            &app,
            app::api::GetAccountDeadlines::PATH,
            serde_json::json!({}),
        )
        .await,
    )
    .unwrap();
    let id = account.feeds[0].id;
    let reviewer = sign_in(&app, "reviewer@demo.cz").await;
    let resp = reviewer
        .post(format!(
            "{}{}",
            app.url(),
            app::api::RevokeCalendarFeed::PATH
        ))
        .json(&serde_json::json!({ "id": id }))
        .send()
        .await
        .unwrap();
    assert_ne!(resp.status(), 200, "not the reviewer's feed");
    assert_eq!(
        reqwest::get(format!("{}{path}", app.url()))
            .await
            .unwrap()
            .status(),
        200
    );
    call(
        &manager,
        &app,
        app::api::RevokeCalendarFeed::PATH,
        serde_json::json!({ "id": id }),
    )
    .await;
    assert_eq!(
        reqwest::get(format!("{}{path}", app.url()))
            .await
            .unwrap()
            .status(),
        404
    );
    let unknown = format!("{}/kalendar/{}.ics", app.url(), "ab".repeat(32));
    assert_eq!(reqwest::get(unknown).await.unwrap().status(), 404);
    assert_eq!(
        reqwest::get(format!("{}/kalendar/x.ics", app.url()))
            .await
            .unwrap()
            .status(),
        404
    );
    app.shut_down(std::time::Duration::from_secs(5)).await;
    if let Some(pg) = pg {
        pg.cleanup().await;
    }
}

#[tokio::test]
async fn calendar_feed_is_icalendar_of_the_users_projects_sqlite() {
    calendar_feed_is_icalendar_of_the_users_projects("sqlite").await;
}

#[tokio::test]
async fn calendar_feed_is_icalendar_of_the_users_projects_postgres() {
    calendar_feed_is_icalendar_of_the_users_projects("postgres").await;
}

async fn overdue_counts_follow_a_paid_claim_at_once(backend: &str) {
    let (app, pg) = app_on(backend).await;
    let reviewer = sign_in(&app, "reviewer@demo.cz").await;
    let vnp = project(&app.db, VNP).await;
    let counts = || async {
        call(
            &reviewer,
            &app,
            app::api::GetDeadlineCounts::PATH,
            serde_json::json!({}),
        )
        .await["overdue"]
            .as_u64()
            .unwrap()
    };
    let before = counts().await;
    assert!(before >= 1, "VNP's claim is unpaid past the limit");
    let page = text(&reviewer, &app, "/terminy?stav=po_terminu&druh=proplaceni").await;
    assert!(page.contains("Proplacení ŽoP č."), "{page}");
    assert!(page.contains(&format!("/projekty/{vnp}/zadosti/")));
    let dashboard = text(&reviewer, &app, "/prehled").await;
    assert!(
        dashboard.contains("data-testid=\"overdue-card\""),
        "{dashboard}"
    );
    let detail = text(&reviewer, &app, &format!("/projekty/{vnp}")).await;
    assert!(detail.contains("Nejbližší termín"), "{detail}");
    // Paid (as `psql` or another server would write it): the very next request counts one fewer.
    let paid = app
        .db
        .execute_unprepared(&format!(
            "UPDATE payment_claim SET status = 'paid', paid_on = '2026-06-30' \
             WHERE project_id = {vnp} AND status = 'submitted'"
        ))
        .await
        .unwrap();
    assert_eq!(paid.rows_affected(), 1);
    assert_eq!(counts().await, before - 1);
    let page = text(
        &reviewer,
        &app,
        &format!("/terminy?stav=po_terminu&druh=proplaceni&projekt={vnp}"),
    )
    .await;
    assert!(page.contains("data-testid=\"deadlines-empty\""), "{page}");
    app.shut_down(std::time::Duration::from_secs(5)).await;
    if let Some(pg) = pg {
        pg.cleanup().await;
    }
}

#[tokio::test]
async fn overdue_counts_follow_a_paid_claim_at_once_sqlite() {
    overdue_counts_follow_a_paid_claim_at_once("sqlite").await;
}

#[tokio::test]
async fn overdue_counts_follow_a_paid_claim_at_once_postgres() {
    overdue_counts_follow_a_paid_claim_at_once("postgres").await;
}

/// A message the SMTP sink received.
#[derive(Debug, Clone)]
struct Mail {
    to: Vec<String>,
    data: String,
}

/// A tiny SMTP server on a free port that accepts every message and keeps it.
async fn smtp_sink() -> (u16, Arc<Mutex<Vec<Mail>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let mails = Arc::new(Mutex::new(Vec::new()));
    let kept = mails.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            tokio::spawn(smtp_session(socket, kept.clone()));
        }
    });
    (port, mails)
}

async fn smtp_session(socket: tokio::net::TcpStream, mails: Arc<Mutex<Vec<Mail>>>) {
    let (read, mut write) = socket.into_split();
    let mut read = BufReader::new(read);
    let mut to = Vec::new();
    write.write_all(b"220 sink ESMTP\r\n").await.unwrap();
    loop {
        let mut line = Vec::new();
        if read.read_until(b'\n', &mut line).await.unwrap_or(0) == 0 {
            return;
        }
        let line = String::from_utf8_lossy(&line).trim_end().to_owned();
        let verb = line
            .split([' ', ':'])
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        let answer: &[u8] = match verb.as_str() {
            "EHLO" => b"250-sink\r\n250 8BITMIME\r\n",
            "HELO" | "MAIL" | "RSET" | "NOOP" => b"250 OK\r\n",
            "RCPT" => {
                let addr = line
                    .split_once(':')
                    .map(|(_, a)| a.trim().trim_matches(['<', '>']))
                    .unwrap_or("");
                to.push(addr.to_owned());
                b"250 OK\r\n"
            }
            "DATA" => {
                write
                    .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                    .await
                    .unwrap();
                let mut data = String::new();
                loop {
                    let mut l = Vec::new();
                    if read.read_until(b'\n', &mut l).await.unwrap_or(0) == 0 {
                        return;
                    }
                    let l = String::from_utf8_lossy(&l).into_owned();
                    if l == ".\r\n" {
                        break;
                    }
                    data.push_str(l.strip_prefix('.').unwrap_or(&l));
                }
                mails.lock().unwrap().push(Mail {
                    to: std::mem::take(&mut to),
                    data,
                });
                b"250 OK queued\r\n"
            }
            "QUIT" => {
                write.write_all(b"221 bye\r\n").await.unwrap();
                return;
            }
            _ => b"502 not implemented\r\n",
        };
        write.write_all(answer).await.unwrap();
    }
}

fn to_of(mails: &[Mail], email: &str) -> Vec<Mail> {
    mails
        .iter()
        .filter(|m| m.to.iter().any(|t| t == email))
        .cloned()
        .collect()
}

async fn user_id(db: &DatabaseConnection, email: &str) -> i32 {
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            format!("SELECT id FROM app_user WHERE email = '{email}'"),
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get("", "id").unwrap()
}

async fn digest_goes_once_a_day_to_those_who_want_it(
    db: DatabaseConnection,
    second: DatabaseConnection,
) {
    seed(&db).await;
    let (port, mails) = smtp_sink().await;
    let mailer = Mailer::new(
        &format!("smtp://127.0.0.1:{port}"),
        "Evidence <evidence@localhost>",
        "http://evidence.test",
    )
    .unwrap();
    let finance = user_id(&db, "finance@demo.cz").await;
    deadlines::feeds::set_digest(&db, finance, false)
        .await
        .unwrap();

    // Two senders at once (two servers on one database): each user gets one digest.
    let (a, b) = tokio::join!(
        send_digests(&db, &mailer, today()),
        send_digests(&second, &mailer, today())
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.failed + b.failed, 0);
    let sent = mails.lock().unwrap().clone();
    assert_eq!(sent.len() as u32, a.sent + b.sent);
    assert!(!sent.is_empty());
    let manager = to_of(&sent, "manager@demo.cz");
    assert_eq!(manager.len(), 1, "{sent:?}");
    let body = &manager[0].data;
    assert!(
        body.contains("To: manager@demo.cz") || body.contains("To: <manager@demo.cz>"),
        "{body}"
    );
    assert!(
        body.contains("přehled termínů vašich projektů k 1. 7. 2026"),
        "{body}"
    );
    assert!(body.contains("http://evidence.test/projekty/"), "{body}");
    assert!(body.contains("NOE"), "{body}");
    assert!(!body.contains("VNP"), "not the manager's project: {body}");
    let reviewer = to_of(&sent, "reviewer@demo.cz");
    assert_eq!(reviewer.len(), 1);
    assert!(
        reviewer[0].data.contains("Po termínu"),
        "{}",
        reviewer[0].data
    );
    assert!(
        reviewer[0].data.contains("Proplacení ŽoP č."),
        "{}",
        reviewer[0].data
    );
    assert!(to_of(&sent, "finance@demo.cz").is_empty(), "opted out");

    // The same day again sends nothing; the next day sends again.
    let again = send_digests(&db, &mailer, today()).await.unwrap();
    assert_eq!(again.sent, 0);
    assert_eq!(mails.lock().unwrap().len(), sent.len());
    let next = send_digests(&db, &mailer, today() + chrono::Duration::days(1))
        .await
        .unwrap();
    assert_eq!(next.sent as usize, sent.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn digest_goes_once_a_day_to_those_who_want_it_sqlite() {
    let dir = std::env::temp_dir().join(format!("tracker-dg-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.join("t.sqlite").display());
    let db = server::open_database(&url).await.unwrap();
    let second = server::open_database(&url).await.unwrap();
    digest_goes_once_a_day_to_those_who_want_it(db, second).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn digest_goes_once_a_day_to_those_who_want_it_postgres() {
    let pg = common::postgres().await;
    let second = server::open_database(&pg.url).await.unwrap();
    digest_goes_once_a_day_to_those_who_want_it(pg.db.clone(), second.clone()).await;
    second.close().await.ok();
    pg.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_digest_command_sends_once_and_nothing_without_smtp() {
    let dir = std::env::temp_dir().join(format!("tracker-dc-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.join("t.sqlite").display());
    let db = server::open_database(&url).await.unwrap();
    seed(&db).await;
    let (port, mails) = smtp_sink().await;
    let run = |smtp: Option<String>| {
        let mut c = crate::common::process::tracker(&url);
        c.args(["deadlines", "digest", "--today", "2026-07-01"])
            .env_remove("SMTP_URL");
        if let Some(s) = smtp {
            c.env("SMTP_URL", s);
        }
        tokio::task::spawn_blocking(move || c.output().unwrap())
    };
    let out = run(None).await.unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("SMTP_URL není nastaveno"));
    assert!(mails.lock().unwrap().is_empty());
    let out = run(Some(format!("smtp://127.0.0.1:{port}"))).await.unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let first = mails.lock().unwrap().len();
    assert!(first > 0);
    assert_eq!(to_of(&mails.lock().unwrap(), "manager@demo.cz").len(), 1);
    assert!(String::from_utf8_lossy(&out.stdout).contains(&format!("odesláno {first}")));
    let out = run(Some(format!("smtp://127.0.0.1:{port}"))).await.unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("odesláno 0"));
    assert_eq!(mails.lock().unwrap().len(), first);
}

db_test!(
    the_deadlines_days_are_settings_checked_by_field,
    |db: DatabaseConnection| async move {
        use app::dto::{EditOutcome, SettingsInput};
        use app::services::settings;
        let defaults = settings::deadline_rules(&db).await.unwrap();
        assert_eq!(defaults, app::domain::DeadlineRules::DEFAULT);
        let mut input = settings::get(&db).await.unwrap();
        assert_eq!(input.report_due_days, "30");
        input.report_due_days = "0".into();
        input.deadline_horizon_days = "tři".into();
        let EditOutcome::Invalid(e) = settings::save(&db, &input).await.unwrap() else {
            panic!("refused")
        };
        assert_eq!(
            e.get("report_due_days"),
            Some("Zadejte celý počet dní od 1 do 365 (výchozí 30).")
        );
        assert!(e.get("deadline_horizon_days").is_some());
        let input = SettingsInput {
            report_due_days: "45".into(),
            review_due_days: "20".into(),
            final_report_due_days: String::new(),
            deadline_horizon_days: "90".into(),
            ..input
        };
        assert_eq!(
            settings::save(&db, &input).await.unwrap(),
            EditOutcome::Saved
        );
        let rules = settings::deadline_rules(&db).await.unwrap();
        assert_eq!(
            (
                rules.report_days,
                rules.review_days,
                rules.final_report_days,
                rules.horizon_days
            ),
            (45, 20, 60, 90)
        );
        assert_eq!(settings::get(&db).await.unwrap().report_due_days, "45");
    }
);
