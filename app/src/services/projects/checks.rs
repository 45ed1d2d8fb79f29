//! The project form against the database: the programme of its registration number, no duplicate
//! registration number, target groups and municipalities (obce) from the codebooks.

use super::search::programme_of;
use crate::forms::{field, ValidProject};
use crate::services::ServiceError;
use entity::{municipality, project, target_group};
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter};
use std::collections::BTreeSet;

/// Checks a valid form against the database and resolves its programme: unknown programme, duplicate
/// registration number, unknown target groups or municipalities become field errors.
pub(super) async fn check_against_db(
    txn: &DatabaseTransaction,
    v: &ValidProject,
    own_id: Option<i32>,
) -> Result<i32, ServiceError> {
    let rn = &v.registration_number;
    let Some(prog) = programme_of(txn, rn).await? else {
        return Err(ServiceError::field(
            field::REGISTRATION_NUMBER,
            format!(
                "Program {} období {} není v číselníku programů (evidujeme OPZ+ a OPZ).",
                rn.programme_code(),
                rn.period().label()
            ),
        ));
    };
    let mut dup =
        project::Entity::find().filter(project::Column::RegistrationNumber.eq(rn.as_str()));
    if let Some(id) = own_id {
        dup = dup.filter(project::Column::Id.ne(id));
    }
    if dup.count(txn).await? > 0 {
        return Err(duplicate_error(rn.as_str()));
    }
    let known_groups = target_group::Entity::find()
        .filter(target_group::Column::Code.is_in(v.target_groups.clone()))
        .count(txn)
        .await?;
    if known_groups != v.target_groups.len() as u64 {
        return Err(ServiceError::field(
            field::TARGET_GROUPS,
            "Vyberte cílové skupiny z číselníku.",
        ));
    }
    let codes: Vec<i32> = v
        .municipalities
        .iter()
        .filter_map(|m| i32::try_from(m.value()).ok())
        .collect();
    let known = municipality::Entity::find()
        .filter(municipality::Column::Code.is_in(codes.clone()))
        .all(txn)
        .await?
        .into_iter()
        .map(|m| m.code)
        .collect::<BTreeSet<_>>();
    if let Some(missing) = codes.iter().find(|c| !known.contains(c)) {
        return Err(ServiceError::field(
            field::MUNICIPALITIES,
            format!("Obec s kódem {missing} není v číselníku obcí (načtěte číselník RÚIAN)."),
        ));
    }
    Ok(prog.id)
}

fn duplicate_error(rn: &str) -> ServiceError {
    ServiceError::field(field::REGISTRATION_NUMBER, duplicate_message(rn))
}

pub(super) fn duplicate_message(rn: &str) -> String {
    format!("Projekt s registračním číslem {rn} už je v evidenci.")
}
