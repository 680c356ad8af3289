//! Deadline warnings raised by the background scan: one row per dossier and kind, ever.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{integer, pk_auto, string_len, timestamp_with_time_zone};

pub(super) struct CreateDeadlineAlerts;

crate::db::pinned_migration_name!(CreateDeadlineAlerts, "migration_deadline_alerts");

#[derive(DeriveIden)]
enum DeadlineAlerts {
    Table,
    Id,
    DossierId,
    Kind,
    DueAt,
    RaisedAt,
    Instance,
}

#[derive(DeriveIden)]
enum Dossiers {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for CreateDeadlineAlerts {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(DeadlineAlerts::Table)
                    .col(pk_auto(DeadlineAlerts::Id))
                    .col(integer(DeadlineAlerts::DossierId))
                    .col(string_len(DeadlineAlerts::Kind, 16))
                    .col(timestamp_with_time_zone(DeadlineAlerts::DueAt))
                    .col(timestamp_with_time_zone(DeadlineAlerts::RaisedAt))
                    .col(string_len(DeadlineAlerts::Instance, 128))
                    .foreign_key(
                        ForeignKey::create()
                            .from(DeadlineAlerts::Table, DeadlineAlerts::DossierId)
                            .to(Dossiers::Table, Dossiers::Id),
                    )
                    // The guarantee behind "once": two scans racing (a leader that lost its
                    // lock and its successor) insert the same rows, and one of them is a no-op.
                    .index(
                        Index::create()
                            .name("deadline_alerts_dossier_kind")
                            .col(DeadlineAlerts::DossierId)
                            .col(DeadlineAlerts::Kind)
                            .unique(),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(DeadlineAlerts::Table).to_owned()).await
    }
}
