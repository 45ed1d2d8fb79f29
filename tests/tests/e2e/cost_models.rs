//! Cost models in the browser: a 40 % project's budget page names its model and parts; an admin adds a
//! unit cost to a call on the settings page; a simplified project budgets it as units × rate.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use e2e::Harness;
use fantoccini::Locator;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

const NOE: &str = "CZ.03.01.01/00/22_015/0002653";

async fn project_id(h: &Harness, call: &str) -> i32 {
    entity::project::Entity::find()
        .filter(entity::project::Column::CallId.eq(call))
        .one(&h.app.db)
        .await
        .unwrap()
        .unwrap()
        .id
}

async fn screenshot(h: &Harness, name: &str) {
    if let Some(dir) = std::env::var_os("E2E_SCREENSHOTS") {
        let png = h.client.screenshot().await.unwrap();
        std::fs::write(std::path::Path::new(&dir).join(format!("{name}.png")), png).unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_cost_model_is_shown_and_unit_costs_are_budgeted_in_units() {
    let h = Harness::start().await;
    let noe = entity::project::Entity::find()
        .filter(entity::project::Column::RegistrationNumber.eq(NOE))
        .one(&h.app.db)
        .await
        .unwrap()
        .unwrap()
        .id;
    h.open(&format!("/projekty/{noe}/rozpocet")).await;
    let model = h.find("[data-testid='cost-model']").await;
    assert_eq!(
        model.attr("data-model").await.unwrap().as_deref(),
        Some("flat_40_personnel")
    );
    let text = h.body_text().await;
    assert!(text.contains("40% paušál"), "{text}");
    assert!(text.contains("přímé osobní náklady"), "{text}");
    assert!(text.contains("paušál na ostatní náklady"), "{text}");
    // Drawn already: the model can no longer change.
    assert!(
        text.contains("model vykazování nákladů už nelze změnit"),
        "{text}"
    );
    h.client.set_window_size(390, 900).await.unwrap();
    screenshot(&h, "noe-budget-390").await;
    h.client.set_window_size(1400, 1000).await.unwrap();

    // The admin adds a unit cost to call 03_24_065 on the settings page.
    h.open("/nastaveni").await;
    let section = "section[data-call='03_24_065']";
    h.find(&format!("{section} table.unit-costs")).await;
    h.fill(&format!("{section} #f-uc_code"), "JN-09").await;
    h.fill(&format!("{section} #f-uc_name"), "Hodina terénní práce")
        .await;
    h.fill(&format!("{section} #f-uc_unit"), "hodina").await;
    h.fill(&format!("{section} #f-uc_rate"), "333,33").await;
    h.client
        .find(Locator::XPath(
            "//section[@data-call='03_24_065']//button[text()='Přidat do výzvy']",
        ))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    h.wait_until_text("unit cost added", |t| t.contains("Hodina terénní práce"))
        .await;

    // The simplified project budgets it: 12,5 hours × 333,33 = 4 166,63 Kč (rounded once).
    let jesenicko = project_id(&h, "03_24_065").await;
    h.open(&format!("/projekty/{jesenicko}/rozpocet")).await;
    assert_eq!(
        h.find("[data-testid='cost-model']")
            .await
            .attr("data-model")
            .await
            .unwrap()
            .as_deref(),
        Some("simplified")
    );
    let option = h
        .client
        .find(Locator::XPath(
            "//select[@id='f-unit_cost_id']/option[contains(text(),'JN-09')]",
        ))
        .await
        .unwrap();
    option.click().await.unwrap();
    h.fill("#f-code", "2.9").await;
    h.fill("#f-name", "Terénní práce").await;
    h.fill("#f-units", "12,5").await;
    h.find("form[data-testid='line-form'] button[type='submit']")
        .await
        .click()
        .await
        .unwrap();
    let text = h
        .wait_until_text("unit line", |t| t.contains("Terénní práce"))
        .await;
    assert!(text.contains("4 166,63"), "{text}");
    screenshot(&h, "simplified-budget").await;
    h.assert_no_panic().await;
    h.close().await;
}
