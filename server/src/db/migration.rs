//! One set of migrations for SQLite and PostgreSQL.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    date, date_null, integer, pk_auto, string, string_len, text, timestamp_with_time_zone,
    timestamp_with_time_zone_null,
};

/// All migrations, in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(CreateCatalogue),
            Box::new(super::migration_dossiers::CreateDossiers),
            Box::new(super::migration_statistics::AddProcessingMinutes),
            Box::new(super::migration_step_agencies::AddStepAgencies),
            Box::new(super::migration_audit_chain::ChainAuditRecords),
            Box::new(super::migration_compression::CompressDossiersWithLz4),
            Box::new(super::migration_deadline_alerts::CreateDeadlineAlerts),
            Box::new(super::migration_procedure_owners::CreateProcedureOwners),
            Box::new(super::migration_token_channels::AddTokenChannels),
            Box::new(super::migration_agencies::CreateAgencies),
            Box::new(super::migration_import_sources::AddImportSources),
            Box::new(super::migration_state_digests::AddStateDigests),
            Box::new(super::migration_sequence_reservations::CreateSequenceReservations),
            Box::new(super::migration_staff_sessions::CreateStaffSessions),
            Box::new(super::migration_uploads::CreateUploads),
        ]
    }
}

struct CreateCatalogue;

crate::db::pinned_migration_name!(CreateCatalogue, "migration");

#[derive(DeriveIden)]
enum ProcedureVersions {
    Table,
    Id,
    Code,
    Version,
    Status,
    Name,
    Field,
    Agency,
    OnlineLevel,
    ValidFrom,
    ValidTo,
    Source,
    Yaml,
    CreatedAt,
    PublishedAt,
    RetiredAt,
}

#[derive(DeriveIden)]
enum FormSchemas {
    Table,
    Path,
    Json,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for CreateCatalogue {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ProcedureVersions::Table)
                    .col(pk_auto(ProcedureVersions::Id))
                    .col(string_len(ProcedureVersions::Code, 64))
                    .col(integer(ProcedureVersions::Version))
                    .col(string_len(ProcedureVersions::Status, 16))
                    .col(text(ProcedureVersions::Name))
                    .col(string_len(ProcedureVersions::Field, 64))
                    .col(string_len(ProcedureVersions::Agency, 35))
                    .col(string_len(ProcedureVersions::OnlineLevel, 16))
                    .col(date(ProcedureVersions::ValidFrom))
                    .col(date_null(ProcedureVersions::ValidTo))
                    .col(string(ProcedureVersions::Source))
                    .col(text(ProcedureVersions::Yaml))
                    .col(timestamp_with_time_zone(ProcedureVersions::CreatedAt))
                    .col(timestamp_with_time_zone_null(ProcedureVersions::PublishedAt))
                    .col(timestamp_with_time_zone_null(ProcedureVersions::RetiredAt))
                    .index(
                        Index::create()
                            .name("procedure_versions_code_version")
                            .col(ProcedureVersions::Code)
                            .col(ProcedureVersions::Version)
                            .unique(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(FormSchemas::Table)
                    .col(string_len(FormSchemas::Path, 200).primary_key())
                    .col(text(FormSchemas::Json))
                    .col(timestamp_with_time_zone(FormSchemas::CreatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(FormSchemas::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(ProcedureVersions::Table).to_owned()).await
    }
}

#[cfg(test)]
mod tests {
    use super::Migrator;
    use sea_orm_migration::MigratorTrait;

    /// The names existing databases have recorded: a migration is added at the end, never
    /// renamed.
    #[test]
    fn migration_names_are_pinned() {
        let names: Vec<String> = Migrator::migrations().iter().map(|m| m.name().to_owned()).collect();
        assert_eq!(
            names,
            [
                "migration",
                "migration_dossiers",
                "migration_statistics",
                "migration_step_agencies",
                "migration_audit_chain",
                "migration_compression",
                "migration_deadline_alerts",
                "migration_procedure_owners",
                "migration_token_channels",
                "migration_agencies",
                "migration_import_sources",
                "migration_state_digests",
                "migration_sequence_reservations",
                "migration_staff_sessions",
                "migration_uploads",
            ]
        );
    }
}
