//! Why a day is not worked, and the days off of one year: the law's holidays with their
//! compensation, combined with that year's decision.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde::Serialize;

use super::decisions::{Decision, PeriodKind, is_weekend};
use super::holidays::law_days;

/// Why a day is not a working day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DayOffKind {
    /// Saturday or Sunday, the weekly rest of civil servants (Decision 188/1999/QĐ-TTg).
    Weekend,
    /// A public holiday of the Labor Code, or a day of a government-decided holiday period.
    PublicHoliday,
    /// Nghỉ bù: replaces a holiday that fell on a weekly rest day (Labor Code 2019 art.
    /// 111(3); 2012 art. 115(3)).
    Compensatory,
    /// Nghỉ hoán đổi: a weekday off in exchange for a weekend day worked (yearly notice).
    Swapped,
    /// Another day off granted by a decision.
    Decided,
}

/// A day that is not a working day, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DayOff {
    /// The day.
    pub date: NaiveDate,
    /// The kind of reason.
    pub kind: DayOffKind,
    /// The reason in Vietnamese, e.g. "Tết Âm lịch", "Nghỉ bù Giỗ Tổ Hùng Vương (10/3 âm lịch)".
    pub name: String,
}

/// A date with a name, as listed by [`super::Calendar::holidays`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NamedDay {
    /// The day (serialized `YYYY-MM-DD`).
    pub date: NaiveDate,
    /// What it is.
    pub name: String,
}

/// The days off and the weekend days worked of one year.
///
/// Serializes to exactly
/// `{"year":Y,"projected":b,"days_off":[{"date":"YYYY-MM-DD","name":"…"}],"working_weekend_days":[…]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct YearHolidays {
    /// The solar year.
    pub year: i32,
    /// True when no announced decision covers the year: Tết and the day next to 2/9 are then
    /// projections, not the government's choice.
    pub projected: bool,
    /// Monday-to-Friday days that are not worked, in date order.
    pub days_off: Vec<NamedDay>,
    /// Saturdays and Sundays that are worked (swaps), in date order.
    pub working_weekend_days: Vec<NamedDay>,
}

/// Name of a Saturday.
pub(super) const SATURDAY: &str = "Nghỉ hằng tuần (thứ Bảy)";
/// Name of a Sunday.
pub(super) const SUNDAY: &str = "Nghỉ hằng tuần (Chủ nhật)";

/// Precedence when several reasons name the same day: a holiday's own date is most telling,
/// then a compensation, a swap, a decided period; weekends (rank 0) last.
const RANK_LAW_DAY: u8 = 4;
const RANK_COMPENSATORY: u8 = 3;
const RANK_SWAPPED: u8 = 2;
const RANK_PERIOD: u8 = 1;

/// One reason for one day, before precedence is applied.
#[derive(Debug, Clone)]
pub(super) struct Mark {
    pub(super) date: NaiveDate,
    pub(super) rank: u8,
    pub(super) kind: DayOffKind,
    pub(super) name: String,
}

/// The reasons the law gives for days off in `year`, given the year's decision (whose
/// periods replace the law's computation for their holiday) and every day off any decision
/// grants (`decided_off`, skipped when placing compensation days).
///
/// Compensation (Labor Code 2019 art. 111(3), 2012 art. 115(3), 1994 art. 73): each holiday
/// on a Saturday or Sunday, in date order, moves to the first later Monday–Friday that is not
/// a holiday, a decided day off, or another holiday's compensation, so consecutive weekend
/// holidays get consecutive compensation days.
pub(super) fn law_marks(year: i32, decision: Option<&Decision>, decided_off: &BTreeSet<NaiveDate>) -> Vec<Mark> {
    let decided: Vec<PeriodKind> = decision.map(|d| d.periods.iter().map(|p| p.kind).collect()).unwrap_or_default();
    let law = law_days(year, &decided);
    let holidays: BTreeSet<NaiveDate> = law.iter().map(|d| d.date).collect();
    let mut compensation: BTreeSet<NaiveDate> = BTreeSet::new();
    let mut marks = Vec::new();
    for day in &law {
        let rank = if day.fixed { RANK_LAW_DAY } else { RANK_PERIOD };
        marks.push(Mark { date: day.date, rank, kind: DayOffKind::PublicHoliday, name: day.name.to_owned() });
        if !is_weekend(day.date) || decided.contains(&day.kind) {
            continue;
        }
        let free =
            day.date.iter_days().skip(1).find(|c| {
                !(is_weekend(*c) || holidays.contains(c) || decided_off.contains(c) || compensation.contains(c))
            });
        if let Some(date) = free {
            compensation.insert(date);
            marks.push(Mark {
                date,
                rank: RANK_COMPENSATORY,
                kind: DayOffKind::Compensatory,
                name: format!("Nghỉ bù {}", day.name),
            });
        }
    }
    marks
}

/// The reasons a decision gives: its periods' days and its swapped days off.
pub(super) fn decision_marks(decision: &Decision) -> Vec<Mark> {
    let mut marks = Vec::new();
    for period in &decision.periods {
        let kind = if period.kind == PeriodKind::Other { DayOffKind::Decided } else { DayOffKind::PublicHoliday };
        for date in period.from.iter_days().take_while(|d| *d <= period.to) {
            marks.push(Mark { date, rank: RANK_PERIOD, kind, name: period.name.clone() });
        }
    }
    for swap in &decision.swaps {
        marks.push(Mark {
            date: swap.day_off,
            rank: RANK_SWAPPED,
            kind: DayOffKind::Swapped,
            name: format!("Nghỉ hoán đổi (làm bù {})", swap.worked.format("%d/%m/%Y")),
        });
    }
    marks
}

/// The weekend days a decision makes working days, with their names.
pub(super) fn worked_days(decision: &Decision) -> impl Iterator<Item = (NaiveDate, String)> + '_ {
    decision.swaps.iter().map(|s| (s.worked, format!("Làm bù cho ngày nghỉ {}", s.day_off.format("%d/%m/%Y"))))
}
