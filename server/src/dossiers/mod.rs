//! Dossiers as the application sees them: the typed requests clients send.

pub mod requests;
