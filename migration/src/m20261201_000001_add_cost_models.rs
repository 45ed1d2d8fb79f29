//! Cost models (issue 11): how a project accounts for its costs, what its call allows, and the call's
//! simplified cost options.
//! - `project_finance.cost_model`: `flat_indirect_direct` (the only model before), `flat_indirect_personnel`,
//!   `flat_40_personnel` or `simplified`;
//! - `call.cost_models`, `call.max_rate_direct`, `call.max_rate_personnel`, `call.rate_flat_personnel`: the
//!   models a call allows (comma-separated codes) and its rates (percent as decimal text), set by an admin;
//! - `unit_cost`: a call's unit costs and lump sums (amount per unit in haléře);
//! - `budget_line.unit_cost_id`, `budget_line.units`, `expenditure.units`: lines and drawings of a
//!   simplified project, units × rate.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const ALL_MODELS: &str =
    "flat_indirect_direct,flat_indirect_personnel,flat_40_personnel,simplified";

async fn add(manager: &SchemaManager<'_>, table: &str, col: ColumnDef) -> Result<(), DbErr> {
    manager
        .alter_table(
            Table::alter()
                .table(table.to_owned())
                .add_column(col)
                .to_owned(),
        )
        .await
}

async fn drop(manager: &SchemaManager<'_>, table: &str, col: &str) -> Result<(), DbErr> {
    manager
        .alter_table(
            Table::alter()
                .table(table.to_owned())
                .drop_column(col.to_owned())
                .to_owned(),
        )
        .await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        add(
            manager,
            "project_finance",
            string("cost_model")
                .default("flat_indirect_direct")
                .to_owned(),
        )
        .await?;
        add(
            manager,
            "call",
            string("cost_models").default(ALL_MODELS).to_owned(),
        )
        .await?;
        add(
            manager,
            "call",
            string("max_rate_direct").default("25").to_owned(),
        )
        .await?;
        add(
            manager,
            "call",
            string("max_rate_personnel").default("15").to_owned(),
        )
        .await?;
        add(
            manager,
            "call",
            string("rate_flat_personnel").default("40").to_owned(),
        )
        .await?;
        add(manager, "budget_line", integer_null("unit_cost_id")).await?;
        add(manager, "budget_line", string_null("units")).await?;
        add(manager, "expenditure", string_null("units")).await?;
        manager
            .create_table(
                Table::create()
                    .table("unit_cost")
                    .if_not_exists()
                    .col(pk_auto("id"))
                    .col(integer("call_id"))
                    .col(string("code"))
                    .col(string("name"))
                    .col(string("unit"))
                    .col(string("kind"))
                    .col(big_integer("rate_halere"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_unit_cost_call")
                            .from("unit_cost", "call_id")
                            .to("call", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_unit_cost_call_code")
                    .table("unit_cost")
                    .col("call_id")
                    .col("code")
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("unit_cost").to_owned())
            .await?;
        drop(manager, "expenditure", "units").await?;
        drop(manager, "budget_line", "units").await?;
        drop(manager, "budget_line", "unit_cost_id").await?;
        for c in [
            "rate_flat_personnel",
            "max_rate_personnel",
            "max_rate_direct",
            "cost_models",
        ] {
            drop(manager, "call", c).await?;
        }
        drop(manager, "project_finance", "cost_model").await
    }
}
