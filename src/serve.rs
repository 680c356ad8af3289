//! `motcua serve`: the HTTP API over the catalogue.

use motcua_engine::calendar::Calendar;
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
}

/// Runs the server until it is stopped; false if it could not start.
pub fn run(args: ServeArgs, calendar: Calendar) -> bool {
    let settings = Settings {
        bind: args.bind,
        database_url: args.database_url,
        procedures_dir: args.procedures,
        schemas_dir: args.schemas,
        ..Settings::with_calendar(calendar)
    };
    // One JSON object per line on stderr, each request with its id; RUST_LOG filters.
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt().json().with_env_filter(filter).with_writer(std::io::stderr).try_init();
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
