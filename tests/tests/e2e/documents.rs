//! Issue 15, point 2: the documents of a ZoR in the browser: upload through the form, the status line
//! says so, the list shows name, version, size and who; a new version; deletion with a confirmation,
//! reached by keyboard; nothing wider than a phone at 390 px.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use e2e::Harness;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

const PDF: &[u8] = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0";

/// Chooses `file` in the form `form` and sends it; waits for the page it leads back to.
async fn send(h: &Harness, form: &str, file: &std::path::Path, notice_code: &str) {
    h.find(&format!("{form} input[type='file']"))
        .await
        .send_keys(file.to_str().unwrap())
        .await
        .unwrap();
    h.find(&format!("{form} button[type='submit']"))
        .await
        .click()
        .await
        .unwrap();
    h.wait_for_path(|p| p.contains(&format!("dokumenty={notice_code}")))
        .await;
    h.wait_hydrated().await;
}

async fn notice(h: &Harness, what: &str) {
    h.wait_until_text(what, |t| t.contains(what)).await;
    let line = h.find("[data-testid='save-notice']").await;
    assert_eq!(line.attr("role").await.unwrap().as_deref(), Some("status"));
    assert!(line.text().await.unwrap().contains(what));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_zor_attachment_is_uploaded_replaced_and_deleted_in_the_browser() {
    let h = Harness::start().await;
    let noe =
        app::services::demo::project_id_by_registration(&h.app.db, "CZ.03.01.01/00/22_015/0002653")
            .await
            .unwrap()
            .unwrap();
    let period = entity::monitoring_period::Entity::find()
        .filter(entity::monitoring_period::Column::ProjectId.eq(noe))
        .one(&h.app.db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let name = "Příloha ZoR – prezenční listiny účastníků vzdělávacího kurzu v Ústí nad Orlicí.pdf";
    let file = h.write_file(name, PDF);
    h.client.set_window_size(390, 900).await.unwrap();
    h.open(&format!("/projekty/{noe}/obdobi/{period}")).await;
    h.wait_until_text("no documents", |t| t.contains("Zatím žádné dokumenty"))
        .await;
    send(&h, "form[data-testid='document-upload']", &file, "nahran").await;
    notice(&h, "Dokument byl nahrán.").await;
    let item = h
        .find("li[data-testid='document']")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        item.contains(name) && item.contains("verze 1") && item.contains("PDF"),
        "{item}"
    );
    assert!(
        item.contains("51\u{a0}B") || item.contains("51 B"),
        "{item}"
    );
    assert!(item.contains(e2e::TEST_USER), "who uploaded it: {item}");
    let (scroll, window) = crate::narrow::widths(&h).await;
    assert!(scroll <= window, "{scroll} px in a {window} px window");

    // A new version; the first stays listed under the older versions.
    let png = h.write_file("sken.png", PNG);
    h.find("li[data-testid='document'] details.document-action summary")
        .await
        .click()
        .await
        .unwrap();
    send(
        &h,
        "li[data-testid='document'] form.inline-form",
        &png,
        "verze",
    )
    .await;
    notice(&h, "Nová verze dokumentu byla nahrána").await;
    let item = h
        .find("li[data-testid='document']")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        item.contains("verze 2") && item.contains("obrázek PNG"),
        "{item}"
    );
    assert!(item.contains("Starší verze (1)"), "{item}");

    // Deleting by keyboard: the "Smazat" summary opens the confirmation, Enter on its button deletes.
    let summaries = h
        .client
        .find_all(fantoccini::Locator::Css(
            "li[data-testid='document'] details.document-action summary",
        ))
        .await
        .unwrap();
    let delete = summaries.last().unwrap();
    assert_eq!(delete.text().await.unwrap(), "Smazat");
    delete.send_keys("\u{E007}").await.unwrap();
    let confirm = h.find("form.confirm button[type='submit']").await;
    assert!(
        confirm.is_displayed().await.unwrap(),
        "Enter opens the confirmation"
    );
    confirm.send_keys("\u{E007}").await.unwrap();
    h.wait_for_path(|p| p.contains("dokumenty=smazan")).await;
    h.wait_hydrated().await;
    notice(&h, "Dokument byl smazán.").await;
    h.wait_until_text("no documents", |t| t.contains("Zatím žádné dokumenty"))
        .await;
    h.close().await;
}
