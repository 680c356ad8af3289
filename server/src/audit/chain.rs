//! The hash that links each audit record of a dossier to the one before it.
//!
//! Each dossier's records form a chain: record n's hash covers its own fields, its position and
//! record n−1's hash; the dossier row keeps the last hash and the chain's length. Editing a
//! record changes its hash and breaks every link after it; deleting or reordering records
//! breaks a link or the head kept in the dossier row. One chain per dossier, not one for the
//! whole log, so that concurrent dossiers never wait for each other to append.

use chrono::{DateTime, FixedOffset, Utc};
use sha2::{Digest, Sha256};

/// The hash before the first record of every chain.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Names the encoding below, so that a future change of it cannot be mistaken for tampering.
const DOMAIN: &[u8] = b"motcua-audit-v1";

/// The fields of one audit record that its hash covers.
pub struct Record<'a> {
    /// The dossier's code (its id is assigned by the database, after hashing).
    pub dossier_code: &'a str,
    /// 1 for the receipt, then one more per transition.
    pub position: i32,
    /// When; the hash covers whole microseconds in UTC, what PostgreSQL stores of it.
    pub at: DateTime<FixedOffset>,
    /// Who.
    pub actor: &'a str,
    /// The lifecycle action.
    pub action: &'a str,
    /// State before.
    pub from_state: &'a str,
    /// State after.
    pub to_state: &'a str,
    /// The payload text exactly as stored.
    pub payload: &'a str,
    /// The digest of the dossier row the record left, where it carries one (records written
    /// before digests existed do not, and hash as they always did).
    pub state_digest: Option<&'a str>,
}

impl Record<'_> {
    /// The record's hash given the previous record's (`GENESIS` for the first), in lowercase hex.
    pub fn link(&self, previous: &str) -> String {
        let mut hasher = Sha256::new();
        let at = self.at.with_timezone(&Utc).format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string();
        let position = self.position.to_string();
        // Each field prefixed by its length: no two different records encode alike.
        for field in [
            DOMAIN,
            previous.as_bytes(),
            self.dossier_code.as_bytes(),
            position.as_bytes(),
            at.as_bytes(),
            self.actor.as_bytes(),
            self.action.as_bytes(),
            self.from_state.as_bytes(),
            self.to_state.as_bytes(),
            self.payload.as_bytes(),
        ] {
            hasher.update((field.len() as u64).to_le_bytes());
            hasher.update(field);
        }
        if let Some(digest) = self.state_digest {
            hasher.update((digest.len() as u64).to_le_bytes());
            hasher.update(digest.as_bytes());
        }
        crate::hex::lower_hex(&hasher.finalize())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(payload: &str) -> Record<'_> {
        Record {
            dossier_code: "G22.26.01.01-260302-0001",
            position: 1,
            at: DateTime::parse_from_rfc3339("2026-03-02T08:00:00.123456789+07:00").expect("instant"),
            actor: "client:1",
            action: "submit",
            from_state: "",
            to_state: "received",
            payload,
            state_digest: None,
        }
    }

    #[test]
    fn every_field_and_the_previous_hash_change_the_link() {
        let base = record("{}").link(GENESIS);
        assert_eq!(base.len(), 64);
        assert_ne!(record("{ }").link(GENESIS), base);
        assert_ne!(record("{}").link(&base), base);
        let mut moved = record("{}");
        moved.position = 2;
        assert_ne!(moved.link(GENESIS), base);
        // Length prefixes: shifting a character from one field to the next is seen.
        let mut shifted = record("{}");
        shifted.actor = "client:";
        shifted.action = "1submit";
        assert_ne!(shifted.link(GENESIS), base);
        // A record's digest of the row it left is covered too; none hashes as before digests.
        let mut digested = record("{}");
        digested.state_digest = Some("ab");
        assert_ne!(digested.link(GENESIS), base);
        digested.state_digest = Some("ac");
        assert_ne!(digested.link(GENESIS), record("{}").link(GENESIS));
    }

    #[test]
    fn the_hash_is_of_the_instant_as_stored_whatever_its_offset() {
        let precise = record("{}");
        let mut stored = record("{}");
        stored.at = DateTime::parse_from_rfc3339("2026-03-02T01:00:00.123456Z").expect("instant");
        assert_eq!(precise.link(GENESIS), stored.link(GENESIS));
        stored.at = DateTime::parse_from_rfc3339("2026-03-02T01:00:00.123457Z").expect("instant");
        assert_ne!(precise.link(GENESIS), stored.link(GENESIS));
    }
}
