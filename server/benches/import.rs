//! Spreadsheet import benchmark: `cargo bench -p server --bench import [-- --rows 10000,100000,500000
//! --pandas-rows 10000,100000 --runs 3]`.
//!
//! For each size it generates an `.xlsx` of indicator values (projects × 25 ESF+ indicators × 20 report
//! periods, so every row is a new value), seeds a SQLite database with the projects and periods, and
//! measures, each in a fresh child process so that its peak memory (VmHWM) is its own:
//! - `calamine`: calamine alone reading the file and converting every cell (open, `worksheet_range`,
//!   each cell to text or number), the reference the issue names;
//! - `import`: the whole import (parse, check, plan, store in one transaction) committed into SQLite;
//! - `pandas-openpyxl` and `pandas-calamine`: `pandas.read_excel` with each engine (from a venv under
//!   `target/bench-venv`, created with pip on first use).
//!
//! Times are the best of `--runs` runs (default 3); memory is the peak resident set of the child.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::cast_precision_loss)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Instant;

use chrono::NaiveDate;
use sea_orm::{ActiveModelTrait, EntityTrait, Set};

const INDICATORS: [&str; 25] = [
    "EECO01", "EECO02", "EECO03", "EECO04", "EECO05", "EECO06", "EECO07", "EECO08", "EECO09",
    "EECO10", "EECO11", "EECO12", "EECO13", "EECO14", "EECO15", "EECO16", "EECO17", "EECO18",
    "EECO19", "EECR01", "EECR02", "EECR03", "EECR04", "EECR05", "EECR06",
];
const PERIODS: usize = 20;

fn reg_no(i: usize) -> String {
    format!("CZ.03.01.01/00/24_900/{:07}", 1_000_000 + i)
}

fn projects_for(rows: usize) -> usize {
    rows.div_ceil(INDICATORS.len() * PERIODS)
}

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

fn generate(path: &Path, rows: usize) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet_with_constant_memory();
    sheet.set_name("Indikátory").unwrap();
    let header = [
        "Registrační číslo projektu",
        "Kód indikátoru",
        "Název indikátoru",
        "Období",
        "Dosažená hodnota",
        "Poznámka",
    ];
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    let mut r = 1u32;
    'outer: for p in 0..projects_for(rows) {
        let reg = reg_no(p);
        for period in 1..=PERIODS {
            for code in INDICATORS {
                if (r as usize) > rows {
                    break 'outer;
                }
                sheet.write_string(r, 0, &reg).unwrap();
                sheet.write_string(r, 1, code).unwrap();
                sheet.write_string(r, 2, "Účastníci").unwrap();
                sheet.write_string(r, 3, format!("ZoR {period}")).unwrap();
                sheet.write_number(r, 4, ((r * 7) % 1000) as f64).unwrap();
                if r.is_multiple_of(10) {
                    sheet.write_string(r, 5, "ověřeno").unwrap();
                }
                r += 1;
            }
        }
    }
    book.save(path).unwrap();
}

async fn seed(url: &str, rows: usize) {
    use entity::{monitoring_period, organisation, programme, project};
    let db = server::open_database(url).await.unwrap();
    app::services::demo::load(
        &db,
        chrono::Utc::now().date_naive(),
        std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../data/ruian")),
    )
    .await
    .unwrap();
    let programme = programme::Entity::find()
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.code == "03")
        .unwrap();
    let org = organisation::Entity::find()
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    let start = NaiveDate::from_ymd_opt(2021, 1, 1).unwrap();
    let end = NaiveDate::from_ymd_opt(2030, 12, 31).unwrap();
    let now = chrono::Utc::now();
    for p in 0..projects_for(rows) {
        let reg = reg_no(p);
        let rn = app::domain::RegistrationNumber::parse(&reg).unwrap();
        let inserted = project::ActiveModel {
            registration_number: Set(reg.clone()),
            name: Set(format!("Benchmark {p}")),
            acronym: Set(None),
            beneficiary_id: Set(org.id),
            programme_id: Set(programme.id),
            priority_code: Set(rn.priority_code().into()),
            specific_objective_code: Set(rn.specific_objective_code().into()),
            call_id: Set(rn.call_id()),
            status: Set("realisation".into()),
            start_date: Set(start),
            end_date: Set(end),
            description: Set(String::new()),
            search_folded: Set(reg.to_lowercase()),
            total_eligible_halere: Set(None),
            amounts_illustrative: Set(true),
            archived_at: Set(None),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            import_id: Set(None),
            ..Default::default()
        }
        .insert(&db)
        .await
        .unwrap();
        let periods: Vec<monitoring_period::ActiveModel> = (0..PERIODS)
            .map(|i| {
                let from = start
                    .checked_add_months(chrono::Months::new(6 * i as u32))
                    .unwrap();
                let to = from
                    .checked_add_months(chrono::Months::new(6))
                    .unwrap()
                    .pred_opt()
                    .unwrap();
                monitoring_period::ActiveModel {
                    project_id: Set(inserted.id),
                    number: Set(i as i32 + 1),
                    start_date: Set(from),
                    end_date: Set(to),
                    import_id: Set(None),
                    ..Default::default()
                }
            })
            .collect();
        monitoring_period::Entity::insert_many(periods)
            .exec(&db)
            .await
            .unwrap();
    }
    db.close().await.unwrap();
}

/// calamine alone: open, read every sheet's range, convert every cell.
fn calamine_read(bytes: &[u8]) -> usize {
    use calamine::{Data, Reader, Xlsx};
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let mut cells = 0usize;
    let mut checksum = 0f64;
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).unwrap();
        for row in range.rows() {
            for cell in row {
                match cell {
                    Data::Float(f) => checksum += f,
                    Data::Int(i) => checksum += *i as f64,
                    Data::String(s) => checksum += s.len() as f64,
                    Data::DateTime(d) => checksum += d.as_f64(),
                    _ => {}
                }
                cells += 1;
            }
        }
    }
    std::hint::black_box(checksum);
    cells
}

/// The import alone, timed from when the file is handed over (the server has its database open already).
async fn import(url: &str, bytes: Vec<u8>, started: &mut Instant) -> (u32, u32) {
    use app::services::import::{run, ImportLimits, ImportOptions, Progress};
    let db = server::open_database(url).await.unwrap();
    *started = Instant::now();
    let limits = ImportLimits {
        max_bytes: 200 * 1024 * 1024,
        max_rows: 2_000_000,
        max_uncompressed: 2 * 1024 * 1024 * 1024,
        ..ImportLimits::default()
    };
    let report = run(
        &db,
        Arc::new(bytes),
        "bench.xlsx",
        limits,
        &ImportOptions {
            commit: true,
            all_or_nothing: false,
            imported_by: "bench".into(),
            viewer: None,
        },
        Arc::new(Progress::default()),
    )
    .await
    .unwrap();
    let s = &report.sheets[0];
    assert!(report.committed);
    (s.new_rows, s.invalid_rows)
}

/// Child mode: `--child calamine|import FILE [DB_URL]` prints `seconds peak_kib detail`.
fn child(args: &[String]) {
    let mode = args[0].as_str();
    let file = &args[1];
    let bytes = std::fs::read(file).unwrap();
    let mut started = Instant::now();
    let detail = match mode {
        "calamine" => format!("{} cells", calamine_read(&bytes)),
        "parse" => {
            // The importer's reading and row checks alone (no database), for profiling.
            use app::services::import::{parse_file, ImportLimits, Progress};
            let mut lookups = app::services::import::sheet::Lookups::default();
            for (i, code) in INDICATORS.iter().enumerate() {
                lookups.indicators.insert(
                    (*code).to_owned(),
                    app::services::import::sheet::IndicatorInfo {
                        id: i as i32 + 1,
                        unit: app::domain::IndicatorUnit::Persons,
                    },
                );
            }
            for p in 0..projects_for(2_000_000) {
                lookups.projects.insert(
                    reg_no(p),
                    app::services::import::sheet::ProjectInfo {
                        id: Some(p as i32),
                        range: None,
                    },
                );
            }
            let limits = ImportLimits {
                max_bytes: 200 * 1024 * 1024,
                max_rows: 2_000_000,
                max_uncompressed: 2 * 1024 * 1024 * 1024,
                ..ImportLimits::default()
            };
            let mut rows = 0usize;
            let (reports, _) = parse_file(
                &bytes,
                "bench.xlsx",
                limits,
                lookups,
                false,
                &Progress::default(),
                &mut |c| {
                    rows += c.rows.len();
                    true
                },
            )
            .unwrap();
            format!("{rows} valid rows, {} invalid", reports[0].invalid_rows)
        }
        "import" => {
            let url = args[2].clone();
            let rt = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .unwrap();
            let (new, invalid) = rt.block_on(import(&url, bytes, &mut started));
            format!("{new} new, {invalid} invalid")
        }
        _ => panic!("unknown mode {mode}"),
    };
    let secs = started.elapsed().as_secs_f64();
    println!("{secs:.4} {} {detail}", peak_rss_kib());
}

fn run_child(mode: &str, file: &Path, url: Option<&str>) -> (f64, u64, String) {
    let exe = std::env::current_exe().unwrap();
    let mut cmd = Command::new(exe);
    cmd.arg("--child").arg(mode).arg(file);
    if let Some(u) = url {
        cmd.arg(u);
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().last().unwrap_or_default().to_owned();
    let mut parts = line.splitn(3, ' ');
    let secs = parts.next().unwrap().parse().unwrap();
    let kib = parts.next().unwrap().parse().unwrap();
    (secs, kib, parts.next().unwrap_or_default().to_owned())
}

fn venv_python(target: &Path) -> Option<PathBuf> {
    let venv = target.join("bench-venv");
    let python = venv.join("bin/python");
    if !python.exists() {
        let ok = Command::new("python3")
            .args(["-m", "venv"])
            .arg(&venv)
            .status()
            .ok()?
            .success();
        if !ok {
            return None;
        }
    }
    let has = Command::new(&python)
        .args(["-c", "import pandas, openpyxl, python_calamine"])
        .status()
        .ok()?
        .success();
    if !has {
        eprintln!(
            "installing pandas, openpyxl and python-calamine into {}",
            venv.display()
        );
        let ok = Command::new(&python)
            .args([
                "-m",
                "pip",
                "install",
                "-q",
                "pandas==2.3.3",
                "openpyxl==3.1.5",
                "python-calamine==0.6.1",
            ])
            .status()
            .ok()?
            .success();
        if !ok {
            return None;
        }
    }
    Some(python)
}

fn pandas(python: &Path, engine: &str, file: &Path) -> (f64, u64) {
    let script = format!(
        "import time, resource, pandas as pd\n\
         t = time.perf_counter()\n\
         df = pd.read_excel({file:?}, engine={engine:?})\n\
         s = time.perf_counter() - t\n\
         print(f'{{s:.4f}} {{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}} {{len(df)}}')\n",
        file = file.to_string_lossy(),
    );
    let out = Command::new(python).args(["-c", &script]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let mut parts = text.split_whitespace();
    (
        parts.next().unwrap().parse().unwrap(),
        parts.next().unwrap().parse().unwrap(),
    )
}

fn list(args: &[String], flag: &str, default: &[usize]) -> Vec<usize> {
    args.iter()
        .position(|a| a == flag)
        .and_then(|i| args.get(i + 1))
        .map_or_else(
            || default.to_vec(),
            |v| v.split(',').filter_map(|n| n.parse().ok()).collect(),
        )
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--child") {
        child(&args[1..]);
        return;
    }
    let sizes = list(&args, "--rows", &[10_000, 100_000, 500_000]);
    let pandas_sizes = list(&args, "--pandas-rows", &[10_000, 100_000]);
    let runs = list(&args, "--runs", &[3])[0].max(1);
    let target = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target");
    let dir = target.join("bench-import");
    std::fs::create_dir_all(&dir).unwrap();
    let python = if pandas_sizes.is_empty() {
        None
    } else {
        venv_python(&target)
    };
    println!("rows | calamine s | parse only s | import s | import/calamine | calamine MiB | import MiB | pandas-openpyxl s | pandas-calamine s | openpyxl/import");
    for rows in sizes {
        let file = dir.join(format!("indikatory-{rows}.xlsx"));
        if !file.exists() {
            generate(&file, rows);
        }
        let seeded = dir.join(format!("seed-{rows}.sqlite"));
        if !seeded.exists() {
            let url = format!("sqlite://{}?mode=rwc", seeded.display());
            tokio::runtime::Runtime::new()
                .unwrap()
                .block_on(seed(&url, rows));
        }
        let mut parse = f64::MAX;
        let mut cal = (f64::MAX, 0u64);
        let mut imp = (f64::MAX, 0u64);
        let mut detail = String::new();
        for run in 0..runs {
            let (s, kib, _) = run_child("calamine", &file, None);
            cal = (cal.0.min(s), cal.1.max(kib));
            parse = parse.min(run_child("parse", &file, None).0);
            let db = dir.join(format!("run-{rows}-{run}.sqlite"));
            std::fs::copy(&seeded, &db).unwrap();
            let url = format!("sqlite://{}?mode=rwc", db.display());
            let (s, kib, d) = run_child("import", &file, Some(&url));
            imp = (imp.0.min(s), imp.1.max(kib));
            detail = d;
            std::fs::remove_file(&db).ok();
        }
        let (po, pc) = match (&python, pandas_sizes.contains(&rows)) {
            (Some(py), true) => {
                let mut po = f64::MAX;
                let mut pc = f64::MAX;
                for _ in 0..runs {
                    po = po.min(pandas(py, "openpyxl", &file).0);
                    pc = pc.min(pandas(py, "calamine", &file).0);
                }
                (Some(po), Some(pc))
            }
            _ => (None, None),
        };
        let fmt = |v: Option<f64>| v.map_or_else(|| "–".to_owned(), |v| format!("{v:.3}"));
        println!(
            "{rows} | {:.3} | {parse:.3} | {:.3} | {:.2}× | {:.1} | {:.1} | {} | {} | {} ({detail})",
            cal.0,
            imp.0,
            imp.0 / cal.0,
            cal.1 as f64 / 1024.0,
            imp.1 as f64 / 1024.0,
            fmt(po),
            fmt(pc),
            po.map_or_else(|| "–".to_owned(), |p| format!("{:.1}×", p / imp.0)),
        );
    }
}
