//! Where an imported dossier came from: the previous system's identifier of its line (unique,
//! so that importing a file again creates nothing) and its old dossier code (searchable).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::string_len_null;

pub(super) struct AddImportSources;

crate::db::pinned_migration_name!(AddImportSources, "migration_import_sources");

#[derive(DeriveIden)]
enum Dossiers {
    Table,
    SourceId,
    SourceCode,
}

#[async_trait::async_trait]
impl MigrationTrait for AddImportSources {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Dossiers::SourceId, Dossiers::SourceCode] {
            manager
                .alter_table(Table::alter().table(Dossiers::Table).add_column(string_len_null(column, 200)).to_owned())
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("dossiers_source_id")
                    .table(Dossiers::Table)
                    .col(Dossiers::SourceId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("dossiers_source_code")
                    .table(Dossiers::Table)
                    .col(Dossiers::SourceCode)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name("dossiers_source_code").table(Dossiers::Table).to_owned()).await?;
        manager.drop_index(Index::drop().name("dossiers_source_id").table(Dossiers::Table).to_owned()).await?;
        for column in [Dossiers::SourceCode, Dossiers::SourceId] {
            manager.alter_table(Table::alter().table(Dossiers::Table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}
