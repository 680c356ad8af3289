//! `motcua serve`: the HTTP API over the catalogue.

use motcua_engine::calendar::Calendar;
use motcua_server::background::MAX_INSTANCE_ID;
use motcua_server::{Application, Settings};
use std::path::PathBuf;

/// `serve` options; defaults serve the shipped catalogue on SQLite at 127.0.0.1:8080.
#[derive(clap::Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    bind: String,
    /// `sqlite://FILE?mode=rwc` or `postgres://USER@HOST/DB`.
    #[arg(long, env = "MOTCUA_DATABASE_URL", default_value = "sqlite://motcua.db?mode=rwc")]
    database_url: String,
    /// The catalogue published on an empty database.
    #[arg(long, default_value = "procedures")]
    procedures: PathBuf,
    /// The form schemas it names.
    #[arg(long, default_value = "schemas")]
    schemas: PathBuf,
    /// The registry of agencies (names printed on forms), loaded for codes not yet registered.
    #[arg(long, default_value = "agencies")]
    agencies: PathBuf,
    /// Seconds between two deadline scans (overdue and near-deadline warnings); with several
    /// instances on one PostgreSQL, also how often a standby tries to take over the scan.
    #[arg(long, env = "MOTCUA_DEADLINE_SCAN_SECS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    deadline_scan_secs: u64,
    /// Milliseconds between two checks for versions another instance published or retired:
    /// how soon every instance serves the same catalogue.
    #[arg(long, env = "MOTCUA_CATALOGUE_REFRESH_MS", default_value_t = 1000, value_parser = clap::value_parser!(u64).range(10..=600_000))]
    catalogue_refresh_ms: u64,
    /// Anonymous lookups of a dossier by code and lookup key (tracking page, API, printable
    /// forms) one address may make a minute: against guessing lookup keys; a public counter
    /// behind one address (a NAT, a kiosk) may need more.
    #[arg(long, env = "MOTCUA_LOOKUPS_PER_MINUTE", default_value_t = motcua_server::rate_limit::LOOKUPS_PER_WINDOW, value_parser = clap::value_parser!(u32).range(1..))]
    lookups_per_minute: u32,
    /// Checks and filings through the portal's public form one address may make a minute
    /// (officers filing at the counter are not counted).
    #[arg(long, env = "MOTCUA_FILINGS_PER_MINUTE", default_value_t = motcua_server::rate_limit::FILINGS_PER_WINDOW, value_parser = clap::value_parser!(u32).range(1..))]
    filings_per_minute: u32,
    /// Send the portal's cookies over HTTPS only (`Secure`): set it when motcua is served
    /// behind TLS (a reverse proxy terminating HTTPS).
    #[arg(long, env = "MOTCUA_SECURE_COOKIES")]
    secure_cookies: bool,
    /// Where document files are kept: a folder, or `s3://bucket` for an S3-compatible store
    /// shared by several instances (AWS_ENDPOINT, AWS_REGION, AWS_ACCESS_KEY_ID,
    /// AWS_SECRET_ACCESS_KEY, AWS_ALLOW_HTTP). By default a folder beside the SQLite file.
    #[arg(long, env = "MOTCUA_FILES_URL")]
    files_url: Option<String>,
    /// This instance's name in /health and in the alerts it raises; by default host-pid-random.
    #[arg(long, env = "MOTCUA_INSTANCE_ID", value_parser = parse_instance_id)]
    instance_id: Option<String>,
}

/// An instance id: 1 to [`MAX_INSTANCE_ID`] characters, none of them a control character.
fn parse_instance_id(text: &str) -> Result<String, String> {
    let length = text.chars().count();
    if (1..=MAX_INSTANCE_ID).contains(&length) && !text.chars().any(char::is_control) {
        Ok(text.to_owned())
    } else {
        Err(format!("an instance id is 1 to {MAX_INSTANCE_ID} characters, without control characters"))
    }
}

/// Runs the server until it is stopped; false if it could not start.
pub fn run(args: ServeArgs, calendar: Calendar) -> bool {
    let defaults = Settings::with_calendar(calendar);
    let settings = Settings {
        bind: args.bind,
        database_url: args.database_url,
        procedures_dir: args.procedures,
        schemas_dir: args.schemas,
        agencies_dir: args.agencies,
        deadline_scan_interval: std::time::Duration::from_secs(args.deadline_scan_secs),
        catalogue_refresh_interval: std::time::Duration::from_millis(args.catalogue_refresh_ms),
        instance_id: args.instance_id.unwrap_or(defaults.instance_id.clone()),
        lookups_per_minute: args.lookups_per_minute,
        filings_per_minute: args.filings_per_minute,
        secure_cookies: args.secure_cookies,
        files_url: args.files_url,
        ..defaults
    };
    // One JSON object per line on stderr, each request with its id (in `span`; the list of
    // enclosing spans would only repeat it); RUST_LOG filters.
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .json()
        .with_span_list(false)
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
    let result = actix_web::rt::System::new().block_on(async move {
        let app = Application::build(settings.clone()).await.map_err(|e| e.to_string())?;
        eprintln!(
            "motcua: serving on http://{}:{} ({})",
            settings.bind.rsplit_once(':').map_or("127.0.0.1", |(h, _)| h),
            app.port(),
            settings.database_url
        );
        app.run_until_stopped().await.map_err(|e| e.to_string())
    });
    match result {
        Ok(()) => true,
        Err(message) => {
            eprintln!("error: {message}");
            false
        }
    }
}
