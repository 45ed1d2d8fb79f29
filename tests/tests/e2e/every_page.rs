//! The pages every user can reach and switching between the demo's roles: shared by the checks that go
//! over every page (narrow windows, accessibility).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use app::dto::ProjectListQuery;
use app::services::projects;
use e2e::{Harness, DEMO_PASSWORD};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

/// The demo's users, one per role.
pub const ROLES: [&str; 4] = [
    "admin@demo.cz",
    "manager@demo.cz",
    "finance@demo.cz",
    "reviewer@demo.cz",
];

async fn id_of(h: &Harness, text: &str) -> i32 {
    let q = ProjectListQuery {
        text: text.into(),
        page: 1,
        per_page: 5,
        ..Default::default()
    };
    projects::list(&h.app.db, &q).await.unwrap().rows[0].id
}

/// Every page of the app a signed-in user can reach, with the demo's NOE as the project.
pub async fn pages(h: &Harness) -> Vec<String> {
    let noe = id_of(h, "0002653").await;
    let period = entity::monitoring_period::Entity::find()
        .filter(entity::monitoring_period::Column::ProjectId.eq(noe))
        .one(&h.app.db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let mut out: Vec<String> = [
        "/",
        "/prehled",
        "/kontroly",
        "/terminy",
        "/importy",
        "/ciselniky/indikatory",
        "/nastaveni",
        "/ucet",
        "/audit",
        "/uzivatele",
        "/api-tokeny",
        "/projekty/novy",
    ]
    .iter()
    .map(|p| (*p).to_owned())
    .collect();
    for tab in [
        "",
        "/indikatory",
        "/rozpocet",
        "/vydaje",
        "/zadosti",
        "/upravit",
        "/tisk",
    ] {
        out.push(format!("/projekty/{noe}{tab}"));
    }
    out.push(format!("/projekty/{noe}/obdobi/{period}"));
    let spent = entity::expenditure::Entity::find()
        .filter(entity::expenditure::Column::ProjectId.eq(noe))
        .one(&h.app.db)
        .await
        .unwrap()
        .unwrap()
        .id;
    out.push(format!("/projekty/{noe}/vydaje/{spent}"));
    out
}

/// Signs the current user out through the header's menu and `user` in.
pub async fn switch_to(h: &Harness, user: &str) {
    h.open("/").await;
    h.find("[data-testid='user-menu'] button")
        .await
        .click()
        .await
        .unwrap();
    h.wait_for_path(|p| p.starts_with("/prihlaseni")).await;
    h.sign_in(user, DEMO_PASSWORD).await;
}
