//! Evaluating a submission for a request: the engine decides; here its rules get a time
//! budget and, when they turn out slow, a thread of their own.
//!
//! The operation limit bounds a rule's work, not its time: a rule whose operations each walk a
//! 2,000-item array runs for seconds within it. So every evaluation also has a wall-time
//! budget, measured with this process's monotonic clock (the engine reads none).
//!
//! A normal evaluation takes about 4 µs: it runs inline on the async worker, under a short
//! slice, since a thread hop (tens of µs) would cost more than the work. One that outlasts the
//! slice is run again from the start on the slow lane (evaluation is pure and deterministic:
//! the second run decides what the first would have): blocking threads, at most one per spare
//! core at a time, under the full budget. A runaway rule then holds up neither the other
//! requests of its worker nor more than the lane's share of the CPU (bench/runaway.sh; the
//! figures are in bench/README.md).

use crate::error::{ApiError, ErrorCode};
use actix_web::web;
use motcua_engine::evaluate::EvaluationError;
use motcua_engine::rules::{Limit, RuleError, TimeBudget};
use motcua_engine::{Evaluation, Input, Procedure, evaluate_within};
use serde_json::json;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

/// Wall time an evaluation may spend inline on an async worker. Two hundred times a normal
/// evaluation; a worker's other requests wait at most about this long.
pub const INLINE_SLICE: Duration = Duration::from_millis(1);
/// Wall time the rules of one evaluation may take in all. A rule at the operation limit with a
/// calendar helper in its loop needs about 7 ms here: the budget leaves it room on a slower or
/// busier machine, and stops the costly-operation loops that would run for seconds.
pub const RULE_TIME_BUDGET: Duration = Duration::from_millis(50);

/// This process's monotonic clock, lent to the engine.
fn clock() -> motcua_engine::rules::Monotonic {
    let origin = Instant::now();
    Arc::new(move || origin.elapsed())
}

/// The full budget, for the examples' dry run of a draft too.
pub fn rule_time_budget() -> TimeBudget {
    TimeBudget::new(RULE_TIME_BUDGET, clock())
}

/// Runs evaluations: inline under a slice, on the slow lane when that is not enough.
pub struct Evaluator {
    slice: TimeBudget,
    budget: TimeBudget,
    lane: Arc<Semaphore>,
}

impl Default for Evaluator {
    /// A slow lane as wide as the cores but one, so that one core stays with the workers.
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        Evaluator::new(cores.saturating_sub(1).max(1))
    }
}

impl Evaluator {
    /// At most `lanes` slow evaluations at a time.
    pub fn new(lanes: usize) -> Self {
        Evaluator {
            slice: TimeBudget::new(INLINE_SLICE, clock()),
            budget: rule_time_budget(),
            lane: Arc::new(Semaphore::new(lanes.max(1))),
        }
    }

    /// Evaluates a submission; a rule that fails or runs over its budget is an [`ApiError`]
    /// naming the rule and the limit.
    pub async fn evaluate(&self, procedure: &Arc<Procedure>, input: Input<'_>) -> Result<Evaluation, ApiError> {
        let inline = evaluate_within(procedure, input, Some(&self.slice));
        let decided = match inline {
            Err(EvaluationError::Rule(RuleError::Limit { limit: Limit::Time { .. }, .. })) => {
                self.on_slow_lane(procedure, input).await?
            }
            decided => decided,
        };
        decided.map_err(|error| rule_error(procedure, &error))
    }

    async fn on_slow_lane(
        &self,
        procedure: &Arc<Procedure>,
        input: Input<'_>,
    ) -> Result<Result<Evaluation, EvaluationError>, ApiError> {
        let unavailable = || ApiError::new(ErrorCode::Internal, "the rule evaluation lane is shut down");
        // Waiting here is async: a queue of slow submissions holds no worker. The permit goes
        // with the evaluation, so a client hanging up does not free the lane before it ends.
        let permit = Arc::clone(&self.lane).acquire_owned().await.map_err(|_| unavailable())?;
        let (procedure, form, documents, budget) =
            (Arc::clone(procedure), input.form.clone(), input.documents.to_vec(), self.budget.clone());
        let (channel, received_at) = (input.channel, input.received_at);
        web::block(move || {
            let _permit = permit;
            let input = Input { channel, form: &form, documents: &documents, received_at };
            evaluate_within(&procedure, input, Some(&budget))
        })
        .await
        .map_err(|_| unavailable())
    }
}

/// The API error for a rule that failed: 422 `rule_budget_exceeded` when a limit stopped it on
/// this data (which rule, which limit, how to fix it), 500 `rule_failed` otherwise.
pub fn rule_error(procedure: &Procedure, error: &EvaluationError) -> ApiError {
    let version = format!("`{}` version {}", procedure.code, procedure.version);
    match error {
        EvaluationError::Rule(RuleError::Limit { pointer, at, limit }) => {
            tracing::warn!(procedure = %procedure.code, version = procedure.version, rule = %pointer, limit = limit.name(), "rule stopped at its budget");
            // Operations, sizes and depths are counted: the same data stops the same way. Time
            // also depends on the machine's load, so a slow (not runaway) rule may pass later.
            let again = match limit {
                Limit::Time { .. } => "sending it again may pass if the server was busy; if it does not",
                _ => "sending it again fails the same way:",
            };
            ApiError::new(
                ErrorCode::RuleBudgetExceeded,
                format!(
                    "rule `{pointer}` of procedure {version} was stopped on this submission: {limit}; nothing was \
                     stored; {again} the procedure's owner must fix the rule and publish a new version"
                ),
            )
            .with("help", json!(limit.help()))
            .with(
                "rule",
                json!({"procedure": procedure.code.to_string(), "version": procedure.version, "pointer": pointer, "line": at.line, "column": at.column}),
            )
            .with("limit", json!({"name": limit.name(), "max": limit.max(), "unit": limit.unit()}))
        }
        error => {
            tracing::warn!(procedure = %procedure.code, %error, "rule failed on a submission");
            ApiError::new(ErrorCode::RuleFailed, error.to_string()).with("rule_code", json!(error.code()))
        }
    }
}
