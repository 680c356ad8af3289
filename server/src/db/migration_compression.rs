//! On PostgreSQL, the dossier's submission (form, documents, receipt) and lifecycle texts are
//! compressed with lz4 instead of the default pglz: a stored submission passes the 2 kB over
//! which PostgreSQL compresses a row, so every submission paid pglz's cost at insert.

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::prelude::*;

pub(super) struct CompressDossiersWithLz4;

crate::db::pinned_migration_name!(CompressDossiersWithLz4, "migration_compression");

/// Runs `ALTER TABLE dossiers …` if the server was built with lz4, else leaves pglz: the
/// statement is dynamic so that a server without lz4 reports a notice, not a failed migration.
fn alter(method: &str) -> String {
    format!(
        "DO $$ BEGIN EXECUTE 'ALTER TABLE \"dossiers\" ALTER COLUMN \"submission\" SET COMPRESSION {method}, \
         ALTER COLUMN \"lifecycle\" SET COMPRESSION {method}'; \
         EXCEPTION WHEN OTHERS THEN RAISE NOTICE 'dossiers keep their compression: %', SQLERRM; END $$"
    )
}

#[async_trait::async_trait]
impl MigrationTrait for CompressDossiersWithLz4 {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DbBackend::Postgres {
            manager.get_connection().execute_unprepared(&alter("lz4")).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DbBackend::Postgres {
            manager.get_connection().execute_unprepared(&alter("pglz")).await?;
        }
        Ok(())
    }
}
