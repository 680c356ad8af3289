//! The digest of a dossier row's watched fields carried by its last audit record (see
//! `crate::audit::state`), so that the audit covers what the statistics read.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::string_len_null;

pub(super) struct AddStateDigests;

crate::db::pinned_migration_name!(AddStateDigests, "migration_state_digests");

#[derive(DeriveIden)]
enum AuditEvents {
    Table,
    StateDigest,
}

#[async_trait::async_trait]
impl MigrationTrait for AddStateDigests {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(AuditEvents::Table)
                    .add_column(string_len_null(AuditEvents::StateDigest, 64))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(Table::alter().table(AuditEvents::Table).drop_column(AuditEvents::StateDigest).to_owned())
            .await
    }
}
