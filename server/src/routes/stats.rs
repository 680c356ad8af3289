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
use serde::{Deserialize, Serialize};
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

/// The statistics of a period, as supervising bodies publish them.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Statistics {
    /// The period asked for.
    period: StatsPeriod,
    /// The agency counted with its units; none for all agencies.
    agency: Option<String>,
    /// Dossiers received in the period.
    received: Received,
    /// Dossiers resolved in the period.
    resolved: Resolved,
    /// Dossiers still in progress at the end of the period.
    in_progress: InProgress,
    /// Working days spent on the dossiers resolved in the period.
    processing_time: ProcessingTimes,
    /// The procedures in force on the last day of the period.
    catalogue: CatalogueLevels,
}

/// Days in UTC+7, both included.
#[derive(Serialize, utoipa::ToSchema)]
pub struct StatsPeriod {
    /// First day.
    from: NaiveDate,
    /// Last day.
    to: NaiveDate,
}

/// Dossiers received, in all and by channel.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Received {
    /// All channels together.
    total: i64,
    /// Per channel.
    by_channel: ByChannel,
}

/// A count per reception channel.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ByChannel {
    /// Through the public-service portal.
    online: i64,
    /// At the one-stop desk.
    counter: i64,
    /// By public postal service.
    postal: i64,
}

/// Dossiers resolved, against their due time.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Resolved {
    /// All of them.
    total: i64,
    /// On a day before the due day.
    early: i64,
    /// On the due day, by the due time.
    on_time: i64,
    /// After the due time.
    late: i64,
    /// The share resolved late.
    late_rate: Share,
}

/// Dossiers open at the end of the period.
#[derive(Serialize, utoipa::ToSchema)]
pub struct InProgress {
    /// Not yet due.
    within_due: i64,
    /// Past their due time.
    past_due: i64,
    /// Paused, their clock stopped, whether due or not.
    paused: i64,
}

/// Average working days spent, in all and per procedure.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ProcessingTimes {
    /// Over every dossier resolved, to two decimals; none when none was.
    average_working_days: Option<f64>,
    /// Per procedure.
    by_procedure: Vec<ProcedureTime>,
}

/// The working days one procedure's dossiers took, against the times it sets.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ProcedureTime {
    /// The procedure code.
    procedure: String,
    /// Dossiers resolved.
    resolved: i64,
    /// Average working days they took, to two decimals.
    average_working_days: f64,
    /// The processing time the agency commits to, in working days; none when counted in
    /// calendar days or the procedure is not in the catalogue.
    committed_working_days: Option<f64>,
    /// The time the law sets (the committed one when it names none), in working days; none as
    /// above.
    statutory_working_days: Option<f64>,
}

/// Procedures in force by online level (Decree 42/2022) and legacy level (Decree 43/2011).
#[derive(Serialize, utoipa::ToSchema)]
pub struct CatalogueLevels {
    /// Procedures in force.
    procedures: i64,
    /// Per online service level.
    by_online_level: OnlineLevels,
    /// Per legacy level, 1 to 4.
    by_legacy_level: LegacyLevels,
    /// Procedures at legacy level 2 or more.
    legacy_level_2_or_more: i64,
}

/// A count per online service level.
#[derive(Serialize, utoipa::ToSchema)]
pub struct OnlineLevels {
    /// Everything online, the result online or by public post.
    full: LevelCount,
    /// Anything less than full.
    partial: LevelCount,
    /// Information only.
    info: LevelCount,
}

/// A count per legacy level.
#[derive(Serialize, utoipa::ToSchema)]
pub struct LegacyLevels {
    /// Level 1.
    #[serde(rename = "1")]
    level_1: LevelCount,
    /// Level 2.
    #[serde(rename = "2")]
    level_2: LevelCount,
    /// Level 3.
    #[serde(rename = "3")]
    level_3: LevelCount,
    /// Level 4.
    #[serde(rename = "4")]
    level_4: LevelCount,
}

/// Procedures at one level, and their share of the catalogue.
#[derive(Serialize, utoipa::ToSchema)]
pub struct LevelCount {
    /// How many.
    count: i64,
    /// Their share of all procedures in force.
    share: Share,
}

/// A share of a whole.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Share {
    /// Percent, to one decimal; none when the whole is zero.
    value: Option<f64>,
    /// As the reports write it (`25,2 %`), `—` when the whole is zero.
    text: String,
}

/// A share as the reports write it: one decimal, Vietnamese decimal comma (`25,2 %`).
pub fn percent(part: i64, whole: i64) -> Share {
    if whole == 0 {
        return Share { value: None, text: "—".to_owned() };
    }
    #[allow(clippy::cast_precision_loss)] // counts far below 2^52
    let value = (part as f64) * 100.0 / (whole as f64);
    Share { value: Some((value * 10.0).round() / 10.0), text: format!("{value:.1} %").replace('.', ",") }
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
fn catalogue_levels(procedures: &[std::sync::Arc<Procedure>]) -> CatalogueLevels {
    let total = i64::try_from(procedures.len()).unwrap_or(i64::MAX);
    let count = |f: &dyn Fn(&Procedure) -> bool| procedures.iter().filter(|p| f(p)).count() as i64;
    let level = |l: OnlineLevel| count(&|p: &Procedure| p.online_level == l);
    let legacy = |n: u8| count(&|p: &Procedure| p.legacy_level() == n);
    let entry = |n: i64| LevelCount { count: n, share: percent(n, total) };
    CatalogueLevels {
        procedures: total,
        by_online_level: OnlineLevels {
            full: entry(level(OnlineLevel::Full)),
            partial: entry(level(OnlineLevel::Partial)),
            info: entry(level(OnlineLevel::Info)),
        },
        by_legacy_level: LegacyLevels {
            level_1: entry(legacy(1)),
            level_2: entry(legacy(2)),
            level_3: entry(legacy(3)),
            level_4: entry(legacy(4)),
        },
        legacy_level_2_or_more: count(&|p: &Procedure| p.legacy_level() >= 2),
    }
}

/// Dossiers received by channel; resolved early, on time, late and the late rate; still in
/// progress at the end of the period within or past their due time (paused ones apart);
/// average working days spent against the statutory time, per procedure; the catalogue by
/// online service level. Admins see all agencies; departments and officers their own.
#[utoipa::path(get, path = "/api/v1/stats", tag = "statistics", params(StatsQuery), responses((status = 200, description = "received, resolved early/on time/late, in progress, average time, online levels", body = Statistics), (status = 400, description = "bad period", body = crate::error::Problem, content_type = "application/problem+json"), (status = 401, description = "missing, unknown, expired or revoked token", body = crate::error::Problem, content_type = "application/problem+json"), (status = 403, description = "the token's role or agency does not allow this", body = crate::error::Problem, content_type = "application/problem+json")), security(("bearer" = [])))]
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
        by_procedure.push(ProcedureTime {
            procedure: code,
            resolved: n,
            average_working_days: (average * 100.0).round() / 100.0,
            committed_working_days: procedure.as_ref().and_then(|p| working_days(&p.processing_time, day_minutes)),
            statutory_working_days: procedure.as_ref().and_then(|p| {
                p.statutory_time.as_ref().or(Some(&p.processing_time)).and_then(|t| working_days(t, day_minutes))
            }),
        });
    }
    #[allow(clippy::cast_precision_loss)]
    let average =
        (all_count > 0).then(|| ((all_minutes as f64 / all_count as f64 / day_minutes as f64) * 100.0).round() / 100.0);
    let in_force = state.catalogue.in_force(query.to);
    Ok(HttpResponse::Ok().json(Statistics {
        period: StatsPeriod { from: query.from, to: query.to },
        agency: agency.map(str::to_owned),
        received: Received {
            total: received.values().sum(),
            by_channel: ByChannel {
                online: received["online"],
                counter: received["counter"],
                postal: received["postal"],
            },
        },
        resolved: Resolved {
            total: resolved_total,
            early: resolved["early"],
            on_time: resolved["on_time"],
            late: resolved["late"],
            late_rate: percent(resolved["late"], resolved_total),
        },
        in_progress: InProgress { within_due: within, past_due: past, paused },
        processing_time: ProcessingTimes { average_working_days: average, by_procedure },
        catalogue: catalogue_levels(&in_force),
    }))
}
