//! The finance officer's journey (issue 12): import a brand-new project's workbook (project, budget,
//! indicator values, expenditures) in one go, open the expenditure ledger, filter it by budget line, build
//! a payment claim from the filtered documents, submit it, and see the claimed amount on the budget page.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use e2e::Harness;
use fantoccini::Locator;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

const REG: &str = "CZ.03.02.01/00/25_106/0009777";

fn workbook() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let mut sheet = |name: &str, rows: &[&[&str]]| {
        let s = book.add_worksheet();
        s.set_name(name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                if let Some(n) = v.strip_prefix("#n:") {
                    s.write_number(r as u32, c as u16, n.parse::<f64>().unwrap())
                        .unwrap();
                } else if !v.is_empty() {
                    s.write_string(r as u32, c as u16, *v).unwrap();
                }
            }
        }
    };
    sheet(
        "Projekty",
        &[
            &[
                "Registrační číslo projektu",
                "Název projektu",
                "Příjemce",
                "IČO",
                "Stav projektu",
                "Datum zahájení",
                "Datum ukončení",
            ],
            &[
                REG,
                "Nový projekt z tabulky",
                "Obec Liptaň",
                "00296244",
                "realizace",
                "1. 1. 2026",
                "31. 12. 2027",
            ],
        ],
    );
    sheet(
        "Rozpočet",
        &[
            &[
                "Registrační číslo projektu",
                "Kód položky",
                "Název položky",
                "Kapitola",
                "Rok",
                "Částka",
            ],
            &[
                REG,
                "1.1.1.1",
                "Mzdy odborných pracovníků",
                "1.1",
                "#n:2026",
                "#n:400000",
            ],
            &[REG, "2.1.1", "Cestovné", "", "#n:2026", "#n:20000"],
        ],
    );
    sheet(
        "Indikátory",
        &[
            &[
                "Registrační číslo projektu",
                "Kód indikátoru",
                "Období",
                "Dosažená hodnota",
                "Cílová hodnota",
            ],
            &[REG, "EECO01", "ZoR 1", "#n:12", "#n:40"],
        ],
    );
    sheet(
        "Výdaje",
        &[
            &[
                "Registrační číslo projektu",
                "Číslo dokladu",
                "Datum úhrady",
                "Položka rozpočtu",
                "Částka (Kč)",
                "Popis",
            ],
            &[
                REG,
                "M-01",
                "31. 1. 2026",
                "1.1.1.1",
                "#n:30000",
                "Mzdy 1/2026",
            ],
            &[
                REG,
                "M-02",
                "28. 2. 2026",
                "1.1.1.1",
                "#n:30000.5",
                "Mzdy 2/2026",
            ],
            &[REG, "CP-01", "15. 2. 2026", "2.1.1", "#n:1234", "Jízdenky"],
        ],
    );
    book.save_to_buffer().unwrap()
}

async fn click_text(h: &Harness, xpath: &str) {
    h.client
        .find(Locator::XPath(xpath))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_projects_workbook_becomes_a_ledger_and_a_claim() {
    let h = Harness::start().await;
    let file = h.write_file("novy-projekt.xlsx", &workbook());
    h.open("/importy").await;
    h.find("form[data-testid='upload-form'] input[type='file']")
        .await
        .send_keys(file.to_str().unwrap())
        .await
        .unwrap();
    h.find("form[data-testid='upload-form'] button[type='submit']")
        .await
        .click()
        .await
        .unwrap();
    h.wait_for_path(|p| p.starts_with("/importy/nahled/")).await;
    h.wait_hydrated().await;
    let preview = h
        .wait_until_text("preview", |t| t.contains("Uložit do evidence"))
        .await;
    assert!(
        !preview.contains("Chyby"),
        "a new project's workbook imports without errors: {preview}"
    );
    h.find("[data-testid='commit-import']")
        .await
        .click()
        .await
        .unwrap();
    h.wait_until_text("commit", |t| t.contains("Uloženo:"))
        .await;

    let project = entity::project::Entity::find()
        .filter(entity::project::Column::RegistrationNumber.eq(REG))
        .one(&h.app.db)
        .await
        .unwrap()
        .expect("the project was imported");
    let id = project.id;

    // The ledger lists the three documents; filtered by the personnel line, two.
    h.open(&format!("/projekty/{id}/vydaje")).await;
    assert_eq!(
        h.find("[data-testid='ledger-count']")
            .await
            .text()
            .await
            .unwrap(),
        "3"
    );
    click_text(
        &h,
        "//select[@name='polozka']/option[contains(text(),'1.1.1.1')]",
    )
    .await;
    h.find("form.filters button[type='submit']")
        .await
        .click()
        .await
        .unwrap();
    h.wait_for_path(|p| p.contains("polozka=")).await;
    h.wait_until_text("filtered ledger", |t| {
        t.contains("Mzdy 2/2026") && !t.contains("Jízdenky")
    })
    .await;
    assert_eq!(
        h.find("[data-testid='ledger-count']")
            .await
            .text()
            .await
            .unwrap(),
        "2"
    );
    let sum = h
        .find("[data-testid='ledger-sum']")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        sum.contains("60\u{a0}000,50") || sum.contains("60 000,50"),
        "{sum}"
    );

    // Every unclaimed document of the filter goes into a new claim.
    h.find("[data-testid='add-filtered']")
        .await
        .click()
        .await
        .unwrap();
    h.wait_until_text("claim built", |t| t.contains("Doklady jsou v žádosti"))
        .await;
    click_text(&h, "//a[text()='Otevřít žádost']").await;
    h.wait_for_path(|p| p.contains("/zadosti/")).await;
    h.wait_hydrated().await;
    let amount = h
        .find("[data-testid='claim-amount']")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        amount.contains("60\u{a0}000,50") || amount.contains("60 000,50"),
        "{amount}"
    );
    assert!(h.body_text().await.contains("Mzdy 1/2026"));

    // Submitted on the claims page; the budget page shows what is claimed.
    h.open(&format!("/projekty/{id}/zadosti")).await;
    click_text(&h, "//select[@id='f-decision']/option[@value='submitted']").await;
    h.fill("#f-claim_paid_on", "5. 3. 2026").await;
    h.find("form[data-testid='decision-form'] button[type='submit']")
        .await
        .click()
        .await
        .unwrap();
    h.wait_until_text("submitted", |t| t.contains("podaná"))
        .await;
    h.open(&format!("/projekty/{id}/rozpocet")).await;
    let claimed = h
        .find("[data-testid='claimed']")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        claimed.contains("60\u{a0}000,50") || claimed.contains("60 000,50"),
        "{claimed}"
    );
    // On a phone the ledger's wide table scrolls inside its own box.
    h.client.set_window_size(390, 900).await.unwrap();
    h.open(&format!("/projekty/{id}/vydaje")).await;
    h.find("[data-testid='ledger']").await;
    let widths = h
        .client
        .execute(
            "const box = document.querySelector('.table-scroll'); \
             return [box.clientWidth, box.scrollWidth, document.querySelector('main').clientWidth];",
            vec![],
        )
        .await
        .unwrap();
    let w: Vec<u64> = serde_json::from_value(widths).unwrap();
    assert!(w[0] <= w[2], "the table's box fits the page: {w:?}");
    assert!(w[1] > w[0], "the table scrolls inside its box: {w:?}");
    if let Some(dir) = std::env::var_os("E2E_SCREENSHOTS") {
        let png = h.client.screenshot().await.unwrap();
        std::fs::write(std::path::Path::new(&dir).join("ledger-390.png"), png).unwrap();
    }
    h.assert_no_panic().await;
    h.close().await;
}
