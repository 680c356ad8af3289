//! A dossier's state: what the database stores and the lifecycle transforms.

use super::timing::Timing;
use crate::codes::{AgencyCode, Role};
use crate::definition::spec::Channel;
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

/// Where a dossier is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum State {
    /// Submitted, waiting for reception to check it.
    Submitted,
    /// Reception asked for a supplement before receipt (Mẫu 02).
    AwaitingSupplementBeforeReceipt,
    /// Refused at reception (Mẫu 03).
    Refused,
    /// Received, being processed at a step before the decision.
    Processing {
        /// Index of the current step.
        step: usize,
    },
    /// The clock is paused (supplement or financial obligation) at a step.
    Paused {
        /// Index of the step that asked.
        step: usize,
    },
    /// Decided; the result is on its way through the remaining steps to the applicant.
    Decided {
        /// The current post-decision step, if any remain.
        step: Option<usize>,
    },
    /// The result was returned.
    Returned,
    /// Withdrawn by the applicant.
    Withdrawn,
    /// Stopped at the applicant's request.
    Stopped,
}

impl State {
    /// Every state's name, in the order a dossier may go through them.
    pub const NAMES: [&'static str; 9] = [
        "submitted",
        "awaiting_supplement_before_receipt",
        "refused",
        "processing",
        "paused",
        "decided",
        "returned",
        "withdrawn",
        "stopped",
    ];

    /// The names of the final states ([`State::is_final`]).
    pub const FINAL: [&'static str; 4] = ["refused", "returned", "withdrawn", "stopped"];

    /// The states in which the clock runs toward the due time: received and in processing,
    /// or decided with the result not returned yet. Not paused (the clock stands still), not
    /// submitted (no due time yet), not final.
    pub const CLOCK_RUNNING: [&'static str; 2] = ["processing", "decided"];

    /// The state's snake_case name.
    pub fn name(&self) -> &'static str {
        match self {
            State::Submitted => "submitted",
            State::AwaitingSupplementBeforeReceipt => "awaiting_supplement_before_receipt",
            State::Refused => "refused",
            State::Processing { .. } => "processing",
            State::Paused { .. } => "paused",
            State::Decided { .. } => "decided",
            State::Returned => "returned",
            State::Withdrawn => "withdrawn",
            State::Stopped => "stopped",
        }
    }

    /// How the portal and the printed forms name the state to a citizen.
    pub fn label(&self) -> &'static str {
        Self::label_of(self.name()).unwrap_or_default()
    }

    /// The Vietnamese name of the state named `name` (as a history records it).
    pub fn label_of(name: &str) -> Option<&'static str> {
        let label = match name {
            "submitted" => "Đã nộp, chờ tiếp nhận",
            "awaiting_supplement_before_receipt" => "Chờ bổ sung, hoàn thiện hồ sơ",
            "refused" => "Từ chối tiếp nhận",
            "processing" => "Đang giải quyết",
            "paused" => "Tạm dừng tính thời gian giải quyết",
            "decided" => "Đã có kết quả, chờ trả",
            "returned" => "Đã trả kết quả",
            "withdrawn" => "Đã rút hồ sơ",
            "stopped" => "Dừng giải quyết",
            _ => return None,
        };
        Some(label)
    }

    /// Whether nothing more can happen.
    pub fn is_final(&self) -> bool {
        matches!(self, State::Refused | State::Returned | State::Withdrawn | State::Stopped)
    }
}

/// Why the clock is paused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PauseReason {
    /// Waiting for the applicant's supplement.
    Supplement,
    /// Waiting for the applicant's financial obligation (tax, levy).
    FinancialObligation,
}

impl PauseReason {
    /// What the applicant is waited for, in Vietnamese.
    pub fn label(self) -> &'static str {
        match self {
            PauseReason::Supplement => "Chờ công dân bổ sung hồ sơ",
            PauseReason::FinancialObligation => "Chờ công dân thực hiện nghĩa vụ tài chính",
        }
    }
}

/// A paused clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pause {
    /// Why.
    pub reason: PauseReason,
    /// Since when.
    pub since: DateTime<FixedOffset>,
    /// Working minutes that were left to the dossier's due time.
    pub dossier_minutes_left: i64,
    /// Working minutes that were left to the step's due time.
    pub step_minutes_left: i64,
    /// What was asked.
    pub items: Vec<String>,
}

/// A handover between steps (Mẫu 05 process-control slip).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Handover {
    /// Who handed over.
    pub giver: String,
    /// The receiving role and unit, or the applicant when the result is returned.
    pub receiver: String,
    /// When.
    pub at: DateTime<FixedOffset>,
    /// The step's timing against its own budget.
    pub timing: Timing,
}

/// One step of the workflow as it happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepRecord {
    /// Step id.
    pub id: String,
    /// Who acts.
    pub role: Role,
    /// The unit responsible, named when the step is late.
    pub agency: AgencyCode,
    /// When it started.
    pub started_at: Option<DateTime<FixedOffset>>,
    /// When it must be done, from its start and its own budget (shifted by pauses).
    pub due: Option<DateTime<FixedOffset>>,
    /// Its handover, once done.
    pub handover: Option<Handover>,
}

/// The apology and new appointment (Mẫu 04).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Apology {
    /// The agency at fault, which signs it.
    pub agency: AgencyCode,
    /// Who issued it.
    pub by: String,
    /// Reason for the delay.
    pub reason: String,
    /// When.
    pub issued_at: DateTime<FixedOffset>,
    /// The new appointment.
    pub new_due: DateTime<FixedOffset>,
    /// Issued later than one working day before the due time.
    pub issued_late: bool,
}

/// Reception's answer to a submitted dossier other than acceptance: a supplement requested
/// before receipt (Mẫu 02) or a refusal (Mẫu 03), with who, when and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceptionNotice {
    /// `request_supplement_before_receipt` or `refuse`.
    pub action: String,
    /// Who.
    pub by: String,
    /// When.
    pub at: DateTime<FixedOffset>,
    /// Each item missing or wrong and why, or each reason of the refusal.
    pub items: Vec<String>,
}

/// The decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    /// Approved or rejected.
    pub approved: bool,
    /// Written reasons.
    pub reasons: Vec<String>,
    /// When.
    pub at: DateTime<FixedOffset>,
    /// Who.
    pub by: String,
}

/// A dossier (hồ sơ) as the lifecycle sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dossier {
    /// Procedure code.
    pub procedure: String,
    /// The version it was filed under; it keeps it for life.
    pub version: u32,
    /// The channel it came by.
    pub channel: Channel,
    /// Where it is.
    pub state: State,
    /// When it was submitted.
    pub submitted_at: DateTime<FixedOffset>,
    /// When it was received complete: the clock starts here.
    pub received_at: Option<DateTime<FixedOffset>>,
    /// The due time (shifted by pauses, never by an apology): what lateness is judged by.
    pub due: Option<DateTime<FixedOffset>>,
    /// Steps as they happen.
    pub steps: Vec<StepRecord>,
    /// The clock's pause, when paused.
    pub pause: Option<Pause>,
    /// Whether the one supplement request during processing was used.
    pub supplement_requested: bool,
    /// Working minutes the clock stood paused (waiting for the applicant), over all pauses.
    #[serde(default)]
    pub paused_minutes: i64,
    /// The apology, when one was issued.
    pub apology: Option<Apology>,
    /// Reception's last supplement request before receipt or refusal, for Mẫu 02 and 03.
    #[serde(default)]
    pub reception_notice: Option<ReceptionNotice>,
    /// The decision.
    pub decision: Option<Decision>,
    /// Reasons of a refusal, withdrawal or stop.
    pub reasons: Vec<String>,
    /// When the result was returned.
    pub finished_at: Option<DateTime<FixedOffset>>,
    /// Early, on time or late against the due time, once returned.
    pub timing: Option<Timing>,
    /// Returned after its due time with no apology issued: possible only in the history of
    /// another system ([`super::record`]), never through [`super::transition`].
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub late_without_apology: bool,
}

impl Dossier {
    /// The appointment the applicant holds: the apology's new one if any, else the due time.
    pub fn appointment(&self) -> Option<DateTime<FixedOffset>> {
        self.apology.as_ref().map(|a| a.new_due).or(self.due)
    }

    /// National status code 1–10 used to sync with the national portal: 1 newly registered,
    /// 2 received, 3 not received, 4 in processing, 5 supplement requested, 6 waiting for a
    /// financial obligation, 7 withdrawn, 8 stopped, 9 processed, 10 result returned.
    pub fn status_code(&self) -> u8 {
        match &self.state {
            State::Submitted => 1,
            State::Processing { step: 0 } => 2,
            State::Refused => 3,
            State::Processing { .. } => 4,
            State::AwaitingSupplementBeforeReceipt => 5,
            State::Paused { .. } => match self.pause.as_ref().map(|p| p.reason) {
                Some(PauseReason::FinancialObligation) => 6,
                _ => 5,
            },
            State::Withdrawn => 7,
            State::Stopped => 8,
            State::Decided { .. } => 9,
            State::Returned => 10,
        }
    }

    /// Working minutes the agencies spent on the dossier: from receipt to the result returned
    /// (or `until`), less the pauses waiting for the applicant.
    pub fn processing_minutes(
        &self,
        calendar: &crate::calendar::Calendar,
        until: DateTime<FixedOffset>,
    ) -> Option<i64> {
        let received = self.received_at?;
        let end = self.finished_at.unwrap_or(until);
        let total = calendar.working_minutes_between(received, end).ok()?;
        Some((total - self.paused_minutes).max(0))
    }

    /// The agencies whose steps were late: lateness is attributed to who caused it.
    pub fn late_agencies(&self) -> Vec<AgencyCode> {
        let mut agencies: Vec<AgencyCode> = Vec::new();
        for step in &self.steps {
            let late = step.handover.as_ref().is_some_and(|h| h.timing == Timing::Late);
            if late && !agencies.contains(&step.agency) {
                agencies.push(step.agency.clone());
            }
        }
        agencies
    }
}
