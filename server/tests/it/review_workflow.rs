//! The review workflow completed (issue "Each role meets an app made for it", point 8): the project
//! team resubmits a returned report with an answer, and the reviewers' queue lists the waiting reports
//! oldest first with the days they have waited on a fixed today.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;
use app::domain::roles::{Role, Viewer};
use app::dto::portfolio::ReviewInput;
use app::dto::review::{ResubmitInput, ReviewQueueQuery};
use app::services::review::{self, queue::queue};
use app::services::{demo, ServiceError};
use chrono::{NaiveDate, TimeZone, Utc};
use entity::{audit_log, period_review, project};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter,
    Set,
};

const A: &str = "CZ.03.02.01/00/25_106/0009101";
const B: &str = "CZ.03.02.01/00/25_106/0009102";

pub(crate) fn viewer(id: i32, roles: &[Role], projects: &[i32]) -> Viewer {
    Viewer {
        id,
        email: format!("u{id}@demo.cz"),
        name: format!("Uživatel {id}"),
        roles: roles.to_vec(),
        projects: projects.to_vec(),
        finance_all: false,
        lang: app::domain::Lang::Cs,
    }
}

pub(crate) fn reviewer() -> Viewer {
    viewer(900, &[Role::Reviewer], &[])
}

/// Two projects (1. 1. 2026 – 31. 12. 2027, with their monitoring periods) and the ids of the first two
/// periods of each.
pub(crate) async fn projects(db: &DatabaseConnection) -> (i32, i32, Vec<i32>, Vec<i32>) {
    demo::load(db, common::today(), &crate::common::ruian_dir())
        .await
        .unwrap();
    let a = common::project_with_budget(db, A).await;
    let b = common::project_with_budget(db, B).await;
    let periods = |p| async move {
        review::summaries(db, p)
            .await
            .unwrap()
            .iter()
            .map(|s| s.period_id)
            .collect::<Vec<_>>()
    };
    (a, b, periods(a).await, periods(b).await)
}

/// A reviewer moves the period's review to `status` at `version`, with `comment`.
pub(crate) async fn move_to(
    db: &DatabaseConnection,
    p: i32,
    period: i32,
    status: &str,
    version: i32,
    comment: &str,
) {
    let input = ReviewInput {
        comment: comment.into(),
        status: status.into(),
        version,
    };
    review::submit(db, &reviewer(), p, period, &input)
        .await
        .unwrap();
}

fn answer(text: &str, version: i32) -> ResubmitInput {
    ResubmitInput {
        answer: text.into(),
        version,
    }
}

db_test!(
    the_team_resubmits_a_returned_report_with_an_answer,
    |db: DatabaseConnection| async move {
        let (a, b, pa, _) = projects(&db).await;
        let period = pa[0];
        let manager = viewer(1, &[Role::Manager], &[a]);
        let finance = viewer(2, &[Role::Finance], &[a]);
        // Nothing to resubmit before the report is returned.
        let Err(ServiceError::Validation(e)) =
            review::resubmit(&db, &manager, a, period, &answer("Hotovo.", 0)).await
        else {
            panic!("a report not returned cannot be resubmitted");
        };
        assert!(e.get("status").unwrap().contains("Znovu předloženo"));
        move_to(&db, a, period, "under_review", 0, "").await;
        move_to(&db, a, period, "returned", 1, "Doložte prezenční listiny.").await;
        let seen = review::view(&db, &manager, a, period).await.unwrap();
        assert!(
            seen.can_resubmit,
            "the manager may resubmit a returned report"
        );
        assert_eq!(seen.version, 2);
        assert!(
            !review::view(&db, &reviewer(), a, period)
                .await
                .unwrap()
                .can_resubmit
        );
        // The answer is required.
        let Err(ServiceError::Validation(e)) =
            review::resubmit(&db, &manager, a, period, &answer("  ", 2)).await
        else {
            panic!("an empty answer is refused");
        };
        assert!(e.get("answer").unwrap().contains("Napište odpověď"));
        // A stale version is a conflict.
        assert!(matches!(
            review::resubmit(&db, &manager, a, period, &answer("Doloženo.", 1)).await,
            Err(ServiceError::Conflict(_))
        ));
        // Neither a reviewer nor another project's manager is the project's team.
        assert!(matches!(
            review::resubmit(&db, &reviewer(), a, period, &answer("Doloženo.", 2)).await,
            Err(ServiceError::Forbidden)
        ));
        let other = viewer(3, &[Role::Manager], &[b]);
        assert!(matches!(
            review::resubmit(&db, &other, a, period, &answer("Doloženo.", 2)).await,
            Err(ServiceError::Forbidden)
        ));
        // The project's finance officer may.
        review::resubmit(
            &db,
            &finance,
            a,
            period,
            &answer("Listiny jsou doloženy v příloze.", 2),
        )
        .await
        .unwrap();
        let after = review::view(&db, &reviewer(), a, period).await.unwrap();
        assert_eq!(after.status.as_deref(), Some("resubmitted"));
        assert_eq!(after.status_label, "Znovu předloženo");
        assert_eq!(after.version, 3);
        let last = after.comments.last().unwrap();
        assert_eq!(last.body, "Listiny jsou doloženy v příloze.");
        assert_eq!(last.author, "Uživatel 2");
        assert_eq!(last.status_label.as_deref(), Some("Znovu předloženo"));
        // The reviewer goes on from there: return again or accept.
        let next: Vec<&str> = after
            .next_statuses
            .iter()
            .map(|(c, _)| c.as_str())
            .collect();
        assert_eq!(next, ["returned", "accepted"]);
        // Twice is not allowed: it is no longer returned.
        assert!(matches!(
            review::resubmit(&db, &manager, a, period, &answer("Ještě jednou.", 3)).await,
            Err(ServiceError::Validation(_))
        ));
        let audit = audit_log::Entity::find()
            .filter(audit_log::Column::ProjectId.eq(a))
            .all(&db)
            .await
            .unwrap();
        assert!(audit.iter().any(|e| e.entity == "period_review"
            && e.action == "update"
            && e.changes_json.contains("resubmitted")));
        assert!(
            audit
                .iter()
                .any(|e| e.entity == "review_comment"
                    && e.changes_json.contains("doloženy v příloze"))
        );
    }
);

/// Sets when the period's review came into its status (the queue's "since").
async fn since(db: &DatabaseConnection, period: i32, date: NaiveDate) {
    let r = period_review::Entity::find()
        .filter(period_review::Column::PeriodId.eq(period))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let mut am = r.into_active_model();
    am.updated_at = Set(Utc.from_utc_datetime(&date.and_hms_opt(9, 30, 0).unwrap()));
    am.update(db).await.unwrap();
}

fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, day).unwrap()
}

db_test!(
    the_queue_lists_waiting_reports_oldest_first_with_days_waiting,
    |db: DatabaseConnection| async move {
        let (a, b, pa, pb) = projects(&db).await;
        let manager_a = viewer(1, &[Role::Manager], &[a]);
        // A/ZoR 1 under review since 21. 6.; A/ZoR 2 resubmitted on 2. 5.; B/ZoR 1 returned on 1. 4.
        move_to(&db, a, pa[0], "under_review", 0, "").await;
        move_to(&db, a, pa[1], "under_review", 0, "").await;
        move_to(&db, a, pa[1], "returned", 1, "Opravte tabulku.").await;
        review::resubmit(&db, &manager_a, a, pa[1], &answer("Opraveno.", 2))
            .await
            .unwrap();
        move_to(&db, b, pb[0], "under_review", 0, "").await;
        move_to(&db, b, pb[0], "returned", 1, "Chybí příloha.").await;
        since(&db, pa[0], d(6, 21)).await;
        since(&db, pa[1], d(5, 2)).await;
        since(&db, pb[0], d(4, 1)).await;
        let ours = [a, b];
        let run = |q: ReviewQueueQuery, visible: Option<Vec<i32>>| {
            let db = db.clone();
            async move {
                queue(&db, &q, visible.as_deref(), common::today(), true)
                    .await
                    .unwrap()
            }
        };
        // Waiting for a reviewer: oldest first, days counted to the fixed today (1. 7. 2026).
        let page = run(ReviewQueueQuery::default(), Some(ours.to_vec())).await;
        let rows: Vec<(i32, &str, i64)> = page
            .rows
            .iter()
            .map(|r| (r.period_id, r.status.as_str(), r.days_waiting))
            .collect();
        assert_eq!(
            rows,
            [(pa[1], "resubmitted", 60), (pa[0], "under_review", 10)]
        );
        assert_eq!(page.rows[0].since, d(5, 2));
        assert_eq!(page.rows[0].period_number, 2);
        assert_eq!(page.rows[0].registration_number, A);
        assert_eq!(page.total, 2);
        // The status filter.
        let returned = run(
            ReviewQueueQuery {
                status: Some("returned".into()),
                ..Default::default()
            },
            Some(ours.to_vec()),
        )
        .await;
        assert_eq!(returned.rows.len(), 1);
        assert_eq!(
            (returned.rows[0].project_id, returned.rows[0].days_waiting),
            (b, 91)
        );
        // Every open review, as the dashboard card counts them: the returned one too, oldest first.
        let open = run(
            ReviewQueueQuery {
                status: Some(app::dto::review::ALL_OPEN.into()),
                ..Default::default()
            },
            Some(ours.to_vec()),
        )
        .await;
        let open: Vec<i32> = open.rows.iter().map(|r| r.period_id).collect();
        assert_eq!(open, [pb[0], pa[1], pa[0]]);
        // Text without diacritics and case: a registration number's tail.
        let by_text = run(
            ReviewQueueQuery {
                text: "0009101".into(),
                ..Default::default()
            },
            None,
        )
        .await;
        assert_eq!(by_text.total, 2);
        assert!(by_text.rows.iter().all(|r| r.project_id == a));
        // The programme filter.
        let programme = project::Entity::find_by_id(a)
            .one(&db)
            .await
            .unwrap()
            .unwrap()
            .programme_id;
        let in_programme = run(
            ReviewQueueQuery {
                programme_id: Some(programme),
                ..Default::default()
            },
            Some(ours.to_vec()),
        )
        .await;
        assert_eq!(in_programme.total, 2);
        let elsewhere = run(
            ReviewQueueQuery {
                programme_id: Some(programme + 1000),
                ..Default::default()
            },
            None,
        )
        .await;
        assert_eq!(elsewhere.total, 0);
        assert!(elsewhere.rows.is_empty());
        // Visibility: a reviewer sees every project's reports (the demo's too), a team only its own.
        let all = run(ReviewQueueQuery::default(), None).await;
        assert!(
            all.total > 2,
            "the demo portfolio's open reviews are listed too"
        );
        let dates: Vec<NaiveDate> = all.rows.iter().map(|r| r.since).collect();
        assert!(
            dates.windows(2).all(|w| w[0] <= w[1]),
            "oldest first: {dates:?}"
        );
        let only_b = run(ReviewQueueQuery::default(), Some(vec![b])).await;
        assert_eq!(
            only_b.total, 0,
            "B's report waits for its team, not a reviewer"
        );
        let only_b = run(
            ReviewQueueQuery {
                status: Some("returned".into()),
                ..Default::default()
            },
            Some(vec![b]),
        )
        .await;
        assert_eq!(only_b.total, 1);
        // An archived project's reports leave the queue.
        let version = project::Entity::find_by_id(b)
            .one(&db)
            .await
            .unwrap()
            .unwrap()
            .version;
        app::services::projects::set_archived(&db, b, version, true)
            .await
            .unwrap();
        let archived = run(
            ReviewQueueQuery {
                status: Some("returned".into()),
                ..Default::default()
            },
            Some(vec![b]),
        )
        .await;
        assert_eq!(archived.total, 0);
    }
);
