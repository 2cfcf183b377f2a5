//! Consultation (会商) records of key cases.

use super::*;

/// A consultation (会商) to record on a key case.
#[derive(Clone, Debug, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ConsultationInput {
    pub held_on: chrono::NaiveDate,
    pub participants: String,
    pub decision: String,
    #[serde(default)]
    pub departments: Vec<String>,
    /// The minutes (会议纪要).
    #[serde(default)]
    pub minutes: String,
    /// Responsible departments with their due dates; their departments join `departments`.
    #[serde(default)]
    pub duties: Vec<crate::domain::case::view::ConsultationDuty>,
}

/// Records a consultation and its timeline event in one transaction.
#[tracing::instrument(skip_all, err(Debug), fields(case.id = id))]
pub async fn consult(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    input: ConsultationInput,
    now: DateTime<Utc>,
) -> Result<CaseDetail, AppError> {
    let participants = input.participants.trim();
    let decision = input.decision.trim();
    if participants.is_empty() {
        return Err(AppError::validation("participants", Msg::ErrRequired));
    }
    if decision.is_empty() {
        return Err(AppError::validation("decision", Msg::ErrRequired));
    }
    if participants.chars().count() > DESCRIPTION_MAX || decision.chars().count() > DESCRIPTION_MAX
    {
        return Err(AppError::validation("decision", Msg::ErrTooLong));
    }
    let minutes = input.minutes.trim();
    if minutes.chars().count() > 10 * DESCRIPTION_MAX {
        return Err(AppError::validation("minutes", Msg::ErrTooLong));
    }
    let mut departments = input.departments.clone();
    for d in &input.duties {
        if !departments.contains(&d.department) {
            departments.push(d.department.clone());
        }
        if d.due_on.is_some_and(|due| due < input.held_on) {
            return Err(AppError::validation("due_on", Msg::ErrDueBeforeMeeting));
        }
    }
    let cat = catalogue(state).await?;
    if departments.iter().any(|d| !cat.departments.contains_key(d)) {
        return Err(AppError::validation(
            "departments",
            Msg::ErrUnknownDepartment,
        ));
    }
    let mut tx = begin(state).await?;
    let (row, case) = load_visible(&mut tx, user, id).await?;
    machine::may_consult(&case, &actor_for(user, &row)).map_err(refusal)?;
    let record = cases::NewConsultation {
        held_on: input.held_on,
        participants,
        decision,
        departments: &departments,
        minutes,
        duties: &input.duties,
        created_by: user.id,
        at: now,
    };
    cases::insert_consultation(&mut tx, id, &record).await?;
    cases::append_event(
        &mut tx,
        id,
        &event_by(user, now, "consultation", decision, serde_json::json!({ "held_on": input.held_on, "participants": participants, "departments": departments, "duties": input.duties })),
    )
    .await?;
    tx.commit().await.map_err(store::StoreError::from)?;
    detail_with(state, user, id, now, &cat).await
}
