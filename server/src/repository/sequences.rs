//! The day's sequence numbers of dossier codes, decided by the database so that they are unique
//! across server instances. Only the writer task of each process draws them
//! (`super::write_queue`).
//!
//! On SQLite there is one writer at a time anyway: the counter is bumped inside the dossiers'
//! own transaction (`super::sqlite_writer`). On PostgreSQL that would hold the desk's counter
//! row locked until the dossiers' commit is flushed to disk, so every submission of a desk
//! would wait for the previous one's flush (measured: 5,900 commits a second at most, whatever
//! the hardware does in parallel). There a batch's numbers are drawn together on a pool of
//! their own whose commits do not wait for the flush (`super::postgres_writer`): the row lock
//! lasts microseconds and the flushes of concurrent batches are grouped.
//!
//! Nothing acknowledged depends on that unflushed commit: the dossiers' own commit, which is
//! flushed before the 201 is sent, comes later in PostgreSQL's write-ahead log, and a flush
//! writes the log up to that point, the counter's commit included. If the server crashes
//! between the two, the numbers were never given to anyone. A submission that fails after its
//! number was drawn leaves a gap in the day's sequence; the regulation asks for unique codes
//! in order of receipt, which gaps do not break.

use chrono::NaiveDate;
use motcua_engine::codes::AgencyCode;
use sea_orm::{ConnectionTrait, DbErr, Statement};

/// The counter's upsert by `by` (an SQL expression): `$1` the agency, `$2` the day (`YYMMDD`).
pub(super) fn upsert(by: &str) -> String {
    format!(
        "INSERT INTO \"dossier_sequences\" (\"agency\", \"day\", \"last\") VALUES ($1, $2, {by}) \
         ON CONFLICT (\"agency\", \"day\") DO UPDATE SET \"last\" = \"dossier_sequences\".\"last\" + {by}"
    )
}

/// Draws the next `count` numbers of `agency`'s `day` on PostgreSQL: the last of them (the
/// first is `last - count + 1`). In the same statement they are reserved (`drawn`), until the
/// insert of their dossiers removes the reservation ([`release`]).
#[tracing::instrument(name = "repository", level = "debug", skip_all, fields(call = "sequences::draw"))]
pub async fn draw(db: &impl ConnectionTrait, agency: &AgencyCode, day: NaiveDate, count: u32) -> Result<u32, DbErr> {
    let statement = Statement::from_sql_and_values(
        db.get_database_backend(),
        format!(
            "WITH c AS ({} RETURNING \"last\") INSERT INTO \"sequence_reservations\" \
             (\"agency\", \"day\", \"first\", \"last\", \"reason\") \
             SELECT $1, $2, c.\"last\" - $3 + 1, c.\"last\", '{DRAWN}' FROM c RETURNING \"last\"",
            upsert("$3")
        ),
        [agency.as_str().into(), day_key(day).into(), i32::try_from(count).unwrap_or(i32::MAX).into()],
    );
    let row = db.query_one_raw(statement).await?.ok_or_else(|| DbErr::RecordNotFound("day counter".into()))?;
    number(row.try_get("", "last")?)
}

/// Why numbers are reserved: drawn, their dossiers not stored yet (or never, if the process
/// stopped in between).
pub const DRAWN: &str = "drawn";
/// Why numbers are reserved: their submission failed after they were drawn.
pub const FAILED: &str = "failed";

/// A batch's reservation: the numbers `last - count + 1 ..= last` of `agency`'s `day`.
#[derive(Debug, Clone)]
pub struct Reservation {
    /// The desk.
    pub agency: AgencyCode,
    /// The day.
    pub day: NaiveDate,
    /// The last number drawn.
    pub last: u32,
}

/// Appends to `sql` (a `WITH` list, after its first member) a data-modifying member that
/// removes `reservations`, binding its values in `params`: the dossiers stored in the same
/// statement used the numbers.
pub(super) fn release(sql: &mut String, params: &mut super::statements::Params, reservations: &[Reservation]) {
    if reservations.is_empty() {
        return;
    }
    sql.push_str(", r AS (DELETE FROM \"sequence_reservations\" WHERE (\"agency\", \"day\", \"last\") IN (VALUES ");
    for (i, reservation) in reservations.iter().enumerate() {
        let agency = params.bind(reservation.agency.as_str().into());
        let day = params.bind(day_key(reservation.day).into());
        let last = params.bind(i32::try_from(reservation.last).unwrap_or(i32::MAX).into());
        let comma = if i == 0 { "" } else { ", " };
        sql.push_str(&format!("{comma}({agency}, {day}, CAST({last} AS INTEGER))"));
    }
    sql.push_str(") AND \"reason\" = 'drawn')");
}

/// Replaces `reservation` with one row per number in `failed`: what the failed submissions of
/// its batch burned, and nothing more (the others' dossiers exist).
#[tracing::instrument(name = "repository", level = "debug", skip_all, fields(call = "sequences::settle"))]
pub async fn settle(db: &impl ConnectionTrait, reservation: &Reservation, failed: &[u32]) -> Result<(), DbErr> {
    let mut params = super::statements::Params { backend: db.get_database_backend(), values: Vec::new() };
    let agency = params.bind(reservation.agency.as_str().into());
    let day = params.bind(day_key(reservation.day).into());
    let last = params.bind(i32::try_from(reservation.last).unwrap_or(i32::MAX).into());
    let mut sql = format!(
        "WITH r AS (DELETE FROM \"sequence_reservations\" WHERE \"agency\" = {agency} AND \"day\" = {day} \
         AND \"last\" = {last} AND \"reason\" = '{DRAWN}') "
    );
    if failed.is_empty() {
        sql.push_str("SELECT 1");
    } else {
        sql.push_str(
            "INSERT INTO \"sequence_reservations\" (\"agency\", \"day\", \"first\", \"last\", \"reason\") VALUES ",
        );
        for (i, number) in failed.iter().enumerate() {
            let n = params.bind(i32::try_from(*number).unwrap_or(i32::MAX).into());
            let comma = if i == 0 { "" } else { ", " };
            sql.push_str(&format!("{comma}({agency}, {day}, {n}, {n}, '{FAILED}')"));
        }
    }
    db.execute_raw(params.statement(sql)).await.map(|_| ())
}

/// The last number drawn for `agency`'s `day`, 0 before the first.
#[tracing::instrument(name = "repository", level = "debug", skip_all, fields(call = "sequences::last"))]
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
