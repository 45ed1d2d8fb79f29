//! Who may rename a beneficiary (an organisation shared by all its projects, found by IČO): admins and
//! whoever may edit every one of its projects; a rename is audited. On SQLite and PostgreSQL, and once
//! through the server function as the demo manager.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::http::{sign_in, spawn_app};
use app::domain::roles::{Role, Viewer};
use app::dto::{ProjectInput, SaveOutcome};
use app::forms::field;
use app::services::{demo, projects};
use entity::{audit_log, organisation, project};
use leptos::server_fn::ServerFn;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

const NOE: &str = "CZ.03.01.01/00/22_015/0002653";
const VNP: &str = "CZ.03.01.01/00/22_015/0002657";
/// Úřad práce ČR: the beneficiary of NOE, VNP and a project of the 2014–2020 period.
const UP_ICO: &str = "72496991";
const UP_NAME: &str = "Úřad práce České republiky";

fn viewer(roles: &[Role], projects: &[i32]) -> Viewer {
    Viewer {
        id: 1,
        email: "x@demo.cz".into(),
        name: "X".into(),
        roles: roles.to_vec(),
        projects: projects.to_vec(),
        finance_all: false,
        lang: app::domain::Lang::Cs,
    }
}

async fn id_of(db: &DatabaseConnection, reg: &str) -> i32 {
    demo::project_id_by_registration(db, reg)
        .await
        .unwrap()
        .unwrap()
}

async fn org_name(db: &DatabaseConnection, ico: &str) -> String {
    organisation::Entity::find()
        .filter(organisation::Column::Ico.eq(ico))
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .name
}

async fn org_audits(db: &DatabaseConnection) -> Vec<audit_log::Model> {
    audit_log::Entity::find()
        .filter(audit_log::Column::Entity.eq("organisation"))
        .all(db)
        .await
        .unwrap()
}

db_test!(
    a_manager_may_not_rename_an_organisation_with_projects_of_others,
    |db: DatabaseConnection| async move {
        demo::load(&db, crate::common::today(), &crate::common::ruian_dir())
            .await
            .unwrap();
        let noe = id_of(&db, NOE).await;
        let manager = viewer(&[Role::Manager], &[noe]);
        let (input, version) = projects::input_of(&db, noe).await.unwrap();
        // Its own beneficiary, which VNP shares, and another organisation's IČO: both refused.
        for (ico, stored) in [
            (UP_ICO, UP_NAME.to_owned()),
            ("00296244", org_name(&db, "00296244").await),
        ] {
            let renamed = ProjectInput {
                beneficiary_ico: ico.into(),
                beneficiary_name: "Přejmenovaná organizace".into(),
                ..input.clone()
            };
            let outcome = projects::update_as(&db, Some(&manager), noe, version, &renamed)
                .await
                .unwrap();
            let SaveOutcome::Invalid(errors) = outcome else {
                panic!("{ico}: expected a field error, got {outcome:?}");
            };
            let message = errors.get(field::BENEFICIARY_NAME).unwrap();
            assert!(
                message.contains("jen správce") && message.contains(&stored),
                "{message}"
            );
            assert_eq!(org_name(&db, ico).await, stored, "the name is kept");
        }
        let stored = project::Entity::find_by_id(noe)
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(stored.version, version, "nothing saved half-way");
        assert!(org_audits(&db).await.is_empty());
        // With the stored name, the same manager saves.
        let same = ProjectInput {
            description: "Jiný popis".into(),
            ..input.clone()
        };
        assert_eq!(
            projects::update_as(&db, Some(&manager), noe, version, &same)
                .await
                .unwrap(),
            SaveOutcome::Saved { id: noe }
        );
    }
);

db_test!(
    an_admin_or_the_editor_of_every_project_renames_and_it_is_audited,
    |db: DatabaseConnection| async move {
        demo::load(&db, crate::common::today(), &crate::common::ruian_dir())
            .await
            .unwrap();
        let noe = id_of(&db, NOE).await;
        let all_of_up: Vec<i32> = project::Entity::find()
            .filter(
                project::Column::BeneficiaryId.eq(organisation::Entity::find()
                    .filter(organisation::Column::Ico.eq(UP_ICO))
                    .one(&db)
                    .await
                    .unwrap()
                    .unwrap()
                    .id),
            )
            .all(&db)
            .await
            .unwrap()
            .into_iter()
            .map(|p| p.id)
            .collect();
        assert!(all_of_up.len() >= 2 && all_of_up.contains(&noe));
        let manager_of_all = viewer(&[Role::Manager], &all_of_up);
        let (input, version) = projects::input_of(&db, noe).await.unwrap();
        let renamed = ProjectInput {
            beneficiary_name: "Úřad práce ČR".into(),
            ..input.clone()
        };
        assert_eq!(
            projects::update_as(&db, Some(&manager_of_all), noe, version, &renamed)
                .await
                .unwrap(),
            SaveOutcome::Saved { id: noe }
        );
        assert_eq!(org_name(&db, UP_ICO).await, "Úřad práce ČR");
        let audits = org_audits(&db).await;
        assert_eq!(audits.len(), 1, "{audits:?}");
        assert_eq!(audits[0].action, "update");
        assert_eq!(audits[0].project_id, Some(noe));
        let changes: serde_json::Value = serde_json::from_str(&audits[0].changes_json).unwrap();
        assert_eq!(
            changes["name"],
            serde_json::json!([UP_NAME, "Úřad práce ČR"])
        );
        // An admin creating a project for a known IČO under a new name renames it too.
        let admin = viewer(&[Role::Admin], &[]);
        let new = ProjectInput {
            registration_number: "CZ.03.02.01/00/25_106/0009555".into(),
            name: "Nový projekt".into(),
            beneficiary_ico: "00296244".into(),
            beneficiary_name: "Město Moravský Beroun (nově)".into(),
            status: "preparation".into(),
            start_date: "1. 1. 2026".into(),
            end_date: "31. 12. 2027".into(),
            ..Default::default()
        };
        assert!(matches!(
            projects::create_as(&db, Some(&admin), &new).await.unwrap(),
            SaveOutcome::Saved { .. }
        ));
        assert_eq!(
            org_name(&db, "00296244").await,
            "Město Moravský Beroun (nově)"
        );
        assert_eq!(org_audits(&db).await.len(), 2);
    }
);

#[tokio::test]
async fn the_demo_manager_cannot_rename_the_beneficiary_through_the_form() {
    let (app, _dir) = spawn_app().await;
    let noe = id_of(&app.db, NOE).await;
    let vnp = id_of(&app.db, VNP).await;
    let (input, version) = projects::input_of(&app.db, noe).await.unwrap();
    let manager = sign_in(&app, "manager@demo.cz").await;
    let resp = manager
        .post(format!("{}{}", app.url(), app::api::UpdateProject::PATH))
        .json(&serde_json::json!({
            "id": noe,
            "version": version,
            "input": ProjectInput { beneficiary_name: "Pepa s.r.o.".into(), ..input },
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let outcome: SaveOutcome = resp.json().await.unwrap();
    let SaveOutcome::Invalid(errors) = outcome else {
        panic!("expected a field error, got {outcome:?}");
    };
    assert!(errors
        .get(field::BENEFICIARY_NAME)
        .unwrap()
        .contains(UP_NAME));
    assert_eq!(org_name(&app.db, UP_ICO).await, UP_NAME);
    assert_eq!(
        projects::detail(&app.db, vnp)
            .await
            .unwrap()
            .beneficiary_name,
        UP_NAME,
        "VNP keeps its beneficiary's name"
    );
}
