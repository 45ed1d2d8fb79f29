//! Issue 15, point 1: the deadline list in the browser. A reviewer goes from the dashboard's card of
//! overdue deadlines to `/terminy`, filters by kind with the form (the filters land in the URL), opens the
//! overdue claim from its row, sees the project's next deadline, and finds the empty state (`narrow` measures
//! the page at 390 px for every role). The manager creates a calendar address on `/ucet` and revokes it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use e2e::Harness;

const VNP: &str = "CZ.03.01.01/00/22_015/0002657";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reviewer_follows_overdue_deadlines_from_the_dashboard() {
    let h = Harness::start().await;
    let vnp = app::services::demo::project_id_by_registration(&h.app.db, VNP)
        .await
        .unwrap()
        .unwrap();
    h.sign_in_as("reviewer@demo.cz").await;
    let nav = h
        .find("[data-testid='main-nav']")
        .await
        .text()
        .await
        .unwrap();
    assert!(nav.contains("Termíny"), "{nav}");

    h.open("/prehled").await;
    let card = h
        .wait_until_text("overdue card", |t| t.contains("Termíny po termínu"))
        .await;
    assert!(card.contains("Termíny po termínu"));
    h.click("a[data-testid='overdue-card']").await;
    h.wait_for_path(|p| p == "/terminy?stav=po_terminu").await;
    let text = h
        .wait_until_text("overdue list", |t| t.contains("Proplacení ŽoP č."))
        .await;
    assert!(text.contains("po termínu"), "{text}");
    assert!(text.contains("1. 7. 2026"), "today in Czech: {text}");

    // Filter by kind with the form: the filters go into the URL.
    h.wait_hydrated().await;
    h.client
        .execute(
            "document.querySelector(\"[data-testid='deadline-filters'] select[name='druh']\").value = 'proplaceni';",
            vec![],
        )
        .await
        .unwrap();
    h.click("[data-testid='deadline-filters'] button[type='submit']")
        .await;
    h.wait_for_path(|p| p.contains("druh=proplaceni")).await;
    let rows = h
        .client
        .execute(
            "return [...document.querySelectorAll(\"table[data-testid='deadlines'] tbody tr\")].map(r => r.innerText);",
            vec![],
        )
        .await
        .unwrap();
    let rows: Vec<String> = serde_json::from_value(rows).unwrap();
    assert!(!rows.is_empty());
    assert!(
        rows.iter().all(|r| r.contains("Proplacení ŽoP")),
        "{rows:?}"
    );

    // The row's link leads to the claim.
    h.click(&format!(
        "table[data-testid='deadlines'] a[href^='/projekty/{vnp}/zadosti/']"
    ))
    .await;
    h.wait_for_path(|p| p.starts_with(&format!("/projekty/{vnp}/zadosti/")))
        .await;

    // The project page shows its next deadline.
    h.open(&format!("/projekty/{vnp}")).await;
    let next = h
        .find("[data-testid='next-deadline']")
        .await
        .text()
        .await
        .unwrap();
    assert!(next.contains("Nejbližší termín"), "{next}");

    // Nothing matches: the empty state with a way to everything.
    h.open(&format!("/terminy?projekt={vnp}&druh=konec&stav=splneno"))
        .await;
    let empty = h
        .find("[data-testid='deadlines-empty']")
        .await
        .text()
        .await
        .unwrap();
    assert!(empty.contains("Filtru neodpovídá žádný termín"), "{empty}");

    h.assert_no_panic().await;
    h.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn manager_creates_and_revokes_a_calendar_address() {
    let h = Harness::start().await;
    h.sign_in_as("manager@demo.cz").await;
    h.open("/ucet").await;
    h.click("[data-testid='calendar-form'] button[type='submit']")
        .await;
    let address = h
        .find("[data-testid='new-feed'] code")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        address.starts_with(&h.app.url()) && address.ends_with(".ics"),
        "{address}"
    );
    let resp = reqwest::get(&address).await.unwrap();
    assert_eq!(resp.status(), 200);
    assert!(resp.text().await.unwrap().contains("BEGIN:VEVENT"));
    h.wait_until_text("saved", |t| t.contains("Adresa kalendáře je vytvořena."))
        .await;
    h.click("table[data-testid='feeds'] button").await;
    h.wait_until_text("revoked", |t| t.contains("zneplatněna"))
        .await;
    assert_eq!(reqwest::get(&address).await.unwrap().status(), 404);
    h.assert_no_panic().await;
    h.close().await;
}
