//! The statistics application service: what supervising bodies publish for a period and an
//! agency — received by channel, resolved early / on time / late, in progress within or past
//! the due time, working days spent, the catalogue by online level — and, for the dashboard,
//! the late rate by agency and by procedure and the monthly trend. Counted in the database
//! (GROUP BY), never by loading dossiers. The API and the portal's dashboard render it.

mod breakdown;
mod trend;

pub use breakdown::{Breakdown, LateRate};
pub use trend::Month;

use crate::auth::{ApiRole, Principal};
use crate::error::{ApiError, ErrorCode};
use crate::repository::stats;
use crate::state::AppState;
use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone};
use motcua_engine::Procedure;
use motcua_engine::calendar::{ProcessingTime, VIETNAM_OFFSET};
use motcua_engine::codes::AgencyCode;
use motcua_engine::definition::OnlineLevel;
use serde::Serialize;
use std::collections::BTreeMap;

/// The service, over the application's state.
#[derive(Clone, Copy)]
pub struct Statistics<'a> {
    state: &'a AppState,
}

impl AppState {
    /// The statistics service.
    pub fn statistics(&self) -> Statistics<'_> {
        Statistics { state: self }
    }
}

/// The days counted (UTC+7, both included) and the agency (with its units), once the caller
/// is known to be allowed to see it.
#[derive(Debug, Clone)]
pub struct Scope {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// The agency; none for all (administrators only).
    pub agency: Option<String>,
}

impl Scope {
    /// The period and agency `principal` asked for: `invalid_query` when `to` is before `from`
    /// or the agency is no code; `forbidden` for an agency not theirs. Without an agency, an
    /// administrator sees all and anyone else their own.
    pub fn new(principal: &Principal, from: NaiveDate, to: NaiveDate, agency: Option<&str>) -> Result<Self, ApiError> {
        principal.require(&[ApiRole::Admin, ApiRole::Department, ApiRole::Officer])?;
        let agency = match (agency, principal.role) {
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
        if to < from {
            return Err(ApiError::new(ErrorCode::InvalidQuery, "`to` is before `from`"));
        }
        Ok(Scope { from, to, agency })
    }

    /// The period as instants: [midnight of `from`, midnight after `to`).
    fn instants(&self) -> Result<(DateTime<FixedOffset>, DateTime<FixedOffset>), ApiError> {
        Ok((midnight(self.from)?, midnight(self.to.succ_opt().unwrap_or(self.to))?))
    }
}

fn midnight(day: NaiveDate) -> Result<DateTime<FixedOffset>, ApiError> {
    VIETNAM_OFFSET
        .from_local_datetime(&day.and_time(chrono::NaiveTime::MIN))
        .single()
        .ok_or_else(|| ApiError::new(ErrorCode::InvalidQuery, format!("`{day}` has no midnight")))
}

/// The statistics of a period, as supervising bodies publish them.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = Statistics)]
pub struct Report {
    /// The period asked for.
    pub period: StatsPeriod,
    /// The agency counted with its units; none for all agencies.
    pub agency: Option<String>,
    /// Dossiers received in the period.
    pub received: Received,
    /// Dossiers resolved in the period.
    pub resolved: Resolved,
    /// Dossiers still in progress at the end of the period.
    pub in_progress: InProgress,
    /// Working days spent on the dossiers resolved in the period.
    pub processing_time: ProcessingTimes,
    /// The procedures in force on the last day of the period.
    pub catalogue: CatalogueLevels,
}

/// Days in UTC+7, both included.
#[derive(Serialize, utoipa::ToSchema)]
pub struct StatsPeriod {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
}

/// Dossiers received, in all and by channel.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Received {
    /// All channels together.
    pub total: i64,
    /// Per channel.
    pub by_channel: ByChannel,
}

/// A count per reception channel.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ByChannel {
    /// Through the public-service portal.
    pub online: i64,
    /// At the one-stop desk.
    pub counter: i64,
    /// By public postal service.
    pub postal: i64,
}

/// Dossiers resolved, against their due time.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Resolved {
    /// All of them.
    pub total: i64,
    /// On a day before the due day.
    pub early: i64,
    /// On the due day, by the due time.
    pub on_time: i64,
    /// After the due time.
    pub late: i64,
    /// The share resolved late.
    pub late_rate: Share,
}

/// Dossiers open at the end of the period.
#[derive(Serialize, utoipa::ToSchema)]
pub struct InProgress {
    /// Not yet due.
    pub within_due: i64,
    /// Past their due time.
    pub past_due: i64,
    /// Paused, their clock stopped, whether due or not.
    pub paused: i64,
}

/// Average working days spent, in all and per procedure.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ProcessingTimes {
    /// Over every dossier resolved, to two decimals; none when none was.
    pub average_working_days: Option<f64>,
    /// Per procedure.
    pub by_procedure: Vec<ProcedureTime>,
}

/// The working days one procedure's dossiers took, against the times it sets.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ProcedureTime {
    /// The procedure code.
    pub procedure: String,
    /// Dossiers resolved.
    pub resolved: i64,
    /// Average working days they took, to two decimals.
    pub average_working_days: f64,
    /// The processing time the agency commits to, in working days; none when counted in
    /// calendar days or the procedure is not in the catalogue.
    pub committed_working_days: Option<f64>,
    /// The time the law sets (the committed one when it names none), in working days; none as
    /// above.
    pub statutory_working_days: Option<f64>,
}

/// Procedures in force by online level (Decree 42/2022) and legacy level (Decree 43/2011).
#[derive(Serialize, utoipa::ToSchema)]
pub struct CatalogueLevels {
    /// Procedures in force.
    pub procedures: i64,
    /// Per online service level.
    pub by_online_level: OnlineLevels,
    /// Per legacy level, 1 to 4.
    pub by_legacy_level: LegacyLevels,
    /// Procedures at legacy level 2 or more.
    pub legacy_level_2_or_more: i64,
}

/// A count per online service level.
#[derive(Serialize, utoipa::ToSchema)]
pub struct OnlineLevels {
    /// Everything online, the result online or by public post.
    pub full: LevelCount,
    /// Anything less than full.
    pub partial: LevelCount,
    /// Information only.
    pub info: LevelCount,
}

/// A count per legacy level.
#[derive(Serialize, utoipa::ToSchema)]
pub struct LegacyLevels {
    /// Level 1.
    #[serde(rename = "1")]
    pub level_1: LevelCount,
    /// Level 2.
    #[serde(rename = "2")]
    pub level_2: LevelCount,
    /// Level 3.
    #[serde(rename = "3")]
    pub level_3: LevelCount,
    /// Level 4.
    #[serde(rename = "4")]
    pub level_4: LevelCount,
}

/// Procedures at one level, and their share of the catalogue.
#[derive(Serialize, utoipa::ToSchema)]
pub struct LevelCount {
    /// How many.
    pub count: i64,
    /// Their share of all procedures in force.
    pub share: Share,
}

/// A share of a whole.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Share {
    /// Percent, to one decimal; none when the whole is zero.
    pub value: Option<f64>,
    /// As the reports write it (`25,2 %`), `—` when the whole is zero.
    pub text: String,
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

impl Statistics<'_> {
    /// The statistics of `scope`.
    pub async fn report(&self, scope: &Scope) -> Result<Report, ApiError> {
        let state = self.state;
        let (start, end) = scope.instants()?;
        let agency = scope.agency.as_deref();

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
            let procedure = state.catalogue.get(&code, None, scope.to);
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
        let average = (all_count > 0)
            .then(|| ((all_minutes as f64 / all_count as f64 / day_minutes as f64) * 100.0).round() / 100.0);
        let in_force = state.catalogue.in_force(scope.to);
        Ok(Report {
            period: StatsPeriod { from: scope.from, to: scope.to },
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
        })
    }
}
