//! Codebooks (číselníky): programmes, calls, target groups, and the territorial codebook of regions
//! (kraje), districts (okresy) and municipalities (obce), loaded from the official ČÚZK RÚIAN code lists.

use super::ServiceError;
use crate::domain::{fold_for_search, MunicipalityCode};
use crate::dto::{Choice, Codebooks, MunicipalityRef};
use entity::{
    call, district, municipality, organisation, programme, project, region, target_group,
};
use sea_orm::sea_query::{ExprTrait, LikeExpr, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, FromQueryResult, JoinType,
    QueryFilter, QueryOrder, QuerySelect, RelationDef, Set, TransactionTrait,
};
use std::collections::BTreeMap;
use std::path::Path;

/// The codebooks for the list filters and the project form.
///
/// # Errors
/// Database errors.
pub async fn codebooks(db: &impl ConnectionTrait) -> Result<Codebooks, ServiceError> {
    let programmes = programme::Entity::find()
        .order_by_desc(programme::Column::Period)
        .all(db)
        .await?;
    let names: BTreeMap<i32, String> = programmes
        .iter()
        .map(|p| (p.id, p.short_name.clone()))
        .collect();
    Ok(Codebooks {
        programmes: programmes
            .iter()
            .map(|p| Choice {
                value: p.id.to_string(),
                label: format!("{} ({})", p.short_name, p.period.replace('-', "–")),
            })
            .collect(),
        calls: call::Entity::find()
            .order_by_asc(call::Column::CallId)
            .all(db)
            .await?
            .into_iter()
            .map(|c| Choice {
                label: format!(
                    "{} – {} ({})",
                    c.call_id,
                    c.name,
                    names.get(&c.programme_id).map_or("", String::as_str)
                ),
                value: c.call_id,
            })
            .collect(),
        regions: region::Entity::find()
            .order_by_asc(region::Column::Nuts3)
            .all(db)
            .await?
            .into_iter()
            .map(|r| Choice {
                value: r.code.to_string(),
                label: r.name,
            })
            .collect(),
        target_groups: target_group::Entity::find()
            .order_by_asc(target_group::Column::SortOrder)
            .all(db)
            .await?
            .into_iter()
            .map(|t| Choice {
                value: t.code,
                label: t.name,
            })
            .collect(),
        beneficiaries: organisation::Entity::find()
            .filter(
                organisation::Column::Id.in_subquery(
                    sea_orm::sea_query::Query::select()
                        .column(project::Column::BeneficiaryId)
                        .from(project::Entity)
                        .to_owned(),
                ),
            )
            .order_by_asc(organisation::Column::Name)
            .all(db)
            .await?
            .into_iter()
            .map(|o| Choice {
                value: o.id.to_string(),
                label: format!("{} (IČO {})", o.name, o.ico),
            })
            .collect(),
    })
}

#[derive(FromQueryResult)]
struct MunicipalityRow {
    code: i32,
    name: String,
    district: String,
    region: String,
}

fn district_join() -> RelationDef {
    municipality::Entity::belongs_to(district::Entity)
        .from(municipality::Column::DistrictCode)
        .to(district::Column::Code)
        .into()
}

fn region_join() -> RelationDef {
    district::Entity::belongs_to(region::Entity)
        .from(district::Column::RegionCode)
        .to(region::Column::Code)
        .into()
}

/// Finds municipalities by the start of any word of their name, ignoring case and diacritics
/// ("usti nad o" finds Ústí nad Orlicí), or by their 6-digit code. At most `limit` results, names that
/// start with the query first.
///
/// # Errors
/// Database errors.
pub async fn search_municipalities(
    db: &impl ConnectionTrait,
    query: &str,
    limit: u64,
) -> Result<Vec<MunicipalityRef>, ServiceError> {
    let folded = fold_for_search(query);
    if folded.chars().count() < 2 {
        return Ok(Vec::new());
    }
    let escaped: String = folded
        .chars()
        .flat_map(|c| {
            if matches!(c, '%' | '_' | '\\') {
                vec!['\\', c]
            } else {
                vec![c]
            }
        })
        .collect();
    let base = || {
        municipality::Entity::find()
            .select_only()
            .column(municipality::Column::Code)
            .column(municipality::Column::Name)
            .column_as(district::Column::Name, "district")
            .column_as(region::Column::Name, "region")
            .join(JoinType::InnerJoin, district_join())
            .join(JoinType::InnerJoin, region_join())
            .order_by_asc(municipality::Column::NameFolded)
            .order_by_asc(municipality::Column::Code)
    };
    let mut rows: Vec<MunicipalityRow> = if let Ok(code) = MunicipalityCode::parse(&folded) {
        base()
            .filter(municipality::Column::Code.eq(i32::try_from(code.value()).unwrap_or_default()))
            .into_model()
            .all(db)
            .await?
    } else {
        base()
            .filter(
                sea_orm::sea_query::Expr::col((
                    municipality::Entity,
                    municipality::Column::NameFolded,
                ))
                .like(LikeExpr::new(format!("{escaped}%")).escape('\\')),
            )
            .limit(limit)
            .into_model()
            .all(db)
            .await?
    };
    if (rows.len() as u64) < limit {
        let more: Vec<MunicipalityRow> = base()
            .filter(
                sea_orm::sea_query::Expr::col((
                    municipality::Entity,
                    municipality::Column::NameFolded,
                ))
                .like(LikeExpr::new(format!("% {escaped}%")).escape('\\')),
            )
            .limit(limit)
            .into_model()
            .all(db)
            .await?;
        for m in more {
            if rows.len() as u64 >= limit {
                break;
            }
            if !rows.iter().any(|r| r.code == m.code) {
                rows.push(m);
            }
        }
    }
    Ok(rows
        .into_iter()
        .map(|m| MunicipalityRef {
            code: m.code,
            name: m.name,
            district: m.district,
            region: m.region,
        })
        .collect())
}

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
    let txn = super::db::begin_write(db).await?;
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
