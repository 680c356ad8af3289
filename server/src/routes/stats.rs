//! `GET /api/v1/stats`: what supervising bodies publish.

use crate::auth::{ApiRole, Principal};
use crate::error::{ApiError, ErrorCode};
use crate::repository::stats;
use crate::state::AppState;
use actix_web::{HttpResponse, get};
use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone};
use motcua_engine::Procedure;
use motcua_engine::calendar::{ProcessingTime, VIETNAM_OFFSET};
use motcua_engine::codes::AgencyCode;
use motcua_engine::definition::OnlineLevel;
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;

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

fn midnight(day: NaiveDate) -> Result<DateTime<FixedOffset>, ApiError> {
    VIETNAM_OFFSET
        .from_local_datetime(&day.and_time(chrono::NaiveTime::MIN))
        .single()
        .ok_or_else(|| ApiError::new(ErrorCode::InvalidQuery, format!("`{day}` has no midnight")))
}

/// A share as the reports write it: one decimal, Vietnamese decimal comma (`25,2 %`).
pub fn percent(part: i64, whole: i64) -> Value {
    if whole == 0 {
        return json!({"value": null, "text": "—"});
    }
    #[allow(clippy::cast_precision_loss)] // counts far below 2^52
    let value = (part as f64) * 100.0 / (whole as f64);
    json!({"value": (value * 10.0).round() / 10.0, "text": format!("{value:.1} %").replace('.', ",")})
}

fn working_days(time: &ProcessingTime, day_minutes: i64) -> Option<f64> {
    #[allow(clippy::cast_precision_loss)]
    match time {
        ProcessingTime::WorkingDays(d) => Some(f64::from(*d)),
        ProcessingTime::WorkingHours(h) => Some(f64::from(h.minutes()) / day_minutes as f64),
        ProcessingTime::SameDay { .. } => Some(1.0),
        ProcessingTime::CalendarDays(_) => None,
    }
}

/// Procedures in force by online level (Decree 42/2022) and legacy level (Decree 43/2011),
/// shares over the whole catalogue as the seed report counts them.
fn catalogue_levels(procedures: &[std::sync::Arc<Procedure>]) -> Value {
    let total = i64::try_from(procedures.len()).unwrap_or(i64::MAX);
    let count = |f: &dyn Fn(&Procedure) -> bool| procedures.iter().filter(|p| f(p)).count() as i64;
    let level = |l: OnlineLevel| count(&|p: &Procedure| p.online_level == l);
    let legacy = |n: u8| count(&|p: &Procedure| p.legacy_level() == n);
    let entry = |n: i64| json!({"count": n, "share": percent(n, total)});
    json!({
        "procedures": total,
        "by_online_level": {"full": entry(level(OnlineLevel::Full)), "partial": entry(level(OnlineLevel::Partial)), "info": entry(level(OnlineLevel::Info))},
        "by_legacy_level": {"1": entry(legacy(1)), "2": entry(legacy(2)), "3": entry(legacy(3)), "4": entry(legacy(4))},
        "legacy_level_2_or_more": count(&|p: &Procedure| p.legacy_level() >= 2),
    })
}

/// Dossiers received by channel; resolved early, on time, late and the late rate; still in
/// progress at the end of the period within or past their due time (paused ones apart);
/// average working days spent against the statutory time, per procedure; the catalogue by
/// online service level. Admins see all agencies; departments and officers their own.
#[utoipa::path(get, path = "/api/v1/stats", tag = "statistics", params(StatsQuery), responses((status = 200, description = "received, resolved early/on time/late, in progress, average time, online levels", body = Object), (status = 400, description = "bad period", body = crate::error::Problem, content_type = "application/problem+json"), (status = 401, description = "missing, unknown, expired or revoked token", body = crate::error::Problem, content_type = "application/problem+json"), (status = 403, description = "the token's role or agency does not allow this", body = crate::error::Problem, content_type = "application/problem+json")), security(("bearer" = [])))]
#[get("/stats")]
pub async fn statistics(
    principal: Principal,
    state: actix_web::web::Data<AppState>,
    query: crate::extract::Query<StatsQuery>,
) -> Result<HttpResponse, ApiError> {
    principal.require(&[ApiRole::Admin, ApiRole::Department, ApiRole::Officer])?;
    let agency = match (&query.agency, principal.role) {
        (Some(a), _) => {
            let asked: AgencyCode = a.parse().map_err(|e: motcua_engine::codes::InvalidCode| {
                ApiError::new(ErrorCode::InvalidQuery, e.to_string())
            })?;
            if !principal.governs(&asked) {
                return Err(ApiError::new(ErrorCode::Forbidden, format!("`{asked}` is not your agency")));
            }
            Some(asked.to_string())
        }
        (None, ApiRole::Admin) => None,
        (None, _) => principal.agency.as_ref().map(ToString::to_string),
    };
    if query.to < query.from {
        return Err(ApiError::new(ErrorCode::InvalidQuery, "`to` is before `from`"));
    }
    let (start, end) = (midnight(query.from)?, midnight(query.to.succ_opt().unwrap_or(query.to))?);
    let agency = agency.as_deref();

    let mut received = BTreeMap::from([("online", 0), ("counter", 0), ("postal", 0)]);
    for (channel, n) in stats::received_by_channel(&state.db, start, end, agency).await? {
        if let Some(slot) = received.iter_mut().find(|(k, _)| **k == channel) {
            *slot.1 += n;
        }
    }
    let mut resolved = BTreeMap::from([("early", 0), ("on_time", 0), ("late", 0)]);
    for (timing, n) in stats::resolved_by_timing(&state.db, start, end, agency).await? {
        if let Some(slot) = resolved.iter_mut().find(|(k, _)| Some(**k) == timing.as_deref()) {
            *slot.1 += n;
        }
    }
    let resolved_total: i64 = resolved.values().sum();
    let (mut within, mut past, mut paused) = (0, 0, 0);
    for (state, past_due, n) in stats::open_at(&state.db, end, agency).await? {
        match (state.as_str(), past_due) {
            ("paused", _) => paused += n,
            (_, true) => past += n,
            (_, false) => within += n,
        }
    }
    let day_minutes = state.catalogue.calendar().working_day_minutes();
    let mut by_procedure = Vec::new();
    let (mut all_minutes, mut all_count) = (0i64, 0i64);
    for (code, n, minutes) in stats::minutes_by_procedure(&state.db, start, end, agency).await? {
        let minutes = minutes.unwrap_or(0);
        all_minutes += minutes;
        all_count += n;
        let procedure = state.catalogue.get(&code, None, query.to);
        #[allow(clippy::cast_precision_loss)]
        let average = minutes as f64 / n.max(1) as f64 / day_minutes as f64;
        by_procedure.push(json!({
            "procedure": code,
            "resolved": n,
            "average_working_days": (average * 100.0).round() / 100.0,
            "committed_working_days": procedure.as_ref().and_then(|p| working_days(&p.processing_time, day_minutes)),
            "statutory_working_days": procedure.as_ref().and_then(|p| p.statutory_time.as_ref().or(Some(&p.processing_time)).and_then(|t| working_days(t, day_minutes))),
        }));
    }
    #[allow(clippy::cast_precision_loss)]
    let average =
        (all_count > 0).then(|| ((all_minutes as f64 / all_count as f64 / day_minutes as f64) * 100.0).round() / 100.0);
    let in_force = state.catalogue.in_force(query.to);
    Ok(HttpResponse::Ok().json(json!({
        "period": {"from": query.from, "to": query.to},
        "agency": agency,
        "received": {"total": received.values().sum::<i64>(), "by_channel": received},
        "resolved": {"total": resolved_total, "early": resolved["early"], "on_time": resolved["on_time"], "late": resolved["late"], "late_rate": percent(resolved["late"], resolved_total)},
        "in_progress": {"within_due": within, "past_due": past, "paused": paused},
        "processing_time": {"average_working_days": average, "by_procedure": by_procedure},
        "catalogue": catalogue_levels(&in_force),
    })))
}
