//! The beneficiary (příjemce) of a project, found by its IČO (the Czech company number): created when
//! new, renamed (or marked as a natural person, or not) only by whoever may rename organisations.

use super::search::refresh_search_of;
use crate::domain::roles::Viewer;
use crate::forms::{field, ValidProject};
use crate::services::{audit, ServiceError};
use entity::{organisation, project};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QuerySelect, Set,
};

/// Finds the beneficiary by IČO, creating it, or renaming it when `by` may (see
/// [`Viewer::can_rename_organisation`]; `None`, the command line and seed data, may). A rename is
/// audited; a different name from anyone else is a field error, so nothing is saved.
pub(super) async fn upsert_beneficiary(
    txn: &DatabaseTransaction,
    v: &ValidProject,
    by: Option<&Viewer>,
    project_id: Option<i32>,
) -> Result<i32, ServiceError> {
    let existing = organisation::Entity::find()
        .filter(organisation::Column::Ico.eq(v.beneficiary_ico.as_str()))
        .one(txn)
        .await?;
    Ok(match existing {
        Some(o)
            if o.name == v.beneficiary_name && o.natural_person == v.beneficiary_natural_person =>
        {
            o.id
        }
        Some(o) => {
            if let Some(viewer) = by {
                let its_projects: Vec<i32> = project::Entity::find()
                    .select_only()
                    .column(project::Column::Id)
                    .filter(project::Column::BeneficiaryId.eq(o.id))
                    .into_tuple()
                    .all(txn)
                    .await?;
                if !viewer.can_rename_organisation(&its_projects) {
                    return Err(if o.name == v.beneficiary_name {
                        ServiceError::field(
                            field::BENEFICIARY_NATURAL_PERSON,
                            "Zda je příjemce s tímto IČO fyzická osoba, může změnit jen správce nebo \
                             ten, kdo smí upravovat všechny jeho projekty.",
                        )
                    } else {
                        ServiceError::field(
                            field::BENEFICIARY_NAME,
                            format!(
                                "Název organizace s tímto IČO může změnit jen správce nebo ten, kdo \
                                 smí upravovat všechny její projekty; uložený název: {}",
                                o.name
                            ),
                        )
                    });
                }
            }
            let id = o.id;
            let mut am: organisation::ActiveModel = o.clone().into();
            am.name = Set(v.beneficiary_name.clone());
            am.natural_person = Set(v.beneficiary_natural_person);
            let renamed = am.update(txn).await?;
            refresh_search_of(txn, &renamed).await?;
            audit::changed(
                txn,
                "update",
                "organisation",
                id,
                project_id,
                Some(&o),
                Some(&renamed),
            )
            .await?;
            id
        }
        None => {
            organisation::ActiveModel {
                ico: Set(v.beneficiary_ico.as_str().to_string()),
                name: Set(v.beneficiary_name.clone()),
                natural_person: Set(v.beneficiary_natural_person),
                ..Default::default()
            }
            .insert(txn)
            .await?
            .id
        }
    })
}
