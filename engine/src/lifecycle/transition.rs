//! The transition function: (procedure, dossier, actor, action, now) → new dossier + event.

use super::action::{Action, Actor};
use super::dossier::{Apology, Decision, Dossier, Handover, Pause, PauseReason, State, StepRecord};
use super::error::LifecycleError;
use super::timing::classify;
use crate::codes::{AgencyCode, Role};
use crate::definition::spec::Channel;
use crate::procedure::Procedure;
use chrono::{DateTime, FixedOffset};
use serde::Serialize;

/// What happened, for the audit log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    /// Action name.
    pub action: &'static str,
    /// State before.
    pub from: &'static str,
    /// State after.
    pub to: &'static str,
    /// National status code before.
    pub status_from: u8,
    /// National status code after.
    pub status_to: u8,
    /// When.
    pub at: DateTime<FixedOffset>,
    /// Who.
    pub actor: String,
    /// The handover this transition made, if any.
    pub handover: Option<Handover>,
}

impl Dossier {
    /// A dossier just submitted under `procedure`, waiting for reception.
    pub fn submitted(procedure: &Procedure, channel: Channel, now: DateTime<FixedOffset>) -> Dossier {
        Dossier {
            procedure: procedure.code.to_string(),
            version: procedure.version,
            channel,
            state: State::Submitted,
            submitted_at: now,
            received_at: None,
            due: None,
            steps: procedure
                .steps
                .iter()
                .map(|s| StepRecord {
                    id: s.id.clone(),
                    role: s.role,
                    agency: s.agency.clone(),
                    started_at: None,
                    due: None,
                    handover: None,
                })
                .collect(),
            pause: None,
            supplement_requested: false,
            paused_minutes: 0,
            apology: None,
            reception_notice: None,
            decision: None,
            reasons: Vec::new(),
            finished_at: None,
            timing: None,
            late_without_apology: false,
        }
    }
}

impl Dossier {
    /// A dossier received on submission: the engine found it complete and valid (`intake`),
    /// as for an online dossier the portal accepts at once. Same result as `Accept` by the
    /// desk, without a desk officer.
    pub fn received(
        procedure: &Procedure,
        channel: Channel,
        intake: &crate::evaluate::Intake,
    ) -> Result<Dossier, LifecycleError> {
        let mut dossier = Dossier::submitted(procedure, channel, intake.received_at);
        let system = Actor::Applicant { id: "system".to_owned() };
        let ctx = Ctx {
            procedure,
            actor: &system,
            action: "receive",
            now: intake.received_at,
            handover: None,
            history: false,
        };
        ctx.receive(&mut dossier, intake)?;
        Ok(dossier)
    }
}

/// Applies `action` by `actor` at `now`. The dossier is unchanged on error.
pub fn transition(
    procedure: &Procedure,
    dossier: &Dossier,
    actor: &Actor,
    action: Action,
    now: DateTime<FixedOffset>,
) -> Result<(Dossier, Event), LifecycleError> {
    apply(procedure, dossier, actor, action, now, false)
}

/// Records `action` as it happened in another system's history, at `at`: the same rules as
/// [`transition`], except that a result returned late without the apology the law requires
/// is what happened, not something to refuse — it is recorded, late, and flagged
/// ([`Dossier::late_without_apology`]).
pub fn record(
    procedure: &Procedure,
    dossier: &Dossier,
    actor: &Actor,
    action: Action,
    at: DateTime<FixedOffset>,
) -> Result<(Dossier, Event), LifecycleError> {
    apply(procedure, dossier, actor, action, at, true)
}

fn apply(
    procedure: &Procedure,
    dossier: &Dossier,
    actor: &Actor,
    action: Action,
    now: DateTime<FixedOffset>,
    history: bool,
) -> Result<(Dossier, Event), LifecycleError> {
    let now = now.with_timezone(&crate::calendar::VIETNAM_OFFSET);
    let mut next = dossier.clone();
    let mut ctx = Ctx { procedure, actor, action: action.name(), now, handover: None, history };
    ctx.apply(&mut next, action)?;
    let event = Event {
        action: ctx.action,
        from: dossier.state.name(),
        to: next.state.name(),
        status_from: dossier.status_code(),
        status_to: next.status_code(),
        at: now,
        actor: actor.name(),
        handover: ctx.handover,
    };
    Ok((next, event))
}

struct Ctx<'a> {
    procedure: &'a Procedure,
    actor: &'a Actor,
    action: &'static str,
    now: DateTime<FixedOffset>,
    handover: Option<Handover>,
    /// Recording another system's history rather than deciding now.
    history: bool,
}

impl Ctx<'_> {
    fn apply(&mut self, d: &mut Dossier, action: Action) -> Result<(), LifecycleError> {
        match (action, d.state.clone()) {
            (Action::Accept { intake }, State::Submitted) => {
                self.reception()?;
                self.receive(d, &intake)?;
            }
            (Action::RequestSupplementBeforeReceipt { items }, State::Submitted) => {
                self.reception()?;
                d.reasons = non_empty(items, self.action)?;
                self.notice(d);
                d.state = State::AwaitingSupplementBeforeReceipt;
            }
            (Action::Resubmit, State::AwaitingSupplementBeforeReceipt) => {
                self.applicant()?;
                d.submitted_at = self.now;
                d.state = State::Submitted;
            }
            (Action::Refuse { reasons }, State::Submitted) => {
                self.reception()?;
                d.reasons = non_empty(reasons, self.action)?;
                self.notice(d);
                d.state = State::Refused;
            }
            (Action::Forward { .. }, State::Processing { step }) if step < self.procedure.decision_step => {
                self.at_step(step)?;
                self.finish_step(d, step, step + 1)?;
                d.state = State::Processing { step: step + 1 };
            }
            (Action::Forward { .. }, State::Decided { step: Some(step) }) if step + 1 < d.steps.len() => {
                self.at_step(step)?;
                self.finish_step(d, step, step + 1)?;
                d.state = State::Decided { step: Some(step + 1) };
            }
            (Action::RequestSupplement { items }, State::Processing { step }) => {
                self.at_step(step)?;
                if d.supplement_requested {
                    return Err(LifecycleError::SupplementAlreadyRequested);
                }
                let items = non_empty(items, self.action)?;
                d.supplement_requested = true;
                self.pause(d, step, PauseReason::Supplement, items)?;
            }
            (Action::RequestFinancialObligation { note }, State::Processing { step }) => {
                self.at_step(step)?;
                self.pause(d, step, PauseReason::FinancialObligation, vec![note])?;
            }
            (Action::SupplementReceived, State::Paused { step }) if paused_for(d, PauseReason::Supplement) => {
                // At the desk, or sent by the applicant through the portal.
                if self.applicant().is_err() {
                    self.reception()?;
                }
                self.resume(d, step)?;
            }
            (Action::FinancialObligationFulfilled, State::Paused { step })
                if paused_for(d, PauseReason::FinancialObligation) =>
            {
                self.reception()?;
                self.resume(d, step)?;
            }
            (
                Action::Apologize { reason, new_due },
                State::Processing { step } | State::Paused { step } | State::Decided { step: Some(step) },
            ) => {
                self.apologize(d, step, reason, new_due)?;
            }
            (Action::Decide { approved, reasons }, State::Processing { step })
                if step == self.procedure.decision_step =>
            {
                self.at_step(step)?;
                if !approved && reasons.is_empty() {
                    return Err(LifecycleError::MissingReasons(self.action));
                }
                d.decision = Some(Decision { approved, reasons, at: self.now, by: self.actor.name() });
                let remaining = (step + 1 < d.steps.len()).then_some(step + 1);
                self.finish_step(d, step, step + 1)?;
                d.state = State::Decided { step: remaining };
            }
            (Action::ReturnResult { .. }, State::Decided { step }) if step.is_none_or(|s| s + 1 == d.steps.len()) => {
                match step {
                    Some(step) => self.at_step(step)?,
                    None => self.reception()?,
                }
                let due = d
                    .due
                    .ok_or_else(|| LifecycleError::BadIntake("a decided dossier without a due time".to_owned()))?;
                if self.now > due && d.apology.is_none() {
                    if !self.history {
                        return Err(LifecycleError::ApologyRequired { due: due.to_rfc3339() });
                    }
                    d.late_without_apology = true;
                }
                if let Some(step) = step {
                    self.finish_step(d, step, step + 1)?;
                }
                d.finished_at = Some(self.now);
                d.timing = Some(classify(self.now, due));
                d.state = State::Returned;
            }
            (
                Action::Withdraw { reason },
                State::Submitted
                | State::AwaitingSupplementBeforeReceipt
                | State::Processing { .. }
                | State::Paused { .. },
            ) => {
                self.applicant()?;
                d.reasons = reason.into_iter().collect();
                d.pause = None;
                d.state = State::Withdrawn;
            }
            (Action::Stop { reason }, State::Processing { .. } | State::Paused { .. }) => {
                self.reception()?;
                d.reasons = vec![reason];
                d.pause = None;
                d.state = State::Stopped;
            }
            (_, state) => return Err(LifecycleError::WrongState { action: self.action, state: state.name() }),
        }
        Ok(())
    }

    fn receive(&self, d: &mut Dossier, intake: &crate::evaluate::Intake) -> Result<(), LifecycleError> {
        if intake.steps.len() != self.procedure.steps.len() {
            return Err(LifecycleError::BadIntake(format!(
                "{} step due times for {} steps",
                intake.steps.len(),
                self.procedure.steps.len()
            )));
        }
        d.received_at = Some(self.now);
        d.due = Some(intake.due);
        self.start_step(d, 0)?;
        d.state = State::Processing { step: 0 };
        Ok(())
    }

    /// Records reception's answer, with the items just set as the dossier's reasons.
    fn notice(&self, d: &mut Dossier) {
        d.reception_notice = Some(super::dossier::ReceptionNotice {
            action: self.action.to_owned(),
            by: self.actor.name(),
            at: self.now,
            items: d.reasons.clone(),
        });
    }

    fn official(&self) -> Option<(Role, &AgencyCode)> {
        match self.actor {
            Actor::Official { role, agency, .. } => Some((*role, agency)),
            Actor::Applicant { .. } => None,
        }
    }

    fn refuse(&self, expected: String) -> LifecycleError {
        LifecycleError::WrongActor { action: self.action, expected, actor: self.actor.name() }
    }

    /// The one-stop desk: the first step's unit when it is a reception step, else the owner.
    fn reception(&self) -> Result<(), LifecycleError> {
        let desk = self.procedure.reception_agency();
        match self.official() {
            Some((Role::Reception, agency)) if agency.is_within(desk) => Ok(()),
            _ => Err(self.refuse(format!("a reception officer of `{desk}`"))),
        }
    }

    fn at_step(&self, step: usize) -> Result<(), LifecycleError> {
        let Some(spec) = self.procedure.steps.get(step) else {
            return Err(LifecycleError::BadIntake(format!("step {step} does not exist")));
        };
        match self.official() {
            Some((role, agency)) if role == spec.role && agency.is_within(&spec.agency) => Ok(()),
            _ => Err(self.refuse(format!("the `{}` of `{}` (step `{}`)", spec.role.as_str(), spec.agency, spec.id))),
        }
    }

    fn applicant(&self) -> Result<(), LifecycleError> {
        match self.actor {
            Actor::Applicant { .. } => Ok(()),
            Actor::Official { .. } => Err(self.refuse("the applicant".to_owned())),
        }
    }

    fn start_step(&self, d: &mut Dossier, step: usize) -> Result<(), LifecycleError> {
        let calendar = self.procedure.calendar();
        let budget = self.procedure.steps[step].budget.to_minutes(calendar.working_day_minutes());
        let record = &mut d.steps[step];
        record.started_at = Some(self.now);
        record.due = Some(calendar.add_working_minutes(self.now, budget)?);
        Ok(())
    }

    /// Closes `step` with its handover and starts `next` if it exists.
    fn finish_step(&mut self, d: &mut Dossier, step: usize, next: usize) -> Result<(), LifecycleError> {
        let receiver = match self.procedure.steps.get(next) {
            Some(s) => format!("{} {}", s.role.as_str(), s.agency),
            None => "applicant".to_owned(),
        };
        let due = d.steps[step].due.unwrap_or(self.now);
        let handover = Handover { giver: self.actor.name(), receiver, at: self.now, timing: classify(self.now, due) };
        d.steps[step].handover = Some(handover.clone());
        self.handover = Some(handover);
        if next < d.steps.len() {
            self.start_step(d, next)?;
        }
        Ok(())
    }

    fn pause(
        &self,
        d: &mut Dossier,
        step: usize,
        reason: PauseReason,
        items: Vec<String>,
    ) -> Result<(), LifecycleError> {
        let calendar = self.procedure.calendar();
        let left = |due: Option<DateTime<FixedOffset>>| -> Result<i64, LifecycleError> {
            Ok(match due {
                Some(due) => calendar.working_minutes_between(self.now, due)?,
                None => 0,
            })
        };
        d.pause = Some(Pause {
            reason,
            since: self.now,
            dossier_minutes_left: left(d.due)?,
            step_minutes_left: left(d.steps[step].due)?,
            items,
        });
        d.state = State::Paused { step };
        Ok(())
    }

    /// Resumes with the time that was left; a clock that had already run out stays run out.
    fn resume(&self, d: &mut Dossier, step: usize) -> Result<(), LifecycleError> {
        let calendar = self.procedure.calendar();
        if let Some(pause) = d.pause.take() {
            d.paused_minutes += calendar.working_minutes_between(pause.since, self.now)?.max(0);
            if pause.dossier_minutes_left > 0 {
                d.due = Some(calendar.add_working_minutes(self.now, pause.dossier_minutes_left)?);
            }
            if pause.step_minutes_left > 0 {
                d.steps[step].due = Some(calendar.add_working_minutes(self.now, pause.step_minutes_left)?);
            }
        }
        d.state = State::Processing { step };
        Ok(())
    }

    /// The units that answer for the delay, which the dossier's late agencies will name:
    /// those whose finished steps were late, and the unit holding the dossier when its own
    /// step is past due, or when no finished step was late (it is the one that will be).
    fn at_fault(&self, d: &Dossier, step: usize) -> Vec<AgencyCode> {
        let mut units = d.late_agencies();
        let current = &self.procedure.steps[step].agency;
        let current_late = d.steps.get(step).and_then(|s| s.due).is_some_and(|due| self.now > due);
        if (units.is_empty() || current_late) && !units.contains(current) {
            units.push(current.clone());
        }
        units
    }

    /// Mẫu 04, signed by the head of a unit at fault (or of a parent agency), even once the
    /// dossier has moved on to another unit.
    fn apologize(
        &self,
        d: &mut Dossier,
        step: usize,
        reason: String,
        new_due: DateTime<FixedOffset>,
    ) -> Result<(), LifecycleError> {
        let at_fault = self.at_fault(d, step);
        let agency = match self.official() {
            Some((Role::Leader, agency)) if at_fault.iter().any(|unit| unit.is_within(agency)) => agency.clone(),
            _ => {
                let units: Vec<String> = at_fault.iter().map(|unit| format!("`{unit}`")).collect();
                return Err(self.refuse(format!("the head (leader) of {}, at fault", units.join(" or "))));
            }
        };
        // How many new appointments a dossier may get is the law of its receipt date's (once,
        // under every rule set so far: the dossier keeps the one apology it got).
        let rules = crate::legal::rule_set_on(d.received_at.unwrap_or(self.now).date_naive()).apology;
        let given = u32::from(d.apology.is_some());
        if given >= rules.max_new_appointments {
            let previous = d.apology.as_ref().map(|a| a.issued_at.to_rfc3339()).unwrap_or_default();
            return Err(LifecycleError::AlreadyApologized(previous));
        }
        if reason.trim().is_empty() {
            return Err(LifecycleError::MissingReasons(self.action));
        }
        let due = d.due.ok_or_else(|| LifecycleError::BadIntake("no due time".to_owned()))?;
        if new_due <= due {
            return Err(LifecycleError::NewDueNotLater { new_due: new_due.to_rfc3339(), due: due.to_rfc3339() });
        }
        let calendar = self.procedure.calendar();
        let lead_minutes = i64::from(rules.lead_working_days) * calendar.working_day_minutes();
        let issued_late = calendar.working_minutes_between(self.now, due)? < lead_minutes;
        d.apology = Some(Apology { agency, by: self.actor.name(), reason, issued_at: self.now, new_due, issued_late });
        Ok(())
    }
}

fn paused_for(d: &Dossier, reason: PauseReason) -> bool {
    d.pause.as_ref().is_some_and(|p| p.reason == reason)
}

fn non_empty(items: Vec<String>, action: &'static str) -> Result<Vec<String>, LifecycleError> {
    if items.iter().all(|i| i.trim().is_empty()) { Err(LifecycleError::MissingReasons(action)) } else { Ok(items) }
}
