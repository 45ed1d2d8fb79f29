//! The ministry's view in the browser: a reviewer filters the dashboard by kraj, opens the flagged
//! project, returns its report for correction with a comment, and the project manager sees it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use e2e::{Harness, DEMO_PASSWORD};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

const VNP: &str = "CZ.03.01.01/00/22_015/0002657";

async fn sign_out(h: &Harness) {
    h.find("[data-testid='user-menu'] button")
        .await
        .click()
        .await
        .unwrap();
    h.wait_for_path(|p| p.starts_with("/prihlaseni")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reviewer_returns_a_report_and_the_manager_sees_it() {
    let h = Harness::start().await;
    // The demo manager gets VNP too, so that they can read its review.
    let vnp = app::services::demo::project_id_by_registration(&h.app.db, VNP)
        .await
        .unwrap()
        .unwrap();
    let manager = entity::app_user::Entity::find()
        .filter(entity::app_user::Column::Email.eq("manager@demo.cz"))
        .one(&h.app.db)
        .await
        .unwrap()
        .unwrap();
    app::services::auth::assign_project(&h.app.db, manager.id, vnp)
        .await
        .unwrap();
    h.wait_hydrated().await;
    sign_out(&h).await;

    h.sign_in("reviewer@demo.cz", DEMO_PASSWORD).await;
    h.open("/prehled").await;
    h.wait_until_text("dashboard", |t| t.contains("Projekty s upozorněním"))
        .await;
    // Filter by kraj: Pardubický (Ústí nad Orlicí is VNP's).
    h.find("form.filters select[name='kraj']")
        .await
        .select_by_value("94")
        .await
        .unwrap();
    h.find("form.filters button[type='submit']")
        .await
        .click()
        .await
        .unwrap();
    h.wait_for_path(|p| p.contains("kraj=94")).await;
    h.wait_until_text("filtered dashboard", |t| t.contains(VNP))
        .await;
    // The card "Projekty" (the overdue deadlines' card comes before the totals).
    let projects = h
        .client
        .find(fantoccini::Locator::XPath(
            "//a[contains(@class,'card')][span[text()='Projekty']]/strong",
        ))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(projects, "1", "only VNP works in Pardubický kraj");
    // Open the flagged project from the risk list.
    h.find("table.risks a").await.click().await.unwrap();
    h.wait_for_path(|p| p == format!("/projekty/{vnp}")).await;
    h.find("table.reviews tr:has(.review-under_review) a")
        .await
        .click()
        .await
        .unwrap();
    h.wait_for_path(|p| p.starts_with(&format!("/projekty/{vnp}/obdobi/")))
        .await;
    let period_path = h.current_path().await;
    h.find("[data-testid='review-form'] select[name='status']")
        .await
        .select_by_value("returned")
        .await
        .unwrap();
    // Returning without a comment is refused at the comment field.
    h.find("[data-testid='review-form'] button[type='submit']")
        .await
        .click()
        .await
        .unwrap();
    h.wait_until_text("comment required", |t| t.contains("co má příjemce opravit"))
        .await;
    assert!(h.field_error("comment").await.contains("opravit"));
    h.fill(
        "[data-testid='review-form'] textarea[name='comment']",
        "Doplňte prosím prezenční listiny za 2. pololetí.",
    )
    .await;
    h.find("[data-testid='review-form'] button[type='submit']")
        .await
        .click()
        .await
        .unwrap();
    h.wait_until_text("returned", |t| {
        t.contains("Vráceno k opravě") && t.contains("prezenční listiny za 2. pololetí")
    })
    .await;
    sign_out(&h).await;

    // The project manager sees the status and the comment, and may answer but not set a status.
    h.sign_in("manager@demo.cz", DEMO_PASSWORD).await;
    h.open(&format!("/projekty/{vnp}")).await;
    h.wait_until_text("status on the project page", |t| {
        t.contains("Vráceno k opravě")
    })
    .await;
    h.open(&period_path).await;
    let text = h
        .wait_until_text("comment", |t| {
            t.contains("prezenční listiny za 2. pololetí")
        })
        .await;
    assert!(text.contains("Odpověď kontrolorovi"), "{text}");
    assert!(
        h.client
            .find(fantoccini::Locator::Css(
                "[data-testid='review-form'] select[name='status']"
            ))
            .await
            .is_err(),
        "a manager sets no review status"
    );
    h.close().await;
}

const NOE: &str = "CZ.03.01.01/00/22_015/0002653";

async fn click(h: &Harness, css: &str) {
    h.find(css).await.click().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_manager_resubmits_a_returned_report_and_the_reviewer_finds_it_in_the_queue() {
    use app::services::review;
    let h = Harness::start().await;
    let noe = app::services::demo::project_id_by_registration(&h.app.db, NOE)
        .await
        .unwrap()
        .unwrap();
    // NOE's first report is under review (set up here; the reviewer returns it in the browser).
    let period = review::summaries(&h.app.db, noe).await.unwrap()[0].period_id;
    let reviewer = app::domain::roles::Viewer {
        roles: vec![app::domain::roles::Role::Reviewer],
        ..Default::default()
    };
    let seen = review::view(&h.app.db, &reviewer, noe, period)
        .await
        .unwrap();
    if seen.status.as_deref() != Some("under_review") {
        let input = app::dto::portfolio::ReviewInput {
            comment: String::new(),
            status: "under_review".into(),
            version: seen.version,
        };
        review::submit(&h.app.db, &reviewer, noe, period, &input)
            .await
            .unwrap();
    }
    let period_path = format!("/projekty/{noe}/obdobi/{period}");
    h.wait_hydrated().await;
    sign_out(&h).await;

    // The reviewer returns the report with a comment.
    h.sign_in("reviewer@demo.cz", DEMO_PASSWORD).await;
    h.open(&period_path).await;
    h.wait_until_text("report contents", |t| {
        t.contains("Indikátory v období a plnění cílů") && t.contains("Výdaje uhrazené v období")
    })
    .await;
    h.find("[data-testid='review-form'] select[name='status']")
        .await
        .select_by_value("returned")
        .await
        .unwrap();
    h.fill(
        "[data-testid='review-form'] textarea[name='comment']",
        "Doplňte prosím docházku účastníků.",
    )
    .await;
    click(&h, "[data-testid='review-form'] button[type='submit']").await;
    h.wait_until_text("returned", |t| {
        t.contains("Vráceno k opravě") && t.contains("docházku účastníků")
    })
    .await;
    sign_out(&h).await;

    // The manager resubmits it: the answer is required.
    h.sign_in("manager@demo.cz", DEMO_PASSWORD).await;
    h.open(&period_path).await;
    h.wait_until_text("resubmit form", |t| t.contains("Předložit ke kontrole"))
        .await;
    click(&h, "[data-testid='resubmit-form'] button[type='submit']").await;
    h.wait_until_text("answer required", |t| t.contains("Napište odpověď"))
        .await;
    assert!(h.field_error("answer").await.contains("Napište odpověď"));
    h.fill(
        "[data-testid='resubmit-form'] textarea[name='answer']",
        "Docházka je doplněna v příloze 3.",
    )
    .await;
    click(&h, "[data-testid='resubmit-form'] button[type='submit']").await;
    h.wait_until_text("resubmitted", |t| {
        t.contains("Znovu předloženo") && t.contains("Docházka je doplněna v příloze 3.")
    })
    .await;
    assert!(
        h.client
            .find(fantoccini::Locator::Css("[data-testid='resubmit-form']"))
            .await
            .is_err(),
        "nothing more to resubmit"
    );
    sign_out(&h).await;

    // The reviewer reaches the queue from the dashboard card, finds the report and reads the answer.
    h.sign_in("reviewer@demo.cz", DEMO_PASSWORD).await;
    let nav = h
        .find("[data-testid='main-nav']")
        .await
        .text()
        .await
        .unwrap();
    assert!(nav.contains("Kontroly ZoR"), "{nav}");
    h.open("/prehled").await;
    h.wait_until_text("dashboard", |t| t.contains("Otevřené kontroly ZoR"))
        .await;
    click(&h, ".cards a.card[href^='/kontroly']").await;
    h.wait_for_path(|p| p.starts_with("/kontroly?stav=otevrene"))
        .await;
    let text = h
        .wait_until_text("queue", |t| t.contains("Znovu předloženo"))
        .await;
    assert!(text.contains("Kontroly zpráv o realizaci"), "{text}");
    // On a phone the queue's table scrolls inside its own box.
    h.client.set_window_size(390, 900).await.unwrap();
    let widths = h
        .client
        .execute(
            "const box = document.querySelector('.table-scroll'); \
             return [box.clientWidth, document.querySelector('main').clientWidth];",
            vec![],
        )
        .await
        .unwrap();
    let w: Vec<u64> = serde_json::from_value(widths).unwrap();
    assert!(w[0] <= w[1], "the table's box fits the page: {w:?}");
    h.client.set_window_size(1400, 1000).await.unwrap();
    click(
        &h,
        "table.review-queue tr:has(.review-resubmitted) a[href*='/obdobi/']",
    )
    .await;
    h.wait_for_path(|p| p == period_path).await;
    h.wait_until_text("the answer", |t| {
        t.contains("Docházka je doplněna v příloze 3.") && t.contains("Znovu předloženo")
    })
    .await;
    h.assert_no_panic().await;
    h.close().await;
}
