//! How a case is presented: list summaries, the actions a user may take, and the facts an
//! event records.

use super::*;

/// What the event records besides its note: the facts a timeline shows.
pub fn event_data(
    action: &Action,
    before: &CaseState,
    after: &CaseState,
    now: DateTime<Utc>,
) -> serde_json::Value {
    let mut data = match action {
        Action::Triage {
            tier,
            category,
            key_days,
            urgent,
            ..
        } => serde_json::json!({
            "tier": tier.as_str(), "category": category, "key_days": key_days, "urgent": urgent,
        }),
        Action::Invalidate { reason, .. } => serde_json::json!({ "reason": reason.as_str() }),
        // 及时核查: whether the check kept the category's time limit; rework counts failures.
        Action::Verify { passed, .. } => serde_json::json!({
            "passed": passed,
            "on_time": before.verify_due.is_none_or(|due| now <= due),
            "rework_count": after.rework_count,
        }),
        Action::Defer { review_on, .. } => serde_json::json!({ "review_on": review_on }),
        Action::ApproveDeferral { approve, .. } => {
            let review_on = match before.deferral {
                machine::Deferral::Requested { review_on } => Some(review_on),
                _ => None,
            };
            serde_json::json!({ "approve": approve, "review_on": review_on })
        }
        Action::Dispatch { departments, .. } => serde_json::json!({
            "departments": departments.iter().map(|d| serde_json::json!({"department": d.department, "role": d.role.as_str()})).collect::<Vec<_>>(),
            "copy": after.dispatches.iter().skip(before.dispatches.len()).filter(|d| d.role == DispatchRole::Copy).map(|d| d.department.clone()).collect::<Vec<_>>(),
        }),
        Action::Feedback { satisfaction, .. } => {
            serde_json::json!({ "satisfaction": satisfaction.as_str() })
        }
        Action::RequestExtension { days, .. } => serde_json::json!({ "days": days }),
        Action::ApproveExtension { approve, .. } => serde_json::json!({ "approve": approve }),
        Action::Merge { into } => serde_json::json!({ "into": into }),
        Action::Escalate { .. } => serde_json::json!({ "to": after.handling_level.as_str() }),
        _ => serde_json::json!({}),
    };
    data["status"] = after.status.as_str().into();
    if after.deadline != before.deadline {
        data["deadline"] = after.deadline.map(|d| d.to_rfc3339()).into();
    }
    data
}

/// The actions the actor could take now: each tried against the rules with a sample input.
pub(super) fn allowed(
    case: &CaseState,
    actor: &Actor,
    now: DateTime<Utc>,
    cat: &Catalogue,
    has_candidates: bool,
    ack_days: u32,
    resolved_by: Option<i64>,
) -> Vec<String> {
    let sample_dept = cat.departments.keys().next().cloned().unwrap_or_default();
    let x = || "x".to_owned();
    let samples = [
        // Triage is offered if any tier is allowed (a worker may only take simple ones).
        Action::Triage {
            tier: Tier::Coordination,
            category: None,
            subcategory: None,
            key_days: None,
            urgent: false,
            note: String::new(),
        },
        Action::Triage {
            tier: Tier::Simple,
            category: None,
            subcategory: None,
            key_days: None,
            urgent: false,
            note: String::new(),
        },
        Action::Dispatch {
            departments: vec![DispatchTarget {
                department: sample_dept,
                role: DispatchRole::Lead,
            }],
            note: String::new(),
        },
        Action::Acknowledge {
            note: String::new(),
        },
        Action::Return { reason: x() },
        Action::Progress { note: x() },
        Action::Resolve { result: x() },
        Action::Feedback {
            satisfaction: crate::domain::case::Satisfaction::Satisfied,
            comment: x(),
        },
        Action::Escalate { reason: x() },
        Action::RequestExtension {
            days: 1,
            reason: x(),
        },
        Action::ApproveExtension {
            approve: true,
            note: String::new(),
        },
        Action::Supervise { note: x() },
        Action::Close {
            note: String::new(),
        },
        Action::Invalidate {
            reason: crate::domain::case::InvalidReason::NotAProblem,
            note: x(),
        },
        Action::Verify {
            passed: true,
            note: x(),
        },
        Action::Defer {
            reason: x(),
            review_on: (now + chrono::Duration::days(30))
                .with_timezone(&crate::domain::calendar::district_tz())
                .date_naive(),
        },
        Action::ApproveDeferral {
            approve: true,
            note: String::new(),
        },
        Action::Resume {
            note: String::new(),
        },
    ];
    let ctx = Context {
        calendar: &cat.calendar,
        ack_days,
        copy_department: None,
        department_exists: &|_| true,
        category_exists: &|_| true,
        merge_target: None,
        resolved_by,
        limits: Default::default(),
        category_urgent: false,
        subcategory_of: &|_| None,
        verifiers: machine::DEFAULT_VERIFIERS,
        spot_check: false,
        // The form asks for the photo; offering the step does not depend on it.
        result_photo_required: false,
        step_photos: 0,
    };
    let mut out: Vec<String> = samples
        .iter()
        .filter(|a| machine::decide(case, actor, a, now, &ctx).is_ok())
        .map(|a| a.name().to_owned())
        .collect();
    out.dedup();
    // Merging needs a target: offer it when repeats were found nearby.
    if has_candidates && out.iter().any(|a| a == "triage") {
        out.push("merge".to_owned());
    }
    out
}

pub(super) fn summary(r: ListRow, now: DateTime<Utc>, cat: &Catalogue) -> CaseSummary {
    let facts = ColourFacts {
        status: crate::domain::case::Status::parse(&r.case.status)
            .unwrap_or(crate::domain::case::Status::Reported),
        clock_started_at: r.case.clock_started_at.map(from_millis),
        deadline: r.case.deadline_at.map(from_millis),
        ack_due: r.ack_due_at.map(from_millis),
        repeat_count: r.case.repeat_count as u32,
        feedback: r
            .case
            .feedback
            .as_deref()
            .and_then(crate::domain::case::Satisfaction::parse),
        closed_without_feedback: r.case.closed_without_feedback == 1,
    };
    summary_of(&r.case, r.grid_name, &facts, now, cat)
}

pub(super) fn summary_of(
    row: &CaseRow,
    grid_name: String,
    facts: &ColourFacts,
    now: DateTime<Utc>,
    cat: &Catalogue,
) -> CaseSummary {
    let (category_name, category_name_en) = cat
        .categories
        .get(&row.category)
        .map(|c| (c.name.clone(), c.name_en.clone()))
        .unwrap_or_default();
    CaseSummary {
        id: row.id,
        tracking_code: row.tracking_code.clone(),
        category: row.category.clone(),
        category_name,
        category_name_en,
        description: row.description.clone(),
        grid_code: row.grid_code.clone(),
        grid_name,
        status: facts.status,
        tier: row.tier.as_deref().and_then(Tier::parse),
        colour: colour_of(facts, now, &cat.calendar),
        supervised: row.supervised == 1,
        repeat_count: row.repeat_count as u32,
        reported_at: from_millis(row.reported_at),
        deadline: facts.deadline,
        possible_repeat: false,
        urgent: row.urgent == 1,
    }
}
