//! What a project is found by: the folded text of the project list's search (rebuilt whenever a part
//! changes) and the programme of a registration number.

use crate::domain::{fold_for_search, RegistrationNumber};
use crate::services::ServiceError;
use entity::{organisation, programme, project};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait, QueryFilter};

/// The programme of a registration number, found by its programme code **and** its programming period:
/// OPZ (2014–2020) and OPZ+ (2021–2027) share the code `03`. The one lookup of the project form and of
/// the importer; `None` when the programme is not in the codebook.
///
/// # Errors
/// Database errors.
pub async fn programme_of(
    db: &impl ConnectionTrait,
    rn: &RegistrationNumber,
) -> Result<Option<programme::Model>, DbErr> {
    programme::Entity::find()
        .filter(programme::Column::Period.eq(rn.period().code()))
        .filter(programme::Column::Code.eq(rn.programme_code()))
        .one(db)
        .await
}

/// What the project list's text search finds a project by: its registration number, name, acronym and
/// its beneficiary's name and IČO.
#[derive(Debug, Clone, Copy)]
pub struct SearchParts<'a> {
    pub registration_number: &'a str,
    pub name: &'a str,
    pub acronym: Option<&'a str>,
    pub beneficiary_name: &'a str,
    pub beneficiary_ico: &'a str,
}

/// The project's `search_folded` column: its [`SearchParts`] folded (lower case, no diacritics). The one
/// builder for the form and the importer; whoever changes a part rebuilds it.
#[must_use]
pub fn search_text(parts: &SearchParts<'_>) -> String {
    fold_for_search(&format!(
        "{} {} {} {} {}",
        parts.registration_number,
        parts.name,
        parts.acronym.unwrap_or_default(),
        parts.beneficiary_name,
        parts.beneficiary_ico
    ))
}

/// Rebuilds the search text of every project of `org` (after a rename: its name is part of it).
pub(super) async fn refresh_search_of(
    txn: &DatabaseTransaction,
    org: &organisation::Model,
) -> Result<(), ServiceError> {
    let projects = project::Entity::find()
        .filter(project::Column::BeneficiaryId.eq(org.id))
        .all(txn)
        .await?;
    for p in projects {
        let text = search_text(&SearchParts {
            registration_number: &p.registration_number,
            name: &p.name,
            acronym: p.acronym.as_deref(),
            beneficiary_name: &org.name,
            beneficiary_ico: &org.ico,
        });
        if text != p.search_folded {
            project::Entity::update_many()
                .col_expr(project::Column::SearchFolded, Expr::value(text))
                .filter(project::Column::Id.eq(p.id))
                .exec(txn)
                .await?;
        }
    }
    Ok(())
}
