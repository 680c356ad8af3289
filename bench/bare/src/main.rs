//! The baseline of `bench/submit.sh`: `POST /api/v1/dossiers` parses the same JSON body as
//! motcua's submission and stores it with a single INSERT (no token lookup, no engine, no
//! sequence, no audit row), answering 201 with a small JSON. It opens the database like
//! `motcua_server::db::connect` (SQLite in WAL with synchronous=FULL, or PostgreSQL; same
//! default pool) and creates its own table `bare_dossiers` shaped like a slim `dossiers`.
//!
//! `motcua-bench-bare [--bind ADDR] [--database-url URL]`, defaults `127.0.0.1:8090` and
//! `sqlite://bare.db?mode=rwc`. For benchmarking only: it is not a default workspace member.

use actix_web::{App, HttpResponse, HttpServer, post, web};
use sea_orm::sea_query::{Alias, ColumnDef, Expr, Query, Table};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection};
use serde_json::{Value, json};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Makes each row's unique `code` distinct: process start (ns) and a counter.
static NEXT: AtomicU64 = AtomicU64::new(0);

fn table() -> Alias {
    Alias::new("bare_dossiers")
}

/// Connects as the real server does and creates the table if it is missing.
async fn connect(url: &str) -> Result<DatabaseConnection, sea_orm::DbErr> {
    let mut options = ConnectOptions::new(url.to_owned());
    options.sqlx_logging(false).connect_timeout(Duration::from_secs(10));
    if url.starts_with("sqlite:") {
        options.map_sqlx_sqlite_opts(|o| {
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
        });
    }
    let db = Database::connect(options).await?;
    let create = Table::create()
        .table(table())
        .if_not_exists()
        .col(ColumnDef::new(Alias::new("id")).integer().not_null().auto_increment().primary_key())
        .col(ColumnDef::new(Alias::new("code")).string_len(64).not_null().unique_key())
        .col(ColumnDef::new(Alias::new("procedure_code")).string_len(64).not_null())
        .col(ColumnDef::new(Alias::new("channel")).string_len(16).not_null())
        .col(ColumnDef::new(Alias::new("submission")).text().not_null())
        .col(ColumnDef::new(Alias::new("created_at")).timestamp_with_time_zone().not_null())
        .to_owned();
    db.execute(&create).await?;
    Ok(db)
}

/// One submission: one INSERT … RETURNING id.
#[post("/api/v1/dossiers")]
async fn submit(db: web::Data<DatabaseConnection>, body: web::Json<Value>) -> HttpResponse {
    let body = body.into_inner();
    let text = |key: &str| body.get(key).and_then(Value::as_str).unwrap_or_default().to_owned();
    let epoch = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let code = format!("BARE-{}-{epoch}-{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed));
    let insert = Query::insert()
        .into_table(table())
        .columns(["code", "procedure_code", "channel", "submission", "created_at"].map(Alias::new))
        .values_panic([
            code.clone().into(),
            text("procedure").into(),
            text("channel").into(),
            body.to_string().into(),
            Expr::current_timestamp(),
        ])
        .returning_col(Alias::new("id"))
        .to_owned();
    match db.query_one(&insert).await {
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
    let db = connect(&url).await.map_err(std::io::Error::other)?;
    let db = web::Data::new(db);
    eprintln!("motcua-bench-bare: serving on http://{bind} ({url})");
    HttpServer::new(move || App::new().app_data(db.clone()).service(submit)).bind(&bind)?.run().await
}
