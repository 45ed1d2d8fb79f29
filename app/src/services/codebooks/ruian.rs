//! The RÚIAN code lists (ČÚZK open data: `UI_VUSC`, `UI_OKRES`, `UI_OBEC`, semicolon-separated,
//! Windows-1250): reading them and loading regions, districts and municipalities that are valid today.

#[allow(clippy::wildcard_imports)]
use super::*;
use chrono::NaiveDate;

/// What an import of the RÚIAN code lists loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuianCounts {
    pub regions: usize,
    pub districts: usize,
    pub municipalities: usize,
}

/// A problem in a code-list file, with file name and line number.
fn file_error(file: &str, line: usize, msg: impl std::fmt::Display) -> ServiceError {
    ServiceError::BadRequest(format!("{file}, řádek {line}: {msg}"))
}

/// Rows of a code-list file: line number and the values by header.
type CsvRows = Vec<(usize, BTreeMap<String, String>)>;

/// The text of a code-list file. The official files are Windows-1250; a file saved again as UTF-8 (with a
/// byte-order mark, or valid UTF-8 holding non-ASCII characters) is read as UTF-8. Every byte sequence
/// decodes in Windows-1250, so the encoding is told by UTF-8's validity, not by decoding errors:
/// Windows-1250 text with diacritics is practically never valid UTF-8. A plain ASCII file reads the same
/// either way.
///
/// # Errors
/// A file with a UTF-8 byte-order mark that is not valid UTF-8.
pub fn decode_code_list(file: &str, bytes: &[u8]) -> Result<String, ServiceError> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return String::from_utf8(rest.to_vec()).map_err(|_| {
            ServiceError::BadRequest(format!(
                "{file}: soubor začíná značkou UTF-8, ale není v kódování UTF-8."
            ))
        });
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(text.to_owned());
    }
    let (text, _, _) = encoding_rs::WINDOWS_1250.decode(bytes);
    Ok(text.into_owned())
}

/// A code-list date (`PLATI_DO`): `2024-12-31`, `31.12.2024`, `31. 12. 2024`, with or without a time
/// after it (`2024-12-31T00:00:00`, `31.12.2024 0:00:00`).
fn code_list_date(value: &str) -> Option<NaiveDate> {
    let value = value.trim();
    let date = value.split_once('T').map_or(value, |(d, _)| d);
    let date = match date.rsplit_once(' ') {
        Some((d, time)) if time.contains(':') => d,
        _ => date,
    };
    crate::domain::sheet_values::parse_date_text(date)
}

/// Reads one `;`-separated code-list file and returns its rows as maps of header → value, without the
/// rows that are no longer valid on `today` (their `PLATI_DO`, "valid until", is in the past).
fn read_code_list(
    dir: &Path,
    file: &str,
    required: &[&str],
    today: NaiveDate,
) -> Result<CsvRows, ServiceError> {
    let path = dir.join(file);
    let bytes = std::fs::read(&path).map_err(|e| {
        ServiceError::BadRequest(format!("Soubor {} nelze přečíst: {e}", path.display()))
    })?;
    let text = decode_code_list(file, &bytes)?;
    let mut lines = text.lines().enumerate();
    let header: Vec<String> = match lines.next() {
        Some((_, h)) => h
            .trim_start_matches('\u{feff}')
            .split(';')
            .map(|s| s.trim().to_string())
            .collect(),
        None => return Err(file_error(file, 1, "soubor je prázdný")),
    };
    for r in required {
        if !header.iter().any(|h| h == r) {
            return Err(file_error(
                file,
                1,
                format!("chybí sloupec {r} (hlavička: {})", header.join(";")),
            ));
        }
    }
    let mut rows = Vec::new();
    for (i, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        let values: Vec<&str> = line.split(';').collect();
        if values.len() != header.len() {
            return Err(file_error(
                file,
                i + 1,
                format!("očekáváno {} polí, nalezeno {}", header.len(), values.len()),
            ));
        }
        let row: BTreeMap<String, String> = header
            .iter()
            .cloned()
            .zip(values.iter().map(|v| v.trim().to_string()))
            .collect();
        match row.get("PLATI_DO").map(String::as_str) {
            None | Some("") => {}
            Some(until) => {
                let until = code_list_date(until).ok_or_else(|| {
                    file_error(file, i + 1, format!("PLATI_DO „{until}“ není datum"))
                })?;
                if until < today {
                    continue;
                }
            }
        }
        rows.push((i + 1, row));
    }
    Ok(rows)
}

fn int_field(
    file: &str,
    line: usize,
    row: &BTreeMap<String, String>,
    key: &str,
) -> Result<i32, ServiceError> {
    let v = row.get(key).map(String::as_str).unwrap_or_default();
    v.parse()
        .map_err(|_| file_error(file, line, format!("{key} „{v}“ není celé číslo")))
}

fn text_field(
    file: &str,
    line: usize,
    row: &BTreeMap<String, String>,
    key: &str,
) -> Result<String, ServiceError> {
    match row.get(key).map(String::as_str) {
        Some(v) if !v.is_empty() => Ok(v.to_string()),
        _ => Err(file_error(file, line, format!("{key} je prázdný"))),
    }
}

/// The three RÚIAN code lists read from a directory and checked, ready to store.
pub struct RuianLists {
    pub(crate) regions: Vec<region::ActiveModel>,
    pub(crate) districts: Vec<district::ActiveModel>,
    pub(crate) municipalities: Vec<municipality::ActiveModel>,
}

impl RuianLists {
    /// How many regions, districts and municipalities the lists hold.
    #[must_use]
    pub fn counts(&self) -> RuianCounts {
        RuianCounts {
            regions: self.regions.len(),
            districts: self.districts.len(),
            municipalities: self.municipalities.len(),
        }
    }
}

/// What to do with a code that is already stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExistingCodes {
    /// Take the file's name, district and region (an official import).
    Replace,
    /// Leave the stored row alone and only add the missing codes (the demo's shipped lists, which must
    /// not undo a newer official import).
    Keep,
}

/// Reads and checks `UI_VUSC.csv`, `UI_OKRES.csv` and `UI_OBEC.csv` (official ČÚZK RÚIAN layout, `;`,
/// Windows-1250 or UTF-8, see [`decode_code_list`]) from `dir`. Rows whose `PLATI_DO` is before `today`
/// (no longer valid) are skipped. Municipality codes are checked by their check digit.
///
/// # Errors
/// `BadRequest` naming file, line and problem (a missing file, column or district, a bad code).
pub fn read_ruian(dir: &Path, today: NaiveDate) -> Result<RuianLists, ServiceError> {
    let vusc = read_code_list(dir, "UI_VUSC.csv", &["KOD", "NAZEV", "NUTS_LAU"], today)?;
    let okres = read_code_list(
        dir,
        "UI_OKRES.csv",
        &["KOD", "NAZEV", "VUSC_KOD", "NUTS_LAU"],
        today,
    )?;
    let obec = read_code_list(dir, "UI_OBEC.csv", &["KOD", "NAZEV", "OKRES_KOD"], today)?;
    let mut regions = Vec::new();
    for (line, r) in &vusc {
        let f = "UI_VUSC.csv";
        regions.push(region::ActiveModel {
            code: Set(int_field(f, *line, r, "KOD")?),
            name: Set(text_field(f, *line, r, "NAZEV")?),
            nuts3: Set(text_field(f, *line, r, "NUTS_LAU")?),
        });
    }
    let region_codes: Vec<i32> = vusc
        .iter()
        .filter_map(|(_, r)| r.get("KOD")?.parse().ok())
        .collect();
    let mut districts = Vec::new();
    for (line, r) in &okres {
        let f = "UI_OKRES.csv";
        let region_code = int_field(f, *line, r, "VUSC_KOD")?;
        if !region_codes.contains(&region_code) {
            return Err(file_error(
                f,
                *line,
                format!("kraj {region_code} není v UI_VUSC.csv"),
            ));
        }
        districts.push(district::ActiveModel {
            code: Set(int_field(f, *line, r, "KOD")?),
            name: Set(text_field(f, *line, r, "NAZEV")?),
            region_code: Set(region_code),
            lau1: Set(text_field(f, *line, r, "NUTS_LAU")?),
        });
    }
    let district_codes: Vec<i32> = okres
        .iter()
        .filter_map(|(_, r)| r.get("KOD")?.parse().ok())
        .collect();
    let mut municipalities = Vec::new();
    for (line, r) in &obec {
        let f = "UI_OBEC.csv";
        let code_text = r.get("KOD").map(String::as_str).unwrap_or_default();
        let code = MunicipalityCode::parse(code_text).map_err(|e| file_error(f, *line, e))?;
        let district_code = int_field(f, *line, r, "OKRES_KOD")?;
        if !district_codes.contains(&district_code) {
            return Err(file_error(
                f,
                *line,
                format!("okres {district_code} není v UI_OKRES.csv"),
            ));
        }
        let name = text_field(f, *line, r, "NAZEV")?;
        municipalities.push(municipality::ActiveModel {
            code: Set(i32::try_from(code.value()).unwrap_or_default()),
            name_folded: Set(fold_for_search(&name)),
            name: Set(name),
            district_code: Set(district_code),
        });
    }
    Ok(RuianLists {
        regions,
        districts,
        municipalities,
    })
}

/// Stores read code lists in `db` (inside the caller's transaction): new codes are added, existing ones
/// updated or kept by `existing`, nothing removed (projects may refer to them).
///
/// # Errors
/// Database errors.
pub async fn store_ruian(
    db: &impl ConnectionTrait,
    lists: RuianLists,
    existing: ExistingCodes,
) -> Result<RuianCounts, ServiceError> {
    let counts = lists.counts();
    upsert_territory(
        db,
        lists.regions,
        lists.districts,
        lists.municipalities,
        existing,
    )
    .await?;
    Ok(counts)
}

/// Loads `UI_VUSC.csv`, `UI_OKRES.csv` and `UI_OBEC.csv` from `dir` (see [`read_ruian`]) in one
/// transaction: existing codes are updated, new ones added, nothing removed (projects may refer to
/// them). Any bad line aborts the whole import with its file and line number.
///
/// # Errors
/// `BadRequest` naming file, line and problem; database errors.
pub async fn import_ruian(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    dir: &Path,
    today: NaiveDate,
) -> Result<RuianCounts, ServiceError> {
    let lists = read_ruian(dir, today)?;
    let txn = crate::services::db::begin_write(db).await?;
    let counts = store_ruian(&txn, lists, ExistingCodes::Replace).await?;
    txn.commit().await?;
    Ok(counts)
}

/// Inserts regions, districts and municipalities in batches; codes already stored are updated or kept
/// by `existing`.
///
/// # Errors
/// Database errors.
pub async fn upsert_territory(
    db: &impl ConnectionTrait,
    regions: Vec<region::ActiveModel>,
    districts: Vec<district::ActiveModel>,
    municipalities: Vec<municipality::ActiveModel>,
    existing: ExistingCodes,
) -> Result<(), ServiceError> {
    const BATCH: usize = 500;
    let keep = existing == ExistingCodes::Keep;
    for chunk in regions.chunks(BATCH) {
        region::Entity::insert_many(chunk.to_vec())
            .on_conflict(if keep {
                OnConflict::column(region::Column::Code)
                    .do_nothing()
                    .to_owned()
            } else {
                OnConflict::column(region::Column::Code)
                    .update_columns([region::Column::Name, region::Column::Nuts3])
                    .to_owned()
            })
            .exec_without_returning(db)
            .await?;
    }
    for chunk in districts.chunks(BATCH) {
        district::Entity::insert_many(chunk.to_vec())
            .on_conflict(if keep {
                OnConflict::column(district::Column::Code)
                    .do_nothing()
                    .to_owned()
            } else {
                OnConflict::column(district::Column::Code)
                    .update_columns([
                        district::Column::Name,
                        district::Column::RegionCode,
                        district::Column::Lau1,
                    ])
                    .to_owned()
            })
            .exec_without_returning(db)
            .await?;
    }
    for chunk in municipalities.chunks(BATCH) {
        municipality::Entity::insert_many(chunk.to_vec())
            .on_conflict(if keep {
                OnConflict::column(municipality::Column::Code)
                    .do_nothing()
                    .to_owned()
            } else {
                OnConflict::column(municipality::Column::Code)
                    .update_columns([
                        municipality::Column::Name,
                        municipality::Column::NameFolded,
                        municipality::Column::DistrictCode,
                    ])
                    .to_owned()
            })
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 7, 1).unwrap()
    }

    #[test]
    fn a_code_list_is_read_as_utf8_when_it_is_utf8() {
        let text = "KOD;NAZEV\r\n562335;Děčín\r\n";
        let (cp1250, _, _) = encoding_rs::WINDOWS_1250.encode(text);
        assert_eq!(decode_code_list("f", &cp1250).unwrap(), text);
        assert_eq!(decode_code_list("f", text.as_bytes()).unwrap(), text);
        let bom = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
        assert_eq!(decode_code_list("f", &bom).unwrap(), text);
        let ascii = "KOD;NAZEV\r\n1;Most\r\n";
        assert_eq!(decode_code_list("f", ascii.as_bytes()).unwrap(), ascii);
        let broken = [b"\xEF\xBB\xBF".as_slice(), &cp1250].concat();
        assert!(decode_code_list("f", &broken).is_err());
    }

    #[test]
    fn rows_no_longer_valid_are_skipped() {
        let dir = std::env::temp_dir().join(format!("ruian-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        let text = "\u{feff}KOD;NAZEV;PLATI_OD;PLATI_DO\n\
                    1;Platná;;\n\
                    2;Zrušená;;2026-06-30\n\
                    3;Končí dnes;;1.7.2026\n\
                    4;Končí zítra;;2026-07-02T00:00:00\n\
                    5;Zrušená dávno;;31. 12. 2020 0:00:00\n";
        std::fs::write(dir.join("A.csv"), text).unwrap();
        let rows = read_code_list(&dir, "A.csv", &["KOD", "NAZEV"], today()).unwrap();
        let names: Vec<&str> = rows.iter().map(|(_, r)| r["NAZEV"].as_str()).collect();
        assert_eq!(names, ["Platná", "Končí dnes", "Končí zítra"]);
        assert_eq!(rows[1].0, 4, "line numbers stay those of the file");
        std::fs::write(dir.join("B.csv"), "KOD;NAZEV;PLATI_DO\n1;X;zítra\n").unwrap();
        let err = read_code_list(&dir, "B.csv", &["KOD"], today()).unwrap_err();
        assert!(err.to_string().contains("B.csv, řádek 2"), "{err}");
        std::fs::remove_dir_all(&dir).ok();
    }
}
