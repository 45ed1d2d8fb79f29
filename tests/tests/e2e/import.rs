//! Browser journey of the spreadsheet import: upload a workbook, see the preview with the error at its
//! cell, commit, find the value on the project's indicator page and the import in the history, then
//! revert it after a confirmation.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use app::dto::{ProjectInput, SaveOutcome};
use app::services::projects;
use e2e::Harness;

const REG: &str = "CZ.03.02.01/00/25_106/0009003";

fn workbook() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Indikátory").unwrap();
    sheet
        .write_string(0, 0, "Hodnoty indikátorů – 1. pololetí 2026")
        .unwrap();
    let header = [
        "Registrační číslo projektu",
        "Kód indikátoru",
        "Období od",
        "Období do",
        "Dosažená hodnota",
        "Cílová hodnota",
    ];
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(2, c as u16, *h).unwrap();
    }
    let rows = [
        [REG, "EECO01", "1. 1. 2026", "30. 6. 2026", "1 234", "5000"],
        [REG, "EECO02", "1. 1. 2026", "30. 6. 2026", "321", ""],
        [REG, "EECO99", "1. 1. 2026", "30. 6. 2026", "5", ""],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                sheet.write_string(3 + r as u32, c as u16, *v).unwrap();
            }
        }
    }
    book.save_to_buffer().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upload_preview_commit_and_revert() {
    let h = Harness::start().await;
    let input = ProjectInput {
        registration_number: REG.into(),
        name: "Import z tabulky".into(),
        beneficiary_ico: "00296244".into(),
        beneficiary_name: "Obec Liptaň".into(),
        status: "realisation".into(),
        start_date: "1. 1. 2026".into(),
        end_date: "31. 12. 2027".into(),
        total_eligible: "2 000 000,00".into(),
        ..Default::default()
    };
    let SaveOutcome::Saved { id } = projects::create(&h.app.db, &input).await.unwrap() else {
        panic!()
    };
    h.assign(id).await;
    let file = h.write_file("indikatory-zor1.xlsx", &workbook());

    h.open("/importy").await;
    h.wait_until_text("empty history", |t| {
        t.contains("Zatím nebyl uložen žádný import")
    })
    .await;
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
    let text = h
        .wait_until_text("preview", |t| t.contains("Uložit do evidence"))
        .await;
    assert!(
        text.contains("Náhled: 2 nové nebo změněné řádky")
            || text.contains("Náhled: 2\u{a0}nové nebo změněné řádky"),
        "{text}"
    );
    let bad = h
        .find("tr[data-cell='Indikátory!B6']")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        bad.contains("EECO99") && bad.contains("není v číselníku"),
        "{bad}"
    );
    assert!(text.contains("1 234"), "the new value is listed: {text}");

    h.find("[data-testid='commit-import']")
        .await
        .click()
        .await
        .unwrap();
    let text = h
        .wait_until_text("commit", |t| t.contains("Uloženo:"))
        .await;
    assert!(text.contains("Import č. 1"), "{text}");

    h.open(&format!("/projekty/{id}/indikatory")).await;
    let text = h
        .wait_until_text("indicator table", |t| t.contains("EECO01"))
        .await;
    assert!(
        text.contains("1234") || text.contains("1\u{a0}234") || text.contains("1 234"),
        "{text}"
    );
    assert!(
        text.contains("ZoR 1"),
        "the period was created from its dates: {text}"
    );

    h.open("/importy").await;
    let text = h
        .wait_until_text("history", |t| t.contains("indikatory-zor1.xlsx"))
        .await;
    assert!(text.contains("uložen"), "{text}");
    h.find("[data-testid='revert-1']")
        .await
        .click()
        .await
        .unwrap();
    h.wait_until_text("confirmation", |t| t.contains("Vrátit celý import?"))
        .await;
    h.find("[role='alertdialog'] button.danger")
        .await
        .click()
        .await
        .unwrap();
    h.wait_until_text("reverted", |t| t.contains("vrácen"))
        .await;

    h.open(&format!("/projekty/{id}/indikatory")).await;
    let text = h
        .wait_until_text("indicator table", |t| t.contains("Indikátory"))
        .await;
    assert!(
        !text.contains("1234") && !text.contains("1\u{a0}234") && !text.contains("1 234"),
        "the value is gone after revert: {text}"
    );
    h.close().await;
}
