//! Identifiers that can only hold valid values: procedure codes, agency codes, roles.

use serde::Serialize;
use std::fmt;
use std::str::FromStr;

/// Longest agency identifier (Decision 20/2020/QĐ-TTg).
pub const MAX_AGENCY_CODE_LEN: usize = 35;
/// The shape of an agency identifier as a regular expression (for API schemas): dot-separated
/// parts of 0-9, A-Z, at most [`MAX_AGENCY_CODE_LEN`] characters in all.
pub const AGENCY_CODE_PATTERN: &str = r"^[0-9A-Z]+(\.[0-9A-Z]+)*$";

/// Why an identifier was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct InvalidCode(String);

/// Electronic identifier of an agency: up to 35 characters of 0-9, A-Z and dots, dot-separated
/// levels (`H15.50.05.13`). A unit's code starts with its parent's.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AgencyCode(String);

impl TryFrom<String> for AgencyCode {
    type Error = InvalidCode;
    fn try_from(s: String) -> Result<Self, InvalidCode> {
        s.parse()
    }
}

impl From<AgencyCode> for String {
    fn from(code: AgencyCode) -> String {
        code.0
    }
}

impl FromStr for AgencyCode {
    type Err = InvalidCode;
    fn from_str(s: &str) -> Result<Self, InvalidCode> {
        let well_formed = !s.is_empty()
            && s.len() <= MAX_AGENCY_CODE_LEN
            && s.split('.')
                .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_uppercase()));
        if well_formed {
            Ok(AgencyCode(s.to_owned()))
        } else {
            Err(InvalidCode(format!(
                "`{s}` is not an agency identifier: up to {MAX_AGENCY_CODE_LEN} characters of 0-9, A-Z in dot-separated parts"
            )))
        }
    }
}

impl AgencyCode {
    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `self` is `other` or one of its units.
    pub fn is_within(&self, other: &AgencyCode) -> bool {
        self.0 == other.0 || (self.0.starts_with(&other.0) && self.0.as_bytes().get(other.0.len()) == Some(&b'.'))
    }
}

impl fmt::Display for AgencyCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The shape of a procedure code as a regular expression (for API schemas): the national
/// code, then optionally `.` and a local suffix of up to 40 characters of 0-9, A-Z and `.`.
pub const PROCEDURE_CODE_PATTERN: &str = r"^[0-9]\.[0-9]{6}(\.[0-9A-Z.]{1,40})?$";

/// National procedure code (`1.004227`), optionally with a local suffix.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct ProcedureCode(String);

impl FromStr for ProcedureCode {
    type Err = InvalidCode;
    fn from_str(s: &str) -> Result<Self, InvalidCode> {
        let bytes = s.as_bytes();
        let head_ok = bytes.len() >= 8
            && bytes[0].is_ascii_digit()
            && bytes[1] == b'.'
            && bytes[2..8].iter().all(u8::is_ascii_digit);
        let tail_ok = |tail: &[u8]| match tail.split_first() {
            None => true,
            Some((b'.', rest)) => {
                !rest.is_empty()
                    && rest.len() <= 40
                    && rest.iter().all(|b| b.is_ascii_digit() || b.is_ascii_uppercase() || *b == b'.')
            }
            Some(_) => false,
        };
        if head_ok && tail_ok(&bytes[8..]) {
            Ok(ProcedureCode(s.to_owned()))
        } else {
            Err(InvalidCode(format!("`{s}` is not a national procedure code such as `1.004227`")))
        }
    }
}

impl ProcedureCode {
    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ProcedureCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Who acts on a dossier at a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Bộ phận tiếp nhận và trả kết quả (one-stop desk officer).
    Reception,
    /// Chuyên viên thụ lý (the official who examines the dossier).
    Specialist,
    /// Lãnh đạo (the head who signs).
    Leader,
    /// Văn thư (numbers and issues the result).
    Clerk,
    /// Kế toán / cơ quan thuế (financial obligations).
    Finance,
}

impl Role {
    /// Every role, for messages listing the valid ones.
    pub const ALL: [Role; 5] = [Role::Reception, Role::Specialist, Role::Leader, Role::Clerk, Role::Finance];

    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Reception => "reception",
            Role::Specialist => "specialist",
            Role::Leader => "leader",
            Role::Clerk => "clerk",
            Role::Finance => "finance",
        }
    }

    /// Who acts at a step, as a procedure's published steps name it.
    pub fn label(self) -> &'static str {
        match self {
            Role::Reception => "Bộ phận tiếp nhận và trả kết quả",
            Role::Specialist => "Chuyên viên thụ lý",
            Role::Leader => "Lãnh đạo phê duyệt",
            Role::Clerk => "Văn thư",
            Role::Finance => "Kế toán, nghĩa vụ tài chính",
        }
    }
}

impl FromStr for Role {
    type Err = InvalidCode;
    fn from_str(s: &str) -> Result<Self, InvalidCode> {
        Role::ALL.into_iter().find(|r| r.as_str() == s).ok_or_else(|| {
            let known: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
            InvalidCode(format!("unknown role `{s}`: expected one of {}", known.join(", ")))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agency_codes() {
        let city: AgencyCode = "G22.26".parse().unwrap();
        let unit: AgencyCode = "G22.26.01".parse().unwrap();
        assert!(unit.is_within(&city));
        assert!(city.is_within(&city));
        assert!(!"G22.261".parse::<AgencyCode>().unwrap().is_within(&city));
        assert!("g22".parse::<AgencyCode>().is_err());
        assert!("A..B".parse::<AgencyCode>().is_err());
        assert!("A".repeat(36).parse::<AgencyCode>().is_err());
    }

    #[test]
    fn procedure_codes() {
        assert!("1.004227".parse::<ProcedureCode>().is_ok());
        assert!("2.000908.000.00.00.H15".parse::<ProcedureCode>().is_ok());
        assert!("1.00422".parse::<ProcedureCode>().is_err());
        assert!("x.004227".parse::<ProcedureCode>().is_err());
    }
}
