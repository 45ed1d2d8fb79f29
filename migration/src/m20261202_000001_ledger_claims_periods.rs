//! The finance officer's ledger and claims, and periods from the project's dates (issue 12).
//! - `expenditure.claim_id`: the payment claim (ŽoP) whose list of documents (soupiska dokladů) holds the
//!   expenditure; a document is in at most one claim;
//! - `expenditure.version`: the optimistic-lock counter for edits from the ledger;
//! - `payment_claim.with_documents`: true when the claim's amount follows from its documents; claims typed as
//!   a bare amount before this migration stay readable as "bez soupisky" (false);
//! - `programme.report_period_months`: the programme's reporting rule, the length of one monitoring period
//!   (ZoR) in months, used to generate a project's periods from its dates;
//! - EECO12 (participants with disabilities) is computed from participant records like EECO01–EECO11.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

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
        add(manager, "expenditure", integer_null("claim_id")).await?;
        add(
            manager,
            "expenditure",
            integer("version").default(1).to_owned(),
        )
        .await?;
        add(
            manager,
            "payment_claim",
            boolean("with_documents").default(false).to_owned(),
        )
        .await?;
        add(
            manager,
            "programme",
            integer("report_period_months").default(6).to_owned(),
        )
        .await?;
        manager
            .exec_stmt(
                Query::update()
                    .table("indicator")
                    .value("computed", true)
                    .and_where(Expr::col("code").eq("EECO12"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_expenditure_claim")
                    .table("expenditure")
                    .col("claim_id")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_expenditure_claim")
                    .table("expenditure")
                    .to_owned(),
            )
            .await?;
        drop(manager, "programme", "report_period_months").await?;
        drop(manager, "payment_claim", "with_documents").await?;
        drop(manager, "expenditure", "version").await?;
        drop(manager, "expenditure", "claim_id").await
    }
}
