//! Evaluating a submission: accepted with fee, due time and checklist, or every reason not.

use crate::calendar::VIETNAM_OFFSET;
use crate::calendar::{CalendarError, ProcessingTime, WorkingDays, WorkingHours};
use crate::definition::spec::{Channel, DocumentKind, OnlineLevel};
use crate::procedure::{FeeAmount, Procedure};
use crate::rules::{RuleError, RuleInput, TimeBudget};
use chrono::{DateTime, FixedOffset};
use jsonschema::error::ValidationErrorKind;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The outcome of reception.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Evaluation {
    /// The dossier is complete and valid: it can be received.
    Accepted(Intake),
    /// Every reason it cannot be received.
    Refused {
        /// All of them, in the order channel, forms, documents, eligibility.
        reasons: Vec<Refusal>,
    },
}

/// What the receipt (Mẫu 01) states.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Intake {
    /// Fee in VND.
    pub fee: i64,
    /// When the dossier was received.
    pub received_at: DateTime<FixedOffset>,
    /// The committed processing time applied to this dossier.
    pub processing_time: ProcessingTime,
    /// Due time (ngày hẹn trả kết quả), UTC+7.
    pub due: DateTime<FixedOffset>,
    /// Required-documents checklist.
    pub checklist: Vec<ChecklistItem>,
    /// Due time of each step, from the same start.
    pub steps: Vec<StepDue>,
}

/// One line of the checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistItem {
    /// Document id.
    pub id: String,
    /// Title.
    pub title: String,
    /// How it must be provided.
    pub kind: DocumentKind,
    /// Copies.
    pub copies: u32,
    /// Whether this dossier needs it.
    pub required: bool,
    /// Whether the submission includes it.
    pub provided: bool,
}

/// A step's due time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepDue {
    /// Step id.
    pub step: String,
    /// When the step must be done.
    pub due: DateTime<FixedOffset>,
}

/// Why a submission is not acceptable. Messages are Vietnamese: they reach the applicant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Refusal {
    /// The procedure does not accept this channel.
    ChannelRefused {
        /// The channel used.
        channel: Channel,
        /// Why.
        message: String,
    },
    /// No version of the procedure is in force on the receipt date.
    NotInForce {
        /// Explanation.
        message: String,
    },
    /// Data for a form the procedure does not have.
    UnknownForm {
        /// The form id.
        form: String,
        /// Explanation.
        message: String,
    },
    /// A form that was not filled.
    MissingForm {
        /// The form id.
        form: String,
        /// Explanation.
        message: String,
    },
    /// A form field that is invalid.
    InvalidField {
        /// JSON pointer into the submitted `form` object (`/don_dang_ky/nguoi_nop/ngay_sinh`).
        pointer: String,
        /// The JSON Schema keyword that failed.
        keyword: String,
        /// Explanation.
        message: String,
    },
    /// A required document is missing.
    MissingDocument {
        /// Document id.
        document: String,
        /// Explanation.
        message: String,
    },
    /// A document id the procedure does not list.
    UnknownDocument {
        /// Document id.
        document: String,
        /// Explanation.
        message: String,
    },
    /// An eligibility condition is not met.
    Ineligible {
        /// The reason the rule gave.
        message: String,
    },
}

impl Refusal {
    /// Every code [`Refusal::code`] returns, for the catalogue of codes.
    pub const CODES: [&'static str; 8] = [
        "channel_refused",
        "not_in_force",
        "unknown_form",
        "missing_form",
        "invalid_field",
        "missing_document",
        "unknown_document",
        "ineligible",
    ];

    /// Stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::ChannelRefused { .. } => "channel_refused",
            Refusal::NotInForce { .. } => "not_in_force",
            Refusal::UnknownForm { .. } => "unknown_form",
            Refusal::MissingForm { .. } => "missing_form",
            Refusal::InvalidField { .. } => "invalid_field",
            Refusal::MissingDocument { .. } => "missing_document",
            Refusal::UnknownDocument { .. } => "unknown_document",
            Refusal::Ineligible { .. } => "ineligible",
        }
    }

    /// The message shown to the applicant.
    pub fn message(&self) -> &str {
        match self {
            Refusal::ChannelRefused { message, .. }
            | Refusal::NotInForce { message }
            | Refusal::UnknownForm { message, .. }
            | Refusal::MissingForm { message, .. }
            | Refusal::InvalidField { message, .. }
            | Refusal::MissingDocument { message, .. }
            | Refusal::UnknownDocument { message, .. }
            | Refusal::Ineligible { message } => message,
        }
    }
}

/// A failure of the definition or the calendar, not of the submission.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EvaluationError {
    /// A rule failed or was stopped by the sandbox.
    #[error(transparent)]
    Rule(#[from] RuleError),
    /// The due time cannot be computed.
    #[error(transparent)]
    Calendar(#[from] CalendarError),
}

impl EvaluationError {
    /// Stable code.
    pub fn code(&self) -> &'static str {
        match self {
            EvaluationError::Rule(e) => e.code(),
            EvaluationError::Calendar(e) => e.code(),
        }
    }
}

/// A submission as the engine evaluates it.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// How it arrived.
    pub channel: Channel,
    /// The forms' data, keyed by form id.
    pub form: &'a Value,
    /// The ids of the documents provided.
    pub documents: &'a [String],
    /// When it is received (the clock of the due time starts then).
    pub received_at: DateTime<FixedOffset>,
}

/// Evaluates a submission. Rules are bounded by the sandbox limits only; see
/// [`evaluate_within`] for a time budget.
pub fn evaluate(procedure: &Procedure, input: Input<'_>) -> Result<Evaluation, EvaluationError> {
    evaluate_within(procedure, input, None)
}

/// [`evaluate`], with the rules also stopped (as [`crate::rules::Limit::Time`]) once together
/// they have run longer than `budget`.
pub fn evaluate_within(
    procedure: &Procedure,
    input: Input<'_>,
    budget: Option<&TimeBudget>,
) -> Result<Evaluation, EvaluationError> {
    let Input { channel, form, documents, received_at } = input;
    let now = received_at.with_timezone(&VIETNAM_OFFSET);
    let mut reasons = Vec::new();
    check_channel(procedure, channel, now, &mut reasons);
    let forms_valid = check_forms(procedure, form, &mut reasons);
    let today = now.date_naive().format("%Y-%m-%d").to_string();
    let mut input = RuleInput::new(form, channel.as_str(), &today, documents);
    let engine = &procedure.sandbox.engine_within(budget);

    let mut checklist = Vec::with_capacity(procedure.documents.len());
    for document in &procedure.documents {
        let required = !document.optional
            && match &document.condition {
                Some(rule) => tolerate(rule.condition(engine, &mut input), forms_valid)?.unwrap_or(false),
                None => true,
            };
        let provided = documents.iter().any(|d| d == &document.id);
        if required && !provided {
            reasons.push(Refusal::MissingDocument {
                document: document.id.clone(),
                message: format!("Thiếu giấy tờ: {}", document.title),
            });
        }
        checklist.push(ChecklistItem {
            id: document.id.clone(),
            title: document.title.clone(),
            kind: document.kind,
            copies: document.copies,
            required,
            provided,
        });
    }
    for id in documents {
        if procedure.documents.iter().all(|d| &d.id != id) {
            reasons.push(Refusal::UnknownDocument {
                document: id.clone(),
                message: format!("Giấy tờ `{id}` không thuộc thành phần hồ sơ của thủ tục này"),
            });
        }
    }
    if let Some(rule) = &procedure.eligibility {
        for message in tolerate(rule.reasons(engine, &mut input), forms_valid)?.unwrap_or_default() {
            reasons.push(Refusal::Ineligible { message });
        }
    }
    let fee = match &procedure.fee.amount {
        FeeAmount::Fixed(amount) => *amount,
        FeeAmount::Rule(rule) => tolerate(rule.amount(engine, &mut input), forms_valid)?.unwrap_or(0),
    };
    if !reasons.is_empty() {
        return Ok(Evaluation::Refused { reasons });
    }
    let processing_time = match &procedure.time_rule {
        Some(rule) => with_value(&procedure.processing_time, rule.number(engine, &mut input)?)?,
        None => procedure.processing_time,
    };
    let calendar = procedure.calendar();
    let due = calendar.add(now, &processing_time)?;
    let mut steps = Vec::with_capacity(procedure.steps.len());
    let mut elapsed = 0;
    for step in &procedure.steps {
        elapsed += step.budget.to_minutes(calendar.working_day_minutes());
        steps.push(StepDue { step: step.id.clone(), due: calendar.add_working_minutes(now, elapsed)? });
    }
    Ok(Evaluation::Accepted(Intake { fee, received_at: now, processing_time, due, checklist, steps }))
}

/// With invalid forms a rule may read a missing field and fail; the form errors already say
/// what to fix, so a rule failure is the definition's fault only when the forms are valid.
fn tolerate<T>(result: Result<T, RuleError>, forms_valid: bool) -> Result<Option<T>, EvaluationError> {
    match result {
        Ok(value) => Ok(Some(value)),
        // A rule stopped by the sandbox is the definition's fault whatever the data.
        Err(e @ RuleError::Limit { .. }) => Err(EvaluationError::Rule(e)),
        Err(_) if !forms_valid => Ok(None),
        Err(e) => Err(EvaluationError::Rule(e)),
    }
}

fn check_channel(procedure: &Procedure, channel: Channel, now: DateTime<FixedOffset>, reasons: &mut Vec<Refusal>) {
    if procedure.online_level == OnlineLevel::Info {
        reasons.push(Refusal::ChannelRefused {
            channel,
            message: "Thủ tục này chỉ cung cấp thông tin, không tiếp nhận hồ sơ".to_owned(),
        });
    } else if !procedure.accepts(channel) {
        let accepted: Vec<&str> = procedure.channels.iter().map(|c| c.label()).collect();
        let mut message =
            format!("Thủ tục này không tiếp nhận hồ sơ {}; chỉ tiếp nhận {}", channel.label(), accepted.join(", "));
        if let Some(note) = &procedure.channel_note {
            message = format!("{message} ({note})");
        }
        reasons.push(Refusal::ChannelRefused { channel, message });
    }
    if !procedure.in_force_on(now.date_naive()) {
        reasons.push(Refusal::NotInForce {
            message: format!(
                "Phiên bản {} của thủ tục không có hiệu lực vào ngày {}",
                procedure.version,
                now.format("%d/%m/%Y")
            ),
        });
    }
}

/// Validates each form against its schema; true when all are present and valid.
fn check_forms(procedure: &Procedure, data: &Value, reasons: &mut Vec<Refusal>) -> bool {
    let before = reasons.len();
    let empty = serde_json::Map::new();
    let submitted = data.as_object().unwrap_or(&empty);
    for id in submitted.keys() {
        if procedure.form(id).is_none() {
            reasons.push(Refusal::UnknownForm {
                form: id.clone(),
                message: format!("Thủ tục này không có tờ khai `{id}`"),
            });
        }
    }
    for form in &procedure.forms {
        let Some(value) = submitted.get(&form.id) else {
            reasons
                .push(Refusal::MissingForm {
                    form: form.id.clone(), message: format!("Chưa kê khai {}", form.title)
                });
            continue;
        };
        if form.validator.is_valid(value) {
            continue;
        }
        for error in form.validator.iter_errors(value) {
            let mut pointer = format!("/{}{}", form.id, error.instance_path().as_str());
            if let ValidationErrorKind::Required { property } = error.kind() {
                pointer = format!("{pointer}/{}", property.as_str().unwrap_or_default());
            }
            let field = field_name(&form.schema, pointer.trim_start_matches(&format!("/{}", form.id)));
            let message = field_message(error.kind(), &field);
            reasons.push(Refusal::InvalidField { pointer, keyword: error.kind().keyword().to_owned(), message });
        }
    }
    reasons.len() == before
}

/// How a message names the field at `pointer` (into a form's data): by the title its schema
/// gives it, as the applicant read it on the form ("“Số định danh cá nhân”"), else by its key.
fn field_name(schema: &serde_json::Value, pointer: &str) -> String {
    let mut node = schema;
    for key in pointer.split('/').filter(|k| !k.is_empty()) {
        node = match node.get("items") {
            Some(items) if key.parse::<usize>().is_ok() => items,
            _ => &node["properties"][key],
        };
    }
    match node["title"].as_str() {
        Some(title) => format!("“{title}”"),
        None => format!("`{}`", pointer.rsplit('/').next().unwrap_or(pointer)),
    }
}

/// A Vietnamese message for a form-field error about `field` (as [`field_name`] names it).
fn field_message(kind: &ValidationErrorKind, field: &str) -> String {
    match kind {
        ValidationErrorKind::Required { .. } => format!("Thiếu thông tin bắt buộc {field}"),
        ValidationErrorKind::Type { .. } => format!("Trường {field} sai kiểu dữ liệu"),
        ValidationErrorKind::Format { format } => {
            let format = match format.as_str() {
                "date" => "ngày (năm-tháng-ngày, ví dụ 1990-05-01)",
                "date-time" => "ngày giờ",
                "email" => "thư điện tử",
                other => other,
            };
            format!("Trường {field} không đúng định dạng {format}")
        }
        ValidationErrorKind::Pattern { .. } => format!("Trường {field} không đúng mẫu quy định"),
        ValidationErrorKind::MinLength { limit } => format!("Trường {field} phải có ít nhất {limit} ký tự"),
        ValidationErrorKind::MaxLength { limit } => format!("Trường {field} dài quá {limit} ký tự"),
        // A list of choices is an `enum`, or a `oneOf` of `const`s when each has its title.
        ValidationErrorKind::Enum { .. }
        | ValidationErrorKind::Constant { .. }
        | ValidationErrorKind::OneOfNotValid { .. } => {
            format!("Giá trị của trường {field} không nằm trong danh sách cho phép")
        }
        ValidationErrorKind::Minimum { limit } | ValidationErrorKind::ExclusiveMinimum { limit } => {
            format!("Trường {field} phải lớn hơn hoặc bằng {limit}")
        }
        ValidationErrorKind::Maximum { limit } | ValidationErrorKind::ExclusiveMaximum { limit } => {
            format!("Trường {field} phải nhỏ hơn hoặc bằng {limit}")
        }
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            format!("Trường không có trong tờ khai: {}", unexpected.join(", "))
        }
        ValidationErrorKind::MinItems { limit } => format!("Trường {field} phải có ít nhất {limit} mục"),
        ValidationErrorKind::MaxItems { limit } => format!("Trường {field} có nhiều hơn {limit} mục"),
        _ => format!("Trường {field} không hợp lệ"),
    }
}

/// The committed time a time rule computed, in the procedure's unit.
fn with_value(base: &ProcessingTime, value: f64) -> Result<ProcessingTime, CalendarError> {
    Ok(match base {
        ProcessingTime::WorkingDays(_) => ProcessingTime::WorkingDays(WorkingDays::try_from(value)?),
        ProcessingTime::WorkingHours(_) => ProcessingTime::WorkingHours(WorkingHours::try_from(value)?),
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        // the rule returned a finite non-negative number
        ProcessingTime::CalendarDays(_) => ProcessingTime::CalendarDays(value.round() as u32),
        same_day @ ProcessingTime::SameDay { .. } => *same_day,
    })
}
