//! `GET /api/v1/stats`: what supervising bodies publish.

use crate::auth::Principal;
use crate::error::ApiError;
use crate::state::AppState;
use crate::statistics::Scope;
use actix_web::{HttpResponse, get};
use chrono::NaiveDate;
use serde::Deserialize;

/// The period (days in UTC+7, both included) and an optional agency.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct StatsQuery {
    /// First day of the period (YYYY-MM-DD).
    from: NaiveDate,
    /// Last day of the period, not before `from`.
    to: NaiveDate,
    /// Only this agency and its units.
    #[param(schema_with = crate::openapi::schemas::agency_code)]
    agency: Option<String>,
}

/// Dossiers received by channel; resolved early, on time, late and the late rate; still in
/// progress at the end of the period within or past their due time (paused ones apart);
/// average working days spent against the statutory time, per procedure; the catalogue by
/// online service level. Admins see all agencies; departments and officers their own.
#[utoipa::path(get, path = "/api/v1/stats", tag = "statistics", params(StatsQuery), responses((status = 200, description = "received, resolved early/on time/late, in progress, average time, online levels", body = crate::statistics::Report), (status = 400, description = "bad period", body = crate::error::Problem, content_type = "application/problem+json"), (status = 401, description = "missing, unknown, expired or revoked token", body = crate::error::Problem, content_type = "application/problem+json"), (status = 403, description = "the token's role or agency does not allow this", body = crate::error::Problem, content_type = "application/problem+json")), security(("bearer" = [])))]
#[get("/stats")]
pub async fn statistics(
    principal: Principal,
    state: actix_web::web::Data<AppState>,
    query: crate::extract::Query<StatsQuery>,
) -> Result<HttpResponse, ApiError> {
    let scope = Scope::new(&principal, query.from, query.to, query.agency.as_deref())?;
    Ok(HttpResponse::Ok().json(state.statistics().report(&scope).await?))
}
