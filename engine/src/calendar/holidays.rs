//! Public holidays as the law fixes them, in dated rule sets: a holiday is governed by the
//! rule set in force on its date, so a 2020 Tết is judged by the 2012 Labor Code and a 2026
//! one by the 2019 Code.

use chrono::{Datelike, Days, NaiveDate, Weekday};

use super::astronomy::date_of_jdn;
use super::decisions::PeriodKind;
use super::lunar::SolsticeYear;

/// One dated set of holiday rules.
struct RuleSet {
    /// First day in force.
    from: NaiveDate,
    /// Length of Tết in days, the first being the last day of the old lunar year.
    tet_days: u64,
    /// Whether the Hùng Kings' day (10/3 lunar) is a holiday.
    hung_kings: bool,
    /// Whether a day next to 2 September (the 1st or the 3rd) is a holiday.
    national_day_adjacent: bool,
    /// Whether 24 November (Vietnam Culture Day) is a holiday.
    culture_day: bool,
}

// Used only in const items: an invalid date fails the build, never a run.
const fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(date) => date,
        None => panic!("invalid constant date"),
    }
}

/// Oldest first. Every set also has 1/1, 30/4, 1/5 and 2/9, and compensates a holiday on a
/// weekly rest day on the next working day.
const RULE_SETS: [RuleSet; 5] = [
    // Labor Code 1994 art. 73 (in force 1995-01-01): Tết 4 days, no Hùng Kings' day.
    RuleSet { from: day(1995, 1, 1), tet_days: 4, hung_kings: false, national_day_adjacent: false, culture_day: false },
    // Law 84/2007/QH11 amending art. 73 adds the Hùng Kings' day, first observed 26/4/2007
    // (check: the exact date in force; any date before 26/4/2007 gives the same calendar).
    RuleSet { from: day(2007, 4, 2), tet_days: 4, hung_kings: true, national_day_adjacent: false, culture_day: false },
    // Labor Code 2012 art. 115 (in force 2013-05-01): Tết 5 days.
    RuleSet { from: day(2013, 5, 1), tet_days: 5, hung_kings: true, national_day_adjacent: false, culture_day: false },
    // Labor Code 2019 art. 112 (in force 2021-01-01): 2/9 plus the 1st or the 3rd.
    RuleSet { from: day(2021, 1, 1), tet_days: 5, hung_kings: true, national_day_adjacent: true, culture_day: false },
    // 24/11 Ngày Văn hóa Việt Nam (Politburo Resolution 80-NQ/TW of 7/1/2026; Resolution
    // 28/2026/QH16 amending art. 112(1), in force 1/7/2026 per the shipped 2026 data — check).
    RuleSet { from: day(2026, 7, 1), tet_days: 5, hung_kings: true, national_day_adjacent: true, culture_day: true },
];

fn rules_on(date: NaiveDate) -> &'static RuleSet {
    RULE_SETS.iter().rev().find(|r| r.from <= date).unwrap_or(&RULE_SETS[0])
}

/// One holiday day off the law gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct LawDay {
    pub(super) date: NaiveDate,
    /// The decided period kind that replaces this day's computation.
    pub(super) kind: PeriodKind,
    /// Whether the date is fixed by law (1/1, 10/3 lunar, 30/4, 1/5, 2/9, 24/11), as opposed
    /// to chosen each year (Tết days, the day next to 2/9) and here projected.
    pub(super) fixed: bool,
    pub(super) name: &'static str,
}

/// Name of the New Year holiday.
pub(super) const NEW_YEAR: &str = "Tết Dương lịch";
/// Name of the Tết days.
pub(super) const TET: &str = "Tết Âm lịch";
/// Name of the Hùng Kings' day.
pub(super) const HUNG_KINGS: &str = "Giỗ Tổ Hùng Vương (10/3 âm lịch)";
/// Name of 30 April.
pub(super) const VICTORY_DAY: &str = "Ngày Chiến thắng (30/4)";
/// Name of 1 May.
pub(super) const LABOUR_DAY: &str = "Ngày Quốc tế Lao động (1/5)";
/// Name of 2 September.
pub(super) const NATIONAL_DAY: &str = "Quốc khánh (2/9)";
/// Name of the day next to 2 September.
pub(super) const NATIONAL_DAY_ADJACENT: &str = "Quốc khánh (ngày liền kề 2/9)";
/// Name of 24 November.
pub(super) const CULTURE_DAY: &str = "Ngày Văn hóa Việt Nam (24/11)";

/// The law's holidays of solar `year`, by date. Tết days and the day next to 2/9 are included
/// (as projections) only when `decided` does not list a period of their kind: the government
/// chooses those days each year.
pub(super) fn law_days(year: i32, decided: &[PeriodKind]) -> Vec<LawDay> {
    let mut days = Vec::new();
    let mut fixed = |date: Option<NaiveDate>, kind, name, applies: fn(&RuleSet) -> bool| {
        if let Some(date) = date
            && applies(rules_on(date))
        {
            days.push(LawDay { date, kind, fixed: true, name });
        }
    };
    let on = |m, d| NaiveDate::from_ymd_opt(year, m, d);
    // Tết and the Hùng Kings' day of lunar `year` both lie between the solstices of
    // December `year - 1` and December `year`.
    let lunar = SolsticeYear::of(year - 1);
    let lunar_day = |month, d: i64| lunar.find(month, false, year).and_then(|(first, _)| date_of_jdn(first + d - 1));
    fixed(on(1, 1), PeriodKind::NewYear, NEW_YEAR, |_| true);
    fixed(lunar_day(3, 10), PeriodKind::HungKings, HUNG_KINGS, |r| r.hung_kings);
    fixed(on(4, 30), PeriodKind::Reunification, VICTORY_DAY, |_| true);
    fixed(on(5, 1), PeriodKind::Reunification, LABOUR_DAY, |_| true);
    fixed(on(9, 2), PeriodKind::NationalDay, NATIONAL_DAY, |_| true);
    fixed(on(11, 24), PeriodKind::CultureDay, CULTURE_DAY, |r| r.culture_day);

    if !decided.contains(&PeriodKind::Tet)
        && let Some(tet) = lunar_day(1, 1)
    {
        // Projection: the last day of the old year and the first days of the new one, the
        // usual shape of the Prime Minister's choice.
        let count = rules_on(tet).tet_days;
        let first = tet.checked_sub_days(Days::new(1));
        for date in first.into_iter().flat_map(|f| f.iter_days().take(count as usize)) {
            days.push(LawDay { date, kind: PeriodKind::Tet, fixed: false, name: TET });
        }
    }
    if !decided.contains(&PeriodKind::NationalDay)
        && let Some(national) = on(9, 2)
        && rules_on(national).national_day_adjacent
        && let Some(date) = projected_adjacent_day(national)
    {
        days.push(LawDay { date, kind: PeriodKind::NationalDay, fixed: false, name: NATIONAL_DAY_ADJACENT });
    }
    days.sort_by_key(|d| d.date);
    days
}

/// The day next to 2 September projected when no notice has chosen it (art. 112(1)(đ) lets the
/// Prime Minister pick the 1st or the 3rd). Rule: pick the side that joins the holiday to the
/// weekend when one is adjacent, else the later day:
/// Mon 2/9 → Tue 3/9; Tue → Mon 1/9; Wed → Thu 3/9; Thu → Fri 3/9; Fri → Thu 1/9;
/// Sat → Fri 1/9 (2/9 compensated Mon 4/9); Sun → Sat 1/9 (both weekend holidays compensated,
/// Mon 3/9 and Tue 4/9).
fn projected_adjacent_day(national: NaiveDate) -> Option<NaiveDate> {
    let before = national.checked_sub_days(Days::new(1));
    let after = national.checked_add_days(Days::new(1));
    match national.weekday() {
        Weekday::Mon | Weekday::Wed | Weekday::Thu => after,
        Weekday::Tue | Weekday::Fri | Weekday::Sat | Weekday::Sun => before,
    }
}
