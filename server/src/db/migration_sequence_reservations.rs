//! Numbers of a day's sequence drawn but not (yet) given to a stored dossier: on PostgreSQL a
//! batch's numbers are drawn before its dossiers are stored, and a submission that then fails,
//! or a process stopped in between, leaves them unused. Recorded with the draw and removed with
//! the dossiers' insert, they explain every legitimate gap, so an unexplained one — a dossier
//! deleted with all its records — fails `motcua audit verify`.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{integer, pk_auto, string_len};

pub(super) struct CreateSequenceReservations;

crate::db::pinned_migration_name!(CreateSequenceReservations, "migration_sequence_reservations");

#[derive(DeriveIden)]
enum SequenceReservations {
    Table,
    Id,
    Agency,
    Day,
    First,
    Last,
    Reason,
}

#[async_trait::async_trait]
impl MigrationTrait for CreateSequenceReservations {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SequenceReservations::Table)
                    .col(pk_auto(SequenceReservations::Id))
                    .col(string_len(SequenceReservations::Agency, 35))
                    .col(string_len(SequenceReservations::Day, 6))
                    .col(integer(SequenceReservations::First))
                    .col(integer(SequenceReservations::Last))
                    .col(string_len(SequenceReservations::Reason, 16))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("sequence_reservations_day")
                    .table(SequenceReservations::Table)
                    .col(SequenceReservations::Agency)
                    .col(SequenceReservations::Day)
                    .col(SequenceReservations::Last)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(SequenceReservations::Table).to_owned()).await
    }
}
