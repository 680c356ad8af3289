//! The dossier lifecycle of the one-stop regulation (Decree 118/2025, before it 61/2018):
//! reception, step-by-step processing with logged handovers, at most one supplement request
//! with the clock paused, apologies for late dossiers, decision, return of the result.

mod action;
mod dossier;
mod error;
mod timing;
mod transition;

pub use action::{Action, Actor};
pub use dossier::{Apology, Decision, Dossier, Handover, Pause, PauseReason, ReceptionNotice, State, StepRecord};
pub use error::LifecycleError;
pub use timing::{Timing, classify};
pub use transition::{Event, record, transition};
