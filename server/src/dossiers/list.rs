//! Which dossiers a list shows: typed filters, checked once where they are read, and pages.

use crate::error::{ApiError, ErrorCode};
use chrono::{DateTime, FixedOffset};
use motcua_engine::codes::{AgencyCode, ProcedureCode};
use motcua_engine::lifecycle::State;

/// Largest page.
pub const MAX_PER_PAGE: u64 = 200;
/// Highest page number: far beyond any real list, and small enough that offsets never overflow.
pub const MAX_PAGE: u64 = 1_000_000;
/// Page size when none is asked.
pub const DEFAULT_PER_PAGE: u64 = 50;
/// Longest identifier or code of the previous system.
pub const MAX_SOURCE_TEXT: usize = 200;

/// A state's name (`processing`, `paused`, …), one of [`State::NAMES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StateName(&'static str);

impl StateName {
    /// The name, as stored and answered.
    pub fn as_str(self) -> &'static str {
        self.0
    }
}

impl std::str::FromStr for StateName {
    type Err = ();

    fn from_str(name: &str) -> Result<Self, ()> {
        State::NAMES.iter().find(|known| **known == name).map(|known| StateName(known)).ok_or(())
    }
}

/// Whether `text` can be a previous system's identifier or code: 1 to 200 characters, none
/// of them a control character.
pub fn is_source_text(text: &str) -> bool {
    let length = text.chars().count();
    (1..=MAX_SOURCE_TEXT).contains(&length) && !text.chars().any(char::is_control) && !text.trim().is_empty()
}

/// Filters of a dossier list; `None` means any.
#[derive(Debug, Default, Clone)]
pub struct ListFilter {
    /// In this state.
    pub state: Option<StateName>,
    /// Of this agency or one of its units.
    pub agency: Option<AgencyCode>,
    /// Of this agency (or its units) or with a step of it: what an official sees.
    pub involving: Option<AgencyCode>,
    /// Of this procedure.
    pub procedure: Option<ProcedureCode>,
    /// Past their due time and not finished (true), or the others (false).
    pub overdue: Option<bool>,
    /// Due before this instant.
    pub due_before: Option<DateTime<FixedOffset>>,
    /// Submitted by this token.
    pub client: Option<i32>,
    /// Imported with this code of the previous system.
    pub source_code: Option<String>,
    /// Only dossiers not finished.
    pub open: bool,
    /// Soonest due first (dossiers not received yet, with no due time, after them), instead
    /// of newest first.
    pub due_first: bool,
}

/// The filters as a client writes them, each checked: 400 `invalid_query` naming the first
/// that is not valid.
#[derive(Debug, Default)]
pub struct FilterText<'a> {
    /// A state name.
    pub state: Option<&'a str>,
    /// An agency code.
    pub agency: Option<&'a str>,
    /// A procedure code.
    pub procedure: Option<&'a str>,
    /// Overdue or not.
    pub overdue: Option<bool>,
    /// Due before.
    pub due_before: Option<DateTime<FixedOffset>>,
    /// A previous system's code.
    pub source_code: Option<&'a str>,
}

impl FilterText<'_> {
    /// The typed filter.
    pub fn parse(&self) -> Result<ListFilter, ApiError> {
        fn field<T: std::str::FromStr>(what: &str, text: Option<&str>) -> Result<Option<T>, ApiError> {
            text.map(|value| {
                value
                    .parse()
                    .map_err(|_| ApiError::new(ErrorCode::InvalidQuery, format!("`{value}` is not a valid `{what}`")))
            })
            .transpose()
        }
        // Checked in this order, so the first bad one named is the same whatever the client.
        let agency = field("agency", self.agency)?;
        let procedure = field("procedure", self.procedure)?;
        let state = field("status", self.state)?;
        let source_code = match self.source_code {
            Some(code) if !is_source_text(code) => {
                return Err(ApiError::new(ErrorCode::InvalidQuery, format!("`{code}` is not a valid `source_code`")));
            }
            code => code.map(str::to_owned),
        };
        Ok(ListFilter {
            state,
            agency,
            involving: None,
            procedure,
            overdue: self.overdue,
            due_before: self.due_before,
            client: None,
            source_code,
            open: false,
            due_first: false,
        })
    }
}

/// Which page, of how many dossiers.
#[derive(Debug, Clone, Copy)]
pub struct PageRequest {
    /// From 0.
    pub page: u64,
    /// Dossiers a page.
    pub per_page: u64,
}

impl PageRequest {
    /// Page `page` of `per_page` (50 when not asked): 400 `invalid_query` beyond the limits.
    pub fn new(page: u64, per_page: Option<u64>) -> Result<Self, ApiError> {
        let per_page = per_page.unwrap_or(DEFAULT_PER_PAGE);
        if per_page == 0 || per_page > MAX_PER_PAGE {
            return Err(ApiError::new(ErrorCode::InvalidQuery, format!("`per_page` must be 1 to {MAX_PER_PAGE}")));
        }
        if page > MAX_PAGE {
            return Err(ApiError::new(ErrorCode::InvalidQuery, format!("`page` must be at most {MAX_PAGE}")));
        }
        Ok(PageRequest { page, per_page })
    }
}

/// A page of dossiers, newest first.
pub struct Page<T> {
    /// Dossiers matching, in all pages.
    pub total: u64,
    /// Which page.
    pub request: PageRequest,
    /// The dossiers.
    pub items: Vec<T>,
}
