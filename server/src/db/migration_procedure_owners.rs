//! Which agency owns each procedure code: recorded when the code is first published, moved
//! only by an administrator. One row per assignment, so the table is its own audit trail.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{pk_auto, string_len, text, text_null, timestamp_with_time_zone};

pub(super) struct CreateProcedureOwners;

crate::db::pinned_migration_name!(CreateProcedureOwners, "migration_procedure_owners");

#[derive(DeriveIden)]
enum ProcedureOwners {
    Table,
    Id,
    Code,
    Agency,
    Since,
    AssignedBy,
    Reason,
}

#[async_trait::async_trait]
impl MigrationTrait for CreateProcedureOwners {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ProcedureOwners::Table)
                    .col(pk_auto(ProcedureOwners::Id))
                    .col(string_len(ProcedureOwners::Code, 64))
                    .col(string_len(ProcedureOwners::Agency, 35))
                    .col(timestamp_with_time_zone(ProcedureOwners::Since))
                    .col(text(ProcedureOwners::AssignedBy))
                    .col(text_null(ProcedureOwners::Reason))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("procedure_owners_code")
                    .table(ProcedureOwners::Table)
                    .col(ProcedureOwners::Code)
                    .col(ProcedureOwners::Id)
                    .to_owned(),
            )
            .await?;
        // Codes published before owners were recorded belong to the agency of their first
        // published version.
        manager
            .get_connection()
            .execute_unprepared(
                "INSERT INTO procedure_owners (code, agency, since, assigned_by, reason) \
                 SELECT p.code, p.agency, COALESCE(p.published_at, p.created_at), 'migration', \
                        'the agency of the first published version' \
                 FROM procedure_versions p \
                 WHERE p.status IN ('published', 'retired') AND p.version = ( \
                     SELECT MIN(q.version) FROM procedure_versions q \
                     WHERE q.code = p.code AND q.status IN ('published', 'retired'))",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(ProcedureOwners::Table).to_owned()).await
    }
}
