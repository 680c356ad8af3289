//! The per-year government decisions on days off (data, not code): which days make up the
//! five Tết days and the day next to 2 September, and which weekdays are swapped for a
//! Saturday worked. The Prime Minister decides these each year (Labor Code 2019 art. 112(3));
//! the Ministry's yearly notice applies them to civil servants. An administrator adds a year
//! by writing a YAML file; no rebuild is needed.
//!
//! ```yaml
//! year: 2026
//! status: announced          # announced | projected
//! sources: ["Thông báo …"]
//! periods:                   # every day in [from, to] is a day off
//!   - { kind: tet, name: "Tết Âm lịch", from: 2026-02-14, to: 2026-02-22 }
//! swaps:
//!   - { day_off: 2026-01-02, worked: 2026-01-10, name: "Hoán đổi ngày làm việc dịp Tết Dương lịch" }
//! ```

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use super::CalendarError;
use super::error::DecisionProblem;

/// The shipped decision files, embedded so that [`super::Calendar::vietnam`] needs no files.
/// A new year's file is added here when it ships; administrators can add one at run time.
pub(super) const EMBEDDED: [(&str, &str); 7] = [
    ("2020.yaml", include_str!("../../../calendar/decisions/2020.yaml")),
    ("2021.yaml", include_str!("../../../calendar/decisions/2021.yaml")),
    ("2022.yaml", include_str!("../../../calendar/decisions/2022.yaml")),
    ("2023.yaml", include_str!("../../../calendar/decisions/2023.yaml")),
    ("2024.yaml", include_str!("../../../calendar/decisions/2024.yaml")),
    ("2025.yaml", include_str!("../../../calendar/decisions/2025.yaml")),
    ("2026.yaml", include_str!("../../../calendar/decisions/2026.yaml")),
];

/// Longest period a decision may declare; longer is taken for a typo in a date.
const MAX_PERIOD_DAYS: u64 = 31;

/// How far (in days) outside its year a decision's dates may lie (a New Year period may
/// start on 31 December, a swap may be worked in the previous month).
const MAX_DAYS_OUTSIDE_YEAR: u64 = 45;

/// Whether a decision is the government's announcement or a forecast.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionStatus {
    /// Published by the government.
    Announced,
    /// Written ahead of the notice; the year stays marked as projected.
    Projected,
}

/// Which holiday a period of days off realises. A period of a holiday's kind replaces the
/// law's computation for that holiday in that year (its projected days and compensation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    /// Tết Âm lịch (the five days and the weekends and compensation around them).
    Tet,
    /// Quốc khánh: 2 September and the adjacent day.
    NationalDay,
    /// Tết Dương lịch, 1 January.
    NewYear,
    /// Giỗ Tổ Hùng Vương, 10th day of the 3rd lunar month.
    HungKings,
    /// 30 April and 1 May.
    Reunification,
    /// Ngày Văn hóa Việt Nam, 24 November.
    CultureDay,
    /// Any other day off the government grants.
    Other,
}

/// A run of consecutive days off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Period {
    /// The holiday it realises.
    pub kind: PeriodKind,
    /// Name shown for its days, e.g. "Tết Âm lịch".
    pub name: String,
    /// First day off.
    pub from: NaiveDate,
    /// Last day off (inclusive).
    pub to: NaiveDate,
}

/// A weekday off given in exchange for a weekend day worked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Swap {
    /// The weekday (Monday–Friday) that becomes a day off.
    pub day_off: NaiveDate,
    /// The Saturday or Sunday that becomes a working day.
    pub worked: NaiveDate,
    /// What the notice calls it.
    pub name: String,
}

/// One year's validated decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    /// The year it governs.
    pub year: i32,
    /// Announced or projected.
    pub status: DecisionStatus,
    /// The notices it transcribes.
    pub sources: Vec<String>,
    /// Runs of days off.
    pub periods: Vec<Period>,
    /// Day swaps.
    pub swaps: Vec<Swap>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDecision {
    year: Spanned<i32>,
    status: DecisionStatus,
    #[serde(default)]
    sources: Vec<String>,
    #[serde(default)]
    periods: Vec<RawPeriod>,
    #[serde(default)]
    swaps: Vec<RawSwap>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPeriod {
    kind: PeriodKind,
    name: String,
    from: Spanned<String>,
    to: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSwap {
    day_off: Spanned<String>,
    worked: Spanned<String>,
    name: String,
}

/// Collects every problem of one file before failing (one pass, all problems).
struct Problems(Vec<DecisionProblem>);

impl Problems {
    fn push<T>(&mut self, at: &Spanned<T>, code: &'static str, message: String) {
        self.0.push(DecisionProblem { line: at.referenced.line(), column: at.referenced.column(), code, message });
    }

    /// Parses a `YYYY-MM-DD` date (YAML 1.2 has no date type, so dates arrive as text).
    fn date(&mut self, raw: &Spanned<String>) -> Option<NaiveDate> {
        let text = raw.value.as_str();
        let parsed = (text.len() == 10).then(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()).flatten();
        if parsed.is_none() {
            self.push(raw, "invalid_date", format!("`{text}` is not a date in the form YYYY-MM-DD"));
        }
        parsed
    }
}

impl Decision {
    /// Parses and validates one decision file. `file_name` is used in messages and, when it
    /// is `YYYY.yaml`, must agree with the `year` field.
    ///
    /// Errors: [`CalendarError::DecisionSyntax`] (not YAML, unknown or missing field, wrong
    /// type) with its line and column; [`CalendarError::InvalidDecision`] listing every
    /// invalid date, reversed or overlong period, swap of a weekend day off or of a weekday
    /// worked, date far outside the year, or year mismatch.
    pub fn parse(file_name: &str, text: &str) -> Result<Decision, CalendarError> {
        let raw: RawDecision = serde_saphyr::from_str(text).map_err(|e| syntax_error(file_name, &e))?;
        let mut problems = Problems(Vec::new());
        let year = raw.year.value;
        let stem = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
        if let Some(file_year) = stem.strip_suffix(".yaml").or_else(|| stem.strip_suffix(".yml"))
            && let Ok(file_year) = file_year.parse::<i32>()
            && file_year != year
        {
            problems.push(&raw.year, "year_mismatch", format!("year `{year}` differs from the file name `{stem}`"));
        }
        let bounds = year_bounds(year);
        if bounds.is_none() {
            problems.push(&raw.year, "invalid_year", format!("year `{year}` is not a valid year"));
        }
        let in_year = |p: &mut Problems, raw: &Spanned<String>| -> Option<NaiveDate> {
            let date = p.date(raw)?;
            if let Some((first, last)) = bounds
                && !(first..=last).contains(&date)
            {
                p.push(raw, "date_outside_year", format!("`{date}` is too far from year `{year}`"));
            }
            Some(date)
        };
        let mut periods = Vec::new();
        for period in &raw.periods {
            let (from, to) = (in_year(&mut problems, &period.from), in_year(&mut problems, &period.to));
            let (Some(from), Some(to)) = (from, to) else {
                continue;
            };
            if from > to {
                problems.push(&period.to, "period_reversed", format!("period ends `{to}` before it starts `{from}`"));
            } else if to.signed_duration_since(from).num_days() >= MAX_PERIOD_DAYS as i64 {
                problems.push(
                    &period.to,
                    "period_too_long",
                    format!("period `{from}` to `{to}` is longer than {MAX_PERIOD_DAYS} days"),
                );
            }
            periods.push(Period { kind: period.kind, name: period.name.clone(), from, to });
        }
        let mut swaps = Vec::new();
        for swap in &raw.swaps {
            let (day_off, worked) = (in_year(&mut problems, &swap.day_off), in_year(&mut problems, &swap.worked));
            let (Some(day_off), Some(worked)) = (day_off, worked) else {
                continue;
            };
            if is_weekend(day_off) {
                problems.push(
                    &swap.day_off,
                    "swap_day_off_weekend",
                    format!("swapped day off `{day_off}` is already a weekend day"),
                );
            }
            if !is_weekend(worked) {
                problems.push(
                    &swap.worked,
                    "swap_worked_weekday",
                    format!("day worked `{worked}` is not a saturday or sunday"),
                );
            }
            swaps.push(Swap { day_off, worked, name: swap.name.clone() });
        }
        if !problems.0.is_empty() {
            return Err(CalendarError::InvalidDecision { file: file_name.to_owned(), problems: problems.0 });
        }
        Ok(Decision { year, status: raw.status, sources: raw.sources, periods, swaps })
    }

    /// Every day off the decision grants: its periods' days and its swapped days off.
    pub(super) fn days_off(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        let periods = self.periods.iter().flat_map(|p| p.from.iter_days().take_while(move |d| *d <= p.to));
        periods.chain(self.swaps.iter().map(|s| s.day_off))
    }
}

pub(super) fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

fn year_bounds(year: i32) -> Option<(NaiveDate, NaiveDate)> {
    let first = NaiveDate::from_ymd_opt(year, 1, 1)?.checked_sub_days(Days::new(MAX_DAYS_OUTSIDE_YEAR))?;
    let last = NaiveDate::from_ymd_opt(year, 12, 31)?.checked_add_days(Days::new(MAX_DAYS_OUTSIDE_YEAR))?;
    Some((first, last))
}

fn syntax_error(file: &str, error: &serde_saphyr::Error) -> CalendarError {
    let (line, column) = error.location().map_or((0, 0), |l| (l.line(), l.column()));
    let options = serde_saphyr::render_options! { snippets: serde_saphyr::SnippetMode::Off };
    let rendered = error.render_with_options(options);
    // The plain rendering ends with the location, which the error carries separately.
    let message = rendered.rsplit_once(" at line ").map_or(rendered.as_str(), |(message, _)| message).to_owned();
    CalendarError::DecisionSyntax { file: file.to_owned(), line, column, message }
}
