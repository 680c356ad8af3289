//! `motcua backup`: a consistent copy of a live SQLite database.

use crate::output::{Format, report};
use serde_json::json;
use std::path::PathBuf;

/// `backup` options.
#[derive(clap::Args)]
pub struct BackupArgs {
    /// The new file to write (never overwritten).
    #[arg(long)]
    to: PathBuf,
    /// The database.
    #[arg(long, env = "MOTCUA_DATABASE_URL", default_value = "sqlite://motcua.db?mode=rwc")]
    database_url: String,
}

/// Runs the backup; false if none was made.
pub fn run(args: BackupArgs, format: Format) -> bool {
    let result = actix_web::rt::System::new().block_on(async {
        let db = motcua_server::db::connect(&args.database_url).await.map_err(|e| e.to_string())?;
        motcua_server::backup::backup_sqlite(&db, &args.to).await.map_err(|e| e.to_string())
    });
    let result = result.map(|()| json!({"backup": args.to}));
    report(result, |value| format!("backup written to {}", value["backup"].as_str().unwrap_or_default()), format)
}
