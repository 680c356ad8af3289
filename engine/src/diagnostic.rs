//! Located, coded diagnostics for definition files.

use serde::Serialize;
use std::fmt;

/// Every problem a definition can have, with a stable snake_case code.
///
/// Codes are part of the contract (tools and the HTTP API match on them): add, never rename.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Code {
    /// The file is not well-formed YAML.
    YamlSyntax,
    /// A key the format does not define.
    UnknownKey,
    /// A required key is absent.
    MissingKey,
    /// A value of the wrong type.
    WrongType,
    /// A value outside what the format allows (enum, pattern, range).
    InvalidValue,
    /// A string or list longer than the format allows.
    TooLong,
    /// Any other violation of procedure.schema.json.
    SchemaViolation,
    /// A date that does not exist or validity dates in the wrong order.
    InvalidDate,
    /// Two forms, documents, steps or examples share an id.
    DuplicateId,
    /// A step names a role the platform does not know.
    UnknownRole,
    /// A step's agency is outside the owning agency and not marked inter-agency.
    StepAgencyOutside,
    /// More than one step is marked as the decision step.
    MultipleDecisionSteps,
    /// Step budgets add up to more than the committed processing time.
    StepsOverBudget,
    /// The committed processing time is longer than the statutory one.
    CommittedOverStatutory,
    /// A full-online procedure that does not accept the online channel.
    FullOnlineWithoutOnlineChannel,
    /// An information-only procedure that accepts dossiers.
    InfoLevelAcceptsDossiers,
    /// A rule refers to a form that is not declared.
    UnknownForm,
    /// A rule refers to a field the form's schema does not declare.
    UnknownFormField,
    /// A form schema file that cannot be found.
    FormSchemaNotFound,
    /// A form schema that is not valid JSON or does not compile.
    FormSchemaInvalid,
    /// A rhai rule that does not parse.
    RuleSyntax,
    /// A rhai rule that fails while running an example.
    RuleRuntime,
    /// A rhai rule stopped by a sandbox limit (operations, depth, sizes).
    RuleLimit,
    /// A rule that returns the wrong type.
    RuleType,
    /// An example whose data does not make sense (bad time, unknown document or form).
    InvalidExample,
    /// An example whose outcome (accepted, fee, due time, reasons) is not the one it expects.
    ExampleFailed,
    /// Two files of one catalogue define the same code and version.
    DuplicateVersion,
    /// A processing time the calendar cannot use.
    InvalidProcessingTime,
}

impl Code {
    /// What the code means, in Vietnamese, for the officials who edit definitions in the
    /// portal (the message itself stays the engine's, as `motcua validate` prints it).
    pub fn label(self) -> &'static str {
        match self {
            Code::YamlSyntax => "Sai cú pháp YAML",
            Code::UnknownKey => "Khóa không có trong mẫu định nghĩa",
            Code::MissingKey => "Thiếu khóa bắt buộc",
            Code::WrongType => "Sai kiểu giá trị",
            Code::InvalidValue => "Giá trị không được phép",
            Code::TooLong => "Nội dung quá dài",
            Code::SchemaViolation => "Không đúng mẫu định nghĩa",
            Code::InvalidDate => "Ngày không hợp lệ",
            Code::DuplicateId => "Mã bị trùng",
            Code::UnknownRole => "Vai trò không xác định",
            Code::StepAgencyOutside => "Bước giao cho cơ quan ngoài cơ quan chủ trì",
            Code::MultipleDecisionSteps => "Có nhiều hơn một bước quyết định",
            Code::StepsOverBudget => "Tổng thời gian các bước vượt thời hạn giải quyết",
            Code::CommittedOverStatutory => "Thời hạn cam kết dài hơn thời hạn luật định",
            Code::FullOnlineWithoutOnlineChannel => "Thủ tục toàn trình nhưng không nhận hồ sơ trực tuyến",
            Code::InfoLevelAcceptsDossiers => "Thủ tục chỉ cung cấp thông tin nhưng lại nhận hồ sơ",
            Code::UnknownForm => "Quy tắc dùng tờ khai chưa khai báo",
            Code::UnknownFormField => "Quy tắc dùng trường tờ khai không có",
            Code::FormSchemaNotFound => "Không tìm thấy tệp tờ khai",
            Code::FormSchemaInvalid => "Tệp tờ khai không hợp lệ",
            Code::RuleSyntax => "Quy tắc viết sai cú pháp",
            Code::RuleRuntime => "Quy tắc lỗi khi chạy",
            Code::RuleLimit => "Quy tắc vượt giới hạn cho phép",
            Code::RuleType => "Quy tắc trả về sai kiểu",
            Code::InvalidExample => "Ví dụ kiểm thử không hợp lệ",
            Code::ExampleFailed => "Ví dụ kiểm thử cho kết quả khác mong đợi",
            Code::DuplicateVersion => "Trùng mã và phiên bản",
            Code::InvalidProcessingTime => "Thời hạn giải quyết không dùng được",
        }
    }

    /// Every code, in declaration order: the catalogue of codes lists each.
    pub const ALL: [Code; 28] = [
        Code::YamlSyntax,
        Code::UnknownKey,
        Code::MissingKey,
        Code::WrongType,
        Code::InvalidValue,
        Code::TooLong,
        Code::SchemaViolation,
        Code::InvalidDate,
        Code::DuplicateId,
        Code::UnknownRole,
        Code::StepAgencyOutside,
        Code::MultipleDecisionSteps,
        Code::StepsOverBudget,
        Code::CommittedOverStatutory,
        Code::FullOnlineWithoutOnlineChannel,
        Code::InfoLevelAcceptsDossiers,
        Code::UnknownForm,
        Code::UnknownFormField,
        Code::FormSchemaNotFound,
        Code::FormSchemaInvalid,
        Code::RuleSyntax,
        Code::RuleRuntime,
        Code::RuleLimit,
        Code::RuleType,
        Code::InvalidExample,
        Code::ExampleFailed,
        Code::DuplicateVersion,
        Code::InvalidProcessingTime,
    ];

    /// The stable snake_case code.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::YamlSyntax => "yaml_syntax",
            Code::UnknownKey => "unknown_key",
            Code::MissingKey => "missing_key",
            Code::WrongType => "wrong_type",
            Code::InvalidValue => "invalid_value",
            Code::TooLong => "too_long",
            Code::SchemaViolation => "schema_violation",
            Code::InvalidDate => "invalid_date",
            Code::DuplicateId => "duplicate_id",
            Code::UnknownRole => "unknown_role",
            Code::StepAgencyOutside => "step_agency_outside",
            Code::MultipleDecisionSteps => "multiple_decision_steps",
            Code::StepsOverBudget => "steps_over_budget",
            Code::CommittedOverStatutory => "committed_over_statutory",
            Code::FullOnlineWithoutOnlineChannel => "full_online_without_online_channel",
            Code::InfoLevelAcceptsDossiers => "info_level_accepts_dossiers",
            Code::UnknownForm => "unknown_form",
            Code::UnknownFormField => "unknown_form_field",
            Code::FormSchemaNotFound => "form_schema_not_found",
            Code::FormSchemaInvalid => "form_schema_invalid",
            Code::RuleSyntax => "rule_syntax",
            Code::RuleRuntime => "rule_runtime",
            Code::RuleLimit => "rule_limit",
            Code::RuleType => "rule_type",
            Code::InvalidExample => "invalid_example",
            Code::ExampleFailed => "example_failed",
            Code::DuplicateVersion => "duplicate_version",
            Code::InvalidProcessingTime => "invalid_processing_time",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a diagnostic blocks publication.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The definition cannot be compiled or published.
    Error,
    /// Worth fixing; the definition still compiles.
    Warning,
}

/// One problem in a definition, located in its file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    /// The file as named by the caller.
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// JSON pointer of the value inside the document (`/steps/2/role`), empty for the root.
    pub path: String,
    /// Stable code.
    pub code: Code,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong, lowercase, user values in backticks.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// Whether this diagnostic blocks compilation.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    /// `FILE:LINE:COL: error[CODE]: message (help: …)`, one line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}:{}:{}: {severity}[{}]: {}", self.file, self.line, self.column, self.code, self.message)?;
        if let Some(help) = &self.help {
            write!(f, " (help: {help})")?;
        }
        Ok(())
    }
}
