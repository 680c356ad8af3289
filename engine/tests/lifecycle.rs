//! Every transition of the dossier lifecycle and every refusal, on the land-change procedure
//! (steps: tiep_nhan reception G22.26.01.01 0.5 d → tham_dinh specialist G22.26.01.03 3 d →
//! ky_duyet leader G22.26.01.03 1 d (decides) → tra_ket_qua reception G22.26.01.01 0.5 d).
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use motcua_engine::codes::Role;
use motcua_engine::definition::Channel;
use motcua_engine::lifecycle::{Action, Actor, Dossier, LifecycleError, State, Timing, transition};
use motcua_engine::{Evaluation, Input, Procedure, evaluate};

fn official(role: Role, agency: &str) -> Actor {
    Actor::Official { id: format!("{}-1", role.as_str()), role, agency: agency.parse().unwrap() }
}
fn desk() -> Actor {
    official(Role::Reception, "G22.26.01.01")
}
fn specialist() -> Actor {
    official(Role::Specialist, "G22.26.01.03")
}
fn leader() -> Actor {
    official(Role::Leader, "G22.26.01.03")
}
fn applicant() -> Actor {
    Actor::Applicant { id: "cong-dan-1".to_owned() }
}

fn step(p: &Procedure, d: &Dossier, actor: &Actor, action: Action, now: &str) -> Result<Dossier, LifecycleError> {
    transition(p, d, actor, action, at(now)).map(|(next, _)| next)
}

/// A dossier received on Monday 2026-03-02 08:00 (due Monday 2026-03-09 08:00).
fn received(p: &Procedure) -> Dossier {
    let now = at("2026-03-02T08:00:00+07:00");
    let Evaluation::Accepted(intake) = evaluate(
        p,
        Input {
            channel: Channel::Counter,
            form: &land_change_form(),
            documents: &land_change_documents(),
            received_at: now,
        },
    )
    .unwrap() else {
        panic!()
    };
    let dossier = Dossier::submitted(p, Channel::Counter, now);
    assert_eq!(dossier.status_code(), 1);
    let dossier = step(p, &dossier, &desk(), Action::Accept { intake }, "2026-03-02T08:00:00+07:00").unwrap();
    assert_eq!(dossier.due, Some(at("2026-03-09T08:00:00+07:00")));
    assert_eq!(dossier.status_code(), 2);
    dossier
}

fn to_decision(p: &Procedure) -> Dossier {
    let d = received(p);
    let d = step(p, &d, &desk(), Action::Forward { note: None }, "2026-03-02T10:00:00+07:00").unwrap();
    assert_eq!(d.status_code(), 4);
    step(p, &d, &specialist(), Action::Forward { note: None }, "2026-03-04T10:00:00+07:00").unwrap()
}

#[test]
fn whole_life_returned_early_with_every_handover_logged() {
    let p = land_change();
    let d = to_decision(&p);
    let d = step(&p, &d, &leader(), Action::Decide { approved: true, reasons: vec![] }, "2026-03-05T09:00:00+07:00")
        .unwrap();
    assert_eq!(d.state, State::Decided { step: Some(3) });
    assert_eq!(d.status_code(), 9);
    let (d, event) = transition(
        &p,
        &d,
        &desk(),
        Action::ReturnResult { channel: Channel::Counter },
        at("2026-03-05T14:00:00+07:00"),
    )
    .unwrap();
    assert_eq!((event.from, event.to, event.status_from, event.status_to), ("decided", "returned", 9, 10));
    assert_eq!(event.handover.unwrap().receiver, "applicant");
    assert_eq!(d.timing, Some(Timing::Early));
    assert!(d.steps.iter().all(|s| s.handover.is_some()));
    // tiep_nhan: 2 h of a 4 h budget; tham_dinh: 2 days of 3.
    assert_eq!(d.steps[0].handover.as_ref().unwrap().timing, Timing::OnTime);
    assert_eq!(d.steps[1].handover.as_ref().unwrap().timing, Timing::Early);
    assert!(d.late_agencies().is_empty());
}

#[test]
fn wrong_role_wrong_agency_and_wrong_state_are_refused() {
    let p = land_change();
    let d = received(&p);
    let err = step(&p, &d, &specialist(), Action::Forward { note: None }, "2026-03-02T10:00:00+07:00").unwrap_err();
    assert_eq!(err.code(), "wrong_actor");
    let other_desk = official(Role::Reception, "G22.26.02.01");
    assert_eq!(
        step(&p, &d, &other_desk, Action::Forward { note: None }, "2026-03-02T10:00:00+07:00").unwrap_err().code(),
        "wrong_actor"
    );
    let err = step(&p, &d, &leader(), Action::Decide { approved: true, reasons: vec![] }, "2026-03-02T10:00:00+07:00")
        .unwrap_err();
    assert!(matches!(err, LifecycleError::WrongState { .. }), "{err:?}");
    let err = step(&p, &d, &desk(), Action::ReturnResult { channel: Channel::Counter }, "2026-03-02T10:00:00+07:00")
        .unwrap_err();
    assert_eq!(err.code(), "wrong_state");
    assert_eq!(
        step(&p, &d, &desk(), Action::Withdraw { reason: None }, "2026-03-02T10:00:00+07:00").unwrap_err().code(),
        "wrong_actor"
    );
    assert_eq!(
        step(&p, &d, &applicant(), Action::Resubmit, "2026-03-02T10:00:00+07:00").unwrap_err().code(),
        "wrong_state"
    );
}

#[test]
fn reception_outcomes_supplement_before_receipt_and_refusal() {
    let p = land_change();
    let now = at("2026-03-02T08:00:00+07:00");
    let d = Dossier::submitted(&p, Channel::Online, now);
    let err =
        step(&p, &d, &desk(), Action::RequestSupplementBeforeReceipt { items: vec![] }, "2026-03-02T09:00:00+07:00")
            .unwrap_err();
    assert_eq!(err.code(), "missing_reasons");
    let waiting = step(
        &p,
        &d,
        &desk(),
        Action::RequestSupplementBeforeReceipt { items: vec!["Thiếu bản gốc Giấy chứng nhận".into()] },
        "2026-03-02T09:00:00+07:00",
    )
    .unwrap();
    assert_eq!(
        (waiting.state.clone(), waiting.status_code(), waiting.received_at),
        (State::AwaitingSupplementBeforeReceipt, 5, None)
    );
    let again = step(&p, &waiting, &applicant(), Action::Resubmit, "2026-03-03T09:00:00+07:00").unwrap();
    assert_eq!(again.state, State::Submitted);
    let refused = step(
        &p,
        &again,
        &desk(),
        Action::Refuse { reasons: vec!["Không thuộc thẩm quyền giải quyết".into()] },
        "2026-03-03T10:00:00+07:00",
    )
    .unwrap();
    assert_eq!((refused.status_code(), refused.state.is_final()), (3, true));
    assert_eq!(
        step(&p, &refused, &desk(), Action::Refuse { reasons: vec!["x".into()] }, "2026-03-03T10:00:00+07:00")
            .unwrap_err()
            .code(),
        "wrong_state"
    );
}

#[test]
fn supplement_pauses_the_clock_once() {
    let p = land_change();
    let d = received(&p);
    let d = step(&p, &d, &desk(), Action::Forward { note: None }, "2026-03-02T10:00:00+07:00").unwrap();
    // Tuesday 08:00: 4 working days left to Monday 08:00.
    let paused = step(
        &p,
        &d,
        &specialist(),
        Action::RequestSupplement { items: vec!["Bản sao giấy khai sinh".into()] },
        "2026-03-03T08:00:00+07:00",
    )
    .unwrap();
    assert_eq!(paused.status_code(), 5);
    assert_eq!(
        step(&p, &paused, &specialist(), Action::Forward { note: None }, "2026-03-04T08:00:00+07:00")
            .unwrap_err()
            .code(),
        "wrong_state"
    );
    // Supplement arrives a week later: the 4 days resume from then.
    // Neither the specialist who asked nor an official of another unit receives it.
    assert_eq!(
        step(&p, &paused, &specialist(), Action::SupplementReceived, "2026-03-10T08:00:00+07:00").unwrap_err().code(),
        "wrong_actor"
    );
    // The applicant may send it through the portal: the same resumption as at the desk.
    let sent = step(&p, &paused, &applicant(), Action::SupplementReceived, "2026-03-10T08:00:00+07:00").unwrap();
    let resumed = step(&p, &paused, &desk(), Action::SupplementReceived, "2026-03-10T08:00:00+07:00").unwrap();
    assert_eq!(sent, resumed);
    assert_eq!(resumed.due, Some(at("2026-03-16T08:00:00+07:00")));
    assert_eq!(resumed.state, State::Processing { step: 1 });
    // Paused a whole working week: 5 days of 8 hours not counted against the agency.
    assert_eq!(resumed.paused_minutes, 5 * 8 * 60);
    let calendar = p.calendar();
    assert_eq!(resumed.processing_minutes(calendar, at("2026-03-10T08:00:00+07:00")), Some(8 * 60));
    let err = step(
        &p,
        &resumed,
        &specialist(),
        Action::RequestSupplement { items: vec!["lần hai".into()] },
        "2026-03-11T08:00:00+07:00",
    )
    .unwrap_err();
    assert_eq!(err, LifecycleError::SupplementAlreadyRequested);
}

#[test]
fn financial_obligation_pauses_with_status_6() {
    let p = land_change();
    let d = received(&p);
    let d = step(&p, &d, &desk(), Action::Forward { note: None }, "2026-03-02T10:00:00+07:00").unwrap();
    let paused = step(
        &p,
        &d,
        &specialist(),
        Action::RequestFinancialObligation { note: "Nộp lệ phí trước bạ".into() },
        "2026-03-03T08:00:00+07:00",
    )
    .unwrap();
    assert_eq!(paused.status_code(), 6);
    assert_eq!(
        step(&p, &paused, &desk(), Action::SupplementReceived, "2026-03-04T08:00:00+07:00").unwrap_err().code(),
        "wrong_state"
    );
    let resumed =
        step(&p, &paused, &desk(), Action::FinancialObligationFulfilled, "2026-03-04T08:00:00+07:00").unwrap();
    assert_eq!(resumed.due, Some(at("2026-03-10T08:00:00+07:00")));
}

#[test]
fn late_dossier_needs_an_apology_once_and_is_classified_late() {
    let p = land_change();
    let d = to_decision(&p);
    let d = step(&p, &d, &leader(), Action::Decide { approved: true, reasons: vec![] }, "2026-03-09T10:00:00+07:00")
        .unwrap();
    let err = step(&p, &d, &desk(), Action::ReturnResult { channel: Channel::Counter }, "2026-03-09T11:00:00+07:00")
        .unwrap_err();
    assert_eq!(err.code(), "apology_required");
    // Only the head of the unit at fault signs: the dossier is now at the desk's last step, on
    // time, but the assessment unit's steps were late, so its head (or a parent's) signs, and
    // the desk's head does not.
    let apology =
        Action::Apologize { reason: "Chậm thẩm định".into(), new_due: at("2026-03-11T17:00:00+07:00") };
    let desk_head = official(Role::Leader, "G22.26.01.01");
    let err = step(&p, &d, &desk_head, apology.clone(), "2026-03-09T11:00:00+07:00").unwrap_err();
    assert_eq!(err.code(), "wrong_actor");
    assert!(err.to_string().contains("`G22.26.01.03`"), "{err}");
    let signed = step(&p, &d, &leader(), apology, "2026-03-09T11:00:00+07:00").unwrap();
    assert_eq!(signed.apology.map(|a| a.agency.to_string()), Some("G22.26.01.03".to_owned()));
    let head = official(Role::Leader, "G22.26.01");
    let err = step(
        &p,
        &d,
        &head,
        Action::Apologize { reason: "Chậm thẩm định".into(), new_due: at("2026-03-09T07:00:00+07:00") },
        "2026-03-09T11:00:00+07:00",
    )
    .unwrap_err();
    assert_eq!(err.code(), "new_due_not_later");
    let d = step(
        &p,
        &d,
        &head,
        Action::Apologize { reason: "Chậm thẩm định".into(), new_due: at("2026-03-11T17:00:00+07:00") },
        "2026-03-09T11:00:00+07:00",
    )
    .unwrap();
    let apology = d.apology.clone().unwrap();
    assert!(apology.issued_late, "issued after the due time, not one working day before");
    assert_eq!(d.appointment(), Some(at("2026-03-11T17:00:00+07:00")));
    let err = step(
        &p,
        &d,
        &head,
        Action::Apologize { reason: "lần hai".into(), new_due: at("2026-03-20T17:00:00+07:00") },
        "2026-03-10T08:00:00+07:00",
    )
    .unwrap_err();
    assert_eq!(err.code(), "already_apologized");
    let d =
        step(&p, &d, &desk(), Action::ReturnResult { channel: Channel::Counter }, "2026-03-10T09:00:00+07:00").unwrap();
    // Late against the original due time even though within the new appointment.
    assert_eq!(d.timing, Some(Timing::Late));
    assert_eq!(d.late_agencies(), vec!["G22.26.01.03".parse().unwrap(), "G22.26.01.01".parse().unwrap()]);
}

#[test]
fn apology_in_time_is_not_flagged() {
    let p = land_change();
    let d = to_decision(&p);
    let d = step(
        &p,
        &d,
        &leader(),
        Action::Apologize {
            reason: "Chờ ý kiến cơ quan thuế".into(), new_due: at("2026-03-12T17:00:00+07:00")
        },
        "2026-03-05T08:00:00+07:00",
    )
    .unwrap();
    assert!(!d.apology.unwrap().issued_late);
}

#[test]
fn rejection_needs_reasons() {
    let p = land_change();
    let d = to_decision(&p);
    let err = step(&p, &d, &leader(), Action::Decide { approved: false, reasons: vec![] }, "2026-03-05T09:00:00+07:00")
        .unwrap_err();
    assert_eq!(err.code(), "missing_reasons");
    let d = step(
        &p,
        &d,
        &leader(),
        Action::Decide { approved: false, reasons: vec!["Giấy tờ không hợp lệ".into()] },
        "2026-03-05T09:00:00+07:00",
    )
    .unwrap();
    assert!(!d.decision.unwrap().approved);
}

#[test]
fn stop_and_withdraw_only_before_a_result() {
    let p = land_change();
    let d = to_decision(&p);
    let stopped =
        step(&p, &d, &desk(), Action::Stop { reason: "Công dân đề nghị dừng".into() }, "2026-03-05T09:00:00+07:00")
            .unwrap();
    assert_eq!(stopped.status_code(), 8);
    let withdrawn = step(
        &p,
        &d,
        &applicant(),
        Action::Withdraw { reason: Some("Không còn nhu cầu".into()) },
        "2026-03-05T09:00:00+07:00",
    )
    .unwrap();
    assert_eq!(withdrawn.status_code(), 7);
    let decided =
        step(&p, &d, &leader(), Action::Decide { approved: true, reasons: vec![] }, "2026-03-05T09:00:00+07:00")
            .unwrap();
    assert_eq!(
        step(&p, &decided, &desk(), Action::Stop { reason: "muộn".into() }, "2026-03-05T10:00:00+07:00")
            .unwrap_err()
            .code(),
        "wrong_state"
    );
    assert_eq!(
        step(&p, &decided, &applicant(), Action::Withdraw { reason: None }, "2026-03-05T10:00:00+07:00")
            .unwrap_err()
            .code(),
        "wrong_state"
    );
}

#[test]
fn actions_round_trip_as_json() {
    let action: Action =
        serde_json::from_str(r#"{"action":"decide","approved":false,"reasons":["Thiếu giấy tờ"]}"#).unwrap();
    assert_eq!(action.name(), "decide");
    assert!(serde_json::from_str::<Action>(r#"{"action":"teleport"}"#).is_err());
}
