//! Monitoring: the indicator codebook, project indicators with targets, monitoring periods and achieved
//! values, pseudonymised participant records, budgets (lines by chapter and year, flat-rate indirect
//! costs, co-financing shares), expenditures, payment claims (ŽoP), advances and settings.
//!
//! Money is `BIGINT` haléře; indicator values are `BIGINT` thousandths (exact on both backends);
//! percentages are decimal text (e.g. "85.0000"), parsed into `Decimal`, never through a float.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn fk(
    name: &str,
    from_table: &'static str,
    from_col: &'static str,
    to_table: &'static str,
    cascade: bool,
) -> ForeignKeyCreateStatement {
    let mut f = ForeignKey::create();
    f.name(name).from(from_table, from_col).to(to_table, "id");
    if cascade {
        f.on_delete(ForeignKeyAction::Cascade);
    }
    f.to_owned()
}

async fn unique(
    manager: &SchemaManager<'_>,
    name: &str,
    table: &'static str,
    cols: &[&'static str],
) -> Result<(), DbErr> {
    let mut i = Index::create();
    i.name(name).table(table).unique();
    for c in cols {
        i.col(*c);
    }
    manager.create_index(i.to_owned()).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("indicator")
                    .if_not_exists()
                    .col(pk_auto("id"))
                    .col(string_len_uniq("code", 16))
                    .col(string("name_cs"))
                    .col(string("name_en"))
                    .col(string_len("unit", 16))
                    .col(string_len("kind", 16))
                    .col(text("definition"))
                    .col(boolean("code_verified").default(false))
                    .col(boolean("computed").default(false))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("project_indicator")
                    .if_not_exists()
                    .col(pk_auto("id"))
                    .col(integer("project_id"))
                    .col(integer("indicator_id"))
                    .col(big_integer("baseline_milli").default(0))
                    .col(big_integer("target_milli"))
                    .col(date("target_date"))
                    .col(integer("version").default(1))
                    .foreign_key(&mut fk(
                        "fk_pi_project",
                        "project_indicator",
                        "project_id",
                        "project",
                        true,
                    ))
                    .foreign_key(&mut fk(
                        "fk_pi_indicator",
                        "project_indicator",
                        "indicator_id",
                        "indicator",
                        false,
                    ))
                    .to_owned(),
            )
            .await?;
        unique(
            manager,
            "ux_pi_project_indicator",
            "project_indicator",
            &["project_id", "indicator_id"],
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table("monitoring_period")
                    .if_not_exists()
                    .col(pk_auto("id"))
                    .col(integer("project_id"))
                    .col(integer("number"))
                    .col(date("start_date"))
                    .col(date("end_date"))
                    .foreign_key(&mut fk(
                        "fk_mp_project",
                        "monitoring_period",
                        "project_id",
                        "project",
                        true,
                    ))
                    .to_owned(),
            )
            .await?;
        unique(
            manager,
            "ux_mp_project_number",
            "monitoring_period",
            &["project_id", "number"],
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table("indicator_value")
                    .if_not_exists()
                    .col(pk_auto("id"))
                    .col(integer("project_indicator_id"))
                    .col(integer("period_id"))
                    .col(big_integer("achieved_milli"))
                    .col(text("note").default(""))
                    .col(integer("version").default(1))
                    .foreign_key(&mut fk(
                        "fk_iv_pi",
                        "indicator_value",
                        "project_indicator_id",
                        "project_indicator",
                        true,
                    ))
                    .foreign_key(&mut fk(
                        "fk_iv_period",
                        "indicator_value",
                        "period_id",
                        "monitoring_period",
                        true,
                    ))
                    .to_owned(),
            )
            .await?;
        unique(
            manager,
            "ux_iv_pi_period",
            "indicator_value",
            &["project_indicator_id", "period_id"],
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table("participant")
                    .if_not_exists()
                    .col(pk_auto("id"))
                    .col(integer("project_id"))
                    .col(string_len("pseudonym", 64))
                    .col(date("entry_date"))
                    .col(date_null("exit_date"))
                    .col(string_len("gender", 1))
                    .col(small_integer("age_at_entry"))
                    .col(string_len("labour_status", 24))
                    .col(small_integer_null("isced"))
                    .col(boolean("disability").default(false))
                    .col(string("exit_situations").default(""))
                    .col(boolean("illustrative").default(false))
                    .foreign_key(&mut fk(
                        "fk_participant_project",
                        "participant",
                        "project_id",
                        "project",
                        true,
                    ))
                    .to_owned(),
            )
            .await?;
        unique(
            manager,
            "ux_participant_project_pseudonym",
            "participant",
            &["project_id", "pseudonym"],
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table("project_finance")
                    .if_not_exists()
                    .col(integer("project_id").primary_key())
                    .col(string_len("indirect_rate", 16))
                    .col(string_len("eu_share", 16))
                    .col(string_len("state_share", 16))
                    .col(string_len("own_share", 16))
                    .col(integer("version").default(1))
                    .foreign_key(
                        &mut ForeignKey::create()
                            .name("fk_pf_project")
                            .from("project_finance", "project_id")
                            .to("project", "id")
                            .on_delete(ForeignKeyAction::Cascade)
                            .to_owned(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("budget_line")
                    .if_not_exists()
                    .col(pk_auto("id"))
                    .col(integer("project_id"))
                    .col(string_len("code", 32))
                    .col(string("name"))
                    .col(string_len("chapter", 24))
                    .col(integer("year"))
                    .col(big_integer("amount_halere"))
                    .col(integer("version").default(1))
                    .foreign_key(&mut fk(
                        "fk_bl_project",
                        "budget_line",
                        "project_id",
                        "project",
                        true,
                    ))
                    .to_owned(),
            )
            .await?;
        unique(
            manager,
            "ux_bl_project_code_year",
            "budget_line",
            &["project_id", "code", "year"],
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table("expenditure")
                    .if_not_exists()
                    .col(pk_auto("id"))
                    .col(integer("project_id"))
                    .col(integer("budget_line_id"))
                    .col(integer_null("period_id"))
                    .col(string_len_null("document_number", 64))
                    .col(big_integer("amount_halere"))
                    .col(date_null("paid_on"))
                    .col(text("description").default(""))
                    .col(string("supplier").default(""))
                    .foreign_key(&mut fk(
                        "fk_exp_project",
                        "expenditure",
                        "project_id",
                        "project",
                        true,
                    ))
                    .foreign_key(&mut fk(
                        "fk_exp_line",
                        "expenditure",
                        "budget_line_id",
                        "budget_line",
                        true,
                    ))
                    .foreign_key(&mut fk(
                        "fk_exp_period",
                        "expenditure",
                        "period_id",
                        "monitoring_period",
                        false,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_exp_project")
                    .table("expenditure")
                    .col("project_id")
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("payment_claim")
                    .if_not_exists()
                    .col(pk_auto("id"))
                    .col(integer("project_id"))
                    .col(integer("number"))
                    .col(integer_null("period_id"))
                    .col(big_integer("claimed_halere"))
                    .col(big_integer_null("approved_halere"))
                    .col(date_null("submitted_on"))
                    .col(date_null("paid_on"))
                    .col(string_len("status", 16))
                    .col(integer("version").default(1))
                    .foreign_key(&mut fk(
                        "fk_pc_project",
                        "payment_claim",
                        "project_id",
                        "project",
                        true,
                    ))
                    .foreign_key(&mut fk(
                        "fk_pc_period",
                        "payment_claim",
                        "period_id",
                        "monitoring_period",
                        false,
                    ))
                    .to_owned(),
            )
            .await?;
        unique(
            manager,
            "ux_pc_project_number",
            "payment_claim",
            &["project_id", "number"],
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table("advance")
                    .if_not_exists()
                    .col(pk_auto("id"))
                    .col(integer("project_id"))
                    .col(date("paid_on"))
                    .col(big_integer("amount_halere"))
                    .col(text("note").default(""))
                    .foreign_key(&mut fk(
                        "fk_adv_project",
                        "advance",
                        "project_id",
                        "project",
                        true,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("setting")
                    .if_not_exists()
                    .col(string_len("key", 64).primary_key())
                    .col(text("value"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "setting",
            "advance",
            "payment_claim",
            "expenditure",
            "budget_line",
            "project_finance",
            "participant",
            "indicator_value",
            "monitoring_period",
            "project_indicator",
            "indicator",
        ] {
            manager
                .drop_table(Table::drop().table(t).to_owned())
                .await?;
        }
        Ok(())
    }
}
