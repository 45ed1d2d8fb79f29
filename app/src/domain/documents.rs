//! Documents and attachments (*dokumenty a přílohy*): the grant decision, ZoR attachments, invoices and
//! contracts kept next to the data they back. Pure rules: which types are allowed (decided by the content,
//! never by the name or the browser's word), the safe name a download is offered under, sizes in Czech
//! units, and who may attach, replace and delete.
//!
//! Allowed: PDF; images (PNG, JPEG, GIF, WebP); office files: legacy OLE2 (`.doc`, `.xls`, `.ppt`),
//! OOXML (`.docx`, `.xlsx`, `.pptx`: ZIP containers with `[Content_Types].xml` and a `word/`, `xl/` or
//! `ppt/` part) and OpenDocument (ZIP containers whose `mimetype` entry names the type). A plain ZIP and
//! anything else are refused.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::finance::format_decimal;
use super::roles::Viewer;

/// The message for a file of a type that is not allowed (a plain ZIP included).
pub const REFUSED_TYPE: &str = "Soubor není povoleného typu. Nahrajte PDF, obrázek (PNG, JPEG, GIF, \
     WebP) nebo dokument Word, Excel, PowerPoint či OpenDocument; archivy ZIP a jiné soubory nahrát nelze.";

/// An allowed type of document, as detected from the content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    Pdf,
    Png,
    Jpeg,
    Gif,
    Webp,
    /// Word 97–2003 (OLE2).
    Doc,
    /// Excel 97–2003 (OLE2).
    Xls,
    /// PowerPoint 97–2003 (OLE2).
    Ppt,
    Docx,
    Xlsx,
    Pptx,
    Odt,
    Ods,
    Odp,
}

impl FileKind {
    /// Every allowed type.
    pub const ALL: [FileKind; 14] = [
        Self::Pdf,
        Self::Png,
        Self::Jpeg,
        Self::Gif,
        Self::Webp,
        Self::Doc,
        Self::Xls,
        Self::Ppt,
        Self::Docx,
        Self::Xlsx,
        Self::Pptx,
        Self::Odt,
        Self::Ods,
        Self::Odp,
    ];

    /// Stable code stored in the database: the usual extension (`pdf`, `docx`, …).
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::Pdf => "pdf",
            Self::Png => "png",
            Self::Jpeg => "jpg",
            Self::Gif => "gif",
            Self::Webp => "webp",
            Self::Doc => "doc",
            Self::Xls => "xls",
            Self::Ppt => "ppt",
            Self::Docx => "docx",
            Self::Xlsx => "xlsx",
            Self::Pptx => "pptx",
            Self::Odt => "odt",
            Self::Ods => "ods",
            Self::Odp => "odp",
        }
    }

    /// The type of a stored code.
    #[must_use]
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The `Content-Type` a download is sent with.
    #[must_use]
    pub fn mime(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Png => "image/png",
            Self::Jpeg => "image/jpeg",
            Self::Gif => "image/gif",
            Self::Webp => "image/webp",
            Self::Doc => "application/msword",
            Self::Xls => "application/vnd.ms-excel",
            Self::Ppt => "application/vnd.ms-powerpoint",
            Self::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Self::Pptx => {
                "application/vnd.openxmlformats-officedocument.presentationml.presentation"
            }
            Self::Odt => "application/vnd.oasis.opendocument.text",
            Self::Ods => "application/vnd.oasis.opendocument.spreadsheet",
            Self::Odp => "application/vnd.oasis.opendocument.presentation",
        }
    }

    /// Czech name of the type, for lists: `PDF`, `obrázek PNG`, `Word (DOCX)`.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Pdf => "PDF",
            Self::Png => "obrázek PNG",
            Self::Jpeg => "obrázek JPEG",
            Self::Gif => "obrázek GIF",
            Self::Webp => "obrázek WebP",
            Self::Doc => "Word (DOC)",
            Self::Xls => "Excel (XLS)",
            Self::Ppt => "PowerPoint (PPT)",
            Self::Docx => "Word (DOCX)",
            Self::Xlsx => "Excel (XLSX)",
            Self::Pptx => "PowerPoint (PPTX)",
            Self::Odt => "OpenDocument text (ODT)",
            Self::Ods => "OpenDocument tabulka (ODS)",
            Self::Odp => "OpenDocument prezentace (ODP)",
        }
    }
}

/// What the first bytes of a file say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    /// A type known from its signature alone.
    Kind(FileKind),
    /// A ZIP container: its entries decide ([`kind_of_zip`]).
    Zip,
    /// An OLE2 compound file: its streams decide ([`kind_of_ole2`]).
    Ole2,
    /// Nothing allowed.
    Unknown,
}

const OLE2: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Reads the signature (magic bytes) at the start of a file.
#[must_use]
pub fn sniff(head: &[u8]) -> Sniffed {
    if head.starts_with(b"%PDF-") {
        Sniffed::Kind(FileKind::Pdf)
    } else if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        Sniffed::Kind(FileKind::Png)
    } else if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Sniffed::Kind(FileKind::Jpeg)
    } else if head.starts_with(b"GIF87a") || head.starts_with(b"GIF89a") {
        Sniffed::Kind(FileKind::Gif)
    } else if head.len() >= 12 && head.starts_with(b"RIFF") && &head[8..12] == b"WEBP" {
        Sniffed::Kind(FileKind::Webp)
    } else if head.starts_with(b"PK\x03\x04") {
        Sniffed::Zip
    } else if head.starts_with(OLE2) {
        Sniffed::Ole2
    } else {
        Sniffed::Unknown
    }
}

/// The office type of a ZIP container from its entry names and the content of its `mimetype` entry
/// (OpenDocument); `None` for a plain ZIP or any other container.
#[must_use]
pub fn kind_of_zip<'a>(
    entries: impl IntoIterator<Item = &'a str>,
    mimetype: Option<&str>,
) -> Option<FileKind> {
    if let Some(m) = mimetype.map(str::trim) {
        return [FileKind::Odt, FileKind::Ods, FileKind::Odp]
            .into_iter()
            .find(|k| k.mime() == m);
    }
    let (mut types, mut word, mut xl, mut ppt) = (false, false, false, false);
    for name in entries {
        types |= name == "[Content_Types].xml";
        word |= name.starts_with("word/");
        xl |= name.starts_with("xl/");
        ppt |= name.starts_with("ppt/");
    }
    match (types, word, xl, ppt) {
        (true, true, false, false) => Some(FileKind::Docx),
        (true, false, true, false) => Some(FileKind::Xlsx),
        (true, false, false, true) => Some(FileKind::Pptx),
        _ => None,
    }
}

/// The office type of an OLE2 compound file, from the names of its streams (stored in UTF-16LE in its
/// directory): `WordDocument`, `Workbook` (or `Book`), `PowerPoint Document`. `None` for other OLE2
/// files (Outlook messages, installers, …).
#[must_use]
pub fn kind_of_ole2(bytes: &[u8]) -> Option<FileKind> {
    let has = |name: &str| {
        let utf16: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
        bytes.windows(utf16.len()).any(|w| w == utf16.as_slice())
    };
    if has("WordDocument") {
        Some(FileKind::Doc)
    } else if has("Workbook") || has("Book\0") {
        Some(FileKind::Xls)
    } else if has("PowerPoint Document") {
        Some(FileKind::Ppt)
    } else {
        None
    }
}

/// The most characters of a file name kept.
pub const MAX_NAME_CHARS: usize = 200;

/// A file name safe to store and show: the last part of a path (`C:\a\b.pdf` → `b.pdf`), without
/// control characters, quotes, slashes or backslashes, trimmed, at most [`MAX_NAME_CHARS`] characters;
/// `dokument` when nothing is left.
#[must_use]
pub fn safe_file_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or(raw);
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '\'' | '/' | '\\' | ';'))
        .take(MAX_NAME_CHARS)
        .collect();
    let trimmed = cleaned.trim().trim_start_matches('.').trim();
    if trimmed.is_empty() {
        "dokument".to_owned()
    } else {
        trimmed.to_owned()
    }
}

/// The ASCII form of a name for old clients: Czech letters without their accents, any other non-ASCII
/// character (and anything unsafe) as `_`: `Smlouva č. 5.pdf` → `Smlouva c. 5.pdf`.
#[must_use]
pub fn ascii_file_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in safe_file_name(name).chars() {
        if c.is_ascii() {
            out.push(c);
            continue;
        }
        let lower: String = c.to_lowercase().collect();
        match lower.chars().next().and_then(super::text::fold_char) {
            Some(folded) if c.is_uppercase() => out.push_str(&folded.to_uppercase()),
            Some(folded) => out.push_str(folded),
            None => out.push('_'),
        }
    }
    out
}

/// The `Content-Disposition` of a download: `attachment` with the ASCII name and, per RFC 5987/6266,
/// the full UTF-8 name percent-encoded in `filename*`.
#[must_use]
pub fn content_disposition(name: &str) -> String {
    let safe = safe_file_name(name);
    let mut encoded = String::with_capacity(safe.len() * 3);
    for b in safe.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            encoded.push(char::from(b));
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!(
        "attachment; filename=\"{}\"; filename*=UTF-8''{encoded}",
        ascii_file_name(&safe)
    )
}

/// A size in Czech units (binary multiples, one decimal place at most): `850 B`, `12,5 kB`, `3 MB`.
#[must_use]
pub fn format_size(bytes: u64) -> String {
    const NBSP: char = '\u{a0}';
    let units = ["kB", "MB", "GB"];
    if bytes < 1024 {
        return format!("{bytes}{NBSP}B");
    }
    let mut value = Decimal::from(bytes) / Decimal::from(1024);
    let mut unit = units[0];
    for next in &units[1..] {
        if value < Decimal::from(1024) {
            break;
        }
        value /= Decimal::from(1024);
        unit = next;
    }
    format!(
        "{}{NBSP}{unit}",
        format_decimal(value.round_dp_with_strategy(1, super::money::ROUNDING))
    )
}

/// What a document belongs to (besides its project).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Attachment {
    /// The project itself (the grant decision, contracts).
    Project,
    /// A monitoring period (ZoR attachments).
    Period(i32),
    /// An expenditure of the ledger (invoices, receipts).
    Expenditure(i32),
}

impl Attachment {
    /// From the stored columns.
    #[must_use]
    pub fn of(period_id: Option<i32>, expenditure_id: Option<i32>) -> Self {
        match (period_id, expenditure_id) {
            (_, Some(e)) => Self::Expenditure(e),
            (Some(p), None) => Self::Period(p),
            (None, None) => Self::Project,
        }
    }
}

/// May attach documents to (and upload new versions of documents of) `to` in `project_id`: the project's
/// team (its manager, its finance officers) for the project and its periods, finance officers for
/// expenditures, as for the records themselves.
#[must_use]
pub fn can_attach(viewer: &Viewer, project_id: i32, to: Attachment) -> bool {
    match to {
        Attachment::Project | Attachment::Period(_) => viewer.can_answer_review(project_id),
        Attachment::Expenditure(_) => viewer.can_edit_finance(project_id),
    }
}

/// May delete a document: an admin, or whoever uploaded it while they may still attach to it.
#[must_use]
pub fn can_delete(viewer: &Viewer, project_id: i32, to: Attachment, owner_id: Option<i32>) -> bool {
    viewer.is_admin() || (owner_id == Some(viewer.id) && can_attach(viewer, project_id, to))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::roles::Role;

    #[test]
    fn types_are_told_by_their_signatures() {
        assert_eq!(sniff(b"%PDF-1.7\n"), Sniffed::Kind(FileKind::Pdf));
        assert_eq!(
            sniff(b"\x89PNG\r\n\x1a\n...."),
            Sniffed::Kind(FileKind::Png)
        );
        assert_eq!(
            sniff(&[0xFF, 0xD8, 0xFF, 0xE0]),
            Sniffed::Kind(FileKind::Jpeg)
        );
        assert_eq!(sniff(b"GIF89a.."), Sniffed::Kind(FileKind::Gif));
        assert_eq!(
            sniff(b"RIFF\x10\0\0\0WEBPVP8 "),
            Sniffed::Kind(FileKind::Webp)
        );
        assert_eq!(sniff(b"RIFF\x10\0\0\0WAVEfmt "), Sniffed::Unknown);
        assert_eq!(sniff(b"PK\x03\x04rest"), Sniffed::Zip);
        assert_eq!(sniff(OLE2), Sniffed::Ole2);
        assert_eq!(sniff(b"MZ\x90\0"), Sniffed::Unknown, "an .exe");
        assert_eq!(
            sniff(b"<html>%PDF-"),
            Sniffed::Unknown,
            "the signature must start the file"
        );
        assert_eq!(sniff(b""), Sniffed::Unknown);
    }

    #[test]
    fn zip_containers_are_office_files_only_with_their_parts() {
        let docx = ["[Content_Types].xml", "_rels/.rels", "word/document.xml"];
        assert_eq!(kind_of_zip(docx, None), Some(FileKind::Docx));
        let xlsx = ["[Content_Types].xml", "xl/workbook.xml"];
        assert_eq!(kind_of_zip(xlsx, None), Some(FileKind::Xlsx));
        let pptx = ["[Content_Types].xml", "ppt/presentation.xml"];
        assert_eq!(kind_of_zip(pptx, None), Some(FileKind::Pptx));
        assert_eq!(
            kind_of_zip(["word/document.xml"], None),
            None,
            "no content types"
        );
        assert_eq!(
            kind_of_zip(["faktura.pdf", "readme.txt"], None),
            None,
            "a plain ZIP"
        );
        let odt = "application/vnd.oasis.opendocument.text";
        assert_eq!(
            kind_of_zip(["mimetype", "content.xml"], Some(odt)),
            Some(FileKind::Odt)
        );
        assert_eq!(
            kind_of_zip(["mimetype"], Some("application/epub+zip")),
            None
        );
    }

    #[test]
    fn ole2_files_are_told_by_their_streams() {
        let stream = |name: &str| -> Vec<u8> {
            let mut b = OLE2.to_vec();
            b.extend(name.encode_utf16().flat_map(u16::to_le_bytes));
            b
        };
        assert_eq!(kind_of_ole2(&stream("WordDocument")), Some(FileKind::Doc));
        assert_eq!(kind_of_ole2(&stream("Workbook")), Some(FileKind::Xls));
        assert_eq!(
            kind_of_ole2(&stream("PowerPoint Document")),
            Some(FileKind::Ppt)
        );
        assert_eq!(
            kind_of_ole2(&stream("__substg1.0_")),
            None,
            "an Outlook message"
        );
    }

    #[test]
    fn codes_round_trip() {
        for k in FileKind::ALL {
            assert_eq!(FileKind::from_code(k.code()), Some(k));
        }
        assert_eq!(FileKind::from_code("zip"), None);
    }

    #[test]
    fn file_names_are_made_safe() {
        assert_eq!(
            safe_file_name("C:\\Users\\jana\\Faktura 1.pdf"),
            "Faktura 1.pdf"
        );
        assert_eq!(safe_file_name("../../etc/passwd"), "passwd");
        assert_eq!(safe_file_name("a\"b\r\n;c'.pdf"), "abc.pdf");
        assert_eq!(safe_file_name("  "), "dokument");
        assert_eq!(safe_file_name(".htaccess"), "htaccess");
        assert_eq!(
            safe_file_name(&"x".repeat(500)).chars().count(),
            MAX_NAME_CHARS
        );
        assert_eq!(
            ascii_file_name("Smlouva č. 5 – Úřad.pdf"),
            "Smlouva c. 5 _ Urad.pdf"
        );
    }

    #[test]
    fn downloads_name_the_file_in_ascii_and_in_utf8() {
        assert_eq!(
            content_disposition("Rozhodnutí o poskytnutí dotace.pdf"),
            "attachment; filename=\"Rozhodnuti o poskytnuti dotace.pdf\"; \
             filename*=UTF-8''Rozhodnut%C3%AD%20o%20poskytnut%C3%AD%20dotace.pdf"
        );
        let evil = content_disposition("a\"; filename=x.exe\r\n.pdf");
        assert!(
            !evil.contains('\r') && !evil.contains("\"; filename=x"),
            "{evil}"
        );
    }

    #[test]
    fn sizes_are_in_czech_units() {
        assert_eq!(format_size(850), "850\u{a0}B");
        assert_eq!(format_size(1024), "1\u{a0}kB");
        assert_eq!(format_size(12_800), "12,5\u{a0}kB");
        assert_eq!(format_size(20 * 1024 * 1024), "20\u{a0}MB");
        assert_eq!(format_size(1_610_612_736), "1,5\u{a0}GB");
    }

    #[test]
    fn the_team_attaches_finance_attaches_to_expenditures_and_uploaders_or_admins_delete() {
        let v = |roles: &[Role]| Viewer {
            id: 5,
            roles: roles.to_vec(),
            projects: vec![7],
            ..Viewer::default()
        };
        let (manager, finance) = (v(&[Role::Manager]), v(&[Role::Finance]));
        let (reviewer, admin) = (v(&[Role::Reviewer]), v(&[Role::Admin]));
        assert!(can_attach(&manager, 7, Attachment::Period(1)));
        assert!(!can_attach(&manager, 7, Attachment::Expenditure(1)));
        assert!(can_attach(&finance, 7, Attachment::Expenditure(1)));
        assert!(
            !can_attach(&finance, 8, Attachment::Project),
            "not their project"
        );
        assert!(!can_attach(&reviewer, 7, Attachment::Project));
        assert!(!can_attach(&admin, 7, Attachment::Project));
        assert!(can_delete(&manager, 7, Attachment::Project, Some(5)));
        assert!(
            !can_delete(&manager, 7, Attachment::Project, Some(6)),
            "someone else's"
        );
        assert!(can_delete(&admin, 7, Attachment::Project, Some(6)));
        assert!(!can_delete(&reviewer, 7, Attachment::Project, Some(5)));
    }
}
