//! `GET /health`.

use crate::error::ApiError;
use actix_web::{HttpResponse, get, web};
use sea_orm::{ConnectionTrait, DatabaseConnection};

/// Liveness and database reachability. 200 `{"status":"ok"}`; 503 problem+json
/// `database_error` when the database does not answer.
#[get("/health")]
pub async fn health(db: web::Data<DatabaseConnection>) -> Result<HttpResponse, ApiError> {
    db.execute_unprepared("SELECT 1").await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({"status": "ok", "database": "ok"})))
}
