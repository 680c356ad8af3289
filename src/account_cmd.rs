//! `motcua account create`: a staff account for the portal, its password read from stdin
//! (never from the command line, where `ps` and the shell's history would show it).

use crate::output::{Format, report};
use clap::Subcommand;
use motcua_engine::codes::{AgencyCode, Role};
use motcua_server::accounts::{NewAccount, create};
use motcua_server::auth::ApiRole;
use serde_json::json;
use std::io::BufRead;

/// Account commands.
#[derive(Subcommand)]
pub enum AccountCommand {
    /// Create a staff account; the password is the first line of stdin.
    Create {
        /// The sign-in name (a-z, 0-9, `.`, `_`, `-`).
        #[arg(long)]
        username: String,
        /// Who it is.
        #[arg(long)]
        name: String,
        /// admin, department or officer.
        #[arg(long)]
        role: ApiRole,
        /// The agency of a department or officer.
        #[arg(long)]
        agency: Option<AgencyCode>,
        /// An officer's duty: reception, specialist, leader, clerk or finance.
        #[arg(long)]
        duty: Option<Role>,
        /// The database.
        #[arg(long, env = "MOTCUA_DATABASE_URL", default_value = "sqlite://motcua.db?mode=rwc")]
        database_url: String,
    },
}

/// Runs an account command; false on invalid input.
pub fn run(command: AccountCommand, format: Format) -> bool {
    let AccountCommand::Create { username, name, role, agency, duty, database_url } = command;
    let mut password = String::new();
    if let Err(error) = std::io::stdin().lock().read_line(&mut password) {
        eprintln!("error: the password could not be read from stdin: {error}");
        return false;
    }
    let password = password.trim_end_matches(['\r', '\n']).to_owned();
    let result = actix_web::rt::System::new().block_on(async move {
        let db = motcua_server::db::connect_existing(&database_url).await?;
        let account = NewAccount { username: username.clone(), name, role, agency, duty, password };
        create(&db, account).await?;
        Ok(json!({"username": username.trim().to_lowercase(), "database": database_url}))
    });
    let text = |value: &serde_json::Value| {
        format!(
            "account `{}` created in {}; sign in at /dang-nhap",
            value["username"].as_str().unwrap_or_default(),
            value["database"].as_str().unwrap_or_default()
        )
    };
    report(result, text, format)
}
