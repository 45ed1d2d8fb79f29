//! The type of an uploaded file, from its content: the signature first, then, for ZIP and OLE2
//! containers, what is inside (see [`crate::domain::documents`]).

use std::io::{Cursor, Read};

use crate::domain::documents::{kind_of_ole2, kind_of_zip, sniff, FileKind, Sniffed};

/// The allowed type of `bytes`, or `None` (a plain ZIP, a damaged container, anything else). Reads only
/// the ZIP's directory and its small `mimetype` entry, never expands the rest.
#[must_use]
pub fn detect(bytes: &[u8]) -> Option<FileKind> {
    match sniff(bytes) {
        Sniffed::Kind(kind) => Some(kind),
        Sniffed::Ole2 => kind_of_ole2(bytes),
        Sniffed::Unknown => None,
        Sniffed::Zip => {
            let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
            let mimetype = match archive.by_name("mimetype") {
                Ok(entry) => {
                    let mut text = String::new();
                    entry.take(128).read_to_string(&mut text).ok()?;
                    Some(text)
                }
                Err(_) => None,
            };
            let names: Vec<String> = archive
                .file_names()
                .map(|n| n.map(|n| n.into_owned()))
                .collect::<Result<_, _>>()
                .ok()?;
            kind_of_zip(names.iter().map(String::as_str), mimetype.as_deref())
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_of(entries: &[(&str, &str)]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, body) in entries {
            w.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            w.write_all(body.as_bytes()).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn office_containers_are_recognised_and_a_plain_zip_is_not() {
        let docx = zip_of(&[
            ("[Content_Types].xml", "<Types/>"),
            ("word/document.xml", "<w/>"),
        ]);
        assert_eq!(detect(&docx), Some(FileKind::Docx));
        let ods = zip_of(&[
            ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
            ("content.xml", "<x/>"),
        ]);
        assert_eq!(detect(&ods), Some(FileKind::Ods));
        assert_eq!(detect(&zip_of(&[("faktura.pdf", "%PDF-1.4")])), None);
        assert_eq!(detect(b"PK\x03\x04 damaged"), None);
        assert_eq!(detect(b"%PDF-1.7 x"), Some(FileKind::Pdf));
    }
}
