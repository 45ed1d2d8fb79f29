//! The documents of a project, a monitoring period (ZoR) or an expenditure: a list with name, version,
//! type, size, who uploaded it and when, older versions to download, and, for those who may, plain HTML
//! forms (multipart) that upload, replace and delete, each answered by a redirect back here whose notice
//! is said on the page's status line.

use super::{announce, ErrorBox, Loading};
use crate::api::get_documents;
use crate::domain::documents::{format_size, Attachment};
use crate::dto::documents::{DocumentDto, DocumentList};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// What the file picker offers (a hint only: the server decides by the content).
const ACCEPT: &str =
    ".pdf,.png,.jpg,.jpeg,.gif,.webp,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.odt,.ods,.odp";

/// The documents section (`#dokumenty`) of `to` in project `project_id`, under heading `title`.
#[component]
pub fn Documents(project_id: i32, to: Attachment, title: &'static str) -> impl IntoView {
    let query = use_query_map();
    let error = move || {
        query
            .with(|q| q.get("dokumenty_chyba"))
            .filter(|m| !m.is_empty())
    };
    Effect::new(move |_| {
        let notice = match query.with(|q| q.get("dokumenty")).as_deref() {
            Some("nahran") => "Dokument byl nahrán.",
            Some("verze") => {
                "Nová verze dokumentu byla nahrána; předchozí verze zůstávají ke stažení."
            }
            Some("smazan") => "Dokument byl smazán.",
            _ => return,
        };
        announce(notice);
    });
    let list = Resource::new(move || (project_id, to), |(p, t)| get_documents(p, t));
    view! {
        <section id="dokumenty" class="documents" aria-labelledby="dokumenty-nadpis" data-testid="documents">
            <h2 id="dokumenty-nadpis">{title}</h2>
            {move || error().map(|m| view! { <p class="error-box" role="alert" data-testid="documents-error">{m}</p> })}
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(l) => view! { <DocumentsBody l/> }.into_any(),
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn DocumentsBody(l: DocumentList) -> impl IntoView {
    let base = format!("/projekty/{}/dokumenty", l.project_id);
    let upload_action = match l.attachment {
        Attachment::Project => base.clone(),
        Attachment::Period(p) => format!("{base}?obdobi={p}"),
        Attachment::Expenditure(e) => format!("{base}?vydaj={e}"),
    };
    let limit = format_size(l.max_bytes);
    let items = if l.documents.is_empty() {
        view! { <p class="muted" data-testid="no-documents">"Zatím žádné dokumenty."</p> }
            .into_any()
    } else {
        view! {
            <ul class="document-list">
                {l.documents.into_iter().map(|d| view! { <DocumentItem d base=base.clone() limit=limit.clone()/> }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        {(!l.record.is_empty()).then(|| view! { <p class="muted">{l.record.clone()}</p> })}
        {items}
        {l.can_upload.then(|| view! {
            <form class="small-form upload" method="post" action=upload_action enctype="multipart/form-data" data-testid="document-upload">
                <label>"Nový dokument"
                    <input type="file" name="file" required accept=ACCEPT/>
                </label>
                <button type="submit" class="button primary">"Nahrát"</button>
                <p class="hint muted">{format!("PDF, obrázky (PNG, JPEG, GIF, WebP), dokumenty Word, Excel, PowerPoint a OpenDocument, nejvýše {limit}. Archivy ZIP nelze nahrát.")}</p>
            </form>
        })}
    }
}

#[component]
fn DocumentItem(d: DocumentDto, base: String, limit: String) -> impl IntoView {
    let href = format!("{base}/{}", d.id);
    let current = d.versions.first().cloned();
    let older: Vec<_> = d.versions.iter().skip(1).cloned().collect();
    let meta = current.as_ref().map(|v| {
        format!(
            "verze {} · {} · {} · nahrál(a) {}, {}",
            v.number,
            v.kind_label,
            format_size(v.size_bytes),
            v.uploaded_by,
            v.uploaded_at
        )
    });
    view! {
        <li class="document" data-testid="document">
            <a href=href.clone() download="">{d.name.clone()}</a>
            <p class="muted document-meta">{meta}</p>
            {(!older.is_empty()).then(|| view! {
                <details class="document-versions">
                    <summary>{format!("Starší verze ({})", older.len())}</summary>
                    <ul>{older.into_iter().map(|v| view! {
                        <li><a href=format!("{href}/verze/{}", v.number) download="">{format!("verze {}: {}", v.number, v.file_name)}</a>
                            <span class="muted">{format!(" · {} · {} · {}", format_size(v.size_bytes), v.uploaded_by, v.uploaded_at)}</span></li>
                    }).collect_view()}</ul>
                </details>
            })}
            {d.can_replace.then(|| view! {
                <details class="document-action">
                    <summary>"Nahrát novou verzi"</summary>
                    <form method="post" action=format!("{href}/verze") enctype="multipart/form-data" class="inline-form">
                        <label>{format!("Nová verze dokumentu {} (nejvýše {limit})", d.name)}
                            <input type="file" name="file" required accept=ACCEPT/>
                        </label>
                        <button type="submit" class="button">"Nahrát verzi"</button>
                    </form>
                </details>
            })}
            {d.can_delete.then(|| view! {
                <details class="document-action">
                    <summary>"Smazat"</summary>
                    <form method="post" action=format!("{href}/smazat") class="confirm">
                        <span>{format!("Smazat dokument {} se všemi verzemi?", d.name)}</span>
                        <button type="submit" class="button danger">"Ano, smazat"</button>
                    </form>
                </details>
            })}
        </li>
    }
}
