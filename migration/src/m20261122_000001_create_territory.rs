//! Territorial codebook: regions (kraje, VÚSC), districts (okresy) and municipalities (obce),
//! keyed by their official RÚIAN/ČSÚ codes.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("region")
                    .if_not_exists()
                    .col(integer("code").primary_key())
                    .col(string("name"))
                    .col(string_len("nuts3", 5))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("district")
                    .if_not_exists()
                    .col(integer("code").primary_key())
                    .col(string("name"))
                    .col(integer("region_code"))
                    .col(string_len("lau1", 6))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_district_region")
                            .from("district", "region_code")
                            .to("region", "code"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("municipality")
                    .if_not_exists()
                    .col(integer("code").primary_key())
                    .col(string("name"))
                    .col(string("name_folded"))
                    .col(integer("district_code"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_municipality_district")
                            .from("municipality", "district_code")
                            .to("district", "code"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_municipality_name_folded")
                    .table("municipality")
                    .col("name_folded")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in ["municipality", "district", "region"] {
            manager
                .drop_table(Table::drop().table(t).to_owned())
                .await?;
        }
        Ok(())
    }
}
