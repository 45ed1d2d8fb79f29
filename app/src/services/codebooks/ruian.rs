//! The RÚIAN code lists (ČÚZK open data: `UI_VUSC`, `UI_OKRES`, `UI_OBEC`, semicolon-separated,
//! Windows-1250): reading them and loading regions, districts and municipalities.

#[allow(clippy::wildcard_imports)]
use super::*;

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

/// Reads one `;`-separated Windows-1250 file and returns its rows as maps of header → value.
/// Rows of a code-list file: line number and the values by header.
type CsvRows = Vec<(usize, BTreeMap<String, String>)>;

fn read_cp1250_csv(dir: &Path, file: &str, required: &[&str]) -> Result<CsvRows, ServiceError> {
    let path = dir.join(file);
    let bytes = std::fs::read(&path).map_err(|e| {
        ServiceError::BadRequest(format!("Soubor {} nelze přečíst: {e}", path.display()))
    })?;
    let (text, _, had_errors) = encoding_rs::WINDOWS_1250.decode(&bytes);
    if had_errors {
        return Err(ServiceError::BadRequest(format!(
            "{file}: soubor není v kódování Windows-1250."
        )));
    }
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
        rows.push((
            i + 1,
            header
                .iter()
                .cloned()
                .zip(values.iter().map(|v| v.trim().to_string()))
                .collect(),
        ));
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

/// Loads `UI_VUSC.csv`, `UI_OKRES.csv` and `UI_OBEC.csv` (official ČÚZK RÚIAN layout, `;`, Windows-1250)
/// from `dir` in one transaction: existing codes are updated, new ones added, nothing removed (projects
/// may refer to them). Municipality codes are checked by their check digit; any bad line aborts the whole
/// import with its file and line number.
///
/// # Errors
/// `BadRequest` naming file, line and problem; database errors.
pub async fn import_ruian(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    dir: &Path,
) -> Result<RuianCounts, ServiceError> {
    let vusc = read_cp1250_csv(dir, "UI_VUSC.csv", &["KOD", "NAZEV", "NUTS_LAU"])?;
    let okres = read_cp1250_csv(
        dir,
        "UI_OKRES.csv",
        &["KOD", "NAZEV", "VUSC_KOD", "NUTS_LAU"],
    )?;
    let obec = read_cp1250_csv(dir, "UI_OBEC.csv", &["KOD", "NAZEV", "OKRES_KOD"])?;
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
    let counts = RuianCounts {
        regions: regions.len(),
        districts: districts.len(),
        municipalities: municipalities.len(),
    };
    let txn = crate::services::db::begin_write(db).await?;
    upsert_territory(&txn, regions, districts, municipalities).await?;
    txn.commit().await?;
    Ok(counts)
}

/// Inserts or updates regions, districts and municipalities, in batches.
///
/// # Errors
/// Database errors.
pub async fn upsert_territory(
    db: &impl ConnectionTrait,
    regions: Vec<region::ActiveModel>,
    districts: Vec<district::ActiveModel>,
    municipalities: Vec<municipality::ActiveModel>,
) -> Result<(), ServiceError> {
    const BATCH: usize = 500;
    for chunk in regions.chunks(BATCH) {
        region::Entity::insert_many(chunk.to_vec())
            .on_conflict(
                OnConflict::column(region::Column::Code)
                    .update_columns([region::Column::Name, region::Column::Nuts3])
                    .to_owned(),
            )
            .exec(db)
            .await?;
    }
    for chunk in districts.chunks(BATCH) {
        district::Entity::insert_many(chunk.to_vec())
            .on_conflict(
                OnConflict::column(district::Column::Code)
                    .update_columns([
                        district::Column::Name,
                        district::Column::RegionCode,
                        district::Column::Lau1,
                    ])
                    .to_owned(),
            )
            .exec(db)
            .await?;
    }
    for chunk in municipalities.chunks(BATCH) {
        municipality::Entity::insert_many(chunk.to_vec())
            .on_conflict(
                OnConflict::column(municipality::Column::Code)
                    .update_columns([
                        municipality::Column::Name,
                        municipality::Column::NameFolded,
                        municipality::Column::DistrictCode,
                    ])
                    .to_owned(),
            )
            .exec(db)
            .await?;
    }
    Ok(())
}
