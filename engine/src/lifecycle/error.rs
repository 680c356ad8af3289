//! Why a transition is refused.

use crate::calendar::CalendarError;

/// A refused transition; nothing changes.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LifecycleError {
    /// The action does not apply in the dossier's state.
    #[error("`{action}` is not possible while the dossier is {state}")]
    WrongState {
        /// The action.
        action: &'static str,
        /// The state.
        state: &'static str,
    },
    /// The actor's role or agency is not the one the step requires.
    #[error("`{action}` at this point needs {expected}; {actor} cannot do it")]
    WrongActor {
        /// The action.
        action: &'static str,
        /// Who may.
        expected: String,
        /// Who tried.
        actor: String,
    },
    /// The dossier is past its due time and no apology with a new appointment was issued.
    #[error(
        "the dossier is past its due time `{due}`: the agency at fault must first issue an apology with a new appointment (Mẫu 04)"
    )]
    ApologyRequired {
        /// The due time.
        due: String,
    },
    /// A second apology: the new appointment may be made only once.
    #[error("a new appointment was already given on `{0}`; it may be given only once")]
    AlreadyApologized(String),
    /// A second supplement request during processing.
    #[error("a supplement was already requested during processing; it may be requested only once")]
    SupplementAlreadyRequested,
    /// A new appointment that is not after the current due time.
    #[error("the new appointment `{new_due}` must be after the current due time `{due}`")]
    NewDueNotLater {
        /// Proposed.
        new_due: String,
        /// Current.
        due: String,
    },
    /// A request that needs a reason or a list of items got none.
    #[error("`{0}` needs at least one reason or item")]
    MissingReasons(&'static str),
    /// The accepted dossier belongs to another procedure version than the intake.
    #[error("the intake does not match this dossier: {0}")]
    BadIntake(String),
    /// Due-time arithmetic failed.
    #[error(transparent)]
    Calendar(#[from] CalendarError),
}

impl LifecycleError {
    /// Every code [`LifecycleError::code`] returns of its own; a calendar failure carries
    /// one of [`CalendarError::CODES`].
    pub const CODES: [&'static str; 8] = [
        "wrong_state",
        "wrong_actor",
        "apology_required",
        "already_apologized",
        "supplement_already_requested",
        "new_due_not_later",
        "missing_reasons",
        "bad_intake",
    ];

    /// Stable code.
    pub fn code(&self) -> &'static str {
        match self {
            LifecycleError::WrongState { .. } => "wrong_state",
            LifecycleError::WrongActor { .. } => "wrong_actor",
            LifecycleError::ApologyRequired { .. } => "apology_required",
            LifecycleError::AlreadyApologized(_) => "already_apologized",
            LifecycleError::SupplementAlreadyRequested => "supplement_already_requested",
            LifecycleError::NewDueNotLater { .. } => "new_due_not_later",
            LifecycleError::MissingReasons(_) => "missing_reasons",
            LifecycleError::BadIntake(_) => "bad_intake",
            LifecycleError::Calendar(e) => e.code(),
        }
    }
}
