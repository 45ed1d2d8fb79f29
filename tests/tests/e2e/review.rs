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
    let projects = h
        .find(".cards a.card:first-child strong")
        .await
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
