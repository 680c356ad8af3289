//! `GET /api/v1/alerts`: the deadline warnings the background scan raised.

use crate::auth::{ApiRole, Principal};
use crate::dossiers::list::PageRequest;
use crate::error::{ApiError, ErrorCode};
use crate::repository::alerts::{self, AlertFilter, AlertKind};
use crate::state::AppState;
use actix_web::{HttpResponse, get};
use chrono::{DateTime, FixedOffset};
use motcua_engine::codes::AgencyCode;
use serde::Deserialize;

/// Filters and page of the alert list.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AlertQuery {
    /// Only alerts of this kind.
    #[param(schema_with = crate::openapi::schemas::alert_kind)]
    kind: Option<String>,
    /// Only dossiers of this agency or its units.
    #[param(schema_with = crate::openapi::schemas::agency_code)]
    agency: Option<String>,
    /// Only dossiers still running.
    #[serde(default)]
    open: bool,
    /// The page, from 0.
    #[serde(default)]
    #[param(minimum = 0, maximum = 1_000_000)]
    page: u64,
    /// Alerts a page, 1 to 200 (50 by default).
    #[param(minimum = 1, maximum = 200)]
    per_page: Option<u64>,
}

/// Deadline warnings, newest first, each raised once per dossier and kind by the background
/// scan: `overdue` (past the due time, not finished) and `near_deadline` (due within one
/// working day: the last day to issue an apology, Mẫu 04). Admins see all; departments and
/// officers those of their agency's dossiers and of dossiers with a step of theirs. Filters:
/// `kind`, `agency`, `open=true` (only dossiers still running), `page` (from 0), `per_page`
/// (at most 200). 403 `forbidden` for clients; 400 `invalid_query` for an unknown kind.
#[utoipa::path(get, path = "/api/v1/alerts", operation_id = "list_alerts", tag = "dossiers", params(AlertQuery), responses((status = 200, description = "a page of alerts with their dossiers, newest first", body = AlertPage), (status = 400, description = "bad filter", body = crate::error::Problem, content_type = "application/problem+json"), (status = 401, description = "missing, unknown, expired or revoked token", body = crate::error::Problem, content_type = "application/problem+json"), (status = 403, description = "the token's role or agency does not allow this", body = crate::error::Problem, content_type = "application/problem+json")), security(("bearer" = [])))]
#[get("/alerts")]
pub async fn list(
    principal: Principal,
    state: actix_web::web::Data<AppState>,
    query: crate::extract::Query<AlertQuery>,
) -> Result<HttpResponse, ApiError> {
    principal.require(&[ApiRole::Admin, ApiRole::Department, ApiRole::Officer])?;
    let request = PageRequest::new(query.page, query.per_page)?;
    let kind = query
        .kind
        .as_deref()
        .map(str::parse::<AlertKind>)
        .transpose()
        .map_err(|e| ApiError::new(ErrorCode::InvalidQuery, e))?;
    let agency = query
        .agency
        .as_deref()
        .map(|agency| {
            agency
                .parse::<AgencyCode>()
                .map_err(|_| ApiError::new(ErrorCode::InvalidQuery, format!("`{agency}` is not a valid `agency`")))
        })
        .transpose()?;
    let mut filter = AlertFilter { kind, agency, involving: None, open: query.open };
    if principal.role != ApiRole::Admin {
        let own =
            principal.agency.as_ref().ok_or_else(|| ApiError::new(ErrorCode::Forbidden, "this token has no agency"))?;
        filter.involving = Some(own.clone());
    }
    let (rows, total) = alerts::list(&state.db, &filter, request.page, request.per_page).await?;
    let items: Vec<Alert> = rows
        .into_iter()
        .map(|(alert, dossier)| Alert {
            kind: alert.kind.as_str(),
            raised_at: alert.at,
            due: alert.due,
            instance: alert.instance,
            dossier: AlertDossier {
                status_code: i16::from(dossier.lifecycle.status_code()),
                state: dossier.lifecycle.state.name(),
                due: dossier.due_at,
                procedure: dossier.procedure.to_string(),
                agency: dossier.agency.to_string(),
                code: dossier.code,
            },
        })
        .collect();
    Ok(HttpResponse::Ok().json(AlertPage { total, page: request.page, per_page: request.per_page, items }))
}

/// A page of alerts, newest first.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct AlertPage {
    /// Alerts matching, in all pages.
    total: u64,
    /// This page, from 0.
    page: u64,
    /// Alerts a page.
    per_page: u64,
    /// The alerts.
    items: Vec<Alert>,
}

/// A deadline warning about one dossier.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Alert {
    /// What it warns about.
    #[schema(schema_with = crate::openapi::schemas::alert_kind)]
    kind: &'static str,
    /// When the scan raised it.
    raised_at: DateTime<FixedOffset>,
    /// The due time it is about (for `unreceived`, the close of the day of arrival).
    due: DateTime<FixedOffset>,
    /// The instance whose scan raised it.
    instance: String,
    /// The dossier.
    dossier: AlertDossier,
}

/// The dossier an alert is about.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct AlertDossier {
    /// Its code.
    code: String,
    /// Its procedure code.
    procedure: String,
    /// Its agency.
    agency: String,
    /// Its state now.
    #[schema(schema_with = crate::openapi::schemas::state_name)]
    state: &'static str,
    /// Its national status code now.
    status_code: i16,
    /// Its due time now.
    due: Option<DateTime<FixedOffset>>,
}
