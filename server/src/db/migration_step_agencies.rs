//! The agencies of a dossier's steps, so an officer of an inter-agency step finds it in lists.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::text_null;

pub(super) struct AddStepAgencies;

crate::db::pinned_migration_name!(AddStepAgencies, "migration_step_agencies");

#[derive(DeriveIden)]
enum Dossiers {
    Table,
    StepAgencies,
}

#[async_trait::async_trait]
impl MigrationTrait for AddStepAgencies {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(Table::alter().table(Dossiers::Table).add_column(text_null(Dossiers::StepAgencies)).to_owned())
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table(Dossiers::Table).drop_column(Dossiers::StepAgencies).to_owned()).await
    }
}
