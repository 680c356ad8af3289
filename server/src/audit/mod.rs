//! The tamper-evident audit log: each dossier's records chained by hashes, and their
//! verification.

pub mod chain;
pub mod state;
pub mod verify;
