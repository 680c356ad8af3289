//! `POST /api/v1/dossiers`.

use super::view::{full, with_etag};
use crate::auth::{ApiRole, Principal, hash_secret};
use crate::catalogue::Catalogue;
use crate::clock::Clock;
use crate::error::{ApiError, ErrorCode};
use crate::repository::dossiers::{self, NewDossier, RepoError};
use actix_web::{HttpRequest, HttpResponse, post, web};
use motcua_engine::definition::Channel;
use motcua_engine::legal::rule_set_on;
use motcua_engine::lifecycle::{Dossier, Event};
use motcua_engine::{Evaluation, evaluate};
use rand::Rng;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// Longest `Idempotency-Key`.
const MAX_IDEMPOTENCY_KEY: usize = 200;
/// Characters of a receipt's lookup key: no 0/O or 1/I to misread on paper.
const LOOKUP_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
/// Length of a lookup key: 32^10 ≈ 10^15 keys, beyond guessing at any rate limit.
const LOOKUP_KEY_LEN: usize = 10;

/// The applicant.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Applicant {
    /// Full name.
    name: String,
    /// Personal identification number, if given.
    #[serde(default)]
    id_number: Option<String>,
    /// Phone.
    #[serde(default)]
    phone: Option<String>,
    /// E-mail.
    #[serde(default)]
    email: Option<String>,
}

/// A submission.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubmitRequest {
    /// Procedure code; the version in force now is used.
    procedure: String,
    /// How it arrives.
    channel: Channel,
    /// The forms' data by form id.
    #[serde(default)]
    form: Value,
    /// Ids of the documents provided.
    #[serde(default)]
    documents: Vec<String>,
    /// Who applies.
    applicant: Applicant,
}

fn lookup_key() -> String {
    let mut rng = rand::rng();
    (0..LOOKUP_KEY_LEN).map(|_| char::from(LOOKUP_ALPHABET[rng.random_range(0..LOOKUP_ALPHABET.len())])).collect()
}

fn idempotency_key(req: &HttpRequest) -> Result<Option<String>, ApiError> {
    let Some(value) = req.headers().get("idempotency-key") else { return Ok(None) };
    let key = value
        .to_str()
        .map_err(|_| ApiError::new(ErrorCode::InvalidBody, "`Idempotency-Key` must be printable ASCII"))?;
    if key.is_empty() || key.len() > MAX_IDEMPOTENCY_KEY {
        return Err(ApiError::new(
            ErrorCode::InvalidBody,
            format!("`Idempotency-Key` must have 1 to {MAX_IDEMPOTENCY_KEY} characters"),
        ));
    }
    Ok(Some(key.to_owned()))
}

/// The earlier dossier of a retried request, or a refusal when the key was used for another.
fn replay(row: &crate::db::entities::dossier::Model, request_hash: &str) -> Result<HttpResponse, ApiError> {
    if row.request_hash != request_hash {
        return Err(ApiError::new(
            ErrorCode::IdempotencyKeyReused,
            "this idempotency key was used for a different submission",
        ));
    }
    let mut response = HttpResponse::Created();
    response.insert_header(("Idempotent-Replayed", "true"));
    Ok(with_etag(response, row, full(row)?))
}

/// Submits a dossier (client, or a reception officer at the desk). The engine evaluates it now:
/// 201 with the dossier code, the lookup key and the receipt (Mẫu 01); 422
/// `submission_refused` listing every invalid field, missing document and failed condition,
/// with nothing stored. With `Idempotency-Key`, a retry returns the same dossier.
#[post("/dossiers")]
pub async fn submit(
    req: HttpRequest,
    principal: Principal,
    catalogue: web::Data<Catalogue>,
    clock: web::Data<dyn Clock>,
    db: web::Data<sea_orm::DatabaseConnection>,
    body: web::Json<SubmitRequest>,
) -> Result<HttpResponse, ApiError> {
    principal.require(&[ApiRole::Client, ApiRole::Officer])?;
    let key = idempotency_key(&req)?;
    let request = body.into_inner();
    let request_hash = hash_secret(&serde_json::to_string(&request).unwrap_or_default());
    if let Some(key) = &key
        && let Some(row) = dossiers::find_by_idempotency(&db, principal.id, key).await?
    {
        return replay(&row, &request_hash);
    }
    let now = clock.now();
    let procedure = catalogue.get(&request.procedure, None, now.date_naive()).ok_or_else(|| {
        ApiError::new(ErrorCode::NotFound, format!("no procedure `{}` is in force", request.procedure))
    })?;
    let intake = match evaluate(&procedure, request.channel, &request.form, &request.documents, now) {
        Ok(Evaluation::Accepted(intake)) => intake,
        Ok(Evaluation::Refused { reasons }) => {
            let count = reasons.len();
            return Err(ApiError::new(
                ErrorCode::SubmissionRefused,
                format!("the dossier is not acceptable: {count} reason(s)"),
            )
            .with("reasons", json!(reasons)));
        }
        Err(error) => {
            tracing::warn!(procedure = %procedure.code, %error, "rule failed on a submission");
            return Err(ApiError::new(ErrorCode::RuleFailed, error.to_string()).with("rule_code", json!(error.code())));
        }
    };
    let lifecycle = Dossier::received(&procedure, request.channel, &intake)
        .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
    let event = Event {
        action: "receive",
        from: "submitted",
        to: lifecycle.state.name(),
        status_from: 1,
        status_to: lifecycle.status_code(),
        at: now,
        actor: principal.name.clone(),
        handover: None,
    };
    let rules = rule_set_on(now.date_naive());
    let lookup = lookup_key();
    let receipt = json!({
        "form": rules.forms.receipt,
        "lookup_key": lookup,
        "decree": rules.decree,
        "procedure": procedure.name,
        "agency": procedure.agency_name,
        "received_at": intake.received_at,
        "due": intake.due,
        "processing_time": procedure.processing_time.to_string(),
        "fee": intake.fee,
        "checklist": intake.checklist,
        "steps": intake.steps,
    });
    let new = NewDossier {
        procedure: &procedure,
        lifecycle,
        event: json!({"action": "receive", "channel": request.channel}),
        fee: intake.fee,
        client_id: Some(principal.id),
        idempotency_key: key.clone(),
        request_hash: request_hash.clone(),
        lookup_key_hash: hash_secret(&lookup),
        submission: json!({"form": request.form, "documents": request.documents, "applicant": request.applicant, "receipt": receipt}),
        actor: principal.name.clone(),
    };
    let row = match dossiers::insert(&db, new, &event).await {
        Ok(row) => row,
        // A concurrent retry with the same key won the race: answer with its dossier.
        Err(RepoError::DuplicateKey) => match &key {
            Some(key) => match dossiers::find_by_idempotency(&db, principal.id, key).await? {
                Some(row) => return replay(&row, &request_hash),
                None => return Err(RepoError::DuplicateKey.into()),
            },
            None => return Err(RepoError::DuplicateKey.into()),
        },
        Err(error) => return Err(error.into()),
    };
    let body = full(&row)?;
    let mut response = HttpResponse::Created();
    response.insert_header(("Location", format!("/api/v1/dossiers/{}", row.code)));
    Ok(with_etag(response, &row, body))
}
