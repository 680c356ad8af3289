//! Submitting a dossier: who files by which channel, a retry answered with the dossier it
//! created, the engine's evaluation, and the dossier stored — received at once at the counter,
//! waiting for reception otherwise.

use super::Dossiers;
use super::access;
use super::files;
use super::intake::{Submission, Submitter, evaluate, received_at_once, take_in};
use super::record::StoredDossier;
use crate::auth::{ApiRole, Principal, hash_secret};
use crate::error::{ApiError, ErrorCode};
use crate::repository::dossiers::{self, RepoError};

/// A dossier filed: stored now, or, for a retry with the same idempotency key, the one stored
/// by the first attempt.
pub struct Filed {
    /// The dossier.
    pub dossier: StoredDossier,
    /// Whether it was stored by an earlier attempt.
    pub replayed: bool,
}

/// The earlier dossier of a retried request, or a refusal when the key was used for another.
fn replay(dossier: StoredDossier, request_hash: &str) -> Result<Filed, ApiError> {
    if dossier.request_hash != request_hash {
        return Err(ApiError::new(
            ErrorCode::IdempotencyKeyReused,
            "this idempotency key was used for a different submission",
        ));
    }
    Ok(Filed { dossier, replayed: true })
}

impl Dossiers<'_> {
    /// Files `request` for `caller` (a client, or a reception officer at the desk), once per
    /// idempotency `key`: 403 for a channel the caller does not serve or a desk not theirs,
    /// 404 for no procedure in force, 422 with every reason the engine refuses, nothing stored
    /// then.
    #[tracing::instrument(name = "dossiers", skip_all, fields(command = "submit", procedure = %request.procedure))]
    pub async fn submit(
        &self,
        caller: &Principal,
        mut request: Submission,
        key: Option<String>,
    ) -> Result<Filed, ApiError> {
        let state = self.state;
        access::may_file(caller)?;
        let channel = access::channel(caller, request.channel)?;
        // The hash covers the channel decided, so a retry that leaves it to the token matches.
        request.channel = Some(channel);
        let request_hash = hash_secret(&serde_json::to_string(&request).unwrap_or_default());
        if let Some(key) = &key
            && let Some(dossier) = dossiers::find_by_idempotency(&state.db, caller.id, key).await?
        {
            let filed = replay(dossier, &request_hash)?;
            // Its files bound now if the first attempt stopped between storing and binding.
            let claim = files::claim_of(caller.id, Some(key), &request_hash);
            crate::repository::uploads::bind(&state.db, &claim, &filed.dossier.code, state.clock.now()).await?;
            return Ok(filed);
        }
        let now = state.clock.now();
        let procedure = state.catalogue.get(&request.procedure, None, now.date_naive()).ok_or_else(|| {
            ApiError::new(ErrorCode::NotFound, format!("no procedure `{}` is in force", request.procedure))
        })?;
        access::at_desk(caller, &procedure)?;
        let submitter = Submitter {
            token: caller.id,
            name: &caller.name,
            idempotency_key: key.clone(),
            request_hash: request_hash.clone(),
            desk: caller.agency.clone().filter(|_| caller.role == ApiRole::Officer),
        };
        // A document given files is provided.
        for document in request.files.keys() {
            if !request.documents.contains(document) {
                request.documents.push(document.clone());
            }
        }
        let intake = evaluate(&state.evaluator, &procedure, &request, channel, now).await?;
        let claim = (caller.id, files::claim_of(caller.id, key.as_deref(), &request_hash));
        let refused = |reasons: Vec<motcua_engine::Refusal>| {
            ApiError::new(
                ErrorCode::SubmissionRefused,
                format!("the dossier's files are not acceptable: {} reason(s)", reasons.len()),
            )
            .with("reasons", serde_json::json!(reasons))
        };
        let attached =
            files::check(&state.db, &procedure, channel, &intake, &request.files, claim).await?.map_err(refused)?;
        // Claimed before the dossier is stored: of two submissions racing for a file, one has it.
        if !attached.claim(&state.db).await? {
            return Err(refused(attached.taken()));
        }
        let at_once = received_at_once(&procedure, channel);
        let (new, event) = take_in(&procedure, &request, channel, intake, now, submitter, at_once)?;
        let stored = if attached.is_empty() {
            dossiers::insert(&state.writer, &new, &event).await
        } else {
            dossiers::insert_with_history(&state.writer, &new, &event, &attached.events(&event)).await
        };
        match stored {
            Ok(dossier) => {
                attached.bind(&state.db, &dossier.code, now).await?;
                Ok(Filed { dossier, replayed: false })
            }
            // A concurrent retry with the same key won the race: answer with its dossier (its
            // files, claimed under the same mark, are its own to bind).
            Err(RepoError::DuplicateKey) => {
                let answer = match &key {
                    Some(key) => match dossiers::find_by_idempotency(&state.db, caller.id, key).await? {
                        Some(dossier) => replay(dossier, &request_hash),
                        None => Err(RepoError::DuplicateKey.into()),
                    },
                    None => Err(RepoError::DuplicateKey.into()),
                };
                if answer.is_err() {
                    attached.release(&state.db).await?;
                }
                answer
            }
            Err(error) => {
                attached.release(&state.db).await?;
                Err(error.into())
            }
        }
    }
}
