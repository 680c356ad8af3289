//! Chains the audit records of each dossier by hashes (`crate::audit::chain`): a position and a
//! hash per record, the head and length of the chain in the dossier row. Records written
//! before this migration are chained as they stand when it runs.

use crate::audit::chain::{GENESIS, Record};
use chrono::{DateTime, FixedOffset};
use sea_orm::{ConnectionTrait, Statement, Value};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{integer, string_len};

pub(super) struct ChainAuditRecords;

crate::db::pinned_migration_name!(ChainAuditRecords, "migration_audit_chain");

#[derive(DeriveIden)]
enum AuditEvents {
    Table,
    DossierId,
    Position,
    Hash,
}

#[derive(DeriveIden)]
enum Dossiers {
    Table,
    AuditHead,
    AuditLength,
}

#[async_trait::async_trait]
impl MigrationTrait for ChainAuditRecords {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per ALTER: SQLite adds a single column at a time. Each step is skipped if
        // done: on SQLite migrations run outside a transaction, and a process stopped halfway
        // must be able to finish on its next start (chaining again gives the same hashes).
        let columns = [
            (
                "audit_events",
                "position",
                AuditEvents::Table.into_iden(),
                integer(AuditEvents::Position).default(0).to_owned(),
            ),
            (
                "audit_events",
                "hash",
                AuditEvents::Table.into_iden(),
                string_len(AuditEvents::Hash, 64).default("").to_owned(),
            ),
            (
                "dossiers",
                "audit_head",
                Dossiers::Table.into_iden(),
                string_len(Dossiers::AuditHead, 64).default(GENESIS).to_owned(),
            ),
            (
                "dossiers",
                "audit_length",
                Dossiers::Table.into_iden(),
                integer(Dossiers::AuditLength).default(0).to_owned(),
            ),
        ];
        for (table_name, column_name, table, column) in columns {
            if !manager.has_column(table_name, column_name).await? {
                manager.alter_table(Table::alter().table(table).add_column(column).to_owned()).await?;
            }
        }
        chain_existing(manager.get_connection()).await?;
        // (dossier_id, position) serves every lookup the index on dossier_id alone served.
        if manager.has_index("audit_events", "audit_events_dossier").await? {
            manager.drop_index(Index::drop().name("audit_events_dossier").table(AuditEvents::Table).to_owned()).await?;
        }
        manager
            .create_index(
                Index::create()
                    .if_not_exists()
                    .name("audit_events_dossier_position")
                    .table(AuditEvents::Table)
                    .col(AuditEvents::DossierId)
                    .col(AuditEvents::Position)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name("audit_events_dossier_position").table(AuditEvents::Table).to_owned())
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("audit_events_dossier")
                    .table(AuditEvents::Table)
                    .col(AuditEvents::DossierId)
                    .to_owned(),
            )
            .await?;
        for column in [AuditEvents::Position, AuditEvents::Hash] {
            manager.alter_table(Table::alter().table(AuditEvents::Table).drop_column(column).to_owned()).await?;
        }
        for column in [Dossiers::AuditHead, Dossiers::AuditLength] {
            manager.alter_table(Table::alter().table(Dossiers::Table).drop_column(column).to_owned()).await?;
        }
        Ok(())
    }
}

/// Chains the records already stored, in the order they were written.
async fn chain_existing(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    let dossiers =
        db.query_all_raw(Statement::from_string(backend, "SELECT \"id\", \"code\" FROM \"dossiers\"")).await?;
    for dossier in dossiers {
        let id: i32 = dossier.try_get("", "id")?;
        let code: String = dossier.try_get("", "code")?;
        let records = db
            .query_all_raw(Statement::from_sql_and_values(
                backend,
                "SELECT \"id\", \"at\", \"actor\", \"action\", \"from_state\", \"to_state\", \"payload\" \
                 FROM \"audit_events\" WHERE \"dossier_id\" = $1 ORDER BY \"id\"",
                [id.into()],
            ))
            .await?;
        let mut head = GENESIS.to_owned();
        let mut position = 0;
        for record in &records {
            position += 1;
            let at: DateTime<FixedOffset> = record.try_get("", "at")?;
            let (actor, action, from_state, to_state, payload): (String, String, String, String, String) = (
                record.try_get("", "actor")?,
                record.try_get("", "action")?,
                record.try_get("", "from_state")?,
                record.try_get("", "to_state")?,
                record.try_get("", "payload")?,
            );
            let fields = Record {
                state_digest: None,
                dossier_code: &code,
                position,
                at,
                actor: &actor,
                action: &action,
                from_state: &from_state,
                to_state: &to_state,
                payload: &payload,
            };
            head = fields.link(&head);
            let record_id: i32 = record.try_get("", "id")?;
            let values: [Value; 3] = [position.into(), head.clone().into(), record_id.into()];
            db.execute_raw(Statement::from_sql_and_values(
                backend,
                "UPDATE \"audit_events\" SET \"position\" = $1, \"hash\" = $2 WHERE \"id\" = $3",
                values,
            ))
            .await?;
        }
        db.execute_raw(Statement::from_sql_and_values(
            backend,
            "UPDATE \"dossiers\" SET \"audit_head\" = $1, \"audit_length\" = $2 WHERE \"id\" = $3",
            [head.into(), position.into(), id.into()],
        ))
        .await?;
    }
    Ok(())
}
