//! PostgreSQL's writer (see `super::write_queue`): a batch's numbers are drawn in one counter
//! statement per desk and day, on a small pool of its own with asynchronous commits (see
//! `super::sequences`), then the batch's dossiers and their audit rows are stored in one
//! statement (`super::statements::postgres_insert`): two round trips and one flush to disk for
//! the batch, where each dossier used to cost two round trips and a flush of its own.
//!
//! The statement is all or nothing. When it fails, its dossiers are stored one by one under the
//! codes they drew, so that one bad dossier (a reused idempotency key) fails alone; the others
//! keep their numbers and a failed one leaves a gap.

use super::dossiers::{RepoError, chained_audits, postgres_insert, unique_as_duplicate};
use super::sequences;
use super::sequences::Reservation;
use super::write_queue::{BatchWriter, Job};
use crate::db::entities::audit_event;
use chrono::NaiveDate;
use motcua_engine::codes::AgencyCode;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbErr, Set};

/// Connections of the counter's pool: each holds a row lock for microseconds.
const COUNTER_POOL: u32 = 2;

/// The writer of a PostgreSQL database.
#[derive(Clone)]
pub(super) struct PostgresWriter {
    db: DatabaseConnection,
    counter: DatabaseConnection,
}

impl PostgresWriter {
    /// A writer of `db`, at `url`, with its counter's pool.
    pub(super) async fn connect(url: &str, db: DatabaseConnection) -> Result<Self, DbErr> {
        let mut options = crate::db::pool_options(url);
        options.max_connections(COUNTER_POOL).map_sqlx_postgres_opts(|o| o.options([("synchronous_commit", "off")]));
        Ok(PostgresWriter { db, counter: Database::connect(options).await? })
    }

    /// Draws the numbers of `jobs` and gives each its code and chained audit rows; a job whose
    /// code could not be drawn or built gets its error in `outcomes`. The reservations drawn,
    /// each with its jobs and their numbers.
    async fn draw_codes(
        &self,
        jobs: &mut [Job],
        outcomes: &mut [Result<(), RepoError>],
    ) -> (Vec<Vec<audit_event::ActiveModel>>, Vec<(Reservation, Vec<(usize, u32)>)>) {
        let mut audits = vec![Vec::new(); jobs.len()];
        let mut reservations = Vec::new();
        // The jobs of each desk and day, in the order they came.
        let mut groups: Vec<((AgencyCode, NaiveDate), Vec<usize>)> = Vec::new();
        for (i, job) in jobs.iter().enumerate() {
            let key = (job.desk.clone(), job.day);
            match groups.iter_mut().find(|(k, _)| *k == key) {
                Some((_, members)) => members.push(i),
                None => groups.push((key, vec![i])),
            }
        }
        for ((desk, day), members) in groups {
            let count = u32::try_from(members.len()).unwrap_or(u32::MAX);
            let last = match sequences::draw(&self.counter, &desk, day, count).await {
                Ok(last) => last,
                Err(error) => {
                    for &i in &members {
                        outcomes[i] = Err(RepoError::Database(DbErr::Custom(error.to_string())));
                    }
                    continue;
                }
            };
            let numbered: Vec<(usize, u32)> = members.iter().copied().zip(last + 1 - count..=last).collect();
            reservations.push((Reservation { agency: desk.clone(), day, last }, numbered));
            for (number, &i) in (last + 1 - count..=last).zip(&members) {
                let job = &mut jobs[i];
                match job.code(number) {
                    Ok(code) => {
                        let records: Vec<_> = job
                            .records
                            .iter()
                            .map(|(actor, event, payload)| (actor.as_str(), event, payload))
                            .collect();
                        audits[i] = chained_audits(&mut job.row, code.as_str(), &records);
                        job.row.code = Set(code.as_str().to_owned());
                    }
                    Err(e) => outcomes[i] = Err(RepoError::Corrupt(format!("dossier code: {e}"))),
                }
            }
        }
        (audits, reservations)
    }

    /// Stores the jobs at `members` in one statement, releasing `reservations` in it; each row
    /// gets its id.
    async fn store(
        &self,
        jobs: &mut [Job],
        audits: &[Vec<audit_event::ActiveModel>],
        members: &[usize],
        reservations: &[Reservation],
    ) -> Result<(), DbErr> {
        let dossiers: Vec<_> = members.iter().map(|&i| (&jobs[i].row, audits[i].as_slice())).collect();
        let rows = self.db.query_all_raw(postgres_insert(&dossiers, reservations)).await?;
        for row in rows {
            let (id, code): (i32, String) = (row.try_get("", "id")?, row.try_get("", "code")?);
            let job = members.iter().copied().find(|&i| jobs[i].row.code.as_ref() == &code);
            let job =
                job.ok_or_else(|| DbErr::Custom(format!("the batch insert returned an unknown code `{code}`")))?;
            jobs[job].row.id = Set(id);
        }
        Ok(())
    }
}

impl BatchWriter for PostgresWriter {
    async fn write_batch(&mut self, jobs: &mut [Job]) -> Vec<Result<(), RepoError>> {
        let mut outcomes: Vec<Result<(), RepoError>> = jobs.iter().map(|_| Ok(())).collect();
        let (audits, drawn) = self.draw_codes(jobs, &mut outcomes).await;
        let ready: Vec<usize> = (0..jobs.len()).filter(|&i| outcomes[i].is_ok()).collect();
        let all: Vec<Reservation> = drawn.iter().map(|(reservation, _)| reservation.clone()).collect();
        if ready.len() == jobs.len() && self.store(jobs, &audits, &ready, &all).await.is_ok() {
            return outcomes;
        }
        // A batch that failed as a whole (or with a job that got no code): each alone, with
        // its own outcome; then each reservation keeps only the numbers that were burned.
        for &i in &ready {
            outcomes[i] = self.store(jobs, &audits, &[i], &[]).await.map_err(unique_as_duplicate);
        }
        for (reservation, numbered) in &drawn {
            let failed: Vec<u32> = numbered.iter().filter(|(i, _)| outcomes[*i].is_err()).map(|&(_, n)| n).collect();
            if let Err(error) = sequences::settle(&self.db, reservation, &failed).await {
                // The reservation stays whole: the gap is still explained, only more widely.
                tracing::warn!(%error, "could not settle a reservation of dossier numbers");
            }
        }
        outcomes
    }
}
