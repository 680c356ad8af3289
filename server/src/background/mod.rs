//! Background work that must run once however many instances serve the database: the deadline
//! scan. Every instance ticks at the same interval; at each tick it takes or keeps the
//! leadership ([`leader`]) and, if it leads, scans ([`deadlines`]).

pub mod catalogue_watch;
pub mod deadlines;
pub mod leader;

use crate::clock::SharedClock;
use chrono::{DateTime, FixedOffset};
use deadlines::Raised;
use leader::Election;
use motcua_engine::calendar::Calendar;
use rand::RngCore;
use sea_orm::DatabaseConnection;
use std::fmt::Write;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tracing::Instrument;

/// Default interval between two scans (and between two tries of a standby to take over).
pub const DEFAULT_SCAN_INTERVAL: Duration = Duration::from_secs(60);

/// Longest instance id (the `deadline_alerts.instance` column holds 128 characters).
pub const MAX_INSTANCE_ID: usize = 128;

/// A name for this instance: host, process id and a random suffix (several apps run in one
/// test process).
pub fn default_instance_id() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "motcua".to_owned());
    let suffix = rand::rng().next_u32() & 0xffff;
    format!("{host}-{}-{suffix:04x}", std::process::id())
}

/// What this instance's background work is doing: shown by `/health` and `/metrics`.
pub struct Background {
    instance: String,
    leader: AtomicBool,
    scans: AtomicU64,
    failed_scans: AtomicU64,
    overdue: AtomicU64,
    near_deadline: AtomicU64,
    unreceived: AtomicU64,
    last_scan: Mutex<Option<DateTime<FixedOffset>>>,
}

impl Background {
    /// The state of a new instance: not leading, nothing scanned. The id is cut to
    /// [`MAX_INSTANCE_ID`] characters.
    pub fn new(instance: String) -> Self {
        Background {
            instance: instance.chars().take(MAX_INSTANCE_ID).collect(),
            leader: AtomicBool::new(false),
            scans: AtomicU64::new(0),
            failed_scans: AtomicU64::new(0),
            overdue: AtomicU64::new(0),
            near_deadline: AtomicU64::new(0),
            unreceived: AtomicU64::new(0),
            last_scan: Mutex::new(None),
        }
    }

    /// This instance's id.
    pub fn instance(&self) -> &str {
        &self.instance
    }

    /// Whether this instance leads the background work now.
    pub fn is_leader(&self) -> bool {
        self.leader.load(Ordering::Relaxed)
    }

    /// The `now` of the last scan that succeeded here.
    pub fn last_scan(&self) -> Option<DateTime<FixedOffset>> {
        *self.last_scan.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn scanned(&self, at: DateTime<FixedOffset>, raised: Raised) {
        self.scans.fetch_add(1, Ordering::Relaxed);
        self.overdue.fetch_add(raised.overdue, Ordering::Relaxed);
        self.near_deadline.fetch_add(raised.near_deadline, Ordering::Relaxed);
        self.unreceived.fetch_add(raised.unreceived, Ordering::Relaxed);
        *self.last_scan.lock().unwrap_or_else(PoisonError::into_inner) = Some(at);
    }

    /// The Prometheus text exposition of the background work.
    pub fn render(&self) -> String {
        let n = |counter: &AtomicU64| counter.load(Ordering::Relaxed);
        let mut out = String::new();
        out.push_str("# HELP motcua_background_leader 1 while this instance leads the run-once background work.\n");
        out.push_str("# TYPE motcua_background_leader gauge\n");
        let _ = writeln!(out, "motcua_background_leader {}", u8::from(self.is_leader()));
        out.push_str("# HELP motcua_deadline_scans_total Deadline scans run by this instance, by outcome.\n");
        out.push_str("# TYPE motcua_deadline_scans_total counter\n");
        let _ = writeln!(out, "motcua_deadline_scans_total{{outcome=\"ok\"}} {}", n(&self.scans));
        let _ = writeln!(out, "motcua_deadline_scans_total{{outcome=\"failed\"}} {}", n(&self.failed_scans));
        out.push_str("# HELP motcua_deadline_alerts_raised_total Deadline alerts raised by this instance, by kind.\n");
        out.push_str("# TYPE motcua_deadline_alerts_raised_total counter\n");
        let _ = writeln!(out, "motcua_deadline_alerts_raised_total{{kind=\"overdue\"}} {}", n(&self.overdue));
        let _ =
            writeln!(out, "motcua_deadline_alerts_raised_total{{kind=\"near_deadline\"}} {}", n(&self.near_deadline));
        let _ = writeln!(out, "motcua_deadline_alerts_raised_total{{kind=\"unreceived\"}} {}", n(&self.unreceived));
        out
    }
}

/// What the background task needs.
pub struct Job {
    /// The pool the scan writes through.
    pub db: DatabaseConnection,
    /// The database URL, for the election's own connection.
    pub database_url: String,
    /// Working days for the warning window.
    pub calendar: Calendar,
    /// Where "now" is read.
    pub clock: SharedClock,
    /// Time between two ticks.
    pub interval: Duration,
    /// The state it reports to.
    pub state: Arc<Background>,
}

/// The longest a scan may take before it is abandoned (at least one interval).
const SCAN_TIMEOUT: Duration = Duration::from_secs(30);

/// Starts the background task on the current tokio runtime; it runs until aborted.
pub fn spawn(job: Job) -> tokio::task::JoinHandle<()> {
    tokio::spawn(run(job))
}

async fn run(job: Job) {
    let span = tracing::info_span!("background", instance = %job.state.instance);
    async move {
        let mut election = Election::for_database(&job.database_url, &job.state.instance);
        let mut ticks = tokio::time::interval(job.interval);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            let leader = election.hold().await;
            job.state.leader.store(leader, Ordering::Relaxed);
            // A scan that hangs (a lock wait, a stalled connection) must not keep the lock and
            // stop every scan: it is abandoned, counted as failed, and tried at the next tick.
            let limit = job.interval.max(SCAN_TIMEOUT);
            if leader && tokio::time::timeout(limit, tick(&job)).await.is_err() {
                tracing::warn!(seconds = limit.as_secs(), "deadline scan abandoned");
                job.state.failed_scans.fetch_add(1, Ordering::Relaxed);
            }
        }
    }
    .instrument(span)
    .await;
}

/// One scan, logged and counted.
async fn tick(job: &Job) {
    let now = job.clock.now();
    let span = tracing::info_span!("deadline_scan", %now);
    match deadlines::scan(&job.db, &job.calendar, now, &job.state.instance).instrument(span.clone()).await {
        Ok(raised) => {
            if raised != Raised::default() {
                span.in_scope(|| {
                    tracing::info!(
                        overdue = raised.overdue,
                        near_deadline = raised.near_deadline,
                        unreceived = raised.unreceived,
                        "alerts raised"
                    )
                });
            }
            job.state.scanned(now, raised);
        }
        Err(error) => {
            span.in_scope(|| tracing::warn!(%error, "deadline scan failed"));
            job.state.failed_scans.fetch_add(1, Ordering::Relaxed);
        }
    }
}
