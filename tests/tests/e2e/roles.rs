//! Signing in as each demo role in the browser: each sees only what the role should.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use e2e::{Harness, DEMO_PASSWORD};

const NOE: &str = "CZ.03.01.01/00/22_015/0002653";
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
async fn each_role_sees_its_own() {
    let h = Harness::start().await;
    h.wait_hydrated().await;
    sign_out(&h).await;

    // A wrong password: one message, back on the form.
    h.sign_in_expect_error("manager@demo.cz", "spatne-heslo-1234")
        .await;
    let text = h.body_text().await;
    assert!(text.contains("Neplatný e-mail nebo heslo"), "{text}");

    // The project manager sees NOE only.
    h.sign_in("manager@demo.cz", DEMO_PASSWORD).await;
    h.open("/").await;
    let text = h.wait_until_text("list", |t| t.contains(NOE)).await;
    assert!(
        !text.contains(VNP),
        "a manager sees only the assigned project: {text}"
    );
    assert!(
        text.contains("Projektová manažerka NOE"),
        "the user menu names the user: {text}"
    );
    sign_out(&h).await;

    // The reviewer sees the whole portfolio but may not change settings.
    h.sign_in("reviewer@demo.cz", DEMO_PASSWORD).await;
    h.open("/").await;
    let text = h.wait_until_text("list", |t| t.contains(NOE)).await;
    assert!(text.contains(VNP), "{text}");
    let nav = h
        .find("[data-testid='main-nav']")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        !nav.contains("Import tabulek") && !nav.contains("Nový projekt"),
        "a reviewer changes no data: {nav}"
    );
    h.open("/nastaveni").await;
    h.find("form[data-testid='settings-form'] button[type='submit']")
        .await
        .click()
        .await
        .unwrap();
    h.wait_until_text("refusal", |t| t.contains("nemáte oprávnění"))
        .await;
    sign_out(&h).await;

    // The finance officer may import; the admin reads the audit log and manages users.
    h.sign_in("finance@demo.cz", DEMO_PASSWORD).await;
    h.open("/").await;
    let nav = h
        .find("[data-testid='main-nav']")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        nav.contains("Import tabulek") && !nav.contains("Audit"),
        "{nav}"
    );
    sign_out(&h).await;
    h.sign_in("admin@demo.cz", DEMO_PASSWORD).await;
    h.open("/audit").await;
    let text = h
        .wait_until_text("audit log", |t| t.contains("Auditní záznam změn"))
        .await;
    assert!(text.contains("Záznamů:"), "{text}");
    h.open("/uzivatele").await;
    let text = h
        .wait_until_text("users", |t| t.contains("reviewer@demo.cz"))
        .await;
    assert!(text.contains("Vytvořit uživatele"), "{text}");
    h.close().await;
}
