use super::*;
use crate::domain::calendar::district_tz;
use crate::domain::calendar_cn;
use crate::domain::case::colour::colour;
use crate::domain::case::types::{Colour, RedReason};
use chrono::{Duration, TimeZone};
use proptest::prelude::*;

fn at(d: u32, h: u32, m: u32) -> DateTime<Utc> {
    // November 2026: the 23rd is a Monday.
    district_tz()
        .with_ymd_and_hms(2026, 11, d, h, m, 0)
        .unwrap()
        .with_timezone(&Utc)
}

fn cal() -> WorkCalendar {
    calendar_cn::official()
}

fn staff(id: i64, role: Role, in_scope: bool, level: Option<Level>, dept: Option<&str>) -> Actor {
    Actor::Staff {
        account_id: id,
        role,
        in_scope,
        level,
        department: dept.map(str::to_owned),
    }
}

fn worker() -> Actor {
    staff(1, Role::Worker, true, Some(Level::Grid), None)
}
fn grid_leader() -> Actor {
    staff(2, Role::GridLeader, true, Some(Level::Community), None)
}
fn center() -> Actor {
    staff(3, Role::Center, true, Some(Level::Street), None)
}
fn other_center() -> Actor {
    staff(4, Role::Center, false, Some(Level::Street), None)
}
fn leader() -> Actor {
    staff(5, Role::Leader, true, Some(Level::District), None)
}
fn dept(code: &str) -> Actor {
    staff(6, Role::Dept, false, None, Some(code))
}

struct World {
    calendar: WorkCalendar,
}

impl World {
    fn new() -> World {
        World { calendar: cal() }
    }

    fn ctx<'a>(&'a self, target: Option<&'a CaseState>) -> Context<'a> {
        Context {
            calendar: &self.calendar,
            ack_days: 1,
            copy_department: Some("sanitation"),
            department_exists: &|d| ["urban", "police", "sanitation", "market"].contains(&d),
            category_exists: &|c| ["env", "safety"].contains(&c),
            merge_target: target,
            resolved_by: None,
            limits: StageLimits::default(),
            category_urgent: false,
            subcategory_of: &|c| c.strip_suffix(".manhole").map(str::to_owned),
            spot_check: false,
            verifiers: DEFAULT_VERIFIERS,
            result_photo_required: false,
            step_photos: 0,
        }
    }

    fn ok(&self, case: &CaseState, actor: &Actor, action: Action, now: DateTime<Utc>) -> CaseState {
        decide(case, actor, &action, now, &self.ctx(None))
            .unwrap_or_else(|r| panic!("{action:?} refused: {r:?}"))
            .state
    }

    fn refused(
        &self,
        case: &CaseState,
        actor: &Actor,
        action: Action,
        now: DateTime<Utc>,
    ) -> Refusal {
        decide(case, actor, &action, now, &self.ctx(None)).expect_err("should be refused")
    }
}

fn new_case(now: DateTime<Utc>) -> CaseState {
    CaseState::reported("env", "G1", now, Some(1))
}

fn triage(tier: Tier) -> Action {
    Action::Triage {
        tier,
        category: None,
        subcategory: None,
        key_days: None,
        urgent: false,
        note: String::new(),
    }
}

fn lead_and_co() -> Action {
    Action::Dispatch {
        departments: vec![
            DispatchTarget {
                department: "urban".into(),
                role: DispatchRole::Lead,
            },
            DispatchTarget {
                department: "police".into(),
                role: DispatchRole::CoHandler,
            },
        ],
        note: String::new(),
    }
}

fn resolve(text: &str) -> Action {
    Action::Resolve {
        result: text.into(),
    }
}

fn verify(passed: bool, note: &str) -> Action {
    Action::Verify {
        passed,
        note: note.into(),
    }
}

fn ack() -> Action {
    Action::Acknowledge {
        note: String::new(),
    }
}

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

fn feedback(s: Satisfaction) -> Action {
    Action::Feedback {
        satisfaction: s,
        comment: "电话回访：居民的回答".into(),
    }
}

#[test]
fn nobody_rates_their_own_work_and_staff_record_the_residents_answer() {
    let w = World::new();
    let t0 = at(23, 9, 0);
    // The worker (account 1) reports, the centre triages it simple, the worker resolves it.
    let c = w.ok(&new_case(t0), &center(), triage(Tier::Simple), t0);
    let c = w.ok(&c, &worker(), resolve("路灯已更换"), t0);
    let mut ctx = w.ctx(None);
    ctx.resolved_by = Some(1);
    let rate = |ctx: &Context, actor: &Actor, comment: &str| {
        decide(
            &c,
            actor,
            &Action::Feedback {
                satisfaction: Satisfaction::Satisfied,
                comment: comment.into(),
            },
            t0,
            ctx,
        )
        .map(|_| ())
    };
    assert_eq!(
        rate(&ctx, &worker(), "居民说很满意"),
        Err(Forbidden(Msg::RefuseRateOwnWork)),
        "the resolver, though also the reporter"
    );
    assert_eq!(
        rate(&ctx, &center(), "  "),
        Err(Conflict(Msg::RefuseFeedbackNeedsAnswer)),
        "staff write down the resident's answer"
    );
    assert_eq!(rate(&ctx, &center(), "电话回访：居民表示满意"), Ok(()));
    assert_eq!(
        rate(&ctx, &Actor::Reporter, ""),
        Ok(()),
        "a resident needs no note"
    );
    // Someone else resolved it: the reporting worker may record the resident's answer.
    ctx.resolved_by = Some(6);
    assert_eq!(rate(&ctx, &worker(), "入户回访：居民满意"), Ok(()));
}

#[test]
fn a_simple_case_closes_in_the_grid() {
    let w = World::new();
    let t0 = at(23, 9, 0);
    let c = w.ok(&new_case(t0), &center(), triage(Tier::Simple), t0);
    assert_eq!(c.status, Status::InGrid);
    assert_eq!(c.deadline, Some(at(23, 11, 0)), "two working hours");
    let c = w.ok(&c, &worker(), resolve("路灯已更换"), at(23, 10, 0));
    assert_eq!(c.status, Status::Resolved);
    assert_eq!(
        colour(&c, at(23, 10, 0), &w.calendar).colour,
        Colour::Yellow,
        "waiting for feedback"
    );
    let c = w.ok(
        &c,
        &Actor::Reporter,
        feedback(Satisfaction::Satisfied),
        at(23, 12, 0),
    );
    assert_eq!(c.status, Status::Closed);
    assert_eq!(colour(&c, at(30, 12, 0), &w.calendar).colour, Colour::Green);
}

#[test]
fn coordination_dispatch_acknowledge_and_resolve_per_department() {
    let w = World::new();
    let t0 = at(23, 9, 0);
    let c = w.ok(&new_case(t0), &center(), triage(Tier::Coordination), t0);
    assert_eq!(c.status, Status::Triaged);
    assert_eq!(
        c.deadline,
        Some(at(30, 17, 30)),
        "end of the 5th working day after Monday 23rd"
    );
    let c = w.ok(&c, &center(), lead_and_co(), at(23, 10, 0));
    assert_eq!(c.status, Status::Dispatched);
    let roles: Vec<_> = c
        .dispatches
        .iter()
        .map(|d| (d.department.as_str(), d.role))
        .collect();
    assert_eq!(
        roles,
        [
            ("urban", DispatchRole::Lead),
            ("police", DispatchRole::CoHandler),
            ("sanitation", DispatchRole::Copy)
        ],
        "copied to the competent department"
    );
    assert_eq!(c.dispatches[0].ack_due, Some(at(24, 17, 30)));

    let c = w.ok(
        &c,
        &dept("police"),
        Action::Acknowledge {
            note: String::new(),
        },
        at(23, 11, 0),
    );
    assert_eq!(
        c.status,
        Status::Dispatched,
        "a co-handler's 报到 does not move the case"
    );
    assert_eq!(
        w.refused(&c, &dept("urban"), resolve("x"), at(23, 11, 0)),
        Refusal::Conflict(Msg::RefuseAcknowledgeFirst)
    );
    let c = w.ok(
        &c,
        &dept("urban"),
        Action::Acknowledge {
            note: String::new(),
        },
        at(23, 12, 0),
    );
    assert_eq!(c.status, Status::Handling);
    assert_eq!(
        w.refused(
            &c,
            &dept("urban"),
            Action::Acknowledge {
                note: String::new()
            },
            at(23, 12, 0)
        ),
        Refusal::Conflict(Msg::RefuseAlreadyAcknowledged)
    );
    let c = w.ok(&c, &dept("police"), resolve("已协助"), at(24, 9, 0));
    assert_eq!(c.status, Status::Handling, "co-handler's part only");
    let c = w.ok(&c, &dept("urban"), resolve("已清理"), at(24, 10, 0));
    assert_eq!(c.status, Status::Verifying, "the grid checks on site first");
    assert_eq!(
        c.verify_due,
        Some(at(25, 17, 30)),
        "by the end of the next working day"
    );
    let c = w.ok(&c, &worker(), verify(true, ""), at(24, 15, 0));
    assert_eq!(c.status, Status::Resolved);
    assert!(
        c.dispatches
            .iter()
            .filter(|d| d.role != DispatchRole::Copy)
            .all(|d| d.resolved_at.is_some())
    );
}

#[test]
fn refusals_say_why() {
    let w = World::new();
    let t0 = at(23, 9, 0);
    let c = new_case(t0);
    assert_eq!(
        w.refused(&c, &worker(), triage(Tier::Coordination), t0),
        Refusal::Forbidden(Msg::RefuseRole),
        "only simple problems are the grid's own"
    );
    assert_eq!(
        w.ok(&c, &worker(), triage(Tier::Simple), t0).status,
        Status::InGrid,
        "自办自结"
    );
    assert_eq!(
        w.refused(&c, &other_center(), triage(Tier::Simple), t0),
        Refusal::Forbidden(Msg::RefuseRole)
    );
    assert_eq!(
        w.refused(&c, &dept("urban"), triage(Tier::Simple), t0),
        Refusal::Forbidden(Msg::RefuseRole)
    );
    assert_eq!(
        w.refused(&c, &center(), lead_and_co(), t0),
        Refusal::Conflict(Msg::RefuseNotTriaged)
    );
    assert_eq!(
        w.refused(&c, &center(), resolve("x"), t0),
        Refusal::Conflict(Msg::RefuseNotInHand)
    );
    assert_eq!(
        w.refused(&c, &Actor::Reporter, feedback(Satisfaction::Satisfied), t0),
        Refusal::Conflict(Msg::RefuseNotResolved)
    );
    let key = Action::Triage {
        tier: Tier::Key,
        category: None,
        subcategory: None,
        key_days: Some(16),
        urgent: false,
        note: String::new(),
    };
    assert_eq!(
        w.refused(&c, &center(), key, t0),
        Refusal::Conflict(Msg::RefuseKeyDays)
    );
    let bad_cat = Action::Triage {
        tier: Tier::Simple,
        category: Some("nope".into()),
        subcategory: None,
        key_days: None,
        urgent: false,
        note: String::new(),
    };
    assert_eq!(
        w.refused(&c, &center(), bad_cat, t0),
        Refusal::Conflict(Msg::ErrUnknownCategory)
    );

    let c = w.ok(&c, &center(), triage(Tier::Coordination), t0);
    let two_leads = Action::Dispatch {
        departments: vec![
            DispatchTarget {
                department: "urban".into(),
                role: DispatchRole::Lead,
            },
            DispatchTarget {
                department: "police".into(),
                role: DispatchRole::Lead,
            },
        ],
        note: String::new(),
    };
    assert_eq!(
        w.refused(&c, &center(), two_leads, t0),
        Refusal::Conflict(Msg::RefuseOneLead)
    );
    let unknown = Action::Dispatch {
        departments: vec![DispatchTarget {
            department: "mars".into(),
            role: DispatchRole::Lead,
        }],
        note: String::new(),
    };
    assert_eq!(
        w.refused(&c, &center(), unknown, t0),
        Refusal::Conflict(Msg::ErrUnknownDepartment)
    );
    let c = w.ok(&c, &center(), lead_and_co(), t0);
    assert_eq!(
        w.refused(
            &c,
            &dept("market"),
            Action::Acknowledge {
                note: String::new()
            },
            t0
        ),
        Refusal::Forbidden(Msg::RefuseNotYourDispatch)
    );
    assert_eq!(
        w.refused(
            &c,
            &dept("sanitation"),
            Action::Acknowledge {
                note: String::new()
            },
            t0
        ),
        Refusal::Forbidden(Msg::RefuseNotYourDispatch),
        "a copy is for information only"
    );
    assert_eq!(
        w.refused(
            &c,
            &dept("urban"),
            Action::Return { reason: " ".into() },
            t0
        ),
        Refusal::Conflict(Msg::ErrReasonRequired)
    );
    assert_eq!(
        w.refused(&c, &worker(), Action::Supervise { note: "快".into() }, t0),
        Refusal::Forbidden(Msg::RefuseRole)
    );
}

#[test]
fn a_lead_return_sends_the_case_back_to_triage() {
    let w = World::new();
    let t0 = at(23, 9, 0);
    let c = w.ok(&new_case(t0), &center(), triage(Tier::Coordination), t0);
    let c = w.ok(&c, &center(), lead_and_co(), t0);
    // A co-handler's return only ends its own part.
    let c2 = w.ok(
        &c,
        &dept("police"),
        Action::Return {
            reason: "不属于公安职责".into(),
        },
        t0,
    );
    assert_eq!(c2.status, Status::Dispatched);
    let c = w.ok(
        &c,
        &dept("urban"),
        Action::Return {
            reason: "应由市监处理".into(),
        },
        t0,
    );
    assert_eq!(c.status, Status::Returned);
    assert!(c.deadline.is_none());
    assert!(c.dispatches.iter().all(|d| !d.is_active()));
    let c = w.ok(&c, &center(), triage(Tier::Coordination), at(23, 10, 0));
    let c = w.ok(
        &c,
        &center(),
        Action::Dispatch {
            departments: vec![DispatchTarget {
                department: "market".into(),
                role: DispatchRole::Lead,
            }],
            note: String::new(),
        },
        at(23, 10, 0),
    );
    assert_eq!(c.lead().unwrap().department, "market");
    assert_eq!(
        c.dispatches.len(),
        3 + 2,
        "the history keeps the withdrawn dispatches"
    );
}

#[test]
fn dissatisfied_feedback_reopens_and_turns_red() {
    let w = World::new();
    let t0 = at(23, 9, 0);
    let c = w.ok(&new_case(t0), &center(), triage(Tier::Coordination), t0);
    let c = w.ok(&c, &center(), lead_and_co(), t0);
    let c = w.ok(
        &c,
        &dept("urban"),
        Action::Acknowledge {
            note: String::new(),
        },
        t0,
    );
    let c = w.ok(&c, &dept("urban"), resolve("done"), at(24, 9, 0));
    let c = w.ok(&c, &worker(), verify(true, ""), at(24, 9, 30));
    let c = w.ok(
        &c,
        &Actor::Reporter,
        feedback(Satisfaction::Dissatisfied),
        at(24, 10, 0),
    );
    assert_eq!(c.status, Status::Handling);
    let v = colour(&c, at(24, 10, 0), &w.calendar);
    assert_eq!(
        (v.colour, v.reasons),
        (Colour::Red, vec![RedReason::Dissatisfied])
    );
    let c = w.ok(&c, &dept("urban"), resolve("再次处理"), at(25, 9, 0));
    let c = w.ok(&c, &grid_leader(), verify(true, ""), at(25, 9, 30));
    let c = w.ok(
        &c,
        &center(),
        feedback(Satisfaction::BasicallySatisfied),
        at(25, 10, 0),
    );
    assert_eq!(colour(&c, at(25, 10, 0), &w.calendar).colour, Colour::Green);
}

#[test]
fn escalation_moves_up_one_level_at_a_time() {
    let w = World::new();
    let t0 = at(23, 9, 0);
    let c = w.ok(&new_case(t0), &grid_leader(), triage(Tier::Simple), t0);
    let c = w.ok(
        &c,
        &worker(),
        Action::Escalate {
            reason: "需社区协调".into(),
        },
        t0,
    );
    assert_eq!(
        (c.status, c.handling_level),
        (Status::Reported, Level::Community)
    );
    assert_eq!(
        w.refused(
            &c,
            &worker(),
            Action::Escalate {
                reason: "再上报".into()
            },
            t0
        ),
        Refusal::Forbidden(Msg::RefuseRole)
    );
    let c = w.ok(
        &c,
        &grid_leader(),
        Action::Escalate {
            reason: "需街道协调".into(),
        },
        t0,
    );
    assert_eq!(c.handling_level, Level::Street);
    assert_eq!(
        w.refused(&c, &grid_leader(), triage(Tier::Simple), t0),
        Refusal::Forbidden(Msg::RefuseRole),
        "the street owns it now"
    );
    let c = w.ok(
        &c,
        &center(),
        Action::Escalate {
            reason: "需区级会商".into(),
        },
        t0,
    );
    assert_eq!(c.handling_level, Level::District);
    assert_eq!(
        w.refused(&c, &leader(), Action::Escalate { reason: "x".into() }, t0),
        Refusal::Conflict(Msg::RefuseCannotEscalate)
    );
}

#[test]
fn one_extension_approved_by_the_level_above() {
    let w = World::new();
    let t0 = at(23, 9, 0);
    let c = w.ok(&new_case(t0), &center(), triage(Tier::Simple), t0);
    let ask = Action::RequestExtension {
        days: 2,
        reason: "等待配件".into(),
    };
    let c = w.ok(&c, &worker(), ask.clone(), t0);
    assert_eq!(
        w.refused(
            &c,
            &worker(),
            Action::ApproveExtension {
                approve: true,
                note: String::new()
            },
            t0
        ),
        Refusal::Forbidden(Msg::RefuseRole)
    );
    let c = w.ok(
        &c,
        &center(),
        Action::ApproveExtension {
            approve: true,
            note: String::new(),
        },
        t0,
    );
    assert_eq!(
        c.deadline,
        Some(at(25, 17, 30)),
        "two working days after the old deadline"
    );
    assert_eq!(
        w.refused(&c, &worker(), ask, t0),
        Refusal::Conflict(Msg::RefuseExtensionUsed)
    );
}

#[test]
fn a_pending_extension_lapses_when_the_work_is_done() {
    let w = World::new();
    let t0 = at(23, 9, 0);
    let c = w.ok(&new_case(t0), &center(), triage(Tier::Simple), t0);
    let ask = Action::RequestExtension {
        days: 2,
        reason: "等待配件".into(),
    };
    let c = w.ok(&c, &worker(), ask, t0);
    let c = w.ok(&c, &worker(), resolve("已处理"), t0);
    let approve = Action::ApproveExtension {
        approve: true,
        note: String::new(),
    };
    assert_eq!(
        w.refused(&c, &center(), approve.clone(), t0),
        Refusal::Conflict(Msg::RefuseNotInHand)
    );
    let c = w.ok(&c, &Actor::Reporter, feedback(Satisfaction::Satisfied), t0);
    assert_eq!(
        w.refused(&c, &center(), approve, t0),
        Refusal::Conflict(Msg::RefuseNotInHand)
    );
}

#[test]
fn repeats_merge_and_turn_the_target_red() {
    let w = World::new();
    let t0 = at(23, 9, 0);
    let target = w.ok(&new_case(t0), &center(), triage(Tier::Simple), t0);
    let repeat = new_case(at(23, 9, 30));
    let d = decide(
        &repeat,
        &center(),
        &Action::Merge { into: 7 },
        t0,
        &w.ctx(Some(&target)),
    )
    .unwrap();
    assert_eq!(d.state.status, Status::Merged);
    assert_eq!(d.state.merged_into, Some(7));
    let target = d.merge_target.unwrap();
    assert_eq!(target.repeat_count, 1);
    assert_eq!(colour(&target, t0, &w.calendar).colour, Colour::Yellow);
    let d = decide(
        &new_case(t0),
        &center(),
        &Action::Merge { into: 7 },
        t0,
        &w.ctx(Some(&target)),
    )
    .unwrap();
    let target = d.merge_target.unwrap();
    assert_eq!(
        colour(&target, t0, &w.calendar).reasons,
        vec![RedReason::Repeated]
    );
    let mut other = new_case(t0);
    other.category = "safety".into();
    assert_eq!(
        decide(
            &other,
            &center(),
            &Action::Merge { into: 7 },
            t0,
            &w.ctx(Some(&target))
        )
        .unwrap_err(),
        Refusal::Conflict(Msg::RefuseMergeTarget)
    );
}

#[test]
fn closing_without_feedback_waits_three_days() {
    let w = World::new();
    let t0 = at(23, 9, 0);
    let c = w.ok(&new_case(t0), &center(), triage(Tier::Simple), t0);
    let c = w.ok(&c, &worker(), resolve("ok"), at(23, 10, 0));
    assert_eq!(
        w.refused(
            &c,
            &center(),
            Action::Close {
                note: String::new()
            },
            at(25, 10, 0)
        ),
        Refusal::Conflict(Msg::RefuseFeedbackWindow)
    );
    let c = w.ok(
        &c,
        &center(),
        Action::Close {
            note: String::new(),
        },
        at(26, 10, 0),
    );
    assert!(c.closed_without_feedback);
    assert_eq!(
        colour(&c, at(26, 10, 0), &w.calendar).colour,
        Colour::Green,
        "逾期未评价视为满意"
    );
}

#[test]
fn colours_for_overdue_and_late_acknowledgement() {
    let w = World::new();
    let t0 = at(23, 9, 0);
    let c = w.ok(&new_case(t0), &center(), triage(Tier::Simple), t0);
    assert!(!colour(&c, at(23, 10, 0), &w.calendar).near_deadline);
    assert!(
        colour(&c, at(23, 10, 40), &w.calendar).near_deadline,
        "100 of 120 minutes used"
    );
    assert_eq!(
        colour(&c, at(23, 11, 1), &w.calendar).reasons,
        vec![RedReason::Overdue]
    );

    let c = w.ok(&new_case(t0), &center(), triage(Tier::Coordination), t0);
    let c = w.ok(&c, &center(), lead_and_co(), t0);
    assert_eq!(
        colour(&c, at(24, 17, 0), &w.calendar).colour,
        Colour::Yellow
    );
    assert_eq!(
        colour(&c, at(24, 17, 31), &w.calendar).reasons,
        vec![RedReason::AckOverdue]
    );
}

#[test]
fn invalid_reports_say_why_and_leave_the_figures() {
    let w = World::new();
    let t0 = at(23, 9, 0);
    let c = new_case(t0);
    let invalidate = |reason, note: &str| Action::Invalidate {
        reason,
        note: note.into(),
    };
    assert_eq!(
        w.refused(
            &c,
            &worker(),
            invalidate(InvalidReason::NotAProblem, ""),
            t0
        ),
        Forbidden(Msg::RefuseRole),
        "the grid worker reports, the command triages"
    );
    assert_eq!(
        w.refused(
            &c,
            &center(),
            invalidate(InvalidReason::NotOurRemit, " "),
            t0
        ),
        Conflict(Msg::RefuseInvalidNeedsNote),
        "say where to go instead"
    );
    let gone = w.ok(
        &c,
        &center(),
        invalidate(InvalidReason::NotAProblem, ""),
        t0,
    );
    assert_eq!(gone.status, Status::Invalid);
    assert_eq!(gone.invalid_reason, Some(InvalidReason::NotAProblem));
    assert!(!gone.status.is_counted() && !gone.status.is_open());
    assert_eq!(
        colour(&gone, at(30, 9, 0), &w.calendar).colour,
        Colour::Green
    );
    let triaged = w.ok(&c, &center(), triage(Tier::Coordination), t0);
    assert_eq!(
        w.refused(
            &triaged,
            &center(),
            invalidate(InvalidReason::Malicious, ""),
            t0
        ),
        Conflict(Msg::RefuseNotAwaitingTriage),
        "a case once taken up is not declared invalid"
    );
    for action in actions() {
        for actor in actors() {
            assert!(
                decide(&gone, &actor, &action, t0, &w.ctx(None)).is_err(),
                "{action:?}"
            );
        }
    }
}

/// A coordination case up to its lead department's result.
fn resolved_by_department(w: &World, t0: DateTime<Utc>) -> CaseState {
    let c = w.ok(&new_case(t0), &center(), triage(Tier::Coordination), t0);
    let c = w.ok(&c, &center(), lead_and_co(), t0);
    let c = w.ok(&c, &dept("urban"), ack(), t0);
    w.ok(&c, &dept("urban"), resolve("已清理"), at(24, 9, 0))
}

#[test]
fn a_failed_check_sends_the_case_back_with_its_deadline() {
    let w = World::new();
    let t0 = at(23, 9, 0);
    let c = resolved_by_department(&w, t0);
    let deadline = c.deadline;
    assert_eq!(c.status, Status::Verifying);
    assert_eq!(
        w.refused(&c, &Actor::Reporter, feedback(Satisfaction::Satisfied), t0),
        Conflict(Msg::RefuseNotResolved),
        "the reporter is asked once the result is checked"
    );
    assert_eq!(
        w.refused(&c, &dept("urban"), verify(true, ""), t0),
        Forbidden(Msg::RefuseRole),
        "nobody checks their own result"
    );
    assert_eq!(
        w.refused(&c, &other_center(), verify(true, ""), t0),
        Forbidden(Msg::RefuseRole)
    );
    assert_eq!(
        w.refused(&c, &worker(), verify(false, ""), t0),
        Conflict(Msg::RefuseReworkNeedsReason)
    );
    let c = w.ok(&c, &worker(), verify(false, "垃圾仍未清运"), at(24, 10, 0));
    assert_eq!(
        (c.status, c.rework_count, c.deadline, c.resolved_at),
        (Status::Handling, 1, deadline, None),
        "返工 against the original deadline"
    );
    assert!(c.lead().is_some_and(|l| l.resolved_at.is_none()));
    let v = colour(&c, at(30, 17, 31), &w.calendar);
    assert!(
        v.reasons.contains(&RedReason::Overdue),
        "the clock kept running"
    );
    let c = w.ok(&c, &dept("urban"), resolve("已返工"), at(25, 9, 0));
    assert_eq!(c.status, Status::Verifying);
    assert!(verified_on_time(&c, at(26, 17, 30)));
    assert!(
        !verified_on_time(&c, at(26, 17, 31)),
        "one working day to check"
    );
    let c = w.ok(
        &c,
        &grid_leader(),
        verify(true, "已整改到位"),
        at(25, 11, 0),
    );
    assert_eq!((c.status, c.rework_count), (Status::Resolved, 1));
}

#[test]
fn urgent_cases_run_on_shorter_clocks() {
    let w = World::new();
    let t0 = at(23, 9, 0);
    let urgent = |tier| Action::Triage {
        tier,
        category: None,
        subcategory: None,
        key_days: None,
        urgent: true,
        note: String::new(),
    };
    let c = w.ok(&new_case(t0), &center(), urgent(Tier::Simple), t0);
    assert_eq!((c.urgent, c.deadline), (true, Some(at(23, 10, 0))));
    let c = w.ok(&new_case(t0), &center(), urgent(Tier::Coordination), t0);
    assert_eq!(c.deadline, Some(at(25, 17, 30)), "two working days");
    let c = w.ok(&c, &center(), lead_and_co(), at(23, 10, 0));
    assert_eq!(
        c.dispatches[0].ack_due,
        Some(at(23, 12, 0)),
        "two working hours to 报到"
    );
    let v = colour(&c, at(23, 12, 1), &w.calendar);
    assert_eq!(v.reasons, vec![RedReason::AckOverdue]);
}

#[test]
fn a_deferred_case_leaves_the_clock_and_comes_back_on_its_review_date() {
    let w = World::new();
    let t0 = at(23, 9, 0);
    let c = w.ok(&new_case(t0), &center(), triage(Tier::Coordination), t0);
    let c = w.ok(&c, &center(), lead_and_co(), t0);
    let c = w.ok(&c, &dept("urban"), ack(), t0);
    let defer = |d| Action::Defer {
        reason: "待年度预算下达".into(),
        review_on: d,
    };
    assert_eq!(
        w.refused(&c, &dept("urban"), defer(day(11, 23)), t0),
        Conflict(Msg::RefuseReviewDate),
        "not today"
    );
    assert_eq!(
        w.refused(&c, &dept("police"), defer(day(12, 20)), t0),
        Forbidden(Msg::RefuseRole),
        "the lead department or the command asks"
    );
    let asked = w.ok(&c, &dept("urban"), defer(day(12, 20)), at(24, 9, 0));
    assert_eq!(
        asked.status,
        Status::Handling,
        "nothing changes before approval"
    );
    assert_eq!(
        w.refused(&asked, &dept("urban"), defer(day(12, 21)), at(24, 9, 0)),
        Conflict(Msg::RefuseDeferralPending)
    );
    let approve = Action::ApproveDeferral {
        approve: true,
        note: String::new(),
    };
    assert_eq!(
        w.refused(&asked, &worker(), approve.clone(), at(24, 10, 0)),
        Forbidden(Msg::RefuseRole)
    );
    let mut deferred = w.ok(&asked, &center(), approve, at(24, 10, 0));
    assert_eq!(deferred.status, Status::Deferred);
    deferred.repeat_count = 3;
    let v = colour(&deferred, at(30, 17, 31), &w.calendar);
    assert_ne!(
        v.colour,
        Colour::Red,
        "off the red list, even past its deadline"
    );
    let dec = |d, h| {
        district_tz()
            .with_ymd_and_hms(2026, 12, d, h, 0, 0)
            .unwrap()
            .with_timezone(&Utc)
    };
    let resume = Action::Resume {
        note: String::new(),
    };
    assert_eq!(
        w.refused(&deferred, &Actor::System, resume.clone(), dec(19, 9)),
        Conflict(Msg::RefuseReviewDate),
        "the clock waits for the review date"
    );
    let back_at = dec(21, 9);
    let back = w.ok(&deferred, &Actor::System, resume, back_at);
    assert_eq!(
        (back.status, back.deferral),
        (Status::Handling, Deferral::None)
    );
    let left = w
        .calendar
        .working_time_between(at(24, 10, 0), c.deadline.unwrap());
    assert_eq!(
        back.deadline,
        Some(w.calendar.add_working_time(back_at, left)),
        "the working time it had left"
    );
}

#[test]
fn the_standards_table_sets_the_clocks_of_its_categories() {
    let w = World::new();
    let t0 = at(23, 9, 0);
    let mut ctx = w.ctx(None);
    ctx.limits = StageLimits {
        ack_hours: Some(1),
        handle_hours: Some(4),
        verify_hours: Some(2),
    };
    ctx.category_urgent = true;
    let ask = |sub: &str| Action::Triage {
        tier: Tier::Coordination,
        category: None,
        subcategory: Some(sub.into()),
        key_days: None,
        urgent: false,
        note: String::new(),
    };
    let go = |c: &CaseState, actor: &Actor, a: Action, now| decide(c, actor, &a, now, &ctx);
    assert_eq!(
        go(&new_case(t0), &center(), ask("safety.manhole"), t0).map(|_| ()),
        Err(Conflict(Msg::ErrUnknownSubcategory)),
        "a subcategory of another category"
    );
    let c = go(&new_case(t0), &center(), ask("env.manhole"), t0)
        .unwrap()
        .state;
    assert_eq!(c.subcategory.as_deref(), Some("env.manhole"));
    assert!(c.urgent, "urgent by standard");
    assert_eq!(
        c.deadline,
        Some(at(23, 13, 0)),
        "4 working hours, not 2 working days"
    );
    let c = go(&c, &center(), lead_and_co(), t0).unwrap().state;
    assert_eq!(
        c.dispatches[0].ack_due,
        Some(at(23, 10, 0)),
        "1 working hour to 报到"
    );
    let c = go(&c, &dept("urban"), ack(), t0).unwrap().state;
    let c = go(&c, &dept("urban"), resolve("井盖已复位"), at(23, 11, 0))
        .unwrap()
        .state;
    assert_eq!(
        c.verify_due,
        Some(at(23, 13, 0)),
        "2 working hours to check"
    );
}

#[test]
fn a_spot_check_of_the_grid_s_own_result_is_made_by_someone_else() {
    let w = World::new();
    let t0 = at(23, 9, 0);
    let mut ctx = w.ctx(None);
    ctx.spot_check = true;
    let c = w.ok(&new_case(t0), &worker(), triage(Tier::Simple), t0);
    let c = decide(&c, &worker(), &resolve("已清理"), at(23, 10, 0), &ctx)
        .unwrap()
        .state;
    assert_eq!(c.status, Status::Verifying, "drawn for a spot check");
    ctx.resolved_by = Some(1);
    assert_eq!(
        decide(&c, &worker(), &verify(true, ""), at(23, 10, 0), &ctx).map(|_| ()),
        Err(Forbidden(Msg::RefuseCheckOwnWork))
    );
    let back = decide(
        &c,
        &grid_leader(),
        &verify(false, "仍有垃圾"),
        at(23, 10, 30),
        &ctx,
    )
    .unwrap()
    .state;
    assert_eq!(
        (back.status, back.rework_count),
        (Status::InGrid, 1),
        "back to the grid"
    );
    let done = decide(&c, &grid_leader(), &verify(true, ""), at(23, 10, 30), &ctx)
        .unwrap()
        .state;
    assert_eq!(done.status, Status::Resolved);
    // A centre that keeps the checks to itself: the grid leader may no longer check.
    ctx.verifiers = &[Role::Center];
    assert_eq!(
        decide(&c, &grid_leader(), &verify(true, ""), at(23, 10, 30), &ctx).map(|_| ()),
        Err(Forbidden(Msg::RefuseRole))
    );
    assert!(decide(&c, &center(), &verify(true, ""), at(23, 10, 30), &ctx).is_ok());
}

/// Any action by any actor at any time: the generator for the property tests.
fn any_step() -> impl Strategy<Value = (usize, usize, u32)> {
    (0usize..23, 0usize..8, 0u32..(60 * 24 * 3))
}

fn actors() -> Vec<Actor> {
    vec![
        worker(),
        grid_leader(),
        center(),
        leader(),
        dept("urban"),
        dept("police"),
        Actor::Reporter,
        Actor::System,
    ]
}

fn actions() -> Vec<Action> {
    vec![
        triage(Tier::Simple),
        triage(Tier::Coordination),
        Action::Triage {
            tier: Tier::Key,
            category: None,
            subcategory: None,
            key_days: Some(12),
            urgent: false,
            note: String::new(),
        },
        lead_and_co(),
        Action::Acknowledge {
            note: String::new(),
        },
        Action::Return {
            reason: "误派".into(),
        },
        Action::Progress {
            note: "处理中".into(),
        },
        resolve("已处理"),
        feedback(Satisfaction::Satisfied),
        feedback(Satisfaction::Dissatisfied),
        Action::Escalate {
            reason: "上报".into(),
        },
        Action::RequestExtension {
            days: 3,
            reason: "延期".into(),
        },
        Action::ApproveExtension {
            approve: true,
            note: String::new(),
        },
        Action::Supervise {
            note: "督办".into(),
        },
        Action::Close {
            note: String::new(),
        },
        Action::Progress {
            note: String::new(),
        },
        Action::Invalidate {
            reason: InvalidReason::NotAProblem,
            note: String::new(),
        },
        verify(true, ""),
        verify(false, "未整改到位"),
        Action::Defer {
            reason: "待预算".into(),
            review_on: day(12, 1),
        },
        Action::ApproveDeferral {
            approve: true,
            note: String::new(),
        },
        Action::Resume {
            note: String::new(),
        },
        Action::Triage {
            tier: Tier::Coordination,
            category: None,
            subcategory: None,
            key_days: None,
            urgent: true,
            note: String::new(),
        },
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn closed_only_after_resolved_and_colours_match_their_definition(steps in proptest::collection::vec(any_step(), 1..40)) {
        let w = World::new();
        let (actors, actions) = (actors(), actions());
        let mut now = at(23, 9, 0);
        let mut case = new_case(now);
        let mut passed_resolve = false;
        for (a, who, minutes) in steps {
            now += Duration::minutes(minutes as i64);
            if let Ok(d) = decide(&case, &actors[who], &actions[a], now, &w.ctx(None)) {
                prop_assert!(case.status != Status::Invalid, "an invalid report never moves");
                if d.state.status == Status::Resolved {
                    passed_resolve = true;
                    // A department's result reaches the reporter only through the check.
                    prop_assert!(matches!(case.status, Status::InGrid | Status::Verifying | Status::Resolved));
                }
                if d.state.status == Status::Verifying && case.status != Status::Verifying {
                    prop_assert!(matches!(case.status, Status::Dispatched | Status::Handling), "verifying from {:?}", case.status);
                }
                if case.status == Status::Deferred && d.state.status != Status::Deferred {
                    let resumed = matches!(actions[a], Action::Resume { .. });
                    prop_assert!(resumed, "left deferral without resuming");
                }
                if d.state.status == Status::Closed {
                    prop_assert!(passed_resolve, "closed without passing resolve");
                    prop_assert!(case.status == Status::Resolved, "closed straight from {:?}", case.status);
                }
                case = d.state;
            }
            if case.status == Status::Resolved {
                prop_assert!(case.resolved_at.is_some());
            }
            let v = colour(&case, now, &w.calendar);
            match v.colour {
                Colour::Red => {
                    prop_assert!(!v.reasons.is_empty());
                    prop_assert!(case.status.is_counted() && case.status != Status::Deferred);
                }
                Colour::Green => prop_assert!(matches!(case.status, Status::Resolved | Status::Closed | Status::Merged | Status::Invalid)),
                Colour::Yellow => {
                    prop_assert!(v.reasons.is_empty());
                    prop_assert!(!(case.status.is_open() && case.deadline.is_some_and(|d| now > d)));
                }
            }
        }
    }
}

#[test]
fn action_names_are_the_wire_names() {
    let json = |a: &Action| serde_json::to_value(a).unwrap()["action"].clone();
    for a in actions() {
        assert_eq!(json(&a), a.name());
    }
    assert_eq!(actions()[11].name(), "request_extension");
    assert_eq!(actions()[20].name(), "approve_deferral");
}

#[test]
fn a_result_carries_its_photo_where_the_category_asks_for_one() {
    let w = World::new();
    let t0 = at(23, 9, 0);
    let with = |photos: usize| Context {
        result_photo_required: true,
        step_photos: photos,
        ..w.ctx(None)
    };
    // A department's result, and the grid's own: one rule.
    let c = w.ok(&new_case(t0), &center(), triage(Tier::Coordination), t0);
    let c = w.ok(&c, &center(), lead_and_co(), t0);
    let c = w.ok(&c, &dept("urban"), ack(), t0);
    let own = w.ok(&new_case(t0), &center(), triage(Tier::Simple), t0);
    for (case, actor) in [(&c, dept("urban")), (&own, worker())] {
        assert_eq!(
            decide(case, &actor, &resolve("已清理"), t0, &with(0)).unwrap_err(),
            Conflict(Msg::RefuseResultPhoto)
        );
        let done = decide(case, &actor, &resolve("已清理"), t0, &with(1)).unwrap();
        assert!(
            done.state.resolved_at.is_some()
                || done
                    .state
                    .dispatches
                    .iter()
                    .any(|d| d.resolved_at.is_some())
        );
        // Without the rule a photo is welcome but not asked for.
        assert!(decide(case, &actor, &resolve("已清理"), t0, &w.ctx(None)).is_ok());
    }
}
