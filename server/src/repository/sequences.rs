//! The day's sequence numbers of dossier codes, decided by the database so that they are unique
//! across server instances.
//!
//! On SQLite there is one writer at a time anyway: the counter is bumped inside the dossier's
//! own transaction, by the database's writer task ([`CodeCounter::InTransaction`], see
//! `super::sqlite_writer`). On PostgreSQL that would hold the
//! desk's counter row locked until the dossier's commit is flushed to disk, so every
//! submission of a desk would wait for the previous one's flush (measured: 5,900 commits a
//! second at most, whatever the hardware does in parallel). There the counter is bumped on a
//! pool of its own whose commits do not wait for the flush ([`CodeCounter::Detached`]): the
//! row lock lasts microseconds and the flushes of concurrent dossiers are grouped.
//!
//! Nothing acknowledged depends on that unflushed commit: the dossier's own commit, which is
//! flushed before the 201 is sent, comes later in PostgreSQL's write-ahead log, and a flush
//! writes the log up to that point, the counter's commit included. If the server crashes
//! between the two, the number was never given to anyone. A submission that fails after its
//! number was drawn leaves a gap in the day's sequence; the regulation asks for unique codes
//! in order of receipt, which gaps do not break.

use super::sqlite_writer::SqliteWriter;
use chrono::NaiveDate;
use motcua_engine::codes::AgencyCode;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbErr, Statement};

/// Connections of the detached counter pool: each holds a row lock for microseconds.
const COUNTER_POOL: u32 = 2;

/// The counter's upsert: `$1` the agency, `$2` the day (`YYMMDD`).
pub(super) const UPSERT: &str = "INSERT INTO \"dossier_sequences\" (\"agency\", \"day\", \"last\") VALUES ($1, $2, 1) \
    ON CONFLICT (\"agency\", \"day\") DO UPDATE SET \"last\" = \"dossier_sequences\".\"last\" + 1";

/// Where the day's counters are bumped.
pub enum CodeCounter {
    /// In the dossier's transaction, by the writer task of the SQLite database. It queues this
    /// process's submissions, first come first served, instead of SQLite's busy handler, which
    /// sleeps 1, 2, 5, 10… ms between tries and let some wait hundreds of milliseconds under
    /// load; other writers (processes, routes) still meet the busy timeout.
    InTransaction(SqliteWriter),
    /// On a pool of its own with asynchronous commits (PostgreSQL).
    Detached(DatabaseConnection),
}

impl CodeCounter {
    /// The counter for `db`, at `url`: on PostgreSQL it opens its own small pool, on SQLite it
    /// starts the writer task.
    pub async fn connect(url: &str, db: &DatabaseConnection) -> Result<Self, DbErr> {
        if !url.starts_with("postgres") {
            return Ok(CodeCounter::InTransaction(SqliteWriter::start(db.clone())));
        }
        let mut options = crate::db::pool_options(url);
        options.max_connections(COUNTER_POOL).map_sqlx_postgres_opts(|o| o.options([("synchronous_commit", "off")]));
        Ok(CodeCounter::Detached(Database::connect(options).await?))
    }
}

/// Draws the next number of `agency`'s `day` on `db` (a transaction, or the detached pool).
pub async fn draw(db: &impl ConnectionTrait, agency: &AgencyCode, day: NaiveDate) -> Result<u32, DbErr> {
    let statement = Statement::from_sql_and_values(
        db.get_database_backend(),
        format!("{UPSERT} RETURNING \"last\""),
        [agency.as_str().into(), day_key(day).into()],
    );
    let row = db.query_one_raw(statement).await?.ok_or_else(|| DbErr::RecordNotFound("day counter".into()))?;
    number(row.try_get("", "last")?)
}

/// The last number drawn for `agency`'s `day`, 0 before the first.
pub async fn last(db: &impl ConnectionTrait, agency: &AgencyCode, day: NaiveDate) -> Result<u32, DbErr> {
    let statement = Statement::from_sql_and_values(
        db.get_database_backend(),
        "SELECT \"last\" FROM \"dossier_sequences\" WHERE \"agency\" = $1 AND \"day\" = $2",
        [agency.as_str().into(), day_key(day).into()],
    );
    match db.query_one_raw(statement).await? {
        Some(row) => number(row.try_get("", "last")?),
        None => Ok(0),
    }
}

fn number(last: i32) -> Result<u32, DbErr> {
    u32::try_from(last).map_err(|_| DbErr::Custom(format!("day counter at `{last}`")))
}

/// The counter's `day`: `YYMMDD`, as in the code.
pub fn day_key(day: NaiveDate) -> String {
    day.format("%y%m%d").to_string()
}
