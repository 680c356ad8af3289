//! `motcua audit verify`: recomputes the hash chains of the audit log.

use crate::output::{Format, print_error, print_json};
use motcua_server::audit::files::verify_files;
use motcua_server::audit::verify::{Report, verify};
use motcua_server::files::FileStore;

/// `audit` subcommands.
#[derive(clap::Subcommand)]
pub enum AuditCommand {
    /// Recompute every dossier's chain of audit records; exit 1 if a record was edited,
    /// deleted, inserted or moved.
    Verify {
        /// The database.
        #[arg(long, env = "MOTCUA_DATABASE_URL", default_value = "sqlite://motcua.db?mode=rwc")]
        database_url: String,
        /// Where the files are kept, as `motcua serve --files-url`; by default beside the
        /// SQLite file. Every file the log names is read back and hashed.
        #[arg(long, env = "MOTCUA_FILES_URL")]
        files_url: Option<String>,
    },
}

/// Runs the subcommand; false if tampering was found or the database could not be read.
pub fn run(command: AuditCommand, format: Format) -> bool {
    let AuditCommand::Verify { database_url, files_url } = command;
    let result = actix_web::rt::System::new().block_on(async {
        // The database as it is: verifying never migrates what it verifies.
        let db = motcua_server::db::connect_migrated(&database_url).await.map_err(|e| e.to_string())?;
        let mut report = verify(&db).await.map_err(|e| e.to_string())?;
        let location = files_url.unwrap_or_else(|| FileStore::default_location(&database_url));
        let store = FileStore::open(&location)?;
        let (findings, files) = verify_files(&db, &store).await.map_err(|e| e.to_string())?;
        report.findings.extend(findings);
        report.files = files;
        Ok::<_, String>(report)
    });
    let report = match result {
        Ok(report) => report,
        Err(message) => {
            print_error(&message, format);
            return false;
        }
    };
    match format {
        Format::Json => print_json(&serde_json::to_value(&report).unwrap_or_default()),
        Format::Text => print_text(&report),
    }
    report.intact()
}

fn print_text(report: &Report) {
    for finding in &report.findings {
        let position = finding.position.map(|p| format!(" record {p}")).unwrap_or_default();
        let code = serde_json::to_value(finding.problem).unwrap_or_default();
        println!("{}{position}: error[{}]: {}", finding.dossier, code.as_str().unwrap_or_default(), finding.message);
    }
    for gap in report.gaps.iter().filter(|gap| gap.unexplained.is_empty()) {
        println!(
            "{}: note: {} numbers drawn, {} dossiers found, the others burned by submissions that failed or were \
             interrupted after drawing them",
            gap.day, gap.drawn, gap.found
        );
    }
    let verdict = if report.intact() { "intact" } else { "TAMPERED" };
    println!(
        "audit log {verdict}: {} dossiers, {} records, {} files, {} problems",
        report.dossiers,
        report.records,
        report.files,
        report.findings.len()
    );
}
