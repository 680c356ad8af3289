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
use motcua_engine::lifecycle::Event;
use motcua_engine::{Procedure, Refusal};
use sea_orm::DatabaseConnection;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// The uploads a submission names, by document, once checked.
pub struct Attached {
    files: Vec<upload::Model>,
}

fn refusal(document: &str, message: String) -> Refusal {
    Refusal::MissingDocument { document: document.to_owned(), message }
}

/// Checks the files `named` by document for a submission of `procedure` by `channel` that
/// the engine accepted with `intake`, uploaded by `caller`: the uploads, or every reason not.
pub async fn check(
    db: &DatabaseConnection,
    procedure: &Procedure,
    channel: Channel,
    intake: &Intake,
    named: &BTreeMap<String, Vec<String>>,
    caller: i32,
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
                Some(u) if u.dossier_code.is_some() => {
                    reasons.push(refusal(document_id, format!("Tệp `{id}` đã được nộp kèm một hồ sơ khác")));
                }
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
    Ok(if reasons.is_empty() { Ok(Attached { files }) } else { Err(reasons) })
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

    /// Binds the uploads to dossier `code` at `at`.
    pub async fn bind(&self, db: &DatabaseConnection, code: &str, at: DateTime<FixedOffset>) -> Result<(), ApiError> {
        let ids: Vec<&str> = self.files.iter().map(|f| f.id.as_str()).collect();
        Ok(uploads::bind(db, &ids, code, at).await?)
    }
}
