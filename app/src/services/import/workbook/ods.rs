//! The row limit of an `.ods` sheet, checked on `content.xml` as a stream before calamine loads the
//! sheet whole.

use std::io::Cursor;

use crate::services::import::ImportError;

/// Refuses an `.ods` whose sheet has content at or beyond row `max_rows`, reading `content.xml` as a
/// stream (flat memory). Rows without any value (LibreOffice writes the empty rest of a sheet as one row
/// repeated a million times) do not count.
pub(super) fn check_ods_rows(bytes: &[u8], max_rows: u32) -> Result<(), ImportError> {
    use quick_xml::events::Event;
    let corrupt = |detail: &str| ImportError::Corrupt {
        detail: detail.to_owned(),
    };
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| corrupt("poškozený archiv ZIP"))?;
    let content = archive
        .by_name("content.xml")
        .map_err(|_| corrupt("chybí content.xml"))?;
    let mut reader = quick_xml::Reader::from_reader(std::io::BufReader::new(content));
    let mut buf = Vec::new();
    let mut sheet = String::new();
    let (mut row, mut repeat, mut in_row, mut has_content) = (0_u64, 1_u64, false, false);
    let attr = |e: &quick_xml::events::BytesStart<'_>, name: &str| -> Option<String> {
        e.try_get_attribute(name)
            .ok()
            .flatten()
            .map(|a| a.value.to_string())
    };
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| corrupt(&format!("content.xml: {e}")))?;
        match event {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == "table:table" => {
                sheet = attr(&e, "table:name").unwrap_or_default();
                row = 0;
            }
            Event::Start(e) if e.name().as_ref() == "table:table-row" => {
                repeat = attr(&e, "table:number-rows-repeated")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(1);
                in_row = true;
                has_content = false;
            }
            Event::Empty(e) if e.name().as_ref() == "table:table-row" => {
                row = row.saturating_add(
                    attr(&e, "table:number-rows-repeated")
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(1),
                );
            }
            Event::Start(e) | Event::Empty(e)
                if in_row
                    && e.name().as_ref() == "table:table-cell"
                    && attr(&e, "office:value-type").is_some() =>
            {
                has_content = true;
            }
            Event::Text(t) if in_row && !t.trim().is_empty() => {
                has_content = true;
            }
            Event::GeneralRef(_) if in_row => has_content = true,
            Event::End(e) if e.name().as_ref() == "table:table-row" => {
                in_row = false;
                let last = row.saturating_add(repeat.saturating_sub(1));
                if has_content && last >= u64::from(max_rows) {
                    return Err(ImportError::TooManyRows {
                        sheet,
                        limit: max_rows,
                    });
                }
                row = row.saturating_add(repeat);
            }
            _ => {}
        }
        buf.clear();
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::io::Write as _;

    /// A minimal `.ods` whose one sheet has `rows` rows with a value, then the empty rest of the sheet
    /// as LibreOffice writes it (one empty row repeated a million times).
    fn ods(rows: usize) -> Vec<u8> {
        let mut xml = String::from(
            "<?xml version=\"1.0\"?><office:document-content><office:body><office:spreadsheet>\
             <table:table table:name=\"List1\">",
        );
        for i in 0..rows {
            xml.push_str(&format!(
                "<table:table-row><table:table-cell office:value-type=\"float\" office:value=\"{i}\">\
                 <text:p>{i}</text:p></table:table-cell></table:table-row>"
            ));
        }
        xml.push_str(
            "<table:table-row table:number-rows-repeated=\"1048570\"><table:table-cell/></table:table-row>\
             </table:table></office:spreadsheet></office:body></office:document-content>",
        );
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        w.start_file("content.xml", zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(xml.as_bytes()).unwrap();
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn an_ods_sheet_over_the_row_limit_is_refused_before_it_is_loaded() {
        let file = ods(5);
        assert!(
            check_ods_rows(&file, 5).is_ok(),
            "rows 1–5 within a limit of 5"
        );
        assert!(
            check_ods_rows(&file, 100).is_ok(),
            "the empty rest does not count"
        );
        let refused = check_ods_rows(&file, 4);
        assert!(
            matches!(refused, Err(ImportError::TooManyRows { ref sheet, limit: 4 }) if sheet == "List1"),
            "{refused:?}"
        );
    }
}
