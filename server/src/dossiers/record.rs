//! A dossier as the store hands it to the application: its lifecycle and its submission parsed,
//! its columns typed. Nothing above the repository reads a row or re-parses stored JSON.

use super::intake::Applicant;
use chrono::{DateTime, FixedOffset};
use motcua_engine::codes::{AgencyCode, ProcedureCode};
use motcua_engine::lifecycle::{Dossier, State};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

/// A stored dossier.
#[derive(Debug, Clone)]
pub struct StoredDossier {
    /// The store's identity of the row (updates name it).
    pub(crate) id: i32,
    /// The dossier code (`G22.26.01.01-260302-0001`).
    pub code: String,
    /// Its version, the ETag `If-Match` names.
    pub version: i32,
    /// The procedure it was filed under.
    pub procedure: ProcedureCode,
    /// The version of the procedure it was filed under.
    pub procedure_version: u32,
    /// The competent agency.
    pub agency: AgencyCode,
    /// The fee the engine computed, in đồng.
    pub fee: i64,
    /// The token that submitted it.
    pub client: Option<i32>,
    /// An imported dossier's code in the previous system.
    pub source_code: Option<String>,
    /// When it was submitted, received, is due and finished, as the columns hold them (UTC+7).
    pub submitted_at: DateTime<FixedOffset>,
    /// When it was received (the clock starts).
    pub received_at: Option<DateTime<FixedOffset>>,
    /// The due time, once received.
    pub due_at: Option<DateTime<FixedOffset>>,
    /// When it was finished.
    pub finished_at: Option<DateTime<FixedOffset>>,
    /// The engine's lifecycle state.
    pub lifecycle: Dossier,
    /// What was submitted, with its receipt.
    pub submission: Submitted,
    /// SHA-256 of the receipt's lookup key.
    pub(crate) lookup_key_hash: String,
    /// SHA-256 of the request that created it, to tell a retry from another request.
    pub(crate) request_hash: String,
    /// The audit chain's length and head, which the next record links to.
    pub(crate) chain: (i32, String),
}

impl StoredDossier {
    /// Its state.
    pub fn state(&self) -> &State {
        &self.lifecycle.state
    }

    /// Whether `key` is the lookup key printed on its receipt.
    pub fn has_lookup_key(&self, key: &str) -> bool {
        crate::auth::hash_secret(key) == self.lookup_key_hash
    }

    /// The unit that received it (the receipt's desk), else the competent agency.
    pub fn desk(&self) -> String {
        self.submission.receipt_names().desk.unwrap_or_else(|| self.agency.to_string())
    }
}

/// What was submitted: the applicant, the documents and the forms' data as received (or as a
/// supplement completed them), and the receipt (Mẫu 01) once received — before that, what
/// stands in for it (the lookup key and where it waits). Forms and the receipt are kept as the
/// JSON they were written as: views copy them, the engine reads the forms when it evaluates.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Submitted {
    /// Who applies.
    pub applicant: Applicant,
    /// Ids of the documents provided.
    #[serde(default)]
    pub documents: Vec<String>,
    /// The forms' data by form id.
    pub form: Box<RawValue>,
    /// The receipt, or what stands in for it before receipt.
    pub receipt: Box<RawValue>,
}

/// The receipt's members the application reads (the rest it copies as written).
#[derive(Debug, Default, Deserialize)]
pub struct ReceiptNames {
    /// The lookup key printed on it.
    pub lookup_key: Option<String>,
    /// The unit that received the dossier.
    pub desk: Option<String>,
    /// The procedure's name as printed.
    pub procedure: Option<String>,
}

impl Submitted {
    /// The stored text of a submission (`None` when it cannot be read: a corrupt row).
    pub fn parse(text: &str) -> Option<Submitted> {
        serde_json::from_str(text).ok()
    }

    /// The stored text.
    pub fn to_text(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The forms' data as a JSON tree, for the engine.
    pub fn form_value(&self) -> serde_json::Value {
        serde_json::from_str(self.form.get()).unwrap_or(serde_json::Value::Null)
    }

    /// The receipt as a JSON tree, for the printable pages.
    pub fn receipt_value(&self) -> serde_json::Value {
        serde_json::from_str(self.receipt.get()).unwrap_or(serde_json::Value::Null)
    }

    /// The receipt's lookup key, desk and procedure name.
    pub fn receipt_names(&self) -> ReceiptNames {
        serde_json::from_str(self.receipt.get()).unwrap_or_default()
    }
}

/// The person who acted, from an actor's record (`Name#id (role unit)`): the name alone, as a
/// signature or a history prints it.
pub fn signer(actor: &str) -> &str {
    actor.rsplit_once('#').map_or(actor, |(name, _)| name)
}
