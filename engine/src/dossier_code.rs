//! Dossier codes (mã hồ sơ), generated in the format in force on the receipt date.

use crate::codes::AgencyCode;
use crate::legal::rule_set_on;
use chrono::NaiveDate;
use serde::Serialize;
use std::fmt;
use std::str::FromStr;

/// Minimum digits of the day's sequence number; the 10,000th dossier of a day gets five.
pub const MIN_SEQUENCE_DIGITS: usize = 4;

/// A dossier code: `{agency}-{YYMMDD}-{sequence}` (Circular 01/2018 and 03/2025/TT-VPCP), or
/// for nationally centralised services since 25/01/2026 `{service}-{YYMMDD}-{AA}{sequence}`
/// (Circular 04/2025/TT-VPCP) where AA names the central system.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct DossierCode(String);

/// Why a dossier code could not be made or read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DossierCodeError {
    /// Sequence numbers start at 1.
    #[error("the day's sequence number starts at 1, got `{0}`")]
    ZeroSequence(u32),
    /// The centralised format is not in force on that date.
    #[error("centralised dossier codes are only in force from 2026-01-25, not on `{0}`")]
    CentralisedNotInForce(NaiveDate),
    /// The central system's code is two capital letters or digits.
    #[error("`{0}` is not a two-character central system code")]
    BadSystemCode(String),
    /// Text that is not a dossier code.
    #[error("`{0}` is not a dossier code such as `H15.50.05.13-261008-0975`")]
    Malformed(String),
}

impl DossierCode {
    /// The code of the `sequence`-th dossier received by `agency` on `date`.
    pub fn new(agency: &AgencyCode, date: NaiveDate, sequence: u32) -> Result<Self, DossierCodeError> {
        if sequence == 0 {
            return Err(DossierCodeError::ZeroSequence(sequence));
        }
        Ok(DossierCode(format!("{agency}-{}-{sequence:0width$}", date.format("%y%m%d"), width = MIN_SEQUENCE_DIGITS)))
    }

    /// The code of a nationally centralised service's dossier.
    pub fn centralised(
        service: &AgencyCode,
        system: &str,
        date: NaiveDate,
        sequence: u32,
    ) -> Result<Self, DossierCodeError> {
        if !rule_set_on(date).centralised_codes {
            return Err(DossierCodeError::CentralisedNotInForce(date));
        }
        if system.len() != 2 || !system.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()) {
            return Err(DossierCodeError::BadSystemCode(system.to_owned()));
        }
        if sequence == 0 {
            return Err(DossierCodeError::ZeroSequence(sequence));
        }
        Ok(DossierCode(format!(
            "{service}-{}-{system}{sequence:0width$}",
            date.format("%y%m%d"),
            width = MIN_SEQUENCE_DIGITS
        )))
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for DossierCode {
    type Err = DossierCodeError;
    fn from_str(s: &str) -> Result<Self, DossierCodeError> {
        let malformed = || DossierCodeError::Malformed(s.to_owned());
        let mut parts = s.rsplitn(3, '-');
        let (Some(sequence), Some(date), Some(agency)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(malformed());
        };
        agency.parse::<AgencyCode>().map_err(|_| malformed())?;
        NaiveDate::parse_from_str(&format!("20{date}"), "%Y%m%d").map_err(|_| malformed())?;
        let digits_ok = sequence.len() >= MIN_SEQUENCE_DIGITS
            && sequence.len() <= 12
            && sequence.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_uppercase());
        if date.len() != 6 || !digits_ok {
            return Err(malformed());
        }
        Ok(DossierCode(s.to_owned()))
    }
}

impl fmt::Display for DossierCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_regulation_example() {
        let agency: AgencyCode = "H15.50.05.13".parse().unwrap();
        assert_eq!(DossierCode::new(&agency, day(2026, 10, 8), 975).unwrap().as_str(), "H15.50.05.13-261008-0975");
        assert_eq!(DossierCode::new(&agency, day(2026, 10, 8), 10_000).unwrap().as_str(), "H15.50.05.13-261008-10000");
        assert!(DossierCode::new(&agency, day(2026, 10, 8), 0).is_err());
        assert!("H15.50.05.13-261008-0975".parse::<DossierCode>().is_ok());
        assert!("H15.50.05.13-261308-0975".parse::<DossierCode>().is_err());
        assert!("../etc-261008-0975".parse::<DossierCode>().is_err());
    }

    #[test]
    fn centralised_codes_are_dated() {
        let service: AgencyCode = "M01.001.01".parse().unwrap();
        assert!(DossierCode::centralised(&service, "BC", day(2026, 1, 24), 1).is_err());
        assert_eq!(
            DossierCode::centralised(&service, "BC", day(2026, 1, 25), 12).unwrap().as_str(),
            "M01.001.01-260125-BC0012"
        );
        assert!("M01.001.01-260125-BC0012".parse::<DossierCode>().is_ok());
    }
}
