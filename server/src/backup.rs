//! Consistent copies of a live SQLite database. PostgreSQL has its own tools (`pg_dump` for a
//! logical copy, `pg_basebackup` with WAL archiving for point-in-time recovery).

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend};
use std::path::Path;

/// Why no backup was made.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// The database is PostgreSQL.
    #[error(
        "`motcua backup` copies SQLite databases; for PostgreSQL use `pg_dump -Fc DB > FILE` (restore with `pg_restore`) or `pg_basebackup` with WAL archiving"
    )]
    NotSqlite,
    /// The target already exists: a backup never overwrites.
    #[error("`{0}` already exists; choose a new file")]
    Exists(String),
    /// The copy failed.
    #[error("the copy failed: {0}")]
    Database(#[from] sea_orm::DbErr),
}

/// Writes a transactionally consistent copy of the live database to `target` with
/// `VACUUM INTO`: writers may go on meanwhile; every transaction committed before the copy
/// began is in it, none after. Restoring is copying the file back while the server is stopped.
pub async fn backup_sqlite(db: &DatabaseConnection, target: &Path) -> Result<(), BackupError> {
    if db.get_database_backend() != DbBackend::Sqlite {
        return Err(BackupError::NotSqlite);
    }
    if target.exists() {
        return Err(BackupError::Exists(target.display().to_string()));
    }
    let quoted = target.display().to_string().replace('\'', "''");
    db.execute_unprepared(&format!("VACUUM INTO '{quoted}'")).await?;
    Ok(())
}
