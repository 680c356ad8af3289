//! What every request may use, shared by all workers: one `web::Data<AppState>` for the
//! application instead of one per service, so a handler names one parameter and a new service
//! is one field.

use crate::auth::TokenCache;
use crate::background::Background;
use crate::catalogue::Catalogue;
use crate::clock::Clock;
use crate::error::{ApiError, ErrorCode};
use crate::evaluation::Evaluator;
use crate::rate_limit::RateLimiter;
use crate::repository::write_queue::DossierWriter;
use crate::telemetry::Metrics;
use actix_web::{HttpRequest, web};
use sea_orm::DatabaseConnection;
use std::sync::Arc;

/// The application's services.
pub struct AppState {
    /// The database.
    pub db: DatabaseConnection,
    /// The compiled definitions in force, reloaded from the database as it changes.
    pub catalogue: Arc<Catalogue>,
    /// The batching writer of new dossiers.
    pub writer: DossierWriter,
    /// The time, real or set by tests.
    pub clock: Arc<dyn Clock>,
    /// The lane where rules run, off the request threads.
    pub evaluator: Evaluator,
    /// Tokens recently seen, so that most requests do not read the token table.
    pub tokens: TokenCache,
    /// The limit on anonymous lookups per address.
    pub lookups: RateLimiter,
    /// The limit on sign-in attempts per address, against password guessing.
    pub sign_ins: RateLimiter,
    /// The limit on checks and filings through the portal's public form, per address.
    pub filings: RateLimiter,
    /// Whether the portal's cookies are marked `Secure`.
    pub secure_cookies: bool,
    /// Where document files are kept.
    pub files: crate::files::FileStore,
    /// Request counters and latencies.
    pub metrics: Metrics,
    /// Who files what citizens send through the portal, once looked up.
    pub portal: tokio::sync::OnceCell<crate::auth::Principal>,
    /// The background task's state (leadership, last deadline scan).
    pub background: Arc<Background>,
}

/// The state, for extractors and middleware that only have the request (a shared handle,
/// cheap to clone into their futures).
pub fn of(req: &HttpRequest) -> Result<web::Data<AppState>, ApiError> {
    req.app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| ApiError::new(ErrorCode::Internal, "the application state is not configured"))
}
