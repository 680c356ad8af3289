//! Typed settings of a server instance.

use crate::clock::{SharedClock, SystemClock};
use motcua_engine::calendar::Calendar;
use std::path::PathBuf;
use std::sync::Arc;

/// Everything `startup` needs to build the app.
#[derive(Clone)]
pub struct Settings {
    /// Address to listen on; port 0 picks a free port (tests).
    pub bind: String,
    /// `sqlite://motcua.db?mode=rwc` or `postgres://…`.
    pub database_url: String,
    /// The catalogue published on an empty database.
    pub procedures_dir: PathBuf,
    /// Form schemas the catalogue names.
    pub schemas_dir: PathBuf,
    /// The registry of agencies loaded on start (codes the database lacks).
    pub agencies_dir: PathBuf,
    /// The working-day calendar due times use.
    pub calendar: Calendar,
    /// Where handlers read the time.
    pub clock: SharedClock,
    /// How long a verified token is trusted before the database is asked again.
    pub token_cache_ttl: std::time::Duration,
    /// This instance's name: in `/health`, in the alerts it raises, on its lock session.
    pub instance_id: String,
    /// Time between two deadline scans, and between two tries of a standby to take over.
    pub deadline_scan_interval: std::time::Duration,
    /// Time between two checks for versions published or retired by another instance.
    pub catalogue_refresh_interval: std::time::Duration,
    /// Anonymous dossier lookups (by code and lookup key) one address may make a minute.
    pub lookups_per_minute: u32,
    /// Checks and filings through the portal's public form one address may make a minute.
    pub filings_per_minute: u32,
    /// Whether the portal's cookies are sent over HTTPS only (`Secure`): behind TLS.
    pub secure_cookies: bool,
    /// Where document files are kept (a folder, or `s3://bucket`); by default a folder beside
    /// the SQLite file.
    pub files_url: Option<String>,
}

impl Settings {
    /// The defaults of `motcua serve`.
    pub fn with_calendar(calendar: Calendar) -> Self {
        Settings {
            bind: "127.0.0.1:8080".to_owned(),
            database_url: "sqlite://motcua.db?mode=rwc".to_owned(),
            procedures_dir: PathBuf::from("procedures"),
            schemas_dir: PathBuf::from("schemas"),
            agencies_dir: PathBuf::from("agencies"),
            calendar,
            clock: Arc::new(SystemClock),
            token_cache_ttl: crate::auth::TOKEN_CACHE_TTL,
            instance_id: crate::background::default_instance_id(),
            deadline_scan_interval: crate::background::DEFAULT_SCAN_INTERVAL,
            catalogue_refresh_interval: std::time::Duration::from_secs(1),
            lookups_per_minute: crate::rate_limit::LOOKUPS_PER_WINDOW,
            filings_per_minute: crate::rate_limit::FILINGS_PER_WINDOW,
            secure_cookies: false,
            files_url: None,
        }
    }
}
