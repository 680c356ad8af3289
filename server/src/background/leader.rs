//! Which instance runs the work that must run once: leader election.
//!
//! On PostgreSQL the leader is the instance whose session holds a session-level advisory lock
//! ([`LOCK_KEY`]). The lock is taken with `pg_try_advisory_lock` on a connection of its own,
//! outside the pool: a pooled connection is closed, replaced or handed to a request at the
//! pool's will, and the lock would go with it (or stay with a request). The session keeps the
//! lock until it ends, so:
//! - a standby tries to take the lock at every tick and fails while the leader lives;
//! - when the leader's process dies, its socket closes, PostgreSQL ends the session and drops
//!   the lock, and the first standby to tick takes it: takeover within one interval;
//! - when the leader's host vanishes without closing the socket, PostgreSQL ends the session
//!   once TCP keepalives fail (set on the session: about a minute), then as above;
//! - the leader checks at every tick, on that session, that it still holds the lock; if the
//!   check fails or does not answer in time it drops the connection (ending the session for
//!   sure) and stops acting as leader until it wins the lock again.
//!
//! Between a check and the scan that follows, a leader could lose its session while a standby
//! takes over; the scan is then run twice, which the alerts' UNIQUE (dossier, kind) index turns
//! into one set of alerts. Leadership saves work; the database guarantees "once".
//!
//! On SQLite the instance is the leader: one file is served by one process on one host.
//! Several processes on one SQLite file are not a supported topology (each would think itself
//! the leader; the index would still keep alerts from doubling).

use sea_orm::sqlx::postgres::{PgConnectOptions, PgConnection};
use sea_orm::sqlx::{self, Connection};
use std::time::Duration;

/// The advisory lock every instance of one database competes for: "motcua" in ASCII, a
/// constant unlikely to meet another application's advisory locks in the same database.
pub const LOCK_KEY: i64 = 0x6d6f_7463_7561;

/// How long connecting, taking or checking the lock may take before the try counts as failed.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(10);

/// Session settings of the lock's connection, each applied on its own and skipped if the
/// server refuses it: keepalives so PostgreSQL ends the session (and frees the lock) soon after
/// the leader's host disappears; no idle timeout, which would end a session idle between ticks.
const SESSION_SETTINGS: [&str; 4] = [
    "SET tcp_keepalives_idle = 30",
    "SET tcp_keepalives_interval = 10",
    "SET tcp_keepalives_count = 3",
    "SET idle_session_timeout = 0",
];

/// How this instance takes part in the election.
pub enum Election {
    /// SQLite: always the leader.
    Sole,
    /// PostgreSQL: the holder of the advisory lock.
    Postgres(Box<AdvisoryLock>),
}

impl Election {
    /// The election for a database URL; `instance` names the lock's session for the operator
    /// (`application_name` in `pg_stat_activity`).
    pub fn for_database(url: &str, instance: &str) -> Election {
        if !url.starts_with("postgres") {
            return Election::Sole;
        }
        match url.parse::<PgConnectOptions>() {
            Ok(options) => {
                let name: String = format!("motcua {instance}").chars().take(63).collect();
                Election::Postgres(Box::new(AdvisoryLock {
                    options: Some(options.application_name(&name)),
                    connection: None,
                    held: false,
                }))
            }
            Err(error) => {
                // The pool connected with this URL, so this should not happen; never lead then.
                tracing::error!(%error, "the database URL does not parse for the lock's connection");
                Election::Postgres(Box::new(AdvisoryLock { options: None, connection: None, held: false }))
            }
        }
    }

    /// Takes or keeps the leadership if possible; whether this instance leads now.
    pub async fn hold(&mut self) -> bool {
        match self {
            Election::Sole => true,
            Election::Postgres(lock) => lock.hold().await,
        }
    }
}

/// The advisory lock and the session holding (or trying to take) it.
pub struct AdvisoryLock {
    /// `None` for a URL that does not parse: never leads.
    options: Option<PgConnectOptions>,
    connection: Option<PgConnection>,
    held: bool,
}

impl AdvisoryLock {
    /// One tick: a standby tries to take the lock, the leader checks it still has it.
    async fn hold(&mut self) -> bool {
        let was_held = self.held;
        self.held = match tokio::time::timeout(ANSWER_TIMEOUT, self.try_hold()).await {
            Ok(Ok(held)) => held,
            Ok(Err(error)) => {
                tracing::warn!(%error, was_leader = was_held, "the lock's connection failed; reconnecting at the next tick");
                self.connection = None;
                false
            }
            Err(_) => {
                tracing::warn!(was_leader = was_held, "the lock's connection did not answer; dropping it");
                self.connection = None;
                false
            }
        };
        match (was_held, self.held) {
            (false, true) => tracing::info!(key = LOCK_KEY, "took the advisory lock: leading background work"),
            (true, false) => tracing::warn!(key = LOCK_KEY, "lost the advisory lock: no longer leading"),
            _ => {}
        }
        self.held
    }

    async fn try_hold(&mut self) -> Result<bool, sqlx::Error> {
        let Some(options) = &self.options else { return Ok(false) };
        let connection = match &mut self.connection {
            Some(connection) => connection,
            None => self.connection.insert(connect(options).await?),
        };
        if self.held { still_held(connection).await } else { try_lock(connection).await }
    }
}

async fn connect(options: &PgConnectOptions) -> Result<PgConnection, sqlx::Error> {
    let mut connection = PgConnection::connect_with(options).await?;
    for setting in SESSION_SETTINGS {
        if let Err(error) = sqlx::query(setting).execute(&mut connection).await {
            tracing::debug!(%error, setting, "session setting refused");
        }
    }
    Ok(connection)
}

/// `pg_try_advisory_lock`: true if this session got the lock (or had it already).
async fn try_lock(connection: &mut PgConnection) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT pg_try_advisory_lock($1)").bind(LOCK_KEY).fetch_one(connection).await
}

/// Whether this session holds the lock: PostgreSQL shows a bigint key as its high and low
/// 32 bits in `classid` and `objid`, with `objsubid` 1.
async fn still_held(connection: &mut PgConnection) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() \
         AND granted AND classid::bigint = $1 AND objid::bigint = $2 AND objsubid = 1)",
    )
    .bind(LOCK_KEY >> 32)
    .bind(LOCK_KEY & 0xffff_ffff)
    .fetch_one(connection)
    .await
}
