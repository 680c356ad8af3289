//! A dossier: the engine's lifecycle state as JSON plus the columns lists and statistics
//! filter on. `row_version` is the optimistic-concurrency version clients send in `If-Match`.

use sea_orm::entity::prelude::*;

/// A row of `dossiers`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "dossiers")]
#[allow(missing_docs)]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub code: String,
    /// SHA-256 of the lookup key printed on the receipt (public tracking).
    pub lookup_key_hash: String,
    pub procedure_code: String,
    pub procedure_version: i32,
    /// The competent agency.
    pub agency: String,
    pub channel: String,
    pub state: String,
    pub status_code: i16,
    pub row_version: i32,
    pub submitted_at: DateTimeWithTimeZone,
    pub received_at: Option<DateTimeWithTimeZone>,
    pub due_at: Option<DateTimeWithTimeZone>,
    pub finished_at: Option<DateTimeWithTimeZone>,
    pub timing: Option<String>,
    pub fee: i64,
    /// Working minutes the agencies spent, once finished (pauses excluded).
    pub processing_minutes: Option<i64>,
    /// The agencies of its steps, `|`-delimited (`|G22.26.01.01|G22.97.01|`), for lists.
    pub step_agencies: Option<String>,
    /// The client token that submitted it.
    pub client_id: Option<i32>,
    pub idempotency_key: Option<String>,
    /// SHA-256 of the submission body, to tell a retry from a different request.
    pub request_hash: String,
    /// The submission: form data, documents, applicant.
    pub submission: String,
    /// `motcua_engine::lifecycle::Dossier` as JSON.
    pub lifecycle: String,
    pub created_at: DateTimeWithTimeZone,
    pub updated_at: DateTimeWithTimeZone,
    /// The hash of its last audit record: the head of its chain.
    pub audit_head: String,
    /// How many audit records its chain holds.
    pub audit_length: i32,
    /// An imported dossier: the previous system's identifier of its line (unique).
    pub source_id: Option<String>,
    /// An imported dossier: its code in the previous system.
    pub source_code: Option<String>,
}

impl ActiveModelBehavior for ActiveModel {}
