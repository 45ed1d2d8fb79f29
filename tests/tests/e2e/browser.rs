//! Browser journeys in real headless Chromium against the real server.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use app::dto::{ProjectListQuery, SaveOutcome};
use app::services::projects;
use e2e::Harness;
use fantoccini::Locator;

async fn id_of(h: &Harness, text: &str) -> i32 {
    let q = ProjectListQuery {
        text: text.into(),
        page: 1,
        per_page: 5,
        ..Default::default()
    };
    projects::list(&h.app.db, &q).await.unwrap().rows[0].id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_shows_noe_and_vnp_and_sorts_after_hydration() {
    let h = Harness::start().await;
    h.open("/").await;
    let text = h.body_text().await;
    assert!(
        text.contains("Nová etapa") && text.contains("CZ.03.01.01/00/22_015/0002653"),
        "{text}"
    );
    assert!(
        text.contains("Věk není překážkou") && text.contains("CZ.03.01.01/00/22_015/0002657"),
        "{text}"
    );
    // Sorting by name descending, by two clicks handled in the browser.
    h.find("th a[data-sort='nazev']")
        .await
        .click()
        .await
        .unwrap();
    h.wait_for_path(|p| p.contains("razeni=nazev") && !p.contains("sestupne"))
        .await;
    h.find("th a[data-sort='nazev']")
        .await
        .click()
        .await
        .unwrap();
    h.wait_for_path(|p| p.contains("smer=sestupne")).await;
    let first = h
        .wait_until_text("descending order", |t| t.contains("▼"))
        .await;
    let rows = h
        .client
        .find_all(Locator::Css("table.projects tbody tr td:nth-child(3)"))
        .await
        .unwrap();
    let mut names = Vec::new();
    for r in rows {
        names.push(r.text().await.unwrap());
    }
    let mut sorted = names.clone();
    sorted.sort();
    sorted.reverse();
    assert_eq!(names, sorted, "{first}");
    // Filtering by text through the filter form.
    h.fill("input[name='q']", "vek neni").await;
    h.find("form.filters button[type='submit']")
        .await
        .click()
        .await
        .unwrap();
    h.wait_for_path(|p| p.contains("q=vek")).await;
    let text = h
        .wait_until_text("filtered list", |t| !t.contains("Nová etapa"))
        .await;
    assert!(text.contains("Věk není překážkou"));
    h.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_project_meets_validation_errors_then_succeeds() {
    let h = Harness::start().await;
    h.open("/projekty/novy").await;
    // A duplicate registration number (only the server can tell) and an IČO with a bad check digit.
    h.fill("#f-registration_number", " cz.03.01.01/00/22_015/0002653 ")
        .await;
    h.fill("#f-name", "Podpora zaměstnanosti v Orlických horách")
        .await;
    h.fill("#f-acronym", "ORL").await;
    h.fill("#f-beneficiary_ico", "72496992").await;
    h.fill("#f-beneficiary_name", "Úřad práce České republiky")
        .await;
    h.fill("#f-start_date", "1. 1. 2026").await;
    h.fill("#f-end_date", "31. 12. 2025").await;
    h.fill("#f-total_eligible", "12,3,4").await;
    // Client-side: errors appear next to their fields before anything is sent.
    h.find("form.project-form button[type='submit']")
        .await
        .click()
        .await
        .unwrap();
    h.wait_until_text("client errors", |t| t.contains("kontrolní číslici"))
        .await;
    assert!(h
        .field_error("beneficiary_ico")
        .await
        .contains("(očekávána 1)"));
    assert!(h.field_error("end_date").await.contains("nesmí být dříve"));
    assert!(!h.field_error("total_eligible").await.is_empty());
    assert!(
        h.field_error("registration_number").await.is_empty(),
        "the shape is right"
    );
    assert!(h.current_path().await.ends_with("/projekty/novy"));
    // Fix them; now the server finds the duplicate.
    h.fill("#f-beneficiary_ico", "72496991").await;
    h.fill("#f-end_date", "31. 12. 2027").await;
    h.fill("#f-total_eligible", "1 234 567,89").await;
    h.find("form.project-form button[type='submit']")
        .await
        .click()
        .await
        .unwrap();
    h.wait_until_text("server error", |t| t.contains("už je v evidenci"))
        .await;
    assert!(h
        .field_error("registration_number")
        .await
        .contains("už je v evidenci"));
    // A malformed number shows the expected shape.
    h.fill("#f-registration_number", "CZ.03.01.01/22_015/1")
        .await;
    assert!(h
        .field_error("registration_number")
        .await
        .contains("CZ.03.01.01/00/22_015/0002653"));
    h.fill("#f-registration_number", "CZ.03.01.01/00/22_015/0009876")
        .await;
    assert_eq!(
        h.find("[data-testid='derived']")
            .await
            .text()
            .await
            .unwrap(),
        "Program 03 (2021–2027), priorita 01, specifický cíl 01, výzva 03_22_015"
    );
    // A municipality found without diacritics.
    h.fill("#f-municipality-search", "usti nad o").await;
    h.find("#f-municipality-listbox [role=option]")
        .await
        .click()
        .await
        .unwrap();
    h.wait_until_text("chosen municipality", |t| t.contains("579891"))
        .await;
    h.find("input[name='target_groups'][value='osoby-30-54']")
        .await
        .click()
        .await
        .unwrap();
    h.find("form.project-form button[type='submit']")
        .await
        .click()
        .await
        .unwrap();
    let path = h
        .wait_for_path(|p| p.starts_with("/projekty/") && p != "/projekty/novy")
        .await;
    let text = h
        .wait_until_text("detail", |t| {
            t.contains("Podpora zaměstnanosti v Orlických horách")
        })
        .await;
    assert!(
        text.contains("1\u{a0}234\u{a0}567,89\u{a0}Kč") || text.contains("1 234 567,89 Kč"),
        "{text}"
    );
    assert!(text.contains("Ústí nad Orlicí") && text.contains("Pardubický kraj"));
    // And it is in the list.
    h.open("/?q=orlickych").await;
    let text = h.body_text().await;
    assert!(
        text.contains("CZ.03.01.01/00/22_015/0009876"),
        "{path}: {text}"
    );
    h.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edited_project_shows_the_change_after_reload() {
    let h = Harness::start().await;
    let id = id_of(&h, "0002657").await;
    h.open(&format!("/projekty/{id}")).await;
    h.find("a.button.primary").await.click().await.unwrap();
    h.wait_for_path(|p| p.ends_with("/upravit")).await;
    h.fill("#f-name", "Věk není překážkou – aktualizace").await;
    h.fill("#f-description", "Upraveno v prohlížeči.").await;
    h.find("form.project-form button[type='submit']")
        .await
        .click()
        .await
        .unwrap();
    h.wait_for_path(|p| p == format!("/projekty/{id}")).await;
    h.client.refresh().await.unwrap();
    h.wait_hydrated().await;
    let text = h.body_text().await;
    assert!(text.contains("Věk není překážkou – aktualizace"), "{text}");
    assert!(text.contains("Upraveno v prohlížeči."));
    h.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_concurrent_edit_is_shown_instead_of_overwritten() {
    let h = Harness::start().await;
    let id = id_of(&h, "0002653").await;
    h.open(&format!("/projekty/{id}/upravit")).await;
    h.fill("#f-name", "Nová etapa (moje verze)").await;
    // Someone else saves first.
    let (mut other, v) = projects::input_of(&h.app.db, id).await.unwrap();
    other.name = "Nová etapa (kolegova verze)".into();
    assert!(matches!(
        projects::update(&h.app.db, id, v, &other).await.unwrap(),
        SaveOutcome::Saved { .. }
    ));
    h.find("form.project-form button[type='submit']")
        .await
        .click()
        .await
        .unwrap();
    let panel = h
        .find("[data-testid='conflict']")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        panel.contains("Nová etapa (moje verze)") && panel.contains("Nová etapa (kolegova verze)"),
        "{panel}"
    );
    assert_eq!(
        projects::detail(&h.app.db, id).await.unwrap().name,
        "Nová etapa (kolegova verze)"
    );
    // Overwrite knowingly.
    h.find("[data-testid='conflict'] button.danger")
        .await
        .click()
        .await
        .unwrap();
    h.wait_for_path(|p| p == format!("/projekty/{id}")).await;
    h.wait_until_text("saved", |t| t.contains("Nová etapa (moje verze)"))
        .await;
    h.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn archive_asks_for_confirmation_first() {
    let h = Harness::start().await;
    let id = id_of(&h, "0006138").await;
    h.open(&format!("/projekty/{id}")).await;
    let archive = h
        .client
        .find(Locator::XPath("//button[text()='Archivovat']"))
        .await
        .unwrap();
    archive.click().await.unwrap();
    h.wait_until_text("confirmation", |t| t.contains("Opravdu archivovat?"))
        .await;
    assert!(
        !projects::detail(&h.app.db, id).await.unwrap().archived,
        "nothing happens before confirming"
    );
    h.find("button.danger").await.click().await.unwrap();
    h.wait_until_text("archived notice", |t| t.contains("Projekt je archivovaný"))
        .await;
    assert!(projects::detail(&h.app.db, id).await.unwrap().archived);
    h.close().await;
}

/// Issue 14, point 9: the first Tab of a page reaches a visible link that skips the header to the page.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_tab_offers_a_skip_link_to_the_content() {
    let h = Harness::start().await;
    h.open("/").await;
    h.client
        .execute(
            "document.activeElement && document.activeElement.blur();",
            vec![],
        )
        .await
        .unwrap();
    use fantoccini::actions::InputSource;
    let tab = fantoccini::actions::KeyActions::new("keyboard".into())
        .then(fantoccini::actions::KeyAction::Down { value: '\u{e004}' })
        .then(fantoccini::actions::KeyAction::Up { value: '\u{e004}' });
    h.client.perform_actions(tab).await.unwrap();
    let focused = h
        .client
        .execute(
            "const a = document.activeElement; const r = a.getBoundingClientRect();
             return [a.textContent, a.getAttribute('href'), r.left >= 0 && r.width > 0];",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        focused,
        serde_json::json!(["Přeskočit na obsah", "#obsah", true]),
        "the skip link is the first stop and is visible when focused"
    );
    assert!(h.find("main#obsah").await.is_displayed().await.unwrap());
    h.close().await;
}

/// Issue 14, point 10: after a save, going back and forward shows every page as it is now (no page kept
/// by the browser with stale data), and nothing is saved twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn back_and_forward_after_a_save_show_the_current_state_and_save_nothing_twice() {
    let h = Harness::start().await;
    let id = id_of(&h, "0002657").await;
    let (_, version) = projects::input_of(&h.app.db, id).await.unwrap();
    h.open("/?q=0002657").await;
    h.open(&format!("/projekty/{id}")).await;
    h.open(&format!("/projekty/{id}/upravit")).await;
    h.fill("#f-name", "Věk není překážkou – po úpravě").await;
    h.find("form.project-form button[type='submit']")
        .await
        .click()
        .await
        .unwrap();
    h.wait_for_path(|p| p == format!("/projekty/{id}")).await;
    h.wait_until_text("saved", |t| t.contains("Věk není překážkou – po úpravě"))
        .await;

    // Back to the form: it shows the saved name. Back to the detail and the list: the new name.
    h.client.back().await.unwrap();
    h.wait_for_path(|p| p.ends_with("/upravit")).await;
    let name = h.find("#f-name").await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while name.prop("value").await.unwrap().as_deref() != Some("Věk není překážkou – po úpravě")
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the form shows the saved name"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    h.client.back().await.unwrap();
    h.wait_for_path(|p| p == format!("/projekty/{id}")).await;
    h.wait_until_text("detail after back", |t| {
        t.contains("Věk není překážkou – po úpravě")
    })
    .await;
    h.client.back().await.unwrap();
    h.wait_for_path(|p| p == "/" || p.starts_with("/?")).await;
    h.wait_until_text("list after back", |t| {
        t.contains("Věk není překážkou – po úpravě")
    })
    .await;
    h.client.forward().await.unwrap();
    h.wait_for_path(|p| p == format!("/projekty/{id}")).await;
    h.wait_until_text("detail after forward", |t| {
        t.contains("Věk není překážkou – po úpravě")
    })
    .await;

    // Saved once: one new version.
    let (_, now) = projects::input_of(&h.app.db, id).await.unwrap();
    assert_eq!(now, version + 1, "the project was saved exactly once");
    h.close().await;
}
