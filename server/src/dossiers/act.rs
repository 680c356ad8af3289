//! Acting on a dossier: the version the caller read, what the action does to the stored
//! submission (reception), the engine's lifecycle transition, and the change stored with its
//! audit record.

use super::Dossiers;
use super::reception::{self, Target};
use super::record::StoredDossier;
use super::requests::ActionRequest;
use crate::auth::Principal;
use crate::error::{ApiError, ErrorCode};
use crate::repository::dossiers;
use motcua_engine::lifecycle::{LifecycleError, transition};
use serde_json::{Value, json};

fn refused(error: LifecycleError) -> ApiError {
    let code = match error {
        LifecycleError::WrongActor { .. } => ErrorCode::Forbidden,
        _ => ErrorCode::ActionRefused,
    };
    ApiError::new(code, error.to_string()).with("refusal", json!(error.code()))
}

/// An action asked for: what the caller sent, read and as written (for the audit record), and
/// the version it read (`None`: whichever is current).
pub struct Act {
    /// The action.
    pub request: ActionRequest,
    /// The body as sent.
    pub sent: Value,
    /// The version the caller acts on.
    pub expected: Option<i32>,
}

impl Dossiers<'_> {
    /// Applies `act` to dossier `code` for `caller`: 404 when the caller may not see it, 412
    /// `stale_version` when someone acted first, 403 when the step is not the caller's, 422
    /// with the lifecycle's refusal or the engine's reasons; the dossier after it otherwise.
    #[tracing::instrument(name = "dossiers", skip_all, fields(command = "act", code = %code))]
    pub async fn act(&self, caller: &Principal, code: &str, act: Act) -> Result<StoredDossier, ApiError> {
        let state = self.state;
        let Act { request, sent, expected } = act;
        let dossier = self.visible(caller, code).await?;
        if expected.is_some_and(|version| version != dossier.version) {
            return Err(ApiError::new(
                ErrorCode::StaleVersion,
                format!("the dossier is at version {}, not the one `If-Match` names", dossier.version),
            ));
        }
        let procedure = self.procedure_of(&dossier).await?;
        let now = state.clock.now();
        let target = Target { procedure: &procedure, channel: dossier.lifecycle.channel, stored: &dossier.submission };
        let prepared = reception::prepare(&state.evaluator, target, caller.agency.as_ref(), request, now).await?;
        let (next, event) =
            transition(&procedure, &dossier.lifecycle, &caller.actor()?, prepared.action, now).map_err(refused)?;
        let audit = json!({"request": sent, "handover": event.handover});
        let change =
            dossiers::Change { next: &next, event: &event, payload: &audit, submission: prepared.submission.as_ref() };
        Ok(dossiers::apply(&state.db, procedure.calendar(), &dossier, change).await?)
    }
}
