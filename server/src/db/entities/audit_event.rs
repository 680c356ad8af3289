//! The append-only audit log: one row per state change, written in the same transaction,
//! each chained to the one before by a hash (`crate::audit::chain`).

use sea_orm::entity::prelude::*;

/// A row of `audit_events`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_events")]
#[allow(missing_docs)]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub dossier_id: i32,
    /// 1 for the receipt, then one more per transition (see `crate::audit::chain`).
    pub position: i32,
    pub at: DateTimeWithTimeZone,
    pub actor: String,
    pub action: String,
    pub from_state: String,
    pub to_state: String,
    /// The action and its handover, as JSON.
    pub payload: String,
    /// This record's link in its dossier's chain, SHA-256 in lowercase hex.
    pub hash: String,
    /// On the last record of a transition: the digest of the dossier row it left
    /// (`crate::audit::state`), covered by the hash.
    pub state_digest: Option<String>,
}

impl ActiveModelBehavior for ActiveModel {}
