//! Issue 14, point 2: at 390 px (a phone) no page is wider than the window, for every role; wide tables
//! scroll inside their own box.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use app::dto::ProjectListQuery;
use app::services::projects;
use e2e::{Harness, DEMO_PASSWORD};

async fn id_of(h: &Harness, text: &str) -> i32 {
    let q = ProjectListQuery {
        text: text.into(),
        page: 1,
        per_page: 5,
        ..Default::default()
    };
    projects::list(&h.app.db, &q).await.unwrap().rows[0].id
}

/// Every page of the app a user can reach, with the demo's NOE as the project.
async fn pages(h: &Harness) -> Vec<String> {
    let noe = id_of(h, "0002653").await;
    let period = entity::monitoring_period::Entity::find()
        .filter(entity::monitoring_period::Column::ProjectId.eq(noe))
        .one(&h.app.db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let mut out: Vec<String> = [
        "/",
        "/prehled",
        "/kontroly",
        "/terminy",
        "/importy",
        "/ciselniky/indikatory",
        "/nastaveni",
        "/ucet",
        "/audit",
        "/uzivatele",
        "/api-tokeny",
        "/projekty/novy",
    ]
    .iter()
    .map(|p| (*p).to_owned())
    .collect();
    for tab in [
        "",
        "/indikatory",
        "/rozpocet",
        "/vydaje",
        "/zadosti",
        "/upravit",
        "/tisk",
    ] {
        out.push(format!("/projekty/{noe}{tab}"));
    }
    out.push(format!("/projekty/{noe}/obdobi/{period}"));
    out
}

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

async fn widths(h: &Harness) -> (i64, i64) {
    let v = h
        .client
        .execute(
            "return [document.documentElement.scrollWidth, window.innerWidth];",
            vec![],
        )
        .await
        .unwrap();
    (v[0].as_i64().unwrap(), v[1].as_i64().unwrap())
}

/// The outermost elements of the page that stick out of the window (not inside a box that scrolls).
async fn offenders(h: &Harness) -> serde_json::Value {
    h.client
        .execute(
            "const w = window.innerWidth; const out = [];
                         for (const e of document.querySelectorAll('main *')) {
                           const r = e.getBoundingClientRect();
                           let inside = false;
                           for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
                             const o = getComputedStyle(a).overflowX;
                             if (o === 'auto' || o === 'scroll' || o === 'hidden') { inside = true; break; }
                           }
                           if (!inside && r.right > w + 1) { out.push(e.tagName + '.' + e.className + ' → ' + Math.round(r.right)); }
                         }
                         return out.slice(0, 4).join('; ');",
            vec![],
        )
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_page_is_wider_than_a_phone_for_any_role() {
    let h = Harness::start().await;
    let pages = pages(&h).await;
    let mut too_wide = Vec::new();
    for user in [
        "admin@demo.cz",
        "manager@demo.cz",
        "finance@demo.cz",
        "reviewer@demo.cz",
    ] {
        h.client.set_window_size(1400, 1000).await.unwrap();
        h.open("/").await;
        h.find("[data-testid='user-menu'] button")
            .await
            .click()
            .await
            .unwrap();
        h.wait_for_path(|p| p.starts_with("/prihlaseni")).await;
        h.sign_in(user, DEMO_PASSWORD).await;
        h.client.set_window_size(390, 900).await.unwrap();
        if user == "admin@demo.cz" {
            // The header's menu folds behind "Menu" and opens with it.
            h.open("/").await;
            let toggle = h.find("button.menu-toggle").await;
            assert!(toggle.is_displayed().await.unwrap());
            let nav = h.find("[data-testid='main-nav']").await;
            assert!(
                !nav.is_displayed().await.unwrap(),
                "the menu is folded on a phone"
            );
            toggle.click().await.unwrap();
            assert_eq!(
                toggle.attr("aria-expanded").await.unwrap().as_deref(),
                Some("true")
            );
            assert!(nav.is_displayed().await.unwrap(), "Menu opens the menu");
        }
        for page in &pages {
            h.open(page).await;
            h.wait_until_text(page, |t| !t.contains("Načítám")).await;
            let (scroll, window) = widths(&h).await;
            if scroll > window {
                let offenders = offenders(&h).await;
                too_wide.push(format!(
                    "{user} {page}: {scroll} px in {window} px ({offenders})"
                ));
            }
        }
        // A laptop's 1 280 px: the finance officer's pages (the widest) fit as well.
        if user == "finance@demo.cz" {
            h.client.set_window_size(1280, 900).await.unwrap();
            for page in pages.iter().filter(|p| p.starts_with("/projekty/")) {
                h.open(page).await;
                h.wait_until_text(page, |t| !t.contains("Načítám")).await;
                let (scroll, window) = widths(&h).await;
                if scroll > window {
                    let offenders = offenders(&h).await;
                    too_wide.push(format!(
                        "{user} {page}: {scroll} px in {window} px ({offenders})"
                    ));
                }
            }
        }
    }
    assert!(
        too_wide.is_empty(),
        "pages wider than the window:\n{}",
        too_wide.join("\n")
    );
    h.close().await;
}
