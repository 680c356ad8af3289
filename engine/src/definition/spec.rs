//! Raw definition types, deserialised strictly from a document that already passed
//! `procedure.schema.json`. Runtime never reads these: `compile` turns them into a `Procedure`.

use serde::Deserialize;
use serde_json::Value;

/// A procedure definition as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)] // each field is documented in procedure.schema.json, the format's source of truth
pub struct ProcedureSpec {
    pub code: String,
    pub name: String,
    pub field: String,
    pub field_name: Option<String>,
    pub agency: String,
    pub agency_name: Option<String>,
    pub level: Option<String>,
    pub version: u32,
    pub legal_basis: Vec<String>,
    pub published_by: Option<String>,
    pub valid_from: String,
    pub valid_to: Option<String>,
    pub online_level: OnlineLevel,
    pub channels: Vec<Channel>,
    pub channel_note: Option<String>,
    #[serde(default)]
    pub auto_accept_online: bool,
    pub centralised_system: Option<String>,
    pub processing_time: ProcessingTimeSpec,
    #[serde(default)]
    pub forms: Vec<FormSpec>,
    #[serde(default)]
    pub documents: Vec<DocumentSpec>,
    pub fee: Option<FeeSpec>,
    pub eligibility: Option<String>,
    pub steps: Vec<StepSpec>,
    pub result: Option<String>,
    #[serde(default)]
    pub examples: Vec<ExampleSpec>,
}

/// Online service level per Decree 42/2022.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OnlineLevel {
    /// Toàn trình: everything online, result online or by public post.
    Full,
    /// Một phần: anything less than full.
    Partial,
    /// Information only.
    Info,
}

impl OnlineLevel {
    /// Every level, fullest first.
    pub const ALL: [OnlineLevel; 3] = [OnlineLevel::Full, OnlineLevel::Partial, OnlineLevel::Info];

    /// The snake_case name, as definitions write it.
    pub fn as_str(self) -> &'static str {
        match self {
            OnlineLevel::Full => "full",
            OnlineLevel::Partial => "partial",
            OnlineLevel::Info => "info",
        }
    }

    /// The Vietnamese name (Decree 42/2022, Law 148/2025).
    pub fn label(self) -> &'static str {
        match self {
            OnlineLevel::Full => "Dịch vụ công trực tuyến toàn trình",
            OnlineLevel::Partial => "Dịch vụ công trực tuyến một phần",
            OnlineLevel::Info => "Cung cấp thông tin trực tuyến",
        }
    }
}

/// A channel a dossier can arrive by (Decree 118/2025 art. 15).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// Through the public-service portal.
    Online,
    /// At the one-stop desk.
    Counter,
    /// By public postal service (bưu chính công ích).
    Postal,
}

impl Channel {
    /// Every channel.
    pub const ALL: [Channel; 3] = [Channel::Online, Channel::Counter, Channel::Postal];

    /// The channel's snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Online => "online",
            Channel::Counter => "counter",
            Channel::Postal => "postal",
        }
    }

    /// The Vietnamese label.
    pub fn label(self) -> &'static str {
        match self {
            Channel::Online => "trực tuyến",
            Channel::Counter => "trực tiếp tại Bộ phận Một cửa",
            Channel::Postal => "qua dịch vụ bưu chính công ích",
        }
    }
}

impl std::str::FromStr for Channel {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "online" => Ok(Channel::Online),
            "counter" => Ok(Channel::Counter),
            "postal" => Ok(Channel::Postal),
            other => Err(format!("unknown channel `{other}`: expected online, counter or postal")),
        }
    }
}

/// Processing time as written: one unit, optionally the statutory time it was cut from.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct ProcessingTimeSpec {
    pub working_days: Option<f64>,
    pub statutory_working_days: Option<f64>,
    pub working_hours: Option<f64>,
    pub statutory_working_hours: Option<f64>,
    pub calendar_days: Option<u32>,
    pub statutory_calendar_days: Option<u32>,
    pub same_day: Option<SameDaySpec>,
    pub rule: Option<String>,
}

/// "Same day, next working day if received after the cut-off".
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SameDaySpec {
    /// Local time, `HH:MM`.
    pub cutoff: String,
}

/// A form and its JSON Schema.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct FormSpec {
    pub id: String,
    pub title: String,
    pub schema: Value,
}

/// How a document must be provided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// Bản chính.
    Original,
    /// Bản sao có chứng thực.
    CertifiedCopy,
    /// Bản sao.
    Copy,
    /// Xuất trình bản chính để đối chiếu.
    Presented,
}

impl DocumentKind {
    /// How the one-stop forms (Mẫu 01's checklist) print it.
    pub fn label(self) -> &'static str {
        match self {
            DocumentKind::Original => "Bản chính",
            DocumentKind::CertifiedCopy => "Bản sao có chứng thực",
            DocumentKind::Copy => "Bản sao",
            DocumentKind::Presented => "Xuất trình bản chính",
        }
    }
}

/// A required document.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct DocumentSpec {
    pub id: String,
    pub title: String,
    pub kind: DocumentKind,
    pub copies: Option<u32>,
    pub required_when: Option<String>,
    pub condition_text: Option<String>,
    pub files: Option<crate::files::FilesSpec>,
    #[serde(default)]
    pub optional: bool,
    pub note: Option<String>,
}

/// Fee: a fixed amount or a rule.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct FeeSpec {
    pub name: Option<String>,
    pub amount: Option<i64>,
    pub rule: Option<String>,
    pub basis: Option<String>,
}

/// A processing step of the internal workflow.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct StepSpec {
    pub id: String,
    pub name: Option<String>,
    pub role: String,
    pub agency: String,
    pub working_days: f64,
    #[serde(default)]
    pub inter_agency: bool,
    #[serde(default)]
    pub decides: bool,
}

/// A scenario test carried by the definition.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct ExampleSpec {
    pub name: String,
    pub channel: Channel,
    pub received_at: String,
    #[serde(default)]
    pub form: serde_json::Map<String, Value>,
    #[serde(default)]
    pub documents: Vec<String>,
    pub expect: ExpectSpec,
}

/// What an example expects.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct ExpectSpec {
    pub accepted: bool,
    pub fee: Option<i64>,
    pub due: Option<String>,
    pub reasons: Option<Vec<String>>,
}
