//! Migrations and the first publication of the catalogue run one instance at a time. Without
//! this, instances started together on an empty PostgreSQL database create the same tables at
//! once (all but one fail on PostgreSQL's catalog) and could publish the catalogue twice.
//!
//! A session-level advisory lock on a connection of its own, held from before migrating until
//! the catalogue is loaded: the others wait for it, then find the schema current and the
//! catalogue published. SQLite needs none (one process per file).

use sea_orm::sqlx::postgres::PgConnection;
use sea_orm::sqlx::{self, Connection};
use sea_orm::{DbErr, RuntimeErr};
use std::sync::Arc;
use std::time::Duration;

/// The key of the startup lock: one above the leader election's, so the two never meet.
pub const STARTUP_LOCK_KEY: i64 = crate::background::leader::LOCK_KEY + 1;

/// How often a waiting instance tries again.
const POLL: Duration = Duration::from_millis(100);

/// Held while migrating and seeding; released by [`StartupLock::release`] or on drop (the
/// session ends with its connection).
pub struct StartupLock(Option<PgConnection>);

fn connection_error(error: sqlx::Error) -> DbErr {
    DbErr::Conn(RuntimeErr::SqlxError(Arc::new(error)))
}

impl StartupLock {
    /// Waits for the lock on PostgreSQL; nothing to wait for on SQLite.
    pub async fn acquire(url: &str) -> Result<StartupLock, DbErr> {
        if !url.starts_with("postgres") {
            return Ok(StartupLock(None));
        }
        let mut connection = PgConnection::connect(url).await.map_err(connection_error)?;
        // Polled rather than waited for in `pg_advisory_lock`: a statement blocked for seconds
        // is logged as slow by the driver, and this wait is expected.
        let mut waiting = false;
        loop {
            let free: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
                .bind(STARTUP_LOCK_KEY)
                .fetch_one(&mut connection)
                .await
                .map_err(connection_error)?;
            if free {
                break;
            }
            if !waiting {
                tracing::info!("another instance is migrating or publishing the catalogue: waiting for it");
                waiting = true;
            }
            tokio::time::sleep(POLL).await;
        }
        Ok(StartupLock(Some(connection)))
    }

    /// Lets the next instance start.
    pub async fn release(self) {
        if let Some(connection) = self.0 {
            // Closing ends the session, which releases its advisory locks.
            if let Err(error) = connection.close().await {
                tracing::debug!(%error, "closing the startup lock's connection");
            }
        }
    }
}
