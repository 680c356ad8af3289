//! The files a submission carries: each document filed as files (online or by post) has at
//! least one of the caller's own uploads for it, within the document's count, none filed with
//! another dossier; each file then goes into the dossier's audit chain (its SHA-256 with it)
//! and its upload is bound to the dossier. A counter dossier may record paper copies instead.

use crate::db::entities::upload;
use crate::error::ApiError;
use crate::repository::uploads;
use chrono::{DateTime, FixedOffset};
use motcua_engine::definition::Channel;
use motcua_engine::evaluate::Intake;
use motcua_engine::files::MediaType;
use motcua_engine::lifecycle::Event;
use motcua_engine::{Procedure, Refusal};
use sea_orm::DatabaseConnection;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// The uploads a submission names, by document, once checked, and the mark they are claimed
/// under until its dossier is stored.
pub struct Attached {
    files: Vec<upload::Model>,
    claim: String,
}

/// The mark a submission's uploads are claimed under: the same for a retry of it (its caller,
/// its idempotency key and its request), so a retry after a stop finds them its own; a
/// submission without a key is never retried as itself and gets a mark of its own.
pub fn claim_of(caller: i32, key: Option<&str>, request_hash: &str) -> String {
    let attempt = match key {
        Some(key) => crate::auth::hash_secret(&format!("{key}\n{request_hash}")),
        None => crate::auth::new_secret(""),
    };
    format!("claim:{caller}:{}", attempt.get(..40).unwrap_or(&attempt))
}

fn refusal(document: &str, message: String) -> Refusal {
    Refusal::MissingDocument { document: document.to_owned(), message }
}

/// Checks the files `named` by document for a submission of `procedure` by `channel` that
/// the engine accepted with `intake`, uploaded by `caller` (the submission's `claim` mark):
/// the uploads, or every reason not.
pub async fn check(
    db: &DatabaseConnection,
    procedure: &Procedure,
    channel: Channel,
    intake: &Intake,
    named: &BTreeMap<String, Vec<String>>,
    (caller, claim): (i32, String),
) -> Result<Result<Attached, Vec<Refusal>>, ApiError> {
    let mut reasons = Vec::new();
    let mut files = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for (document_id, ids) in named {
        let Some(document) = procedure.documents.iter().find(|d| &d.id == document_id) else {
            reasons.push(Refusal::UnknownDocument {
                document: document_id.clone(),
                message: format!("Thủ tục không có giấy tờ “{document_id}” để đính kèm tệp"),
            });
            continue;
        };
        let Some(rules) = &document.files else {
            reasons.push(refusal(document_id, format!("Giấy tờ “{}” không nộp dưới dạng tệp", document.title)));
            continue;
        };
        if ids.len() > usize::try_from(rules.max_files).unwrap_or(usize::MAX) {
            reasons.push(refusal(
                document_id,
                format!("Giấy tờ “{}” có tối đa {} tệp, hồ sơ kèm {}", document.title, rules.max_files, ids.len()),
            ));
            // Too many is reason enough: the files themselves are not looked up one by one.
            continue;
        }
        for id in ids {
            if !seen.insert(id.clone()) {
                reasons.push(refusal(document_id, format!("Tệp `{id}` được kê hai lần")));
                continue;
            }
            // Another client's upload is as unknown as one that does not exist.
            let found = uploads::find(db, id).await?.filter(|u| u.uploaded_by == caller);
            match found {
                None => {
                    reasons.push(refusal(document_id, format!("Không tìm thấy tệp `{id}`: tải tệp lên trước khi nộp")))
                }
                Some(u) if u.procedure != procedure.code.as_str() || &u.document != document_id => reasons
                    .push(refusal(document_id, format!("Tệp `{id}` được tải lên cho giấy tờ khác (“{}”)", u.document))),
                Some(u) if u.dossier_code.as_ref().is_some_and(|c| *c != claim) => {
                    reasons.push(refusal(document_id, format!("Tệp `{id}` đã được nộp kèm một hồ sơ khác")));
                }
                // The version in force now decides: a type or a size it no longer takes is refused.
                Some(u) if !MediaType::parse(&u.media_type).is_some_and(|m| rules.accepts(m)) => reasons.push(refusal(
                    document_id,
                    format!(
                        "Tệp `{id}` có định dạng {} mà giấy tờ này không nhận ({})",
                        u.media_type,
                        rules.accepted_list()
                    ),
                )),
                Some(u) if u64::try_from(u.size).unwrap_or(u64::MAX) > rules.max_bytes => reasons.push(refusal(
                    document_id,
                    format!("Tệp `{id}` lớn hơn {} MB cho phép", rules.max_bytes / (1024 * 1024)),
                )),
                Some(u) => files.push(u),
            }
        }
    }
    // Online and by post, a document provided as files comes with its files.
    if channel != Channel::Counter {
        for item in intake.checklist.iter().filter(|i| i.provided) {
            let Some(document) = procedure.documents.iter().find(|d| d.id == item.id) else { continue };
            if document.files.is_some() && named.get(&document.id).is_none_or(Vec::is_empty) {
                reasons.push(refusal(
                    &document.id,
                    format!("Chưa đính kèm tệp của giấy tờ “{}”: tải tệp lên rồi nộp lại", document.title),
                ));
            }
        }
    }
    Ok(if reasons.is_empty() { Ok(Attached { files, claim }) } else { Err(reasons) })
}

impl super::Dossiers<'_> {
    /// The files filed with `dossier` (seen by a caller who may see it), oldest first.
    pub async fn files(&self, dossier: &super::record::StoredDossier) -> Result<Vec<upload::Model>, ApiError> {
        Ok(uploads::of_dossier(&self.state.db, &dossier.code).await?)
    }
}

/// A file's size as people read it: `2,4 MB`, `850 KB`.
pub fn size_text(bytes: i64) -> String {
    #[allow(clippy::cast_precision_loss)] // sizes far below 2^52
    let (value, unit) =
        if bytes >= 1024 * 1024 { (bytes as f64 / (1024.0 * 1024.0), "MB") } else { (bytes as f64 / 1024.0, "KB") };
    format!("{value:.1} {unit}").replace('.', ",")
}

impl Attached {
    /// Whether no file is attached.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// One audit record a file, after the receipt: the file's document, id, name, type, size
    /// and SHA-256, the dossier's state unchanged.
    pub fn events(&self, receipt: &Event) -> Vec<(Event, Value)> {
        self.files
            .iter()
            .map(|f| {
                let event = Event {
                    action: "attach_file",
                    from: receipt.to,
                    status_from: receipt.status_to,
                    handover: None,
                    ..receipt.clone()
                };
                let payload = json!({
                    "action": "attach_file",
                    "document": f.document,
                    "file": f.id,
                    "name": f.name,
                    "media_type": f.media_type,
                    "size": f.size,
                    "sha256": f.sha256,
                });
                (event, payload)
            })
            .collect()
    }

    /// Claims the uploads for this submission before its dossier is stored: false when one
    /// was taken by another meanwhile.
    pub async fn claim(&self, db: &DatabaseConnection) -> Result<bool, ApiError> {
        let ids: Vec<&str> = self.files.iter().map(|f| f.id.as_str()).collect();
        Ok(uploads::claim(db, &ids, &self.claim).await?)
    }

    /// Why the uploads could not be claimed: one went with another dossier meanwhile.
    pub fn taken(&self) -> Vec<Refusal> {
        let document = self.files.first().map_or("", |f| f.document.as_str());
        vec![refusal(document, "Một tệp vừa được nộp kèm một hồ sơ khác: tải tệp lên lại rồi nộp".to_owned())]
    }

    /// Gives the uploads back: the dossier was not stored.
    pub async fn release(&self, db: &DatabaseConnection) -> Result<(), ApiError> {
        Ok(uploads::release(db, &self.claim).await?)
    }

    /// Binds the uploads to dossier `code` at `at`.
    pub async fn bind(&self, db: &DatabaseConnection, code: &str, at: DateTime<FixedOffset>) -> Result<(), ApiError> {
        Ok(uploads::bind(db, &self.claim, code, at).await?)
    }
}
