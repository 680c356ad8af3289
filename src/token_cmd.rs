//! `motcua token create`: issues a bearer token, printed once.

use crate::output::{Format, report};
use chrono::{Duration, Utc};
use clap::Subcommand;
use motcua_engine::codes::{AgencyCode, Role};
use motcua_engine::definition::Channel;
use motcua_server::auth::{ApiRole, NewToken, create_token, list_tokens, revoke_token};
use serde_json::json;

/// Token commands.
#[derive(Subcommand)]
pub enum TokenCommand {
    /// List tokens (never their secrets).
    List {
        /// The database.
        #[arg(long, env = "MOTCUA_DATABASE_URL", default_value = "sqlite://motcua.db?mode=rwc")]
        database_url: String,
    },
    /// Revoke a token by id: refused from then on.
    Revoke {
        /// Its id, from `token list`.
        id: i32,
        /// The database.
        #[arg(long, env = "MOTCUA_DATABASE_URL", default_value = "sqlite://motcua.db?mode=rwc")]
        database_url: String,
    },
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
        /// The channels a client files by, comma-separated: online (a portal, the default),
        /// postal (a postal counter). Counter dossiers come from reception officers.
        #[arg(long, value_delimiter = ',')]
        channels: Vec<Channel>,
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
    let (role, name, agency, duty, channels, expires_in_days, database_url) = match command {
        TokenCommand::Create { role, name, agency, duty, channels, expires_in_days, database_url } => {
            (role, name, agency, duty, channels, expires_in_days, database_url)
        }
        TokenCommand::List { database_url } => return list(&database_url, format),
        TokenCommand::Revoke { id, database_url } => return revoke(id, &database_url, format),
    };
    let expires_at = expires_in_days.map(|days| (Utc::now() + Duration::days(i64::from(days))).fixed_offset());
    let result = actix_web::rt::System::new().block_on(async move {
        let db = motcua_server::db::connect_existing(&database_url).await?;
        let token = create_token(&db, NewToken { name, role, agency, duty, channels, expires_at }).await?;
        Ok(json!({"token": token, "database": database_url}))
    });
    let text = |value: &serde_json::Value| {
        // The secret alone on stdout, so `TOKEN=$(motcua token create …)` works; where it was
        // written goes to the person reading the terminal.
        eprintln!("token stored in {}", value["database"].as_str().unwrap_or_default());
        value["token"].as_str().unwrap_or_default().to_owned()
    };
    report(result, text, format)
}

fn list(database_url: &str, format: Format) -> bool {
    let result = actix_web::rt::System::new().block_on(async {
        let db = motcua_server::db::connect_existing(database_url).await?;
        let tokens = list_tokens(&db).await.map_err(|e| e.to_string())?;
        Ok(json!({"tokens": tokens}))
    });
    let text = |value: &serde_json::Value| {
        let rows: Vec<String> = value["tokens"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|t| {
                let revoked = if t["revoked_at"].is_null() { "" } else { " (revoked)" };
                format!(
                    "{}\t{}\t{}\t{}{revoked}",
                    t["id"],
                    t["role"].as_str().unwrap_or(""),
                    t["agency"].as_str().unwrap_or("-"),
                    t["name"].as_str().unwrap_or("")
                )
            })
            .collect();
        rows.join("\n")
    };
    report(result, text, format)
}

fn revoke(id: i32, database_url: &str, format: Format) -> bool {
    let result = actix_web::rt::System::new().block_on(async {
        let db = motcua_server::db::connect_existing(database_url).await?;
        match revoke_token(&db, id).await.map_err(|e| e.to_string())? {
            true => Ok(json!({"revoked": id})),
            false => Err(format!("no active token with id `{id}`")),
        }
    });
    report(result, |value| format!("token {} revoked", value["revoked"]), format)
}
