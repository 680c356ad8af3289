//! What the statistics and the decisions read of a dossier row, made verifiable from its
//! audit chain: the last record of each chain carries a digest of the row's watched fields
//! as the transition left them, and the row's other columns are all derived from its
//! lifecycle. `motcua audit verify` recomputes both, so a row edited behind the server's back
//! (a `timing`, a `fee`, a due time, the lifecycle itself) is named.

use crate::db::entities::dossier;
use chrono::{DateTime, FixedOffset};
use motcua_engine::lifecycle::Dossier;
use sha2::{Digest, Sha256};

/// Names the encoding below.
const DOMAIN: &[u8] = b"motcua-dossier-state-v1";

/// The fields of a dossier row that no other column derives: the lifecycle (from which state,
/// status, receipt, due and finish times and timing follow) and what the engine decided at
/// receipt.
pub struct Watched<'a> {
    /// `dossiers.lifecycle`, the text as stored.
    pub lifecycle: &'a str,
    /// The fee.
    pub fee: i64,
    /// The competent agency.
    pub agency: &'a str,
    /// The channel.
    pub channel: &'a str,
    /// The procedure and the version it was filed under.
    pub procedure: (&'a str, i32),
    /// Working minutes spent, once finished.
    pub processing_minutes: Option<i64>,
}

impl Watched<'_> {
    /// The row's fields as stored.
    pub fn of(row: &dossier::Model) -> Watched<'_> {
        Watched {
            lifecycle: &row.lifecycle,
            fee: row.fee,
            agency: &row.agency,
            channel: &row.channel,
            procedure: (&row.procedure_code, row.procedure_version),
            processing_minutes: row.processing_minutes,
        }
    }

    /// The digest, in lowercase hex.
    pub fn digest(&self) -> String {
        let mut hasher = Sha256::new();
        let (fee, version) = (self.fee.to_string(), self.procedure.1.to_string());
        let minutes = self.processing_minutes.map(|m| m.to_string()).unwrap_or_default();
        for field in [
            DOMAIN,
            self.lifecycle.as_bytes(),
            fee.as_bytes(),
            self.agency.as_bytes(),
            self.channel.as_bytes(),
            self.procedure.0.as_bytes(),
            version.as_bytes(),
            minutes.as_bytes(),
        ] {
            hasher.update((field.len() as u64).to_le_bytes());
            hasher.update(field);
        }
        crate::hex::lower_hex(&hasher.finalize())
    }
}

/// The columns of `row` that disagree with its lifecycle, each named with both values.
pub fn derived_mismatches(row: &dossier::Model) -> Vec<String> {
    let Ok(d) = serde_json::from_str::<Dossier>(&row.lifecycle) else {
        return vec!["`lifecycle` cannot be read".to_owned()];
    };
    let mut out = Vec::new();
    let mut text = |column: &str, stored: String, derived: String| {
        if stored != derived {
            out.push(format!("`{column}` is {stored}, its lifecycle says {derived}"));
        }
    };
    text("state", row.state.clone(), d.state.name().to_owned());
    text("status_code", row.status_code.to_string(), d.status_code().to_string());
    let timing = d.timing.and_then(|t| serde_json::to_value(t).ok()).and_then(|v| v.as_str().map(str::to_owned));
    text("timing", format!("{:?}", row.timing), format!("{timing:?}"));
    let mut instant = |column: &str, stored: Option<DateTime<FixedOffset>>, derived: Option<DateTime<FixedOffset>>| {
        if !same_instant(stored, derived) {
            out.push(format!("`{column}` is {stored:?}, its lifecycle says {derived:?}"));
        }
    };
    instant("submitted_at", Some(row.submitted_at), Some(d.submitted_at));
    instant("received_at", row.received_at, d.received_at);
    instant("due_at", row.due_at, d.due);
    instant("finished_at", row.finished_at, d.finished_at);
    out
}

/// Equal to the microsecond PostgreSQL keeps.
fn same_instant(a: Option<DateTime<FixedOffset>>, b: Option<DateTime<FixedOffset>>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => (a - b).num_microseconds().is_some_and(|us| us.abs() < 1),
        (None, None) => true,
        _ => false,
    }
}
