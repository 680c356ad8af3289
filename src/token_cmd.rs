//! `motcua token create`: issues a bearer token, printed once.

use crate::output::{Format, print_json};
use chrono::{Duration, Utc};
use clap::Subcommand;
use motcua_engine::codes::{AgencyCode, Role};
use motcua_server::auth::{ApiRole, NewToken, create_token};
use serde_json::json;

/// Token commands.
#[derive(Subcommand)]
pub enum TokenCommand {
    /// Create a token; only its hash is stored.
    Create {
        /// admin, department, officer or client.
        #[arg(long)]
        role: ApiRole,
        /// Who it is for (a person, a portal, a postal counter).
        #[arg(long)]
        name: String,
        /// The agency of a department or officer token.
        #[arg(long)]
        agency: Option<AgencyCode>,
        /// An officer's duty: reception, specialist, leader, clerk or finance.
        #[arg(long)]
        duty: Option<Role>,
        /// Days until it expires; never by default.
        #[arg(long)]
        expires_in_days: Option<u32>,
        /// The database.
        #[arg(long, env = "MOTCUA_DATABASE_URL", default_value = "sqlite://motcua.db?mode=rwc")]
        database_url: String,
    },
}

/// Runs a token command; false on invalid input.
pub fn run(command: TokenCommand, format: Format) -> bool {
    let TokenCommand::Create { role, name, agency, duty, expires_in_days, database_url } = command;
    let expires_at = expires_in_days.map(|days| (Utc::now() + Duration::days(i64::from(days))).fixed_offset());
    let result = actix_web::rt::System::new().block_on(async move {
        let db = motcua_server::db::connect(&database_url).await.map_err(|e| e.to_string())?;
        create_token(&db, NewToken { name, role, agency, duty, expires_at }).await
    });
    match (result, format) {
        (Ok(token), Format::Json) => print_json(&json!({"token": token})),
        (Ok(token), Format::Text) => println!("{token}"),
        (Err(message), Format::Json) => {
            print_json(&json!({"error": message}));
            return false;
        }
        (Err(message), Format::Text) => {
            eprintln!("error: {message}");
            return false;
        }
    }
    true
}
