//! The baselines of `bench/submit.sh`: `POST /api/v1/dossiers` parses the same JSON body as
//! motcua's submission and stores it with a single INSERT, answering 201 with a small JSON. No
//! token lookup, no engine, no code counter, no hash chain, no receipt. The database is opened
//! and migrated by `motcua_server::db::connect`, so the pool is the server's own.
//!
//! Two rows, chosen with `--row`:
//! - `dossier` (PostgreSQL): the very INSERT a submission sends
//!   (`motcua_server::repository::dossiers::postgres_insert`: the dossier row and its receipt's
//!   audit row, one statement, same table, indexes and constraints), filled with what the
//!   request gives instead of what the engine decides: what storing a dossier costs.
//! - `slim`: a row of its own table shaped like a slim `dossiers` (code, procedure, channel,
//!   body, time; one unique index): what an HTTP round trip and any INSERT cost.
//!
//! `motcua-bench-bare [--bind ADDR] [--database-url URL] [--row dossier|slim]`, defaults
//! `127.0.0.1:8090`, `sqlite://bare.db?mode=rwc` and `slim`. For benchmarking only: it is not
//! a default workspace member.

use actix_web::{App, HttpResponse, HttpServer, post, web};
use chrono::Utc;
use motcua_server::auth::{ApiRole, NewToken, create_token, hash_secret};
use motcua_server::db::entities::{audit_event, dossier, token};
use motcua_server::repository::dossiers::postgres_insert;
use sea_orm::sea_query::{Alias, ColumnDef, Expr, Query, Table};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use serde_json::{Value, json};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Makes each row's unique `code` distinct: process id, start time and a counter.
static NEXT: AtomicU64 = AtomicU64::new(0);

/// What a request stores.
#[derive(Clone, Copy)]
enum Row {
    /// The dossier row and audit row of a submission, by motcua's own statement.
    Dossier {
        /// The client token the rows point to, as a submission's do.
        client: i32,
    },
    /// A slim row of `bare_dossiers`.
    Slim,
}

fn slim_table() -> Alias {
    Alias::new("bare_dossiers")
}

/// Creates the slim table if it is missing.
async fn create_slim_table(db: &DatabaseConnection) -> Result<(), sea_orm::DbErr> {
    let create = Table::create()
        .table(slim_table())
        .if_not_exists()
        .col(ColumnDef::new(Alias::new("id")).integer().not_null().auto_increment().primary_key())
        .col(ColumnDef::new(Alias::new("code")).string_len(64).not_null().unique_key())
        .col(ColumnDef::new(Alias::new("procedure_code")).string_len(64).not_null())
        .col(ColumnDef::new(Alias::new("channel")).string_len(16).not_null())
        .col(ColumnDef::new(Alias::new("submission")).text().not_null())
        .col(ColumnDef::new(Alias::new("created_at")).timestamp_with_time_zone().not_null())
        .to_owned();
    db.execute(&create).await?;
    Ok(())
}

/// A client token for the dossier rows to point to, as motcua's point to their submitter.
async fn client_token(db: &DatabaseConnection) -> Result<i32, String> {
    let new = NewToken {
        name: "bare".to_owned(),
        role: ApiRole::Client,
        agency: None,
        duty: None,
        channels: Vec::new(),
        expires_at: None,
    };
    let secret = create_token(db, new).await?;
    let row = token::Entity::find()
        .filter(token::Column::TokenHash.eq(hash_secret(&secret)))
        .one(db)
        .await
        .map_err(|e| e.to_string())?;
    row.map(|t| t.id).ok_or_else(|| "the token just created is missing".to_owned())
}

/// The dossier row and audit row motcua would store for `body`, with the request's values.
fn dossier_rows(code: &str, body: &Value, text: &str, client: i32) -> (dossier::ActiveModel, audit_event::ActiveModel) {
    let now = Utc::now().fixed_offset();
    let field = |key: &str| body.get(key).and_then(Value::as_str).unwrap_or_default().to_owned();
    let head = hash_secret(code);
    let row = dossier::ActiveModel {
        code: Set(code.to_owned()),
        lookup_key_hash: Set(hash_secret(&format!("lookup {code}"))),
        procedure_code: Set(field("procedure")),
        procedure_version: Set(1),
        agency: Set("G22.26.01".to_owned()),
        channel: Set(field("channel")),
        state: Set("received".to_owned()),
        status_code: Set(2),
        row_version: Set(1),
        submitted_at: Set(now),
        received_at: Set(Some(now)),
        due_at: Set(Some(now)),
        finished_at: Set(None),
        timing: Set(None),
        fee: Set(0),
        processing_minutes: Set(None),
        step_agencies: Set(Some("|G22.26.01|".to_owned())),
        client_id: Set(Some(client)),
        idempotency_key: Set(None),
        request_hash: Set(hash_secret(text)),
        submission: Set(text.to_owned()),
        lifecycle: Set("{}".to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
        audit_head: Set(head.clone()),
        audit_length: Set(1),
        ..Default::default()
    };
    let audit = audit_event::ActiveModel {
        position: Set(1),
        at: Set(now),
        actor: Set("bare".to_owned()),
        action: Set("receive".to_owned()),
        from_state: Set("submitted".to_owned()),
        to_state: Set("received".to_owned()),
        payload: Set("{}".to_owned()),
        hash: Set(head),
        ..Default::default()
    };
    (row, audit)
}

/// One submission: one INSERT … RETURNING id.
#[post("/api/v1/dossiers")]
async fn submit(db: web::Data<DatabaseConnection>, row: web::Data<Row>, body: web::Json<Value>) -> HttpResponse {
    let body = body.into_inner();
    let epoch = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let code = format!("BARE-{}-{epoch}-{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed));
    let text = body.to_string();
    let result = match *row.get_ref() {
        Row::Dossier { client } => {
            let (dossier, audit) = dossier_rows(&code, &body, &text, client);
            db.query_one_raw(postgres_insert(&[(&dossier, &[audit])], &[])).await
        }
        Row::Slim => {
            let field = |key: &str| body.get(key).and_then(Value::as_str).unwrap_or_default().to_owned();
            let insert = Query::insert()
                .into_table(slim_table())
                .columns(["code", "procedure_code", "channel", "submission", "created_at"].map(Alias::new))
                .values_panic([
                    code.clone().into(),
                    field("procedure").into(),
                    field("channel").into(),
                    text.into(),
                    Expr::current_timestamp(),
                ])
                .returning_col(Alias::new("id"))
                .to_owned();
            db.query_one(&insert).await
        }
    };
    match result {
        Ok(Some(row)) => {
            let id: i32 = row.try_get("", "id").unwrap_or_default();
            HttpResponse::Created().json(json!({"id": id, "code": code}))
        }
        Ok(None) => HttpResponse::InternalServerError().json(json!({"error": "no row returned"})),
        Err(error) => HttpResponse::InternalServerError().json(json!({"error": error.to_string()})),
    }
}

/// The value following `flag` on the command line, or `default`.
fn arg(flag: &str, default: &str) -> String {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == flag).and_then(|i| args.get(i + 1)).cloned().unwrap_or_else(|| default.to_owned())
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let bind = arg("--bind", "127.0.0.1:8090");
    let url = arg("--database-url", "sqlite://bare.db?mode=rwc");
    let db = motcua_server::db::connect(&url).await.map_err(std::io::Error::other)?;
    let row = match arg("--row", "slim").as_str() {
        "slim" => {
            create_slim_table(&db).await.map_err(std::io::Error::other)?;
            Row::Slim
        }
        "dossier" if url.starts_with("postgres") => {
            Row::Dossier { client: client_token(&db).await.map_err(std::io::Error::other)? }
        }
        "dossier" => {
            return Err(std::io::Error::other(
                "`--row dossier` sends motcua's PostgreSQL statement: give a postgres:// URL",
            ));
        }
        other => return Err(std::io::Error::other(format!("unknown `--row {other}`: expected dossier or slim"))),
    };
    let (db, row) = (web::Data::new(db), web::Data::new(row));
    eprintln!("motcua-bench-bare: serving on http://{bind} ({url})");
    HttpServer::new(move || App::new().app_data(db.clone()).app_data(row.clone()).service(submit))
        .bind(&bind)?
        .run()
        .await
}
