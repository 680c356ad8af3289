//! Where new dossiers are written: a queue served by a writer task, which takes whatever is
//! waiting and writes it as one batch, so that one flush to disk, one code draw and one round
//! trip serve several submissions; while a batch is written, the next one gathers. The backend
//! decides how a batch is written (`super::sqlite_writer`, `super::postgres_writer`); this
//! module queues, batches, answers and restarts a writer that panics. No dossier is
//! acknowledged before its batch is committed.

use super::dossiers::RepoError;
use super::postgres_writer::PostgresWriter;
use super::sqlite_writer::SqliteWriter;
use crate::db::entities::dossier;
use chrono::NaiveDate;
use motcua_engine::codes::AgencyCode;
use motcua_engine::dossier_code::DossierCode;
use motcua_engine::lifecycle::Event;
use sea_orm::{DatabaseConnection, DbErr};
use std::future::Future;
use std::sync::Arc;
use tokio::sync::{Mutex, mpsc, oneshot};

/// Most dossiers written in one batch.
const MAX_BATCH: usize = 64;
/// Submissions waiting for a writer before new ones wait to be queued.
const QUEUE: usize = 1024;

/// A dossier to write: its row (code and chain head unset), its audit records in order (the
/// receipt first), and where to answer.
pub(super) struct Job {
    pub desk: AgencyCode,
    pub day: NaiveDate,
    /// The central system's code (AA) when the dossier is coded as a centralised service's.
    pub system: Option<String>,
    pub row: dossier::ActiveModel,
    pub records: Vec<(String, Event, serde_json::Value)>,
    pub reply: oneshot::Sender<Result<dossier::ActiveModel, RepoError>>,
}

impl Job {
    /// The dossier's code for the day's `number`: a centralised service's when it is one.
    pub fn code(&self, number: u32) -> Result<DossierCode, RepoError> {
        let code = match &self.system {
            Some(system) => DossierCode::centralised(&self.desk, system, self.day, number),
            None => DossierCode::new(&self.desk, self.day, number),
        };
        code.map_err(|e| RepoError::Corrupt(format!("dossier code: {e}")))
    }
}

/// How a backend writes a batch.
pub(super) trait BatchWriter: Send + 'static {
    /// Draws the codes of `jobs`, chains their audit records and stores them, setting each
    /// row's id and code; one outcome per job, in order.
    fn write_batch(&mut self, jobs: &mut [Job]) -> impl Future<Output = Vec<Result<(), RepoError>>> + Send;
}

/// The queue to the writer task of a database.
pub struct DossierWriter {
    jobs: mpsc::Sender<Job>,
}

impl DossierWriter {
    /// The writer of `db`, at `url`, started on the current runtime: one task per process.
    /// SQLite allows one writer at a time anyway. On PostgreSQL a second task would only split
    /// the waiting submissions into smaller batches: measured with bench/submit.sh, one task
    /// cost 291 µs of server and 182 µs of PostgreSQL CPU per submission, one per core (2)
    /// 398 and 284, as each batch costs its round trips and statements whatever its size.
    /// Instances each have their own.
    pub async fn connect(url: &str, db: &DatabaseConnection) -> Result<Self, DbErr> {
        if url.starts_with("postgres") {
            let writer = PostgresWriter::connect(url, db.clone()).await?;
            Ok(Self::start(move || writer.clone()))
        } else {
            let db = db.clone();
            Ok(Self::start(move || SqliteWriter::new(db.clone())))
        }
    }

    /// Starts the writer task with a writer made by `new_writer` (again after a panic).
    fn start<W: BatchWriter>(new_writer: impl Fn() -> W + Send + Sync + 'static) -> Self {
        let (jobs, queue) = mpsc::channel(QUEUE);
        tokio::spawn(supervise(Arc::new(Mutex::new(queue)), new_writer));
        DossierWriter { jobs }
    }

    /// Queues a dossier and waits for its batch to be committed: the row with its id and code.
    pub(super) async fn write(
        &self,
        (desk, day, system): (AgencyCode, NaiveDate, Option<String>),
        row: dossier::ActiveModel,
        records: Vec<(String, Event, serde_json::Value)>,
    ) -> Result<dossier::ActiveModel, RepoError> {
        let (reply, answer) = oneshot::channel();
        let stopped = || RepoError::Corrupt("the dossier writer has stopped".into());
        self.jobs.send(Job { desk, day, system, row, records, reply }).await.map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}

/// Restarts the writer task if it panics, so that one bad batch does not stop every later
/// submission: that batch's submitters are told the writer stopped (their answers are
/// dropped); the queue and the dossiers waiting in it pass to the new task.
async fn supervise<W: BatchWriter>(queue: Arc<Mutex<mpsc::Receiver<Job>>>, new_writer: impl Fn() -> W) {
    loop {
        match tokio::spawn(run(Arc::clone(&queue), new_writer())).await {
            Err(error) if error.is_panic() => tracing::error!(%error, "a dossier writer panicked; restarting it"),
            // The queue closed (the server is gone) or the runtime is shutting down.
            _ => return,
        }
    }
}

async fn run<W: BatchWriter>(queue: Arc<Mutex<mpsc::Receiver<Job>>>, mut writer: W) {
    // A panic unwinds through this guard and unlocks the queue for the next task.
    let mut queue = queue.lock().await;
    while let Some(first) = queue.recv().await {
        let mut jobs = vec![first];
        while jobs.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(job) => jobs.push(job),
                Err(_) => break,
            }
        }
        let results = writer.write_batch(&mut jobs).await;
        for (job, result) in jobs.into_iter().zip(results) {
            // A submitter that went away (its client hung up) is not waiting for the answer.
            let _ = job.reply.send(result.map(|()| job.row));
        }
    }
}
