//! The registry of agencies: electronic identifier, name and parent, so that printed forms
//! name agencies and desks rather than their codes.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{string_len, string_len_null, text, timestamp_with_time_zone};

pub(super) struct CreateAgencies;

crate::db::pinned_migration_name!(CreateAgencies, "migration_agencies");

#[derive(DeriveIden)]
enum Agencies {
    Table,
    Code,
    Name,
    Parent,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for CreateAgencies {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Agencies::Table)
                    .col(string_len(Agencies::Code, 35).primary_key())
                    .col(text(Agencies::Name))
                    .col(string_len_null(Agencies::Parent, 35))
                    .col(timestamp_with_time_zone(Agencies::UpdatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Agencies::Table).to_owned()).await
    }
}
