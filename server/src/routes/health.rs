//! `GET /health`.

use crate::error::ApiError;
use crate::state::AppState;
use actix_web::{HttpResponse, get};
use motcua_engine::calendar::VIETNAM_OFFSET;
use sea_orm::ConnectionTrait;

/// Liveness and database reachability, and this instance's part in the background work:
/// 200 `{"status":"ok","database":"ok","background":{"instance":"host-4242-1a2b","leader":true,
/// "last_scan":"2026-03-02T08:00:00+07:00"}}` (`leader` false on a standby; one instance
/// of a database leads). 503 problem+json `database_error` when the database does not answer.
#[utoipa::path(get, path = "/health", tag = "service", responses((status = 200, description = "the server and its database answer; which instance leads the background work", body = Health), (status = 503, description = "the database does not answer", body = crate::error::Problem, content_type = "application/problem+json")))]
#[get("/health")]
pub async fn health(state: actix_web::web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    state.db.execute_unprepared("SELECT 1").await?;
    Ok(HttpResponse::Ok().json(Health {
        status: "ok",
        database: "ok",
        background: BackgroundHealth {
            instance: state.background.instance().to_owned(),
            leader: state.background.is_leader(),
            last_scan: state.background.last_scan().map(|t| t.with_timezone(&VIETNAM_OFFSET)),
        },
    }))
}

/// The server and its database answer.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Health {
    /// `ok`.
    status: &'static str,
    /// `ok`: the database answered.
    database: &'static str,
    /// This instance's part in the background work.
    background: BackgroundHealth,
}

/// Which instance leads the background work, and its last deadline scan.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct BackgroundHealth {
    /// This instance's id.
    instance: String,
    /// Whether it leads (one instance of a database does).
    leader: bool,
    /// When it last scanned deadlines, if it leads.
    last_scan: Option<chrono::DateTime<chrono::FixedOffset>>,
}
