//! The first rows of each sheet, read before the sheets themselves so that they can be read in the order
//! their rank gives (the importer ranks a sheet by the kind its header row names).

use std::io::{Read, Seek};

use calamine::{Reader, Xlsx};

use super::cell::{from_data, from_data_ref};
use super::{xlsx_error, Cell};
use crate::services::import::ImportError;

/// Rows at the top of a sheet that [`super::ReadLimits::order`] sees (the header row is searched there).
pub const HEAD_ROWS: u32 = 20;

/// The non-empty rows among the first [`HEAD_ROWS`] of a sheet: zero-based index and cells.
pub type Head = Vec<(u32, Vec<Cell>)>;

/// Sheet names in the order of their rank (lowest first), the workbook's order among equal ranks, each
/// with its position in the workbook.
pub(super) fn ordered(
    names: Vec<String>,
    mut head: impl FnMut(&str) -> Result<Head, ImportError>,
    rank: fn(&Head) -> u8,
) -> Result<Vec<(usize, String)>, ImportError> {
    let mut ranked = Vec::with_capacity(names.len());
    for (index, name) in names.into_iter().enumerate() {
        let r = rank(&head(&name)?);
        ranked.push((r, index, name));
    }
    ranked.sort_by_key(|(r, index, _)| (*r, *index));
    Ok(ranked.into_iter().map(|(_, i, n)| (i, n)).collect())
}

/// The first rows of an `.xlsx` sheet, streamed (the rest is not read).
pub(super) fn head_xlsx<RS: Read + Seek>(
    workbook: &mut Xlsx<RS>,
    name: &str,
    date1904: bool,
) -> Result<Head, ImportError> {
    let mut reader = workbook.worksheet_cells_reader(name).map_err(xlsx_error)?;
    let mut head: Head = Vec::new();
    while let Some(cell) = reader.next_cell().map_err(xlsx_error)? {
        let (row, col) = cell.get_position();
        if row >= HEAD_ROWS {
            break;
        }
        let value = from_data_ref(cell.get_value().clone(), date1904);
        let col = col as usize;
        if value.is_blank() || col >= 16_384 {
            continue;
        }
        if head.last().is_none_or(|(r, _)| *r != row) {
            head.push((row, Vec::new()));
        }
        if let Some((_, cells)) = head.last_mut() {
            if cells.len() <= col {
                cells.resize(col + 1, Cell::Empty);
            }
            cells[col] = value;
        }
    }
    Ok(head)
}

/// The first rows of a sheet read whole (`.xls`, `.ods`).
pub(super) fn head_range<RS: Read + Seek, R: Reader<RS>>(
    workbook: &mut R,
    name: &str,
    date1904: bool,
) -> Result<Head, ImportError>
where
    R::Error: std::fmt::Display,
{
    let range = workbook
        .worksheet_range(name)
        .map_err(|e| ImportError::Corrupt {
            detail: e.to_string(),
        })?;
    let (start_row, start_col) = range.start().unwrap_or((0, 0));
    let mut head: Head = Vec::new();
    for (offset, row) in range.rows().enumerate() {
        let row_index = start_row.saturating_add(u32::try_from(offset).unwrap_or(u32::MAX));
        if row_index >= HEAD_ROWS {
            break;
        }
        let mut cells = vec![Cell::Empty; start_col as usize];
        cells.extend(row.iter().map(|v| from_data(v, date1904)));
        if cells.iter().any(|c| !c.is_blank()) {
            head.push((row_index, cells));
        }
    }
    Ok(head)
}
