//! Public fields of the open-data list of operations (issue 15, point 3; CPR 2021/1060 art. 49(3)):
//! `organisation.natural_person`, whether the beneficiary is a natural person (its name and IČO are then
//! left out of the list), and `project.intervention_code`, the type of intervention (CPR Annex I,
//! table 1, "intervention field", a three-digit code) that nothing in the data carried before.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("organisation")
                    .add_column(boolean("natural_person").default(false))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("project")
                    .add_column(string_len_null("intervention_code", 3))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("project")
                    .drop_column("intervention_code")
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("organisation")
                    .drop_column("natural_person")
                    .to_owned(),
            )
            .await
    }
}
