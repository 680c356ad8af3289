//! SQLite's one writer (see `super::write_queue`): it writes whatever is waiting in one
//! transaction, so that one flush to disk (synchronous=FULL) serves several submissions instead
//! of one each. Each dossier stays all or nothing inside the batch (a savepoint each).
//!
//! Its task is also the only place this process draws dossier numbers on SQLite: the counter's
//! upsert, the dossier and its audit rows are one batch of statements, the code built from the
//! number the task expects (the one after the last it drew), and the dossier's INSERT guarded by
//! it. If another process drew in between, the guard inserts nothing, the savepoint is rolled
//! back, the counter read again and the dossier tried once more.

use super::dossiers::{RepoError, chained_audits, unique_as_duplicate};
use super::sequences;
use super::statements::{Params, render_insert};
use super::write_queue::{BatchWriter, Job};
use crate::db::entities::audit_event;
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, Set, SqliteTransactionMode,
    TransactionOptions, TransactionTrait,
};
use std::collections::HashMap;

/// Agencies × days whose last number the writer remembers.
const MAX_REMEMBERED: usize = 1024;

/// What the task last drew, per agency and day (`YYMMDD`).
type LastDrawn = HashMap<(String, String), u32>;

/// The writer of a SQLite database (one task: SQLite has one writer at a time).
pub(super) struct SqliteWriter {
    db: DatabaseConnection,
    last_drawn: LastDrawn,
}

impl SqliteWriter {
    /// A writer of `db` that remembers nothing yet.
    pub(super) fn new(db: DatabaseConnection) -> Self {
        SqliteWriter { db, last_drawn: LastDrawn::new() }
    }
}

impl BatchWriter for SqliteWriter {
    async fn write_batch(&mut self, jobs: &mut [Job]) -> Vec<Result<(), RepoError>> {
        write_batch(&self.db, &mut self.last_drawn, jobs).await
    }
}

/// Writes `jobs` in one transaction; each job's row gets its id and code.
async fn write_batch(
    db: &DatabaseConnection,
    last_drawn: &mut LastDrawn,
    jobs: &mut [Job],
) -> Vec<Result<(), RepoError>> {
    let failed = |error: &sea_orm::DbErr, n: usize| {
        (0..n).map(|_| Err(RepoError::Database(sea_orm::DbErr::Custom(error.to_string())))).collect()
    };
    // IMMEDIATE: the write lock from the start, waiting in the busy handler for another
    // writer; a deferred transaction that reads first fails at once when it comes to write
    // after another connection committed (SQLITE_BUSY_SNAPSHOT).
    let immediate = TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..TransactionOptions::default()
    };
    let txn = match db.begin_with_options(immediate).await {
        Ok(txn) => txn,
        Err(error) => return failed(&error, jobs.len()),
    };
    // Numbers drawn in this batch count only once it commits.
    let mut drawn = LastDrawn::new();
    let mut results = Vec::with_capacity(jobs.len());
    for job in jobs.iter_mut() {
        match write_one(&txn, last_drawn, &mut drawn, job).await {
            Ok(result) => results.push(result),
            // The transaction is in a state nobody chose: roll all of it back.
            Err(error) => {
                last_drawn.clear();
                return failed(&error, jobs.len());
            }
        }
    }
    match txn.commit().await {
        Ok(()) => {
            // A cache, not a record: past days' entries are dropped now and then (imports of
            // historic dossiers add one per day).
            if last_drawn.len() > MAX_REMEMBERED {
                last_drawn.clear();
            }
            last_drawn.extend(drawn);
            results
        }
        Err(error) => {
            last_drawn.clear();
            failed(&error, jobs.len())
        }
    }
}

/// One dossier inside the batch's transaction, under a savepoint: its own outcome, or the error
/// that spoils the whole transaction (a savepoint that could not be released or rolled back).
async fn write_one(
    txn: &DatabaseTransaction,
    last_drawn: &LastDrawn,
    drawn: &mut LastDrawn,
    job: &mut Job,
) -> Result<Result<(), RepoError>, sea_orm::DbErr> {
    let key = (job.desk.to_string(), sequences::day_key(job.day));
    // A second try only follows another process's draw, a third one two of them.
    for _ in 0..3 {
        let known = drawn.get(&key).or_else(|| last_drawn.get(&key));
        let expected = match known {
            Some(last) => last + 1,
            None => sequences::last(txn, &job.desk, job.day).await? + 1,
        };
        let code = match job.code(expected) {
            Ok(code) => code,
            Err(error) => return Ok(Err(error)),
        };
        let records: Vec<_> =
            job.records.iter().map(|(actor, event, payload)| (actor.as_str(), event, payload)).collect();
        let audits = chained_audits(&mut job.row, code.as_str(), &records);
        job.row.code = Set(code.as_str().to_owned());
        let mut params = Params { backend: DbBackend::Sqlite, values: Vec::with_capacity(40) };
        params.bind(key.0.as_str().into());
        params.bind(key.1.as_str().into());
        let guard = format!(
            "\"dossier_sequences\" AS s WHERE s.\"agency\" = $1 AND s.\"day\" = $2 AND s.\"last\" = {}",
            params.bind(expected.into())
        );
        let mut sql = format!("SAVEPOINT dossier; {}; ", sequences::upsert("1"));
        render_insert(&mut sql, &mut params, &[&job.row], &[], Some(&guard));
        sql.push_str(" RETURNING \"id\"; ");
        // Guarded too: if the dossier was not inserted, a dossier of another process may hold
        // the code.
        let from = format!("\"dossiers\" AS d, {guard} AND d.\"code\" = {}", params.bind(code.as_str().into()));
        let audits: Vec<_> = audits.iter().collect();
        render_insert(&mut sql, &mut params, &audits, &[(audit_event::Column::DossierId, "d.\"id\"")], Some(&from));
        // Every statement runs (query_all); the only row returned is the dossier's.
        match txn.query_all_raw(params.statement(sql)).await {
            Ok(mut rows) => {
                if let Some(row) = rows.pop() {
                    txn.execute_unprepared("RELEASE dossier").await?;
                    drawn.insert(key, expected);
                    job.row.id = Set(row.try_get("", "id")?);
                    return Ok(Ok(()));
                }
                // Another process drew the expected number: undo and read where the counter is.
                txn.execute_unprepared("ROLLBACK TO dossier; RELEASE dossier").await?;
                drawn.insert(key.clone(), sequences::last(txn, &job.desk, job.day).await?);
            }
            Err(error) => {
                txn.execute_unprepared("ROLLBACK TO dossier; RELEASE dossier").await?;
                // What the cache expects may be what failed: read the counter again.
                drawn.insert(key, sequences::last(txn, &job.desk, job.day).await?);
                return Ok(Err(unique_as_duplicate(error)));
            }
        }
    }
    Ok(Err(RepoError::Corrupt("the day's counter moved under this dossier three times".into())))
}
