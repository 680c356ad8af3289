//! A compiled procedure: what the runtime evaluates. Built only by `compile`.

use crate::calendar::{Calendar, ProcessingTime, WorkingDays};
use crate::codes::{AgencyCode, ProcedureCode, Role};
use crate::definition::spec::{Channel, DocumentKind, ExampleSpec, OnlineLevel};
use crate::rules::{Rule, Sandbox};
use chrono::NaiveDate;
use serde::Serialize;
use std::sync::Arc;

/// One published version of a procedure, ready to evaluate.
#[derive(Debug, Clone)]
pub struct Procedure {
    /// National procedure code.
    pub code: ProcedureCode,
    /// Official name.
    pub name: String,
    /// Field slug (lĩnh vực).
    pub field: String,
    /// Field name in Vietnamese.
    pub field_name: Option<String>,
    /// Competent agency.
    pub agency: AgencyCode,
    /// Its name.
    pub agency_name: Option<String>,
    /// Level of government.
    pub level: Option<String>,
    /// Version number.
    pub version: u32,
    /// Legal basis.
    pub legal_basis: Vec<String>,
    /// The decision that published it.
    pub published_by: Option<String>,
    /// First day in force.
    pub valid_from: NaiveDate,
    /// Last day in force.
    pub valid_to: Option<NaiveDate>,
    /// Online service level (Decree 42/2022).
    pub online_level: OnlineLevel,
    /// Accepted channels.
    pub channels: Vec<Channel>,
    /// Why other channels are refused.
    pub channel_note: Option<String>,
    /// Whether online dossiers that pass the engine's checks are received without a
    /// reception officer.
    pub auto_accept_online: bool,
    /// The central system's code (AA) of a nationally centralised service.
    pub centralised_system: Option<String>,
    /// The committed processing time, used for due times.
    pub processing_time: ProcessingTime,
    /// The statutory time it was cut from, when the definition gives it.
    pub statutory_time: Option<ProcessingTime>,
    /// The case-dependent committed time.
    pub time_rule: Option<Rule>,
    /// Forms to fill.
    pub forms: Vec<Form>,
    /// Documents to attach.
    pub documents: Vec<Document>,
    /// Fee.
    pub fee: Fee,
    /// Eligibility rule.
    pub eligibility: Option<Rule>,
    /// The internal workflow.
    pub steps: Vec<Step>,
    /// Index of the step that decides.
    pub decision_step: usize,
    /// What the applicant receives.
    pub result: Option<String>,
    /// Scenario tests, with the line each starts on.
    pub examples: Vec<(ExampleSpec, u32)>,
    /// The file it was compiled from.
    pub source: String,
    pub(crate) calendar: Calendar,
    pub(crate) sandbox: Sandbox,
}

/// A form and its compiled JSON Schema.
#[derive(Clone)]
pub struct Form {
    /// Form id, the key of its data in a submission.
    pub id: String,
    /// Title, e.g. "Đơn đăng ký biến động (Mẫu 11/ĐK)".
    pub title: String,
    /// Where the schema came from (a path under schemas/ or "inline").
    pub schema_ref: String,
    /// The schema itself, for clients that render the form.
    pub schema: Arc<serde_json::Value>,
    pub(crate) validator: Arc<jsonschema::Validator>,
}

impl std::fmt::Debug for Form {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Form").field("id", &self.id).field("schema_ref", &self.schema_ref).finish()
    }
}

/// A document of the dossier.
#[derive(Debug, Clone)]
pub struct Document {
    /// Id a submission lists when it provides the document.
    pub id: String,
    /// Title.
    pub title: String,
    /// Original, certified copy, copy or presented.
    pub kind: DocumentKind,
    /// Number of copies.
    pub copies: u32,
    /// Never required.
    pub optional: bool,
    /// Required only when this rule holds.
    pub condition: Option<Rule>,
    /// The condition in plain words (`Nộp khi …`), as written or read from the rule.
    pub condition_text: Option<String>,
    /// The files it is provided as, online or by post (a counter dossier may record paper
    /// copies instead); none when it is not filed as files.
    pub files: Option<crate::files::FileRules>,
}

/// Fee (phí, lệ phí).
#[derive(Debug, Clone)]
pub struct Fee {
    /// What it is called.
    pub name: Option<String>,
    /// Its legal basis.
    pub basis: Option<String>,
    /// How much.
    pub amount: FeeAmount,
}

/// A fixed amount or a rule.
#[derive(Debug, Clone)]
pub enum FeeAmount {
    /// VND.
    Fixed(i64),
    /// Computed from the submission.
    Rule(Rule),
}

/// A step of the internal workflow.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    /// Step id.
    pub id: String,
    /// Display name.
    pub name: Option<String>,
    /// Who acts.
    pub role: Role,
    /// The unit that acts.
    pub agency: AgencyCode,
    /// Time allotted.
    pub budget: WorkingDays,
    /// A step of another agency (một cửa liên thông).
    pub inter_agency: bool,
}

impl Procedure {
    /// The calendar due times are computed on.
    pub fn calendar(&self) -> &Calendar {
        &self.calendar
    }

    /// Whether the channel is accepted.
    pub fn accepts(&self, channel: Channel) -> bool {
        self.channels.contains(&channel)
    }

    /// Legacy online level (Decree 43/2011, 1–4) for historic reports: full online is level 4;
    /// partial with online submission level 3, without it level 2; information only level 1.
    pub fn legacy_level(&self) -> u8 {
        match self.online_level {
            OnlineLevel::Full => 4,
            OnlineLevel::Partial if self.accepts(Channel::Online) => 3,
            OnlineLevel::Partial => 2,
            OnlineLevel::Info => 1,
        }
    }

    /// The procedure's online service level as the scale in force on `day` states it: a
    /// dossier received under Decree 43/2011 was at "level 3", one received today is "partial".
    pub fn service_level_on(&self, day: NaiveDate) -> crate::legal::ServiceLevel {
        use crate::legal::{ServiceLevel, ServiceLevelScale};
        let scale = crate::legal::rule_set_on(day).service_levels;
        let (level, label) = match (scale, self.online_level) {
            (ServiceLevelScale::Decree43Levels, _) => {
                let n = self.legacy_level();
                (n.to_string(), format!("Mức độ {n}"))
            }
            (_, OnlineLevel::Full) => ("full".to_owned(), "Toàn trình".to_owned()),
            (_, OnlineLevel::Partial) => ("partial".to_owned(), "Một phần".to_owned()),
            (_, OnlineLevel::Info) => ("info".to_owned(), "Cung cấp thông tin".to_owned()),
        };
        ServiceLevel { scale, level, label }
    }

    /// Whether the version is in force on a day.
    pub fn in_force_on(&self, day: NaiveDate) -> bool {
        day >= self.valid_from && self.valid_to.is_none_or(|end| day <= end)
    }

    /// The one-stop desk that receives dossiers: the first step's unit when it is a reception
    /// step, otherwise the competent agency. Dossier codes carry it.
    pub fn reception_agency(&self) -> &AgencyCode {
        match self.steps.first() {
            Some(first) if first.role == Role::Reception => &first.agency,
            _ => &self.agency,
        }
    }

    /// A form by id.
    pub fn form(&self, id: &str) -> Option<&Form> {
        self.forms.iter().find(|f| f.id == id)
    }
}
