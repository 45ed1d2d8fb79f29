//! Documents and attachments over HTTP (issue 15, point 2), on SQLite and PostgreSQL: upload, list,
//! download with the right headers, new versions with the old ones kept, deletion by the uploader or an
//! admin, the audit trail, and the refusals (type by content, size, another project's document).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};
use server::RunningServer;

use crate::http::{multipart, sign_in, PASSWORD};

const NOE: &str = "CZ.03.01.01/00/22_015/0002653";
const VNP: &str = "CZ.03.01.01/00/22_015/0002657";
/// The size limit of these tests (1 MB), so that refusals need no large bodies.
const MAX: u64 = 1024 * 1024;

const PDF: &[u8] = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0";

/// The demo data and users on `url`, served with documents in `dir/files`.
async fn serve(url: &str, dir: &Path) -> RunningServer {
    let db = server::open_database(url).await.unwrap();
    app::services::demo::load(&db, crate::common::today(), &crate::common::ruian_dir())
        .await
        .unwrap();
    app::services::demo::ensure_demo_users(&db, PASSWORD)
        .await
        .unwrap();
    db.close().await.unwrap();
    start(url, dir).await
}

async fn start(url: &str, dir: &Path) -> RunningServer {
    let mut settings = crate::http::settings(url.to_owned(), dir);
    settings.documents.max_bytes = MAX;
    server::start(&settings).await.unwrap()
}

fn temp_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tracker-docs-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `name::sqlite` and `name::postgres`: the body gets a running server with the demo data.
macro_rules! http_test {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;

            #[tokio::test]
            async fn sqlite() {
                let dir = temp_dir();
                let url = format!("sqlite://{}?mode=rwc", dir.join("t.sqlite").display());
                let app = serve(&url, &dir).await;
                ($body)(app, dir).await;
            }

            #[tokio::test]
            async fn postgres() {
                let pg = crate::common::postgres().await;
                let dir = temp_dir();
                let app = serve(&pg.url, &dir).await;
                let result = tokio::spawn(async move { ($body)(app, dir).await }).await;
                pg.cleanup().await;
                if let Err(e) = result {
                    std::panic::resume_unwind(e.into_panic());
                }
            }
        }
    };
}

async fn project(db: &DatabaseConnection, reg: &str) -> i32 {
    app::services::demo::project_id_by_registration(db, reg)
        .await
        .unwrap()
        .unwrap()
}

async fn a_period(db: &DatabaseConnection, project: i32) -> i32 {
    entity::monitoring_period::Entity::find()
        .filter(entity::monitoring_period::Column::ProjectId.eq(project))
        .one(db)
        .await
        .unwrap()
        .expect("demo periods")
        .id
}

async fn an_expenditure(db: &DatabaseConnection, project: i32) -> i32 {
    entity::expenditure::Entity::find()
        .filter(entity::expenditure::Column::ProjectId.eq(project))
        .one(db)
        .await
        .unwrap()
        .expect("demo expenditures")
        .id
}

/// The status and the `Location` of a response.
fn answer(resp: &reqwest::Response) -> (u16, String) {
    let location = resp
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (resp.status().as_u16(), location)
}

/// Posts a multipart upload of `bytes` named `name` to `path`; returns the status and the location.
async fn post_file(
    client: &reqwest::Client,
    app: &RunningServer,
    path: &str,
    name: &str,
    bytes: &[u8],
) -> (u16, String) {
    let (content_type, body) = multipart(name, bytes);
    let resp = client
        .post(format!("{}{path}", app.url()))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    answer(&resp)
}

/// Uploads a file that must be accepted; returns where the browser is sent back to.
async fn uploaded(
    client: &reqwest::Client,
    app: &RunningServer,
    path: &str,
    name: &str,
    bytes: &[u8],
) -> String {
    let (status, location) = post_file(client, app, path, name, bytes).await;
    assert_eq!(status, 303, "{path}: {location}");
    assert!(!location.contains("chyba"), "{path}: refused: {location}");
    location
}

async fn post(client: &reqwest::Client, app: &RunningServer, path: &str) -> (u16, String) {
    let resp = client
        .post(format!("{}{path}", app.url()))
        .send()
        .await
        .unwrap();
    answer(&resp)
}

async fn get(client: &reqwest::Client, app: &RunningServer, path: &str) -> reqwest::Response {
    client
        .get(format!("{}{path}", app.url()))
        .send()
        .await
        .unwrap()
}

/// The newest document of a project.
async fn newest(db: &DatabaseConnection, project: i32) -> entity::document::Model {
    use sea_orm::QueryOrder;
    entity::document::Entity::find()
        .filter(entity::document::Column::ProjectId.eq(project))
        .order_by_desc(entity::document::Column::Id)
        .one(db)
        .await
        .unwrap()
        .expect("a document")
}

/// Every stored file under `dir/files` (temporary files included).
fn stored_files(dir: &Path) -> Vec<PathBuf> {
    fn walk(p: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(p).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(&dir.join("files"), &mut out);
    out
}

/// The message a refused upload is sent back with.
fn message_of(location: &str) -> String {
    let encoded = location
        .split("dokumenty_chyba=")
        .nth(1)
        .unwrap_or_else(|| panic!("no message in {location}"))
        .split('#')
        .next()
        .unwrap();
    let bytes: Vec<u8> = {
        let mut out = Vec::new();
        let b = encoded.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'%' {
                out.push(u8::from_str_radix(&encoded[i + 1..i + 3], 16).unwrap());
                i += 3;
            } else {
                out.push(if b[i] == b'+' { b' ' } else { b[i] });
                i += 1;
            }
        }
        out
    };
    String::from_utf8(bytes).unwrap()
}

fn docx() -> Vec<u8> {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, body) in [
        ("[Content_Types].xml", "<Types/>"),
        ("word/document.xml", "<w:document/>"),
    ] {
        w.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(body.as_bytes()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn plain_zip() -> Vec<u8> {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    w.start_file("faktura.pdf", zip::write::SimpleFileOptions::default())
        .unwrap();
    w.write_all(PDF).unwrap();
    w.finish().unwrap().into_inner()
}

http_test!(
    a_document_is_uploaded_downloaded_versioned_and_deleted_with_its_audit_trail,
    |app: RunningServer, dir: PathBuf| async move {
        let db = app.db.clone();
        let noe = project(&db, NOE).await;
        let period = a_period(&db, noe).await;
        let manager = sign_in(&app, "manager@demo.cz").await;

        // Upload to the project: back to its page with a notice.
        let name = "Rozhodnutí o poskytnutí dotace.pdf";
        let location = uploaded(
            &manager,
            &app,
            &format!("/projekty/{noe}/dokumenty"),
            name,
            PDF,
        )
        .await;
        assert_eq!(
            location,
            format!("/projekty/{noe}?dokumenty=nahran#dokumenty")
        );
        let doc = newest(&db, noe).await;
        assert_eq!((doc.name.as_str(), doc.current_version), (name, 1));
        assert_eq!((doc.period_id, doc.expenditure_id), (None, None));
        assert_eq!(doc.owner_email, "manager@demo.cz");

        // Download: the detected type, a safe name in ASCII and UTF-8, nosniff, the same bytes.
        let resp = get(
            &manager,
            &app,
            &format!("/projekty/{noe}/dokumenty/{}", doc.id),
        )
        .await;
        assert_eq!(resp.status(), 200);
        let h = resp.headers().clone();
        assert_eq!(h["content-type"], "application/pdf");
        assert_eq!(
            h["content-disposition"],
            "attachment; filename=\"Rozhodnuti o poskytnuti dotace.pdf\"; \
             filename*=UTF-8''Rozhodnut%C3%AD%20o%20poskytnut%C3%AD%20dotace.pdf"
        );
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert!(h["cache-control"].to_str().unwrap().contains("no-store"));
        assert_eq!(resp.bytes().await.unwrap().as_ref(), PDF);

        // The same file attached to a period, under another name and a hostile path: stored once.
        let location = uploaded(
            &manager,
            &app,
            &format!("/projekty/{noe}/dokumenty?obdobi={period}"),
            "C:\\fakepath\\..\\ZoR příloha.pdf",
            PDF,
        )
        .await;
        assert_eq!(
            location,
            format!("/projekty/{noe}/obdobi/{period}?dokumenty=nahran#dokumenty")
        );
        let period_doc = newest(&db, noe).await;
        assert_eq!(period_doc.period_id, Some(period));
        assert_eq!(period_doc.name, "ZoR příloha.pdf");
        assert_eq!(
            stored_files(&dir).len(),
            1,
            "a file uploaded twice is stored once"
        );

        // The ZoR page lists the period's documents; the team gets the forms, a reviewer only the list.
        let reviewer = sign_in(&app, "reviewer@demo.cz").await;
        let zor = format!("/projekty/{noe}/obdobi/{period}");
        let html = get(&manager, &app, &zor).await.text().await.unwrap();
        assert!(
            html.contains("ZoR příloha.pdf") && html.contains("verze 1"),
            "{html}"
        );
        assert!(html.contains("data-testid=\"document-upload\"") && html.contains("Smazat"));
        assert!(html.contains(&format!("/projekty/{noe}/dokumenty/{}", period_doc.id)));
        let html = get(&reviewer, &app, &zor).await.text().await.unwrap();
        assert!(html.contains("ZoR příloha.pdf"));
        assert!(!html.contains("document-upload") && !html.contains("Nahrát novou verzi"));
        let html = get(&manager, &app, &format!("/projekty/{noe}"))
            .await
            .text()
            .await
            .unwrap();
        let section = html
            .split("data-testid=\"documents\"")
            .nth(1)
            .and_then(|rest| rest.split("</section>").next())
            .unwrap();
        assert!(
            section.contains(name) && !section.contains("ZoR příloha.pdf"),
            "the project's own: {section}"
        );

        // A reviewer reads (and downloads) but does not upload.
        let resp = get(
            &reviewer,
            &app,
            &format!("/projekty/{noe}/dokumenty/{}", doc.id),
        )
        .await;
        assert_eq!(resp.status(), 200);
        let (status, _) = post_file(
            &reviewer,
            &app,
            &format!("/projekty/{noe}/dokumenty"),
            "x.pdf",
            PDF,
        )
        .await;
        assert_eq!(status, 403);

        // A new version: the old one is kept and still downloadable.
        let location = uploaded(
            &manager,
            &app,
            &format!("/projekty/{noe}/dokumenty/{}/verze", doc.id),
            "Rozhodnutí – sken.png",
            PNG,
        )
        .await;
        assert_eq!(
            location,
            format!("/projekty/{noe}?dokumenty=verze#dokumenty")
        );
        let resp = get(
            &manager,
            &app,
            &format!("/projekty/{noe}/dokumenty/{}", doc.id),
        )
        .await;
        assert_eq!(resp.headers()["content-type"], "image/png");
        assert_eq!(resp.bytes().await.unwrap().as_ref(), PNG);
        let resp = get(
            &manager,
            &app,
            &format!("/projekty/{noe}/dokumenty/{}/verze/1", doc.id),
        )
        .await;
        assert_eq!(resp.status(), 200);
        assert_eq!(resp.headers()["content-type"], "application/pdf");
        assert_eq!(resp.bytes().await.unwrap().as_ref(), PDF);
        let resp = get(
            &manager,
            &app,
            &format!("/projekty/{noe}/dokumenty/{}/verze/3", doc.id),
        )
        .await;
        assert_eq!(resp.status(), 404);
        let versions = entity::document_version::Entity::find()
            .filter(entity::document_version::Column::DocumentId.eq(doc.id))
            .count(&db)
            .await
            .unwrap();
        assert_eq!(versions, 2);
        assert_eq!(stored_files(&dir).len(), 2);

        // Deleting: not by someone else of the team, nor by a reviewer; by the uploader.
        let finance = sign_in(&app, "finance@demo.cz").await;
        let delete = format!("/projekty/{noe}/dokumenty/{}/smazat", doc.id);
        assert_eq!(post(&finance, &app, &delete).await.0, 403);
        assert_eq!(post(&reviewer, &app, &delete).await.0, 403);
        let (status, location) = post(&manager, &app, &delete).await;
        assert_eq!(
            (status, location.as_str()),
            (303, &*format!("/projekty/{noe}?dokumenty=smazan#dokumenty"))
        );
        let resp = get(
            &manager,
            &app,
            &format!("/projekty/{noe}/dokumenty/{}", doc.id),
        )
        .await;
        assert_eq!(resp.status(), 404);
        assert_eq!(
            stored_files(&dir).len(),
            1,
            "the PNG nobody refers to is removed; the PDF of the period's document stays"
        );
        // An admin deletes anyone's document.
        let admin = sign_in(&app, "admin@demo.cz").await;
        let delete = format!("/projekty/{noe}/dokumenty/{}/smazat", period_doc.id);
        assert_eq!(post(&admin, &app, &delete).await.0, 303);
        assert!(stored_files(&dir).is_empty());

        // The audit trail, in the user's words.
        let history = app::services::audit::project_history(&db, noe)
            .await
            .unwrap();
        let doc_entries: Vec<_> = history.iter().filter(|e| e.entity == "Dokument").collect();
        assert_eq!(doc_entries.len(), 5, "{doc_entries:#?}");
        let text = format!("{doc_entries:?}");
        for words in [
            "nahrání",
            "nová verze",
            "smazání",
            "Název souboru",
            "Velikost",
            "obrázek PNG",
        ] {
            assert!(text.contains(words), "{words}: {text}");
        }
        assert!(text.contains("manager@demo.cz") && text.contains("admin@demo.cz"));
        app.stop();
    }
);

http_test!(
    uploads_are_refused_by_content_size_and_project,
    |app: RunningServer, dir: PathBuf| async move {
        let db = app.db.clone();
        let (noe, vnp) = (project(&db, NOE).await, project(&db, VNP).await);
        let manager = sign_in(&app, "manager@demo.cz").await;
        let upload = format!("/projekty/{noe}/dokumenty");

        // Type by content, never by name: a plain ZIP, a program named .pdf, a text file.
        for (name, bytes) in [
            ("prilohy.zip", plain_zip()),
            ("faktura.pdf", b"MZ\x90\0\x03\0\0\0program".to_vec()),
            ("poznamka.docx", b"jen text".to_vec()),
        ] {
            let (status, location) = post_file(&manager, &app, &upload, name, &bytes).await;
            assert_eq!(status, 303, "{name}");
            assert!(location.starts_with(&format!("/projekty/{noe}?dokumenty_chyba=")));
            let message = message_of(&location);
            assert!(
                message.contains("není povoleného typu") && message.contains("ZIP"),
                "{message}"
            );
        }
        // An office file is told by its parts, whatever its name says.
        let (status, location) = post_file(&manager, &app, &upload, "smlouva.zip", &docx()).await;
        assert_eq!(
            (status, location.contains("nahran")),
            (303, true),
            "{location}"
        );
        let doc = newest(&db, noe).await;
        let resp = get(
            &manager,
            &app,
            &format!("/projekty/{noe}/dokumenty/{}", doc.id),
        )
        .await;
        assert_eq!(
            resp.headers()["content-type"],
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        );

        // Over the limit: a message naming it, both just over and far over the body limit.
        for size in [MAX as usize + 1, 3 * MAX as usize] {
            let mut big = PDF.to_vec();
            big.resize(size, b' ');
            let (status, location) = post_file(&manager, &app, &upload, "velky.pdf", &big).await;
            assert_eq!(status, 303, "{size}");
            assert!(
                message_of(&location).contains("povolených 1 MB"),
                "{location}"
            );
        }
        // Nothing chosen.
        let (_, location) = post_file(&manager, &app, &upload, "prazdny.pdf", b"").await;
        assert!(message_of(&location).contains("Vyberte soubor"));
        let documents = entity::document::Entity::find().count(&db).await.unwrap();
        assert_eq!(documents, 1, "only the office file was stored");
        assert_eq!(stored_files(&dir).len(), 1);

        // Another project's document under this project's address: 403, also for its versions and
        // for replacing or deleting it.
        let finance = sign_in(&app, "finance@demo.cz").await;
        uploaded(
            &finance,
            &app,
            &format!("/projekty/{vnp}/dokumenty"),
            "vnp.pdf",
            PDF,
        )
        .await;
        let theirs = newest(&db, vnp).await;
        for path in [
            format!("/projekty/{noe}/dokumenty/{}", theirs.id),
            format!("/projekty/{noe}/dokumenty/{}/verze/1", theirs.id),
        ] {
            assert_eq!(get(&finance, &app, &path).await.status(), 403, "{path}");
        }
        let (status, _) = post_file(
            &finance,
            &app,
            &format!("/projekty/{noe}/dokumenty/{}/verze", theirs.id),
            "x.pdf",
            PDF,
        )
        .await;
        assert_eq!(status, 403);
        let admin = sign_in(&app, "admin@demo.cz").await;
        let (status, _) = post(
            &admin,
            &app,
            &format!("/projekty/{noe}/dokumenty/{}/smazat", theirs.id),
        )
        .await;
        assert_eq!(status, 403);
        // A user who may not see the project gets 403, as everywhere in the app.
        let resp = get(
            &manager,
            &app,
            &format!("/projekty/{vnp}/dokumenty/{}", theirs.id),
        )
        .await;
        assert_eq!(resp.status(), 403);
        // A period of another project: not found.
        let their_period = a_period(&db, vnp).await;
        let (status, _) = post_file(
            &finance,
            &app,
            &format!("/projekty/{noe}/dokumenty?obdobi={their_period}"),
            "x.pdf",
            PDF,
        )
        .await;
        assert_eq!(status, 404);

        // Expenditures: finance officers attach invoices; a manager does not edit money.
        let spent = an_expenditure(&db, noe).await;
        let path = format!("/projekty/{noe}/dokumenty?vydaj={spent}");
        assert_eq!(post_file(&manager, &app, &path, "f.pdf", PDF).await.0, 403);
        let location = uploaded(&finance, &app, &path, "faktura.pdf", PDF).await;
        assert_eq!(
            location,
            format!("/projekty/{noe}/vydaje/{spent}?dokumenty=nahran#dokumenty")
        );
        assert_eq!(newest(&db, noe).await.expenditure_id, Some(spent));
        // The expenditure's page names it and lists its invoice; the ledger links to it.
        let page = location.split('?').next().unwrap();
        let html = get(&finance, &app, page).await.text().await.unwrap();
        assert!(
            html.contains("faktura.pdf") && html.contains("Kč"),
            "{html}"
        );
        let html = get(&finance, &app, &format!("/projekty/{noe}/vydaje"))
            .await
            .text()
            .await
            .unwrap();
        // (The ledger is paginated: any row's link to its page will do.)
        assert!(
            html.contains(&format!("href=\"/projekty/{noe}/vydaje/")),
            "the ledger links to each expenditure's documents"
        );
        // A refused upload comes back with its message on the page.
        let (_, location) = post_file(&finance, &app, &path, "x.zip", &plain_zip()).await;
        let html = get(&finance, &app, &location).await.text().await.unwrap();
        assert!(
            html.contains("documents-error") && html.contains("archivy ZIP"),
            "{html}"
        );
        app.stop();
    }
);

/// Two servers on one database and one shared directory: a file uploaded through one is downloaded
/// through the other (nothing is kept in a process).
#[tokio::test]
async fn two_servers_sharing_the_directory_serve_the_same_files() {
    let dir = temp_dir();
    let url = format!("sqlite://{}?mode=rwc", dir.join("t.sqlite").display());
    let first = serve(&url, &dir).await;
    let second = start(&url, &dir).await;
    let noe = project(&first.db, NOE).await;
    let manager = sign_in(&first, "manager@demo.cz").await;
    uploaded(
        &manager,
        &first,
        &format!("/projekty/{noe}/dokumenty"),
        "a.pdf",
        PDF,
    )
    .await;
    let doc = newest(&first.db, noe).await;
    let other = sign_in(&second, "manager@demo.cz").await;
    let resp = get(
        &other,
        &second,
        &format!("/projekty/{noe}/dokumenty/{}", doc.id),
    )
    .await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.bytes().await.unwrap().as_ref(), PDF);
    first.stop();
    second.stop();
}
