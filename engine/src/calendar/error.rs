//! The one error type of the calendar layer.

use chrono::NaiveDate;

/// One problem found while validating a decision file (a file may have several; all are
/// reported in one pass).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionProblem {
    /// 1-based line of the offending value in the YAML text (0 when unknown).
    pub line: u64,
    /// 1-based column of the offending value (0 when unknown).
    pub column: u64,
    /// Stable snake_case code of the problem.
    pub code: &'static str,
    /// Lowercase message; user values in backticks.
    pub message: String,
}

impl std::fmt::Display for DecisionProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {} [{}]", self.line, self.column, self.message, self.code)
    }
}

/// Errors of the lunar and working-day calendar.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// A date or instant outside the range the calendar supports.
    #[error("`{value}` is outside the supported range {min} to {max}")]
    OutOfRange {
        /// The offending value as given.
        value: String,
        /// First supported day.
        min: NaiveDate,
        /// Last supported day.
        max: NaiveDate,
    },
    /// A lunar date that is not in the lunar calendar (wrong leap flag, day 30 of a short
    /// month, month outside 1..=12).
    #[error("lunar date `{date}` does not exist")]
    NonexistentLunarDate {
        /// The lunar date as day/month[ nhuận]/year.
        date: String,
    },
    /// A working-day count that is negative, not a number, too large or too fine.
    #[error("invalid working days `{value}`: expected a number from 0 to {max} in steps of 0.001")]
    InvalidWorkingDays {
        /// The offending value as given.
        value: String,
        /// The largest accepted count ([`super::MAX_WORKING_DAYS`]).
        max: u32,
    },
    /// A working-hour count that is negative, not a number, too large or finer than a minute.
    #[error("invalid working hours `{value}`: expected a number of hours from 0 to {max} in whole minutes")]
    InvalidWorkingHours {
        /// The offending value as given.
        value: String,
        /// The largest accepted count ([`super::MAX_WORKING_HOURS`]).
        max: u32,
    },
    /// Office hours that are empty, reversed or overlapping.
    #[error("invalid office hours: {reason}")]
    InvalidOfficeHours {
        /// What is wrong, with the offending window in backticks.
        reason: String,
    },
    /// A decision file that is not valid YAML or does not have the expected shape.
    #[error("invalid decision file `{file}` at line {line}, column {column}: {message}")]
    DecisionSyntax {
        /// The file name given to the builder.
        file: String,
        /// 1-based line (0 when unknown).
        line: u64,
        /// 1-based column (0 when unknown).
        column: u64,
        /// The parser's message.
        message: String,
    },
    /// A decision file that parses but whose content is wrong (every problem listed).
    #[error("invalid decision file `{file}`: {}", join_problems(problems))]
    InvalidDecision {
        /// The file name given to the builder.
        file: String,
        /// Every problem found, in document order.
        problems: Vec<DecisionProblem>,
    },
    /// Two administrator decision files for the same year.
    #[error("two decision files for year `{year}`: `{first}` and `{second}`")]
    DuplicateDecisionYear {
        /// The year both files claim.
        year: i32,
        /// The file given first.
        first: String,
        /// The file given second.
        second: String,
    },
}

fn join_problems(problems: &[DecisionProblem]) -> String {
    problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
}

impl CalendarError {
    /// Every code [`CalendarError::code`] returns, for the catalogue of codes.
    pub const CODES: [&'static str; 8] = [
        "out_of_range",
        "nonexistent_lunar_date",
        "invalid_working_days",
        "invalid_working_hours",
        "invalid_office_hours",
        "decision_syntax",
        "invalid_decision",
        "duplicate_decision_year",
    ];

    /// Stable snake_case code of the variant (added, never renamed).
    pub fn code(&self) -> &'static str {
        match self {
            CalendarError::OutOfRange { .. } => "out_of_range",
            CalendarError::NonexistentLunarDate { .. } => "nonexistent_lunar_date",
            CalendarError::InvalidWorkingDays { .. } => "invalid_working_days",
            CalendarError::InvalidWorkingHours { .. } => "invalid_working_hours",
            CalendarError::InvalidOfficeHours { .. } => "invalid_office_hours",
            CalendarError::DecisionSyntax { .. } => "decision_syntax",
            CalendarError::InvalidDecision { .. } => "invalid_decision",
            CalendarError::DuplicateDecisionYear { .. } => "duplicate_decision_year",
        }
    }
}
