//! `GET /health`.

use crate::error::ApiError;
use actix_web::{HttpResponse, get, web};
use sea_orm::{ConnectionTrait, DatabaseConnection};

/// Liveness and database reachability. 200 `{"status":"ok"}`; 503 problem+json
/// `database_error` when the database does not answer.
#[utoipa::path(get, path = "/health", tag = "service", responses((status = 200, description = "the server and its database answer", body = Object), (status = 503, description = "the database does not answer", body = crate::error::Problem, content_type = "application/problem+json")))]
#[get("/health")]
pub async fn health(db: web::Data<DatabaseConnection>) -> Result<HttpResponse, ApiError> {
    db.execute_unprepared("SELECT 1").await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({"status": "ok", "database": "ok"})))
}
