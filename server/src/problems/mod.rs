//! One catalogue of every code a client or an administrator can see: the HTTP problems and
//! the codes that travel inside them (definition diagnostics, submission refusals, lifecycle
//! refusals, calendar and rule failures) and the import's line errors. The codes come from the
//! enums that return them; titles in English and Vietnamese and a help text come from
//! `texts.yaml`. The server serves the catalogue at `/problems`, and each problem's `type`
//! names its page there.

pub mod pages;

use crate::dossiers::import::LineCode;
use crate::error::ErrorCode;
use motcua_engine::calendar::CalendarError;
use motcua_engine::lifecycle::LifecycleError;
use motcua_engine::rules::RuleError;
use motcua_engine::{Code, Refusal};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// Where a code is seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    /// The `code` of a problem+json response.
    Problem,
    /// A definition diagnostic: `motcua validate` and `diagnostics` of `definition_invalid`.
    Diagnostic,
    /// Why a submission is refused: `reasons[].code` of `submission_refused`.
    Refusal,
    /// Why an action is refused: `refusal` of `action_refused`.
    Lifecycle,
    /// A failure of the working-day calendar, as a lifecycle refusal or a rule failure.
    Calendar,
    /// A rule failure at run time: `rule_code` of `rule_failed`.
    Rule,
    /// Why a line of an import was not imported: `errors[].code` of the import's answer.
    ImportLine,
}

impl Family {
    /// Every family, in the catalogue's order.
    pub const ALL: [Family; 7] = [
        Family::Problem,
        Family::Diagnostic,
        Family::Refusal,
        Family::Lifecycle,
        Family::Calendar,
        Family::Rule,
        Family::ImportLine,
    ];

    /// The snake_case name, as in `texts.yaml` and page anchors.
    pub fn as_str(self) -> &'static str {
        match self {
            Family::Problem => "problem",
            Family::Diagnostic => "diagnostic",
            Family::Refusal => "refusal",
            Family::Lifecycle => "lifecycle",
            Family::Calendar => "calendar",
            Family::Rule => "rule",
            Family::ImportLine => "import_line",
        }
    }

    /// A heading for the family's section, English and Vietnamese.
    pub fn heading(self) -> (&'static str, &'static str) {
        match self {
            Family::Problem => ("HTTP problems", "Lỗi HTTP"),
            Family::Diagnostic => ("Definition diagnostics", "Lỗi của định nghĩa thủ tục"),
            Family::Refusal => ("Submission refusals", "Lý do hồ sơ không được tiếp nhận"),
            Family::Lifecycle => ("Lifecycle refusals", "Lý do thao tác trên hồ sơ bị từ chối"),
            Family::Calendar => ("Calendar failures", "Lỗi lịch ngày làm việc"),
            Family::Rule => ("Rule failures", "Lỗi khi chạy quy tắc"),
            Family::ImportLine => ("Import line errors", "Lỗi từng dòng khi nhập hồ sơ"),
        }
    }

    /// The problem a code of this family travels in, and the member that names it.
    pub fn carried_by(self) -> Option<(ErrorCode, &'static str)> {
        match self {
            Family::Problem | Family::ImportLine => None,
            Family::Diagnostic => Some((ErrorCode::DefinitionInvalid, "diagnostics[].code")),
            Family::Refusal => Some((ErrorCode::SubmissionRefused, "reasons[].code")),
            Family::Lifecycle | Family::Calendar => Some((ErrorCode::ActionRefused, "refusal")),
            Family::Rule => Some((ErrorCode::RuleFailed, "rule_code")),
        }
    }

    /// Every code of the family, from the enum that returns it.
    pub fn codes(self) -> Vec<&'static str> {
        match self {
            Family::Problem => ErrorCode::ALL.iter().map(|c| c.as_str()).collect(),
            Family::Diagnostic => Code::ALL.iter().map(|c| c.as_str()).collect(),
            Family::Refusal => Refusal::CODES.to_vec(),
            Family::Lifecycle => LifecycleError::CODES.to_vec(),
            Family::Calendar => CalendarError::CODES.to_vec(),
            Family::Rule => RuleError::CODES.to_vec(),
            Family::ImportLine => LineCode::ALL.iter().map(|c| c.as_str()).collect(),
        }
    }

    /// The HTTP status of the response a code of this family is seen in.
    fn status(self, code: &str) -> u16 {
        let problem = |c: ErrorCode| c.status().as_u16();
        match (self, code) {
            (Family::Problem, code) => ErrorCode::ALL.iter().find(|c| c.as_str() == code).map_or(500, |c| problem(*c)),
            // The server answers an action by the wrong official as 403, naming the refusal.
            (Family::Lifecycle, "wrong_actor") => problem(ErrorCode::Forbidden),
            // A rule stopped at a limit is the submission's fault, not the server's.
            (Family::Rule, "rule_limit") => problem(ErrorCode::RuleBudgetExceeded),
            // Each line's outcome is reported in the import's 200 answer.
            (Family::ImportLine, _) => 200,
            (family, _) => family.carried_by().map_or(500, |(c, _)| problem(c)),
        }
    }
}

/// The texts of one code, as `texts.yaml` has them.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Texts {
    en: String,
    vi: String,
    help: String,
    help_vi: String,
}

/// One code of the catalogue.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// Where it is seen.
    pub family: Family,
    /// The stable snake_case code.
    pub code: &'static str,
    /// The HTTP status of the response it is seen in.
    pub status: u16,
    /// Title in English.
    pub en: String,
    /// Title in Vietnamese.
    pub vi: String,
    /// When it happens and how to fix it, in English.
    pub help: String,
    /// The same, in Vietnamese.
    pub help_vi: String,
}

const TEXTS: &str = include_str!("texts.yaml");

type TextTable = BTreeMap<Family, BTreeMap<String, Texts>>;

static TABLE: LazyLock<TextTable> = LazyLock::new(|| match serde_saphyr::from_str::<TextTable>(TEXTS) {
    Ok(table) => table,
    Err(error) => {
        // The catalogue test parses the file on every build; a server never sees this.
        tracing::error!(%error, "texts.yaml does not parse: codes are served without titles");
        TextTable::new()
    }
});

static CATALOGUE: LazyLock<Vec<Entry>> = LazyLock::new(|| {
    Family::ALL
        .iter()
        .flat_map(|&family| family.codes().into_iter().map(move |code| (family, code)))
        .map(|(family, code)| {
            let texts = TABLE.get(&family).and_then(|codes| codes.get(code));
            let text = |pick: fn(&Texts) -> &String| texts.map_or_else(|| code.to_owned(), |t| pick(t).clone());
            Entry {
                family,
                code,
                status: family.status(code),
                en: text(|t| &t.en),
                vi: text(|t| &t.vi),
                help: text(|t| &t.help),
                help_vi: text(|t| &t.help_vi),
            }
        })
        .collect()
});

/// Every code, family by family.
pub fn catalogue() -> &'static [Entry] {
    &CATALOGUE
}

/// The entry of `code` in `family`.
pub fn find(family: Family, code: &str) -> Option<&'static Entry> {
    CATALOGUE.iter().find(|e| e.family == family && e.code == code)
}

/// The English title of a code (the code itself if the catalogue has none).
pub fn title(family: Family, code: &'static str) -> &'static str {
    find(family, code).map_or(code, |e| e.en.as_str())
}

/// The page of a problem code, as its `type` names it: a reference relative to this server
/// (RFC 9457 §3.1.1), so that it resolves wherever the server is deployed.
pub fn page_of(code: &str) -> String {
    format!("/problems/{code}")
}

/// What the texts file says that no enum returns, and what an enum returns that the texts
/// file does not describe: both empty when the catalogue is complete.
pub fn drift() -> (Vec<String>, Vec<String>) {
    let mut orphans = Vec::new();
    let mut undescribed = Vec::new();
    for family in Family::ALL {
        let codes = family.codes();
        let texts = TABLE.get(&family);
        for code in &codes {
            if texts.is_none_or(|t| !t.contains_key(*code)) {
                undescribed.push(format!("{}.{code}", family.as_str()));
            }
        }
        for code in texts.into_iter().flat_map(|t| t.keys()) {
            if !codes.contains(&code.as_str()) {
                orphans.push(format!("{}.{code}", family.as_str()));
            }
        }
    }
    if serde_saphyr::from_str::<TextTable>(TEXTS).is_err() {
        undescribed.push("texts.yaml does not parse".to_owned());
    }
    (orphans, undescribed)
}
