//! The case as its reporter sees it through the tracking code (`/t/{code}`): the public
//! timeline, the rating, and the photos a resident may open. No staff names, no notes
//! meant for staff, no other resident's data.

use super::*;
use crate::domain::case::Satisfaction;
use crate::domain::case::colour::colour;
use crate::domain::resident::{PublicCase, PublicStep};

/// Who a resident's steps are recorded as.
pub const RESIDENT_NAME: &str = "群众";
pub const RESIDENT_ROLE: &str = "resident";

/// A step taken by the resident (no account): reporting, rating.
pub(super) fn resident_event<'a>(
    at: DateTime<Utc>,
    action: &'a str,
    note: &'a str,
    data: serde_json::Value,
) -> NewEvent<'a> {
    NewEvent {
        at,
        actor_account: None,
        actor_name: RESIDENT_NAME,
        actor_role: RESIDENT_ROLE,
        action,
        note,
        data,
    }
}

/// Tracking codes are 10 characters of Crockford's base32; anything else is not one.
pub fn normalise_code(code: &str) -> Option<String> {
    let c: String = code
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '-'))
        .collect::<String>()
        .to_ascii_uppercase();
    (c.len() == 10
        && c.bytes()
            .all(|b| b"0123456789ABCDEFGHJKMNPQRSTVWXYZ".contains(&b)))
    .then_some(c)
}

async fn case_id(state: &AppState, code: &str) -> Result<i64, AppError> {
    let code = normalise_code(code).ok_or(AppError::NotFound)?;
    cases::id_by_tracking_code(&state.db.pool, &code)
        .await?
        .ok_or(AppError::NotFound)
}

/// The public view of the case behind a tracking code (NotFound for any unknown code).
#[tracing::instrument(skip_all, err(Debug))]
pub async fn public_case(
    state: &AppState,
    code: &str,
    now: DateTime<Utc>,
) -> Result<PublicCase, AppError> {
    let id = case_id(state, code).await?;
    let cat = catalogue(state).await?;
    let mut tx = begin_read(state).await?;
    let (row, case) = cases::peek(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let events = cases::events(&mut *tx, id).await?;
    let mut photos: HashMap<i64, Vec<String>> = HashMap::new();
    for (seq, name) in cases::attachments(&mut *tx, id).await? {
        photos
            .entry(seq)
            .or_default()
            .push(format!("/t/{}/photos/{name}", row.tracking_code));
    }
    let mut ids: Vec<i64> = events.iter().filter_map(|e| e.actor_account).collect();
    ids.sort_unstable();
    ids.dedup();
    let accounts = store::residents::account_units(&mut *tx, &ids).await?;
    let mut node_names: HashMap<String, (String, String)> = HashMap::new();
    for code in accounts
        .iter()
        .filter_map(|(_, _, n)| n.clone())
        .chain([row.grid_code.clone()])
    {
        if !node_names.contains_key(&code) {
            if let Some(n) = store::territory::get(&mut *tx, &code).await? {
                node_names.insert(code, (n.name, n.name_en));
            }
        }
    }
    tx.commit().await.map_err(store::StoreError::from)?;
    let unit_of = |account: Option<i64>| -> (String, String) {
        let Some((_, dept, node)) = accounts.iter().find(|(id, _, _)| Some(*id) == account) else {
            return (String::new(), String::new());
        };
        match (dept, node) {
            (Some(d), _) => cat.departments.get(d).cloned().unwrap_or_default(),
            (None, Some(n)) => node_names.get(n).cloned().unwrap_or_default(),
            _ => (String::new(), String::new()),
        }
    };
    let dept_names = |data: &serde_json::Value| -> String {
        data["departments"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|d| d["department"].as_str())
                    .filter_map(|d| cat.departments.get(d).map(|n| n.0.clone()))
                    .collect::<Vec<_>>()
                    .join("、")
            })
            .unwrap_or_default()
    };
    let steps = events
        .into_iter()
        .filter_map(|e| {
            let data: serde_json::Value = serde_json::from_str(&e.data).unwrap_or_default();
            // Notes are written for staff; only results and the reporter's own words show.
            let text = match e.action.as_str() {
                "report" | "triage" | "acknowledge" | "return" | "progress" | "escalate"
                | "supervise" | "merge" | "merged_in" | "close" | "consultation" => String::new(),
                "dispatch" => dept_names(&data),
                "resolve" | "feedback" | "invalidate" => e.note.clone(),
                "approve_extension" if data["approve"].as_bool() == Some(true) => String::new(),
                "verify" | "resume" => String::new(),
                "approve_deferral" if data["approve"].as_bool() == Some(true) => {
                    data["review_on"].as_str().unwrap_or_default().to_owned()
                }
                _ => return None,
            };
            let (unit, unit_en) = if e.actor_role == RESIDENT_ROLE {
                (String::new(), String::new())
            } else {
                unit_of(e.actor_account)
            };
            let shows_photos = matches!(e.action.as_str(), "report" | "resolve" | "verify");
            let says = crate::domain::resident::step_message(&e.action, &data);
            Some(PublicStep {
                at: from_millis(e.at),
                action: e.action,
                unit,
                unit_en,
                text,
                message: says.map(|m| m.zh().to_owned()).unwrap_or_default(),
                message_en: says.map(|m| m.en().to_owned()).unwrap_or_default(),
                photos: if shows_photos {
                    photos.remove(&e.seq).unwrap_or_default()
                } else {
                    vec![]
                },
            })
        })
        .collect();
    let category = cat.categories.get(&row.category);
    Ok(PublicCase {
        tracking_code: row.tracking_code.clone(),
        category_name: category.map(|c| c.name.clone()).unwrap_or_default(),
        category_name_en: category.map(|c| c.name_en.clone()).unwrap_or_default(),
        description: row.description.clone(),
        grid_name: node_names
            .get(&row.grid_code)
            .map(|n| n.0.clone())
            .unwrap_or_default(),
        status: case.status,
        colour: colour(&case, now, &cat.calendar).colour,
        reported_at: case.reported_at,
        deadline: case.deadline,
        resolved_at: case.resolved_at,
        closed_at: case.closed_at,
        feedback: case.feedback,
        can_rate: case.status == crate::domain::case::Status::Resolved,
        steps,
    })
}

/// The reporter's rating, proved by the case's feedback token (the tracking code alone is
/// seen by staff and may not rate). Dissatisfied reopens the case.
#[tracing::instrument(skip_all, err(Debug))]
pub async fn rate(
    state: &AppState,
    code: &str,
    token: &str,
    satisfaction: Satisfaction,
    comment: &str,
    now: DateTime<Utc>,
) -> Result<PublicCase, AppError> {
    let id = case_id(state, code).await?;
    if !holds_feedback_token(state, code, token) {
        return Err(AppError::NotAllowed {
            msg: Msg::RefuseNotReporter,
        });
    }
    let cat = catalogue(state).await?;
    let mut tx = begin(state).await?;
    let (_, case) = cases::load(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let action = Action::Feedback {
        satisfaction,
        comment: comment.to_owned(),
    };
    let decision = cat
        .decide(
            state,
            &case,
            &Actor::Reporter,
            &action,
            now,
            History::default(),
        )
        .map_err(refusal)?;
    cases::record_step(
        &mut tx,
        id,
        &case,
        &decision.state,
        &resident_event(
            now,
            action.name(),
            comment,
            event_data(&action, &case, &decision.state, now),
        ),
    )
    .await?;
    tx.commit().await.map_err(store::StoreError::from)?;
    public_case(state, code, now).await
}

/// Whether `token` lets its holder rate the case with this tracking code.
pub fn holds_feedback_token(state: &AppState, code: &str, token: &str) -> bool {
    normalise_code(code).is_some_and(|c| state.sealer.holds_feedback_token(&c, token))
}

/// A photo of a report or a result, for the holder of the case's tracking code.
pub async fn public_photo_path(
    state: &AppState,
    code: &str,
    name: &str,
) -> Result<std::path::PathBuf, AppError> {
    use crate::ssr::photos;
    if !photos::is_our_name(name) {
        return Err(AppError::NotFound);
    }
    let id = case_id(state, code).await?;
    if cases::attachment_case(&state.db.pool, name).await? != Some(id) {
        return Err(AppError::NotFound);
    }
    // Only photos the public timeline shows: the report's and the results'.
    let seqs: Vec<i64> = cases::events(&state.db.pool, id)
        .await?
        .into_iter()
        .filter(|e| matches!(e.action.as_str(), "report" | "resolve"))
        .map(|e| e.seq)
        .collect();
    let shown = cases::attachments(&state.db.pool, id)
        .await?
        .into_iter()
        .any(|(seq, n)| n == name && seqs.contains(&seq));
    if !shown {
        return Err(AppError::NotFound);
    }
    Ok(photos::dir(&state.config.data_dir).join(name))
}

#[cfg(test)]
mod tests {
    use super::normalise_code;

    #[test]
    fn tracking_codes_are_forgiving_about_case_and_spaces() {
        assert_eq!(
            normalise_code(" 7k3m-9q2x ab").as_deref(),
            Some("7K3M9Q2XAB")
        );
        assert_eq!(normalise_code("7K3M9Q2XA"), None, "too short");
        assert_eq!(
            normalise_code("7K3M9Q2XAU"),
            None,
            "U is not in the alphabet"
        );
        assert_eq!(normalise_code("../../etc/p"), None);
    }
}
