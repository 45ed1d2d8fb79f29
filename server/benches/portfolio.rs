//! Portfolio dashboard benchmark: `cargo bench -p server --bench portfolio [-- --projects 10000 --runs 5
//! --postgres postgres://postgres@127.0.0.1:5432/test]`.
//!
//! Generates a portfolio of N projects (default 10 000), each with 20 indicators, 12 monitoring periods
//! (20 × 12 = 240 indicator values), 5 budget lines, 24 expenditures, 6 payment claims, 5 participants,
//! 3 participating municipalities and a target group, into a fresh SQLite file and (with `--postgres`, or
//! `TEST_POSTGRES_URL`) a fresh PostgreSQL database. On each it times, in one run:
//! - `raw SQL`: the aggregation queries the dashboard needs, hand-written, rows fetched and dropped;
//! - `dashboard` through `DashboardCache`, as the page calls it (the same figures, flags, regions, series
//!   and risk list), with no filter and with two filters (status and kraj):
//!   - `cold`: the first view (a new cache: every project read and computed);
//!   - `unchanged`: a view of the same filters with nothing changed since the last one;
//!   - `change`: a view after one expenditure was changed through the service (not timed).
//!
//! Each figure is the median of `--runs` runs (default 5) after one warm-up; the ratios are to `raw SQL`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::cast_precision_loss)]

use std::time::{Duration, Instant};

use app::dto::portfolio::RiskSort;
use app::dto::{EditOutcome, ExpenditureInput, ProjectListQuery};
use app::services::portfolio::DashboardCache;
use chrono::{Datelike, NaiveDate, Utc};
use entity::{
    budget_line, district, expenditure, indicator, indicator_value, monitoring_period,
    municipality, organisation, participant, payment_claim, project, project_finance,
    project_indicator, project_municipality, project_target_group,
};
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait, Set, Statement, TransactionTrait};

const INDICATORS: usize = 20;
const PERIODS: usize = 12;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

async fn insert_all<A>(db: &DatabaseConnection, rows: Vec<A>)
where
    A: sea_orm::ActiveModelTrait + Send,
    <A as sea_orm::ActiveModelTrait>::Entity: EntityTrait,
{
    let txn = db.begin().await.unwrap();
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(1000).collect();
        <A::Entity as EntityTrait>::insert_many(chunk)
            .exec_without_returning(&txn)
            .await
            .unwrap();
    }
    txn.commit().await.unwrap();
}

/// Fills `db` (migrated, with the demo codebooks) with `n` generated projects.
async fn generate(db: &DatabaseConnection, n: usize) {
    app::services::demo::load(
        db,
        chrono::Utc::now().date_naive(),
        std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../data/ruian")),
    )
    .await
    .unwrap();
    let programme = entity::programme::Entity::find().all(db).await.unwrap();
    let programme_id = programme.iter().find(|p| p.code == "03").unwrap().id;
    let indicators: Vec<i32> = indicator::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|i| i.id)
        .take(INDICATORS)
        .collect();
    assert_eq!(
        indicators.len(),
        INDICATORS,
        "the codebook has too few indicators"
    );
    let places: Vec<i32> = municipality::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.code)
        .collect();
    let _ = district::Entity::find().all(db).await.unwrap();
    let now = Utc::now();
    // 500 beneficiaries.
    insert_all(
        db,
        (0..500)
            .map(|i| organisation::ActiveModel {
                ico: Set(format!("9{i:07}")),
                name: Set(format!("Příjemce {i}")),
                ..Default::default()
            })
            .collect(),
    )
    .await;
    let orgs: Vec<i32> = organisation::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .filter(|o| o.ico.starts_with('9'))
        .map(|o| o.id)
        .collect();
    let statuses = [
        "realisation",
        "realisation",
        "realisation",
        "finished",
        "preparation",
    ];
    let first_id: i32 = 1_000_000;
    let mut projects = Vec::with_capacity(n);
    for i in 0..n {
        let start = d(2023 + (i % 3) as i32, 1 + (i % 12) as u32, 1);
        let end = d(start.year() + 4, start.month(), 1) - chrono::Duration::days(1);
        projects.push(project::ActiveModel {
            id: Set(first_id + i as i32),
            registration_number: Set(format!("CZ.03.02.01/00/24_900/{:07}", 1_000_000 + i)),
            name: Set(format!("Generovaný projekt {i}")),
            acronym: Set(Some(format!("G{i}"))),
            beneficiary_id: Set(orgs[i % orgs.len()]),
            programme_id: Set(programme_id),
            priority_code: Set("02".into()),
            specific_objective_code: Set("01".into()),
            call_id: Set("03_24_900".into()),
            status: Set(statuses[i % statuses.len()].into()),
            start_date: Set(start),
            end_date: Set(end),
            description: Set(String::new()),
            search_folded: Set(format!("generovany projekt {i}")),
            total_eligible_halere: Set(Some(2_000_000_000 + (i as i64 % 97) * 1_000_000)),
            amounts_illustrative: Set(true),
            archived_at: Set(None),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            import_id: Set(None),
            intervention_code: Set(None),
        });
    }
    insert_all(db, projects).await;
    let ids: Vec<i32> = (0..n).map(|i| first_id + i as i32).collect();
    let all = project::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .filter(|p| p.id >= first_id)
        .collect::<Vec<_>>();
    insert_all(
        db,
        ids.iter()
            // Half the projects with a flat rate on all direct costs, half with a flat rate on personnel costs.
            .map(|id| project_finance::ActiveModel {
                project_id: Set(*id),
                cost_model: Set(if id % 2 == 0 {
                    "flat_indirect_direct"
                } else {
                    "flat_indirect_personnel"
                }
                .into()),
                indirect_rate: Set("15".into()),
                eu_share: Set("85".into()),
                state_share: Set("15".into()),
                own_share: Set("0".into()),
                version: Set(1),
            })
            .collect(),
    )
    .await;
    insert_all(
        db,
        ids.iter()
            .enumerate()
            .map(|(i, id)| project_target_group::ActiveModel {
                project_id: Set(*id),
                target_group_code: Set(if i % 2 == 0 {
                    "uchazeci"
                } else {
                    "socialne-vyloucene"
                }
                .into()),
            })
            .collect(),
    )
    .await;
    let mut pm = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        let mut chosen: Vec<i32> = (0..3)
            .map(|k| places[(i * 7 + k * 5) % places.len()])
            .collect();
        chosen.sort_unstable();
        chosen.dedup();
        for c in chosen {
            pm.push(project_municipality::ActiveModel {
                project_id: Set(*id),
                municipality_code: Set(c),
                import_id: Set(None),
            });
        }
    }
    insert_all(db, pm).await;
    let mut lines = Vec::new();
    let mut periods = Vec::new();
    for (i, p) in all.iter().enumerate() {
        for y in 0..5 {
            lines.push(budget_line::ActiveModel {
                project_id: Set(p.id),
                code: Set("1.1".into()),
                name: Set("Mzdy".into()),
                chapter: Set("personnel".into()),
                year: Set(p.start_date.year() + y),
                amount_halere: Set(300_000_000 + (i as i64 % 13) * 1_000_000),
                version: Set(1),
                ..Default::default()
            });
        }
        for k in 0..PERIODS {
            let s = p.start_date + chrono::Duration::days(120 * k as i64);
            periods.push(monitoring_period::ActiveModel {
                project_id: Set(p.id),
                number: Set(k as i32 + 1),
                start_date: Set(s),
                end_date: Set(s + chrono::Duration::days(119)),
                import_id: Set(None),
                ..Default::default()
            });
        }
    }
    insert_all(db, lines).await;
    insert_all(db, periods).await;
    let period_rows = monitoring_period::Entity::find().all(db).await.unwrap();
    let line_rows = budget_line::Entity::find().all(db).await.unwrap();
    let mut pis = Vec::new();
    for p in &ids {
        for ind in &indicators {
            pis.push(project_indicator::ActiveModel {
                project_id: Set(*p),
                indicator_id: Set(*ind),
                baseline_milli: Set(0),
                target_milli: Set(100_000),
                target_date: Set(d(2028, 12, 31)),
                version: Set(1),
                import_id: Set(None),
                ..Default::default()
            });
        }
    }
    insert_all(db, pis).await;
    let pi_rows: Vec<project_indicator::Model> = project_indicator::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .filter(|pi| pi.project_id >= first_id)
        .collect();
    let mut periods_of: std::collections::HashMap<i32, Vec<&monitoring_period::Model>> =
        std::collections::HashMap::new();
    for per in &period_rows {
        periods_of.entry(per.project_id).or_default().push(per);
    }
    let mut lines_of: std::collections::HashMap<i32, Vec<i32>> = std::collections::HashMap::new();
    for l in &line_rows {
        lines_of.entry(l.project_id).or_default().push(l.id);
    }
    let today = Utc::now().date_naive();
    let mut values = Vec::new();
    for pi in &pi_rows {
        let Some(pers) = periods_of.get(&pi.project_id) else {
            continue;
        };
        for per in pers.iter().filter(|per| per.end_date <= today) {
            // Every tenth project is behind on its indicators.
            let pace = if pi.project_id % 10 == 0 {
                2_000
            } else {
                8_000
            };
            values.push(indicator_value::ActiveModel {
                project_indicator_id: Set(pi.id),
                period_id: Set(per.id),
                achieved_milli: Set(pace),
                note: Set(String::new()),
                version: Set(1),
                import_id: Set(None),
                ..Default::default()
            });
        }
    }
    insert_all(db, values).await;
    let mut spent = Vec::new();
    let mut claims = Vec::new();
    let mut people = Vec::new();
    for p in &all {
        let Some(pers) = periods_of.get(&p.id) else {
            continue;
        };
        let line_ids = &lines_of[&p.id];
        for (k, per) in pers
            .iter()
            .enumerate()
            .filter(|(_, per)| per.end_date <= today)
        {
            // Every seventh project draws slowly.
            let amount = if p.id % 7 == 0 { 2_000_000 } else { 25_000_000 };
            for half in 0..2 {
                spent.push(expenditure::ActiveModel {
                    project_id: Set(p.id),
                    budget_line_id: Set(line_ids[k % line_ids.len()]),
                    period_id: Set(Some(per.id)),
                    document_number: Set(Some(format!("FV-{k}-{half}"))),
                    amount_halere: Set(amount),
                    paid_on: Set(Some(per.end_date - chrono::Duration::days(10 * half))),
                    description: Set(String::new()),
                    supplier: Set(String::new()),
                    import_id: Set(None),
                    ..Default::default()
                });
            }
            if k < 6 {
                claims.push(payment_claim::ActiveModel {
                    project_id: Set(p.id),
                    number: Set(k as i32 + 1),
                    period_id: Set(Some(per.id)),
                    claimed_halere: Set(50_000_000),
                    approved_halere: Set(Some(49_000_000)),
                    submitted_on: Set(Some(per.end_date + chrono::Duration::days(15))),
                    paid_on: Set(if p.id % 11 == 0 {
                        None
                    } else {
                        Some(per.end_date + chrono::Duration::days(40))
                    }),
                    status: Set(if p.id % 11 == 0 { "submitted" } else { "paid" }.into()),
                    version: Set(1),
                    ..Default::default()
                });
            }
        }
        for k in 0..5 {
            people.push(participant::ActiveModel {
                project_id: Set(p.id),
                pseudonym: Set(format!("P{k}")),
                entry_date: Set(p.start_date),
                exit_date: Set(None),
                gender: Set(if k % 2 == 0 { "F" } else { "M" }.into()),
                age_at_entry: Set(30 + k as i16),
                labour_status: Set("unemployed".into()),
                isced: Set(Some(3)),
                disability: Set(false),
                exit_situations: Set(String::new()),
                illustrative: Set(true),
                import_id: Set(None),
                ..Default::default()
            });
        }
    }
    insert_all(db, spent).await;
    insert_all(db, claims).await;
    insert_all(db, people).await;
    // Fresh statistics on both backends, so the planner sees the real table sizes.
    db.execute_unprepared("ANALYZE").await.unwrap();
}

/// The project filter of the raw queries, as SQL (the same as the service builds).
fn where_projects(filtered: bool) -> String {
    let base = "SELECT id FROM project WHERE archived_at IS NULL";
    if filtered {
        format!(
            "{base} AND status = 'realisation' AND id IN (SELECT pm.project_id FROM project_municipality pm \
             JOIN municipality m ON m.code = pm.municipality_code JOIN district d ON d.code = m.district_code \
             WHERE d.region_code = 60)"
        )
    } else {
        base.to_owned()
    }
}

/// The aggregation the dashboard needs, as hand-written SQL: rows fetched, nothing computed.
async fn raw_sql(db: &DatabaseConnection, filtered: bool) -> usize {
    let ids = where_projects(filtered);
    let month = "SUBSTR(CAST(paid_on AS TEXT), 1, 7)";
    let queries = [
        format!("SELECT id, registration_number, acronym, name, start_date, end_date, total_eligible_halere FROM project WHERE id IN ({ids})"),
        format!("SELECT project_id, indirect_rate FROM project_finance WHERE project_id IN ({ids})"),
        format!("SELECT project_id, year, CAST(SUM(amount_halere) AS BIGINT) FROM budget_line WHERE project_id IN ({ids}) GROUP BY project_id, year"),
        format!("SELECT project_id, {month}, CAST(SUM(amount_halere) AS BIGINT) FROM expenditure WHERE project_id IN ({ids}) GROUP BY project_id, {month}"),
        format!("SELECT project_id, claimed_halere, approved_halere, submitted_on, paid_on, status FROM payment_claim WHERE project_id IN ({ids})"),
        format!("SELECT project_id, CAST(COUNT(id) AS BIGINT) FROM participant WHERE project_id IN ({ids}) GROUP BY project_id"),
        format!("SELECT pm.project_id, pm.municipality_code, d.region_code FROM project_municipality pm JOIN municipality m ON m.code = pm.municipality_code JOIN district d ON d.code = m.district_code WHERE pm.project_id IN ({ids})"),
        format!("SELECT id, project_id, indicator_id, target_milli, target_date FROM project_indicator WHERE project_id IN ({ids})"),
        "SELECT id, code, name_cs, unit FROM indicator".to_owned(),
        format!("SELECT project_indicator_id, CAST(SUM(achieved_milli) AS BIGINT) FROM indicator_value WHERE project_indicator_id IN (SELECT id FROM project_indicator WHERE project_id IN ({ids})) GROUP BY project_indicator_id"),
    ];
    let backend = db.get_database_backend();
    let mut rows = 0;
    for q in queries {
        rows += db
            .query_all_raw(Statement::from_string(backend, q))
            .await
            .unwrap()
            .len();
    }
    rows
}

fn query(filtered: bool) -> ProjectListQuery {
    if filtered {
        ProjectListQuery {
            status: Some("realisation".into()),
            region_code: Some(60),
            ..Default::default()
        }
    } else {
        ProjectListQuery::default()
    }
}

async fn dashboard(cache: &DashboardCache, db: &DatabaseConnection, filtered: bool) -> u64 {
    let d = cache
        .dashboard(
            db,
            &query(filtered),
            None,
            RiskSort::default(),
            Utc::now().date_naive(),
        )
        .await
        .unwrap();
    d.totals.projects
}

/// Changes one expenditure of `project` through the service (its amount goes up by 1 Kč).
async fn change_expenditure(db: &DatabaseConnection, project: i32) {
    use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};
    let e = expenditure::Entity::find()
        .filter(expenditure::Column::ProjectId.eq(project))
        .filter(expenditure::Column::ClaimId.is_null())
        .order_by_asc(expenditure::Column::Id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let amount = app::domain::Money::from_halere(e.amount_halere + 100).unwrap();
    let input = ExpenditureInput {
        budget_line_id: e.budget_line_id,
        document_number: e.document_number.clone().unwrap_or_default(),
        amount: amount.format_plain(),
        paid_on: e
            .paid_on
            .map(app::domain::format_czech_date)
            .unwrap_or_default(),
        description: e.description.clone(),
        ..Default::default()
    };
    let outcome = app::services::budget::update_expenditure(db, project, e.id, e.version, &input)
        .await
        .unwrap();
    assert_eq!(outcome, EditOutcome::Saved, "{input:?}");
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort_unstable();
    v[v.len() / 2]
}

async fn time<F, Fut, T>(runs: usize, f: F) -> (Duration, T)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = T>,
{
    let _ = f().await;
    let mut times = Vec::new();
    let mut out = None;
    for _ in 0..runs {
        let t = Instant::now();
        out = Some(f().await);
        times.push(t.elapsed());
    }
    (median(times), out.unwrap())
}

async fn measure(name: &str, db: &DatabaseConnection, runs: usize) {
    // A generated project both filters select: the one whose expenditure changes.
    let page = app::services::projects::list(
        db,
        &ProjectListQuery {
            text: "generovany".into(),
            page: 1,
            per_page: 1,
            ..query(true)
        },
    )
    .await
    .unwrap();
    let changed = page.rows[0].id;
    for filtered in [false, true] {
        let (raw, rows) = time(runs, || raw_sql(db, filtered)).await;
        let (cold, projects) = time(runs, || async {
            dashboard(&DashboardCache::default(), db, filtered).await
        })
        .await;
        let cache = DashboardCache::default();
        let (unchanged, _) = time(runs, || dashboard(&cache, db, filtered)).await;
        let mut after = Vec::new();
        for _ in 0..=runs {
            change_expenditure(db, changed).await;
            let before = cache.stats();
            let t = Instant::now();
            dashboard(&cache, db, filtered).await;
            after.push(t.elapsed());
            let stats = cache.stats();
            assert_eq!(
                (
                    stats.computed - before.computed,
                    stats.projects_read - before.projects_read
                ),
                (1, 1),
                "a change rereads one project"
            );
        }
        after.remove(0);
        let change = median(after);
        let secs = |d: Duration| d.as_secs_f64();
        println!(
            "{name:10} | {:10} | {projects:8} | {rows:9} | {:9.3} | {:8.3} | {:9.4} | {:8.3} | {:5.2}× | {:6.3}× | {:5.2}×",
            if filtered { "2 filtry" } else { "bez filtru" },
            secs(raw),
            secs(cold),
            secs(unchanged),
            secs(change),
            secs(cold) / secs(raw),
            secs(unchanged) / secs(raw),
            secs(change) / secs(raw),
        );
    }
}

fn arg(args: &[String], flag: &str) -> Option<String> {
    args.iter()
        .position(|a| a == flag)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let n: usize = arg(&args, "--projects").map_or(10_000, |v| v.parse().unwrap());
    let runs: usize = arg(&args, "--runs").map_or(5, |v| v.parse().unwrap());
    let pg = arg(&args, "--postgres").or_else(|| std::env::var("TEST_POSTGRES_URL").ok());
    println!("portfolio of {n} projects × {INDICATORS} indicators × {PERIODS} periods; median of {runs} runs");
    println!(
        "backend    | filter     | projects | SQL rows  | raw SQL s | cold s   | unchanged | change s | cold  | unch.   | change"
    );
    let dir = std::env::temp_dir().join(format!("tracker-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.join("portfolio.sqlite").display()
    );
    let db = server::open_database(&url).await.unwrap();
    let t = Instant::now();
    generate(&db, n).await;
    eprintln!("SQLite: generated in {:.1} s", t.elapsed().as_secs_f64());
    measure("SQLite", &db, runs).await;
    db.close().await.ok();
    std::fs::remove_dir_all(&dir).ok();
    if let Some(admin_url) = pg {
        let admin = sea_orm::Database::connect(&admin_url).await.unwrap();
        let name = format!("bench_{}", std::process::id());
        admin
            .execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await
            .unwrap();
        let base = admin_url
            .rsplit_once('/')
            .map_or(admin_url.as_str(), |(b, _)| b)
            .to_owned();
        let db = server::open_database(&format!("{base}/{name}"))
            .await
            .unwrap();
        let t = Instant::now();
        generate(&db, n).await;
        eprintln!(
            "PostgreSQL: generated in {:.1} s",
            t.elapsed().as_secs_f64()
        );
        measure("PostgreSQL", &db, runs).await;
        db.close().await.ok();
        admin
            .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .await
            .ok();
    }
}
