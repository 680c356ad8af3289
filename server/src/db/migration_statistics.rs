//! Working minutes spent on a finished dossier, so statistics average them in the database.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::big_integer_null;

pub(super) struct AddProcessingMinutes;

crate::db::pinned_migration_name!(AddProcessingMinutes, "migration_statistics");

#[derive(DeriveIden)]
enum Dossiers {
    Table,
    ProcessingMinutes,
}

#[async_trait::async_trait]
impl MigrationTrait for AddProcessingMinutes {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Dossiers::Table)
                    .add_column(big_integer_null(Dossiers::ProcessingMinutes))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(Table::alter().table(Dossiers::Table).drop_column(Dossiers::ProcessingMinutes).to_owned())
            .await
    }
}
