//! The batched inserts: new indicator values, expenditures, participants, municipalities, audit entries
//! and before-images are written many rows per `INSERT`.

use sea_orm::{ConnectionTrait, DbErr, EntityTrait, Statement};

use entity::{expenditure, import_change, participant, project_municipality};

use super::Planner;

pub(super) const INSERT_BATCH: usize = 1_000;
/// Indicator values per `INSERT` (5 parameters each, within SQLite's and PostgreSQL's limits).
const VALUE_BATCH: usize = 500;

impl Planner<'_> {
    /// Writes the pending inserts.
    ///
    /// # Errors
    /// Database errors.
    pub async fn flush(&mut self) -> Result<(), DbErr> {
        let values = std::mem::take(&mut self.new_values);
        for batch in values.chunks(VALUE_BATCH) {
            self.insert_values(batch).await?;
        }
        for batch in std::mem::take(&mut self.new_expenditures).chunks(INSERT_BATCH) {
            expenditure::Entity::insert_many(batch.to_vec())
                .exec_without_returning(self.txn)
                .await?;
        }
        for batch in std::mem::take(&mut self.new_participants).chunks(INSERT_BATCH) {
            participant::Entity::insert_many(batch.to_vec())
                .exec_without_returning(self.txn)
                .await?;
        }
        for batch in std::mem::take(&mut self.new_municipalities).chunks(INSERT_BATCH) {
            project_municipality::Entity::insert_many(batch.to_vec())
                .exec_without_returning(self.txn)
                .await?;
        }
        for batch in std::mem::take(&mut self.new_audit).chunks(INSERT_BATCH) {
            entity::audit_log::Entity::insert_many(batch.to_vec())
                .exec_without_returning(self.txn)
                .await?;
        }
        for batch in std::mem::take(&mut self.befores).chunks(INSERT_BATCH) {
            import_change::Entity::insert_many(batch.to_vec())
                .exec_without_returning(self.txn)
                .await?;
        }
        Ok(())
    }

    /// One multi-row `INSERT` of indicator values through a prepared statement (the same SQL text for
    /// every full batch, so the driver prepares it once).
    async fn insert_values(&self, batch: &[(i32, i32, i64, String)]) -> Result<(), DbErr> {
        let backend = self.txn.get_database_backend();
        let mut sql = String::with_capacity(80 + batch.len() * 40);
        sql.push_str(
            "INSERT INTO indicator_value \
             (project_indicator_id, period_id, achieved_milli, note, version, import_id) VALUES ",
        );
        let mut values: Vec<sea_orm::Value> = Vec::with_capacity(batch.len() * 5);
        for (i, (pi, period, milli, note)) in batch.iter().enumerate() {
            if i > 0 {
                sql.push(',');
            }
            if backend == sea_orm::DbBackend::Postgres {
                let b = i * 5;
                sql.push_str(&format!(
                    "(${}, ${}, ${}, ${}, 1, ${})",
                    b + 1,
                    b + 2,
                    b + 3,
                    b + 4,
                    b + 5
                ));
            } else {
                sql.push_str("(?, ?, ?, ?, 1, ?)");
            }
            values.push((*pi).into());
            values.push((*period).into());
            values.push((*milli).into());
            values.push(note.clone().into());
            values.push(self.import_id.into());
        }
        self.txn
            .execute_raw(Statement::from_sql_and_values(backend, sql, values))
            .await?;
        Ok(())
    }
}
