//! The tamper-evident audit log: each dossier's records chained by hashes, and their
//! verification.

pub mod chain;
pub mod files;
pub mod state;
pub mod verify;
