//! The `motcua` command line: thin, it calls the engine.

mod account_cmd;
mod audit_cmd;
mod backup_cmd;
mod calendar_cmd;
mod catalogue;
mod output;
mod serve;
mod token_cmd;

use clap::{Parser, Subcommand};
use motcua_engine::calendar::OfficeHours;
use output::Format;
use std::path::PathBuf;
use std::process::ExitCode;

/// Public administrative procedures as configuration.
#[derive(Parser)]
#[command(name = "motcua", version, about)]
struct Cli {
    /// Output format.
    #[arg(long, global = true, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Folder of yearly holiday decisions (YYYY.yaml) added to the embedded ones.
    #[arg(long, global = true, default_value = "calendar/decisions")]
    calendar: PathBuf,
    /// Office hours, local time (UTC+7): windows separated by commas.
    #[arg(long, global = true, default_value = "07:00-11:30,13:30-17:00")]
    office_hours: OfficeHours,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check procedure definitions: one line per diagnostic, `FILE:LINE:COL: error[CODE]: message`.
    Validate {
        /// Definition files or folders of them.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Folder of form schemas; by default the nearest `schemas/` above each file.
        #[arg(long)]
        schemas: Option<PathBuf>,
    },
    /// Run the scenario tests (`examples:`) of procedure definitions.
    Test {
        /// Definition files or folders of them.
        #[arg(default_value = "procedures")]
        paths: Vec<PathBuf>,
        /// Folder of form schemas; by default the nearest `schemas/` above each file.
        #[arg(long)]
        schemas: Option<PathBuf>,
    },
    /// The tamper-evident audit log.
    Audit {
        #[command(subcommand)]
        command: audit_cmd::AuditCommand,
    },
    /// A consistent copy of a live SQLite database.
    Backup(backup_cmd::BackupArgs),
    /// Staff accounts of the portal (sign-in name and password).
    Account {
        #[command(subcommand)]
        command: account_cmd::AccountCommand,
    },
    /// Bearer tokens of the HTTP API.
    Token {
        #[command(subcommand)]
        command: token_cmd::TokenCommand,
    },
    /// Serve the HTTP API; on an empty database, publish the catalogue first.
    Serve(serve::ServeArgs),
    /// The working-day calendar.
    Calendar {
        #[command(subcommand)]
        command: calendar_cmd::CalendarCommand,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let calendar = match calendar_cmd::load_calendar(&cli.calendar, cli.office_hours.clone()) {
        Ok(calendar) => calendar,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(1);
        }
    };
    let ok = match cli.command {
        Command::Validate { paths, schemas } => catalogue::validate(&paths, schemas.as_deref(), &calendar, cli.format),
        Command::Test { paths, schemas } => catalogue::test(&paths, schemas.as_deref(), &calendar, cli.format),
        Command::Calendar { command } => calendar_cmd::run(command, &calendar, cli.format),
        Command::Serve(args) => serve::run(args, calendar),
        Command::Token { command } => token_cmd::run(command, cli.format),
        Command::Account { command } => account_cmd::run(command, cli.format),
        Command::Backup(args) => backup_cmd::run(args, cli.format),
        Command::Audit { command } => audit_cmd::run(command, cli.format),
    };
    if ok { ExitCode::SUCCESS } else { ExitCode::from(1) }
}
