//! Who acts and what they do.

use crate::codes::{AgencyCode, Role};
use crate::definition::spec::Channel;
use crate::evaluate::Intake;
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

/// Who performs a transition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Actor {
    /// An official of an agency with a role.
    Official {
        /// Their identifier (account).
        id: String,
        /// Their role.
        role: Role,
        /// Their unit.
        agency: AgencyCode,
    },
    /// The applicant (citizen or business), directly or through an API client.
    Applicant {
        /// Who.
        id: String,
    },
}

impl Actor {
    /// A short name for logs and audit rows.
    pub fn name(&self) -> String {
        match self {
            Actor::Official { id, role, agency } => format!("{id} ({} {agency})", role.as_str()),
            Actor::Applicant { id } => format!("{id} (applicant)"),
        }
    }
}

/// What can happen to a dossier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum Action {
    /// Reception accepts a complete dossier (Mẫu 01): the clock starts.
    Accept {
        /// The engine's evaluation at `now`: due time and step plan.
        intake: Intake,
    },
    /// Reception asks for a supplement before receipt (Mẫu 02): the dossier is not received.
    RequestSupplementBeforeReceipt {
        /// What is missing and why.
        items: Vec<String>,
    },
    /// The applicant submits again after a supplement request before receipt.
    Resubmit,
    /// Reception refuses the dossier (Mẫu 03).
    Refuse {
        /// Why.
        reasons: Vec<String>,
    },
    /// The current step is done; the dossier goes to the next step's unit.
    Forward {
        /// Optional note of the handover.
        #[serde(default)]
        note: Option<String>,
    },
    /// During processing, at most once: the clock pauses until the supplement arrives.
    RequestSupplement {
        /// What is missing and why.
        items: Vec<String>,
    },
    /// The complete supplement arrived (at the desk, or sent by the applicant): the clock
    /// resumes with the remaining time.
    SupplementReceived,
    /// The applicant must fulfil a financial obligation (tax, land levy): the clock pauses.
    RequestFinancialObligation {
        /// What to pay.
        note: String,
    },
    /// The obligation was fulfilled: the clock resumes.
    FinancialObligationFulfilled,
    /// Apology with a new appointment (Mẫu 04) from the agency that will be late.
    Apologize {
        /// The reason for the delay.
        reason: String,
        /// The new appointment.
        new_due: DateTime<FixedOffset>,
    },
    /// The decision at the decision step.
    Decide {
        /// Approved (result issued) or rejected.
        approved: bool,
        /// Written reasons, required for a rejection.
        #[serde(default)]
        reasons: Vec<String>,
    },
    /// The result is returned to the applicant.
    ReturnResult {
        /// How (electronic, at the desk, by post).
        channel: Channel,
    },
    /// The applicant withdraws the dossier before a decision.
    Withdraw {
        /// Why, if they say.
        #[serde(default)]
        reason: Option<String>,
    },
    /// At the applicant's request, processing stops with a stop notice (Decree 118/2025).
    Stop {
        /// The request's reason.
        reason: String,
    },
}

impl Action {
    /// Every action's name, and how the portal and the printed history name it in Vietnamese.
    pub const LABELS: [(&'static str, &'static str); 14] = [
        ("accept", "Tiếp nhận hồ sơ"),
        ("request_supplement_before_receipt", "Yêu cầu bổ sung, hoàn thiện hồ sơ (chưa tiếp nhận)"),
        ("resubmit", "Nộp lại hồ sơ sau khi bổ sung"),
        ("refuse", "Từ chối tiếp nhận hồ sơ"),
        ("forward", "Hoàn thành bước, chuyển bước tiếp theo"),
        ("request_supplement", "Yêu cầu bổ sung hồ sơ (tạm dừng tính thời gian)"),
        ("supplement_received", "Đã nhận hồ sơ bổ sung"),
        ("request_financial_obligation", "Thông báo thực hiện nghĩa vụ tài chính"),
        ("financial_obligation_fulfilled", "Đã hoàn thành nghĩa vụ tài chính"),
        ("apologize", "Xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04)"),
        ("decide", "Quyết định giải quyết"),
        ("return_result", "Trả kết quả"),
        ("withdraw", "Rút hồ sơ"),
        ("stop", "Dừng giải quyết hồ sơ"),
    ];

    /// The Vietnamese name of the action named `name`; the records of filing (`submit`,
    /// `receive`) are named too.
    pub fn label(name: &str) -> Option<&'static str> {
        match name {
            "submit" => Some("Nộp hồ sơ"),
            "receive" => Some("Tiếp nhận hồ sơ"),
            name => Self::LABELS.iter().find(|(n, _)| *n == name).map(|(_, label)| *label),
        }
    }

    /// The action's snake_case name.
    pub fn name(&self) -> &'static str {
        match self {
            Action::Accept { .. } => "accept",
            Action::RequestSupplementBeforeReceipt { .. } => "request_supplement_before_receipt",
            Action::Resubmit => "resubmit",
            Action::Refuse { .. } => "refuse",
            Action::Forward { .. } => "forward",
            Action::RequestSupplement { .. } => "request_supplement",
            Action::SupplementReceived => "supplement_received",
            Action::RequestFinancialObligation { .. } => "request_financial_obligation",
            Action::FinancialObligationFulfilled => "financial_obligation_fulfilled",
            Action::Apologize { .. } => "apologize",
            Action::Decide { .. } => "decide",
            Action::ReturnResult { .. } => "return_result",
            Action::Withdraw { .. } => "withdraw",
            Action::Stop { .. } => "stop",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_a_vietnamese_label() {
        let at = DateTime::parse_from_rfc3339("2026-12-03T09:00:00+07:00").expect("time");
        let actions = [
            Action::RequestSupplementBeforeReceipt { items: vec![] },
            Action::Resubmit,
            Action::Refuse { reasons: vec![] },
            Action::Forward { note: None },
            Action::RequestSupplement { items: vec![] },
            Action::SupplementReceived,
            Action::RequestFinancialObligation { note: String::new() },
            Action::FinancialObligationFulfilled,
            Action::Apologize { reason: String::new(), new_due: at },
            Action::Decide { approved: true, reasons: vec![] },
            Action::ReturnResult { channel: Channel::Online },
            Action::Withdraw { reason: None },
            Action::Stop { reason: String::new() },
        ];
        for action in &actions {
            assert!(Action::label(action.name()).is_some(), "{} has no label", action.name());
        }
        // Acceptance (which carries an evaluation) is the fourteenth.
        assert!(Action::label("accept").is_some());
        let mut names: Vec<&str> = Action::LABELS.iter().map(|(name, _)| *name).collect();
        names.dedup();
        assert_eq!(names.len(), actions.len() + 1);
    }
}
