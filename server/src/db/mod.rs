//! The database: connecting (SQLite tuned for durability, or PostgreSQL), migrations,
//! entities.

/// Names a migration as the database records it (`seaql_migrations.version`), fixed here:
/// sea-orm's derive takes the name of the file that holds it, so moving a file would make it
/// run again on every existing database.
macro_rules! pinned_migration_name {
    ($migration:ty, $name:literal) => {
        impl sea_orm_migration::MigrationName for $migration {
            fn name(&self) -> &str {
                $name
            }
        }
    };
}
pub(crate) use pinned_migration_name;

pub mod entities;
mod migration;
mod migration_agencies;
mod migration_audit_chain;
mod migration_compression;
mod migration_deadline_alerts;
mod migration_dossiers;
mod migration_import_sources;
mod migration_procedure_owners;
mod migration_sequence_reservations;
mod migration_staff_sessions;
mod migration_state_digests;
mod migration_statistics;
mod migration_step_agencies;
mod migration_token_channels;
mod migration_uploads;
mod startup_lock;

pub use migration::Migrator;
pub use startup_lock::StartupLock;

use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};
use sea_orm_migration::MigratorTrait;
use std::time::Duration;

/// How long a SQLite writer waits for another's lock before giving up.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a pooled connection may sit idle before it is pinged on checkout.
const POOL_IDLE_BEFORE_PING: Duration = Duration::from_secs(30);
/// The fewest pooled connections, whatever the core count.
const MIN_POOL: u32 = 4;

/// Connects and brings the schema up to date.
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    let db = open(url).await?;
    Migrator::up(&db, None).await?;
    Ok(db)
}

/// Connects to, and migrates, a database that already exists: a SQLite file that does not is
/// refused rather than created empty, so that what a command writes (a token) never lands
/// in a database no server reads.
pub async fn connect_existing(url: &str) -> Result<DatabaseConnection, String> {
    if let Some(rest) = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")) {
        let path = rest.split('?').next().unwrap_or_default();
        if path != ":memory:" && !std::path::Path::new(path).exists() {
            return Err(format!(
                "there is no database `{path}` ({url}): start `motcua serve` once to create it, or pass the \
                 server's --database-url (also MOTCUA_DATABASE_URL)"
            ));
        }
    }
    connect(url).await.map_err(|e| format!("{url}: {e}"))
}

/// Connects to a database whose schema is up to date, leaving it as it is (for tools that
/// inspect it, like `motcua audit verify`); an error names the migrations it lacks.
pub async fn connect_migrated(url: &str) -> Result<DatabaseConnection, DbErr> {
    let db = open(url).await?;
    let pending: Vec<String> =
        Migrator::get_pending_migrations(&db).await?.iter().map(|m| m.name().to_owned()).collect();
    if !pending.is_empty() {
        return Err(DbErr::Custom(format!(
            "the database lacks {} migration(s) ({}): start `motcua serve` on it once, which migrates",
            pending.len(),
            pending.join(", ")
        )));
    }
    Ok(db)
}

/// Options every pool of the server starts from: no SQL logging, a connect timeout, and a
/// connection pinged before use only after it sat idle (a dropped one is then replaced);
/// pinging every time cost a round trip per query.
pub(crate) fn pool_options(url: &str) -> ConnectOptions {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .sqlx_logging(false)
        .connect_timeout(Duration::from_secs(10))
        .test_before_acquire_if_idle_for(POOL_IDLE_BEFORE_PING);
    options
}

async fn open(url: &str) -> Result<DatabaseConnection, DbErr> {
    let mut options = pool_options(url);
    // The pool holds two connections per core: more only queue up at the database.
    let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
    options.max_connections(u32::try_from(2 * cores).unwrap_or(u32::MAX).max(MIN_POOL));
    if url.starts_with("sqlite:") {
        // WAL lets readers run beside the writer; synchronous=FULL makes a commit durable
        // before it is acknowledged (NORMAL could lose the last commits on power loss).
        options.map_sqlx_sqlite_opts(|o| {
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .busy_timeout(SQLITE_BUSY_TIMEOUT)
                .foreign_keys(true)
        });
    }
    Database::connect(options).await
}
