//! Which actions a caller may take on a dossier now. The engine's transition is pure, so each
//! action is tried on a copy with a payload that is valid whatever the case (an item, a later
//! appointment); the ones the lifecycle accepts are offered — nothing is written. The portal
//! shows only these, so an officer never meets a button the law would refuse.

use chrono::{DateTime, Duration, FixedOffset};
use motcua_engine::Procedure;
use motcua_engine::lifecycle::{Action, Actor, Dossier, transition};

/// Actions open to an official at any step that are not the step's work: reception records the
/// applicant's request to stop whenever it comes. A dossier does not wait for them.
pub const ANY_STEP: [&str; 1] = ["stop"];

/// Whether `dossier` waits for `actor`: an action of the step's work is open to them now.
pub fn waits_for(procedure: &Procedure, dossier: &Dossier, actor: &Actor, now: DateTime<FixedOffset>) -> bool {
    available(procedure, dossier, actor, now).iter().any(|name| !ANY_STEP.contains(name))
}

/// The names of the actions `actor` may take on `dossier` at `now`, in the lifecycle's order.
pub fn available(
    procedure: &Procedure,
    dossier: &Dossier,
    actor: &Actor,
    now: DateTime<FixedOffset>,
) -> Vec<&'static str> {
    let item = || vec!["—".to_owned()];
    let later = dossier.appointment().unwrap_or(now).max(now) + Duration::days(30);
    let tries = [
        Action::RequestSupplementBeforeReceipt { items: item() },
        Action::Refuse { reasons: item() },
        Action::Forward { note: None },
        Action::RequestSupplement { items: item() },
        Action::SupplementReceived,
        Action::RequestFinancialObligation { note: "—".to_owned() },
        Action::FinancialObligationFulfilled,
        Action::Apologize { reason: "—".to_owned(), new_due: later },
        Action::Decide { approved: true, reasons: Vec::new() },
        Action::ReturnResult { channel: dossier.channel },
        Action::Stop { reason: "—".to_owned() },
    ];
    let mut names: Vec<&'static str> = tries
        .into_iter()
        .filter_map(|action| {
            let name = action.name();
            transition(procedure, dossier, actor, action, now).is_ok().then_some(name)
        })
        .collect();
    // Acceptance needs the engine's evaluation of the submission, so it is not tried here:
    // it is open to exactly who may answer a submitted dossier otherwise (the desk's
    // reception, while it is submitted).
    if names.contains(&"request_supplement_before_receipt") {
        names.insert(0, "accept");
    }
    names
}
