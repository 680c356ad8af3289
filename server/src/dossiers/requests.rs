//! What a client sends to act on a dossier: one body per action, tagged by `action`, read
//! strictly (a field the action does not have is refused) and documented one schema each.

use chrono::{DateTime, FixedOffset};
use motcua_engine::definition::Channel;
use motcua_engine::lifecycle::Action;
use serde::Deserialize;
use serde_json::{Map, Value};

/// Documents and forms the applicant sends with an answer to a supplement request: documents
/// now provided (added to those given before) and forms filled again (each replaces the form
/// of that id). The engine checks the dossier with them again.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    /// Ids of the documents now provided.
    #[serde(default)]
    pub documents: Option<Vec<String>>,
    /// The forms filled again, by form id.
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub form: Option<Map<String, Value>>,
}

/// An action on a dossier.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum ActionRequest {
    /// Reception accepts a dossier submitted online or by post: the engine evaluates it again,
    /// the clock starts and the receipt (Mẫu 01) is written.
    Accept {},
    /// Reception asks for a supplement before receipt (Mẫu 02).
    RequestSupplementBeforeReceipt {
        /// What is missing or must be corrected, one item each.
        items: Vec<String>,
    },
    /// The applicant sends the dossier again after a supplement request before receipt.
    Resubmit {
        /// Documents now provided.
        #[serde(default)]
        documents: Option<Vec<String>>,
        /// Forms filled again, by form id.
        #[serde(default)]
        #[schema(value_type = Option<Object>)]
        form: Option<Map<String, Value>>,
    },
    /// Reception refuses the dossier (Mẫu 03).
    Refuse {
        /// Why, one reason each.
        reasons: Vec<String>,
    },
    /// The current step is done; the dossier goes to the next (handover, Mẫu 05).
    Forward {
        /// A note for the next step.
        #[serde(default)]
        note: Option<String>,
    },
    /// The examining official asks for a supplement during processing; the clock stops.
    RequestSupplement {
        /// What is missing or must be corrected, one item each.
        items: Vec<String>,
    },
    /// The supplement asked during processing arrived; the clock runs again.
    SupplementReceived {
        /// Documents now provided.
        #[serde(default)]
        documents: Option<Vec<String>>,
        /// Forms filled again, by form id.
        #[serde(default)]
        #[schema(value_type = Option<Object>)]
        form: Option<Map<String, Value>>,
    },
    /// A financial obligation (tax, levy) is due; the clock stops until it is fulfilled.
    RequestFinancialObligation {
        /// What is due.
        note: String,
    },
    /// The financial obligation is fulfilled; the clock runs again.
    FinancialObligationFulfilled {},
    /// The unit at fault apologises for the delay and sets a new appointment (Mẫu 04).
    Apologize {
        /// Why the dossier is late.
        reason: String,
        /// The new appointment, after the current due time (RFC 3339).
        new_due: DateTime<FixedOffset>,
    },
    /// The decision step decides.
    Decide {
        /// Whether the result is granted.
        approved: bool,
        /// Why not, when refused.
        #[serde(default)]
        reasons: Vec<String>,
    },
    /// The result is handed to the applicant.
    ReturnResult {
        /// How it is returned.
        #[schema(schema_with = crate::openapi::schemas::channel)]
        channel: Channel,
    },
    /// The applicant withdraws the dossier.
    Withdraw {
        /// Why.
        #[serde(default)]
        reason: Option<String>,
    },
    /// The dossier is stopped (e.g. the applicant died, the matter ceased).
    Stop {
        /// Why.
        reason: String,
    },
}

/// What an action request becomes: the acceptance, which needs the engine's evaluation first,
/// or a lifecycle action with, for an answer to a supplement request, what the applicant sent.
pub enum Requested {
    /// `accept`.
    Accept,
    /// Any other action, and the answer that comes with it.
    Act(Action, Option<Answer>),
}

impl ActionRequest {
    /// The lifecycle action asked for.
    pub fn into_requested(self) -> Requested {
        let answer = |documents: Option<Vec<String>>, form: Option<Map<String, Value>>| {
            (documents.is_some() || form.is_some()).then_some(Answer { documents, form })
        };
        let action = match self {
            ActionRequest::Accept {} => return Requested::Accept,
            ActionRequest::Resubmit { documents, form } => {
                return Requested::Act(Action::Resubmit, answer(documents, form));
            }
            ActionRequest::SupplementReceived { documents, form } => {
                return Requested::Act(Action::SupplementReceived, answer(documents, form));
            }
            ActionRequest::RequestSupplementBeforeReceipt { items } => Action::RequestSupplementBeforeReceipt { items },
            ActionRequest::Refuse { reasons } => Action::Refuse { reasons },
            ActionRequest::Forward { note } => Action::Forward { note },
            ActionRequest::RequestSupplement { items } => Action::RequestSupplement { items },
            ActionRequest::RequestFinancialObligation { note } => Action::RequestFinancialObligation { note },
            ActionRequest::FinancialObligationFulfilled {} => Action::FinancialObligationFulfilled,
            ActionRequest::Apologize { reason, new_due } => Action::Apologize { reason, new_due },
            ActionRequest::Decide { approved, reasons } => Action::Decide { approved, reasons },
            ActionRequest::ReturnResult { channel } => Action::ReturnResult { channel },
            ActionRequest::Withdraw { reason } => Action::Withdraw { reason },
            ActionRequest::Stop { reason } => Action::Stop { reason },
        };
        Requested::Act(action, None)
    }
}
