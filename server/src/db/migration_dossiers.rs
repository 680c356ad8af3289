//! Tokens, dossiers, the per-agency daily sequence behind dossier codes, and the audit log.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    big_integer, integer, integer_null, pk_auto, small_integer, string_len, string_len_null, text,
    timestamp_with_time_zone, timestamp_with_time_zone_null,
};

pub(super) struct CreateDossiers;

crate::db::pinned_migration_name!(CreateDossiers, "migration_dossiers");

#[derive(DeriveIden)]
enum Tokens {
    Table,
    Id,
    Name,
    Role,
    Duty,
    Agency,
    TokenHash,
    CreatedAt,
    ExpiresAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum Dossiers {
    Table,
    Id,
    Code,
    LookupKeyHash,
    ProcedureCode,
    ProcedureVersion,
    Agency,
    Channel,
    State,
    StatusCode,
    RowVersion,
    SubmittedAt,
    ReceivedAt,
    DueAt,
    FinishedAt,
    Timing,
    Fee,
    ClientId,
    IdempotencyKey,
    RequestHash,
    Submission,
    Lifecycle,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum DossierSequences {
    Table,
    Agency,
    Day,
    Last,
}

#[derive(DeriveIden)]
enum AuditEvents {
    Table,
    Id,
    DossierId,
    At,
    Actor,
    Action,
    FromState,
    ToState,
    Payload,
}

#[async_trait::async_trait]
impl MigrationTrait for CreateDossiers {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Tokens::Table)
                    .col(pk_auto(Tokens::Id))
                    .col(string_len(Tokens::Name, 200))
                    .col(string_len(Tokens::Role, 16))
                    .col(string_len_null(Tokens::Duty, 16))
                    .col(string_len_null(Tokens::Agency, 35))
                    .col(string_len(Tokens::TokenHash, 64).unique_key())
                    .col(timestamp_with_time_zone(Tokens::CreatedAt))
                    .col(timestamp_with_time_zone_null(Tokens::ExpiresAt))
                    .col(timestamp_with_time_zone_null(Tokens::RevokedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Dossiers::Table)
                    .col(pk_auto(Dossiers::Id))
                    .col(string_len(Dossiers::Code, 64).unique_key())
                    .col(string_len(Dossiers::LookupKeyHash, 64))
                    .col(string_len(Dossiers::ProcedureCode, 64))
                    .col(integer(Dossiers::ProcedureVersion))
                    .col(string_len(Dossiers::Agency, 35))
                    .col(string_len(Dossiers::Channel, 16))
                    .col(string_len(Dossiers::State, 40))
                    .col(small_integer(Dossiers::StatusCode))
                    .col(integer(Dossiers::RowVersion))
                    .col(timestamp_with_time_zone(Dossiers::SubmittedAt))
                    .col(timestamp_with_time_zone_null(Dossiers::ReceivedAt))
                    .col(timestamp_with_time_zone_null(Dossiers::DueAt))
                    .col(timestamp_with_time_zone_null(Dossiers::FinishedAt))
                    .col(string_len_null(Dossiers::Timing, 16))
                    .col(big_integer(Dossiers::Fee))
                    .col(integer_null(Dossiers::ClientId))
                    .col(string_len_null(Dossiers::IdempotencyKey, 200))
                    .col(string_len(Dossiers::RequestHash, 64))
                    .col(text(Dossiers::Submission))
                    .col(text(Dossiers::Lifecycle))
                    .col(timestamp_with_time_zone(Dossiers::CreatedAt))
                    .col(timestamp_with_time_zone(Dossiers::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create().from(Dossiers::Table, Dossiers::ClientId).to(Tokens::Table, Tokens::Id),
                    )
                    .index(
                        Index::create()
                            .name("dossiers_client_idempotency")
                            .col(Dossiers::ClientId)
                            .col(Dossiers::IdempotencyKey)
                            .unique(),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, column) in
            [("dossiers_agency_state", Dossiers::Agency), ("dossiers_procedure", Dossiers::ProcedureCode)]
        {
            manager
                .create_index(
                    Index::create().name(name).table(Dossiers::Table).col(column).col(Dossiers::State).to_owned(),
                )
                .await?;
        }
        manager
            .create_index(Index::create().name("dossiers_due").table(Dossiers::Table).col(Dossiers::DueAt).to_owned())
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DossierSequences::Table)
                    .col(string_len(DossierSequences::Agency, 35))
                    .col(string_len(DossierSequences::Day, 6))
                    .col(integer(DossierSequences::Last))
                    .primary_key(Index::create().col(DossierSequences::Agency).col(DossierSequences::Day))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AuditEvents::Table)
                    .col(pk_auto(AuditEvents::Id))
                    .col(integer(AuditEvents::DossierId))
                    .col(timestamp_with_time_zone(AuditEvents::At))
                    .col(string_len(AuditEvents::Actor, 300))
                    .col(string_len(AuditEvents::Action, 64))
                    .col(string_len(AuditEvents::FromState, 40))
                    .col(string_len(AuditEvents::ToState, 40))
                    .col(text(AuditEvents::Payload))
                    .foreign_key(
                        ForeignKey::create()
                            .from(AuditEvents::Table, AuditEvents::DossierId)
                            .to(Dossiers::Table, Dossiers::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("audit_events_dossier")
                    .table(AuditEvents::Table)
                    .col(AuditEvents::DossierId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AuditEvents::Table.into_iden(),
            DossierSequences::Table.into_iden(),
            Dossiers::Table.into_iden(),
            Tokens::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
