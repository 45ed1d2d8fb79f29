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

/// How many elements `css` selects on the current page.
async fn count(h: &Harness, css: &str) -> u64 {
    h.client
        .execute(
            "return document.querySelectorAll(arguments[0]).length;",
            vec![css.into()],
        )
        .await
        .unwrap()
        .as_u64()
        .unwrap()
}

/// The id of the project with `registration_number` in the project list (`tr[data-id]`).
async fn project_id(h: &Harness, registration_number: &str) -> i64 {
    h.open(&format!("/?q={registration_number}")).await;
    h.wait_until_text("the project in the list", |t| {
        t.contains(registration_number)
    })
    .await;
    h.client
        .execute(
            "return Number(document.querySelector('table.projects tbody tr[data-id]').dataset.id);",
            vec![],
        )
        .await
        .unwrap()
        .as_i64()
        .unwrap()
}

/// Issue 14, point 1: forms and action buttons only for whom they are; a page of a project the user may
/// not see is a refusal with the way back and no project tabs; a refused export is a page.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_role_gets_only_the_forms_it_may_use() {
    let h = Harness::start().await;
    h.wait_hydrated().await;
    sign_out(&h).await;

    // A reviewer reads every tab of a project without a single form or "upravit".
    h.sign_in("reviewer@demo.cz", DEMO_PASSWORD).await;
    let noe = project_id(&h, NOE).await;
    let vnp = project_id(&h, VNP).await;
    assert_eq!(
        count(&h, "a[href='/projekty/novy']").await,
        0,
        "no 'Nový projekt' for a reviewer"
    );
    for tab in ["indikatory", "rozpocet", "vydaje", "zadosti"] {
        h.open(&format!("/projekty/{noe}/{tab}")).await;
        h.find("nav.tabs").await;
        h.wait_until_text(tab, |t| !t.contains("Načítám")).await;
        assert_eq!(
            count(&h, "main form:not([role='search'])").await,
            0,
            "{tab}: a reviewer gets no form"
        );
        let text = h.body_text().await;
        assert!(!text.contains("upravit"), "{tab}: {text}");
    }
    h.open("/ciselniky/indikatory").await;
    h.wait_until_text("codebook", |t| t.contains("EECO01"))
        .await;
    assert_eq!(
        count(&h, "main form:not([role='search'])").await,
        0,
        "only admins edit the codebook"
    );
    sign_out(&h).await;

    // The manager of NOE edits its indicators but not its budget, and reads the settings.
    h.sign_in("manager@demo.cz", DEMO_PASSWORD).await;
    h.open(&format!("/projekty/{noe}/indikatory")).await;
    h.find("form[data-testid='value-form']").await;
    h.open(&format!("/projekty/{noe}/rozpocet")).await;
    h.wait_until_text("budget", |t| t.contains("Položky rozpočtu"))
        .await;
    assert_eq!(
        count(&h, "main form:not([role='search'])").await,
        0,
        "budget forms are the finance officer's"
    );
    h.open("/nastaveni").await;
    h.find("[data-testid='settings-values']").await;
    assert_eq!(
        count(&h, "main form:not([role='search'])").await,
        0,
        "settings are the admin's"
    );

    // VNP is not the manager's: the normal layout, a clear message and a way back; no tabs.
    for path in [
        format!("/projekty/{vnp}"),
        format!("/projekty/{vnp}/rozpocet"),
    ] {
        h.open(&path).await;
        let refused = h
            .find("[data-testid='refused']")
            .await
            .text()
            .await
            .unwrap();
        assert!(refused.contains("nemáte přístup"), "{path}: {refused}");
        h.find("[data-testid='refused'] a[href='/']").await;
        h.find("[data-testid='main-nav']").await;
        assert_eq!(count(&h, "nav.tabs").await, 0, "{path}: no project tabs");
    }
    // A refused export is a page too (not plain text), with the way back.
    h.client
        .goto(&format!(
            "{}/export/projekty/{vnp}/rozpocet.xlsx",
            h.app.url()
        ))
        .await
        .unwrap();
    let text = h
        .wait_until_text("refused export", |t| t.contains("Export není dostupný"))
        .await;
    assert!(text.contains("nemáte přístup"), "{text}");
    h.find("main a[href='/']").await;
    h.close().await;
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
    // Settings are shown to a reviewer as values, with no form to send.
    h.open("/nastaveni").await;
    h.find("[data-testid='settings-values']").await;
    assert_eq!(
        count(&h, "main form").await,
        0,
        "a reviewer gets no form on /nastaveni"
    );
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
