//! Photos attached to a case's steps (checks and re-encoding in `ssr::photos`).

use super::*;

/// Attaches photos to the user's own latest step on a case (the report, a resolution, a
/// progress note…). Files are written first and removed again if the database refuses, so
/// nothing is ever half-stored.
#[tracing::instrument(skip_all, err(Debug), fields(case.id = id, files = files.len()))]
pub async fn attach_photos(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    files: Vec<Vec<u8>>,
    now: DateTime<Utc>,
) -> Result<CaseDetail, AppError> {
    if files.is_empty() {
        return Err(AppError::validation("photo", Msg::ErrRequired));
    }
    let processed = checked(state, user, id, files).await?;
    let cat = catalogue(state).await?;
    let mut tx = begin(state).await?;
    load_visible(&mut tx, user, id).await?;
    let events = cases::events(&mut **tx, id).await?;
    let last = events.last().ok_or(AppError::NotFound)?;
    if last.actor_account != Some(user.id) {
        return Err(AppError::Conflict {
            msg: Msg::ErrPhotoNotYourStep,
        });
    }
    let already = cases::attachments(&mut **tx, id)
        .await?
        .iter()
        .filter(|(seq, _)| *seq == last.seq)
        .count();
    if already + processed.len() > crate::ssr::photos::MAX_PER_STEP {
        return Err(AppError::validation("photo", Msg::ErrTooManyPhotos));
    }
    let seq = last.seq;
    commit_with_files(tx, state, id, seq, &processed, now).await?;
    detail_with(state, user, id, now, &cat).await
}

/// A result (办结) and its photos as one step: the photos are checked before anything is
/// written and stored in the step's own transaction, so a result never stands without
/// the photo its category asks for, and a refused result leaves no file behind.
#[tracing::instrument(skip_all, err(Debug), fields(case.id = id, files = files.len()))]
pub async fn resolve_with_photos(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    result: String,
    files: Vec<Vec<u8>>,
    key: &str,
    now: DateTime<Utc>,
) -> Result<CaseDetail, AppError> {
    use crate::ssr::services::step_keys::{self, Claim};
    let turn = {
        use sha2::Digest;
        let digests: Vec<_> = files.iter().map(sha2::Sha256::digest).collect();
        let case = id.to_string();
        let text = [case.as_bytes(), result.trim().as_bytes()];
        let parts = text.into_iter().chain(digests.iter().map(|d| d.as_slice()));
        match step_keys::claim::<serde_json::Value>(state, user, "resolve", key, parts).await? {
            // Resolved by the first send: the case as it stands now.
            Some(Claim::Replay(_)) => return detail(state, user, id, now).await,
            Some(Claim::Fresh(turn)) => Some(turn),
            None => None,
        }
    };
    match resolve_once(state, user, id, result, files, turn.as_ref(), now).await {
        // Its twin on another instance resolved it first: the same answer.
        Err(e) => {
            match step_keys::twin_answer::<serde_json::Value>(state, turn.as_ref(), user).await {
                Some(_) => detail(state, user, id, now).await,
                None => Err(e),
            }
        }
        ok => ok,
    }
}

/// The result, its photos and its key in one transaction.
async fn resolve_once(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    result: String,
    files: Vec<Vec<u8>>,
    turn: Option<&crate::ssr::services::step_keys::KeyTurn>,
    now: DateTime<Utc>,
) -> Result<CaseDetail, AppError> {
    use crate::ssr::services::step_keys;
    let processed = checked(state, user, id, files).await?;
    let cat = catalogue(state).await?;
    let mut tx = begin(state).await?;
    if let Some(turn) = turn {
        step_keys::remember(&mut tx, turn, user, &serde_json::json!({ "case": id }), now).await?;
    }
    let action = Action::Resolve { result };
    let step = Step {
        action: &action,
        photos: processed.len(),
    };
    let seq = act_in(&mut tx, state, user, id, step, now, &cat).await?;
    commit_with_files(tx, state, id, seq, &processed, now).await?;
    state.metrics.step(action.name());
    detail_with(state, user, id, now, &cat).await
}

/// At most a step's photos, each decoded and re-encoded, once the case is known to be
/// visible (decoding is the costly part: nobody gets it done for a case they cannot see).
async fn checked(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    files: Vec<Vec<u8>>,
) -> Result<Vec<crate::ssr::photos::Processed>, AppError> {
    use crate::ssr::photos;
    if files.len() > photos::MAX_PER_STEP {
        return Err(AppError::validation("photo", Msg::ErrTooManyPhotos));
    }
    {
        let mut tx = begin(state).await?;
        load_visible(&mut tx, user, id).await?;
    }
    photos::process_all(files).await.map_err(|e| match e {
        photos::BatchError::Photo(p) => AppError::validation("photo", p.msg()),
        photos::BatchError::Task => AppError::Internal,
    })
}

/// Stores the photos on step `seq` and commits; if either fails, the files written go.
async fn commit_with_files(
    mut tx: crate::ssr::db::WriteTx,
    state: &AppState,
    id: i64,
    seq: i64,
    processed: &[crate::ssr::photos::Processed],
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let mut written = Vec::new();
    let result = store_files(&mut tx, state, id, seq, processed, now, &mut written).await;
    let committed = match result {
        Ok(()) => tx
            .commit()
            .await
            .map_err(|e| AppError::from(store::StoreError::from(e))),
        Err(e) => Err(e),
    };
    if committed.is_err() {
        remove_files(written).await;
    }
    committed
}

/// The file of a stored photo, if the user may see its case.
pub async fn photo_path(
    state: &AppState,
    user: &CurrentUser,
    name: &str,
) -> Result<std::path::PathBuf, AppError> {
    use crate::ssr::photos;
    if !photos::is_our_name(name) {
        return Err(AppError::NotFound);
    }
    let case_id = cases::attachment_case(&state.db.pool, name)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut tx = begin(state).await?;
    load_visible(&mut tx, user, case_id).await?;
    Ok(photos::dir(&state.config.data_dir).join(name))
}

/// Writes re-encoded photos under random names and records them on a step, in the caller's
/// transaction. Each file saved is pushed to `written`, so that the caller can remove them
/// all if the transaction does not commit: no file outlives a failed step (and a file that
/// fails to save removes itself, `photos::save`).
pub(crate) async fn store_files(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    state: &AppState,
    case_id: i64,
    event_seq: i64,
    processed: &[crate::ssr::photos::Processed],
    now: DateTime<Utc>,
    written: &mut Vec<std::path::PathBuf>,
) -> Result<(), AppError> {
    use crate::ssr::photos;
    if processed.is_empty() {
        return Ok(());
    }
    let dir = photos::dir(&state.config.data_dir);
    for p in processed {
        let path = photos::save(dir.clone(), p.jpeg.clone())
            .await
            .map_err(|e| photos::write_failed(&e))?;
        written.push(path.clone());
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let a = cases::NewAttachment {
            event_seq,
            file_name: name,
            width: p.width,
            height: p.height,
            bytes: p.jpeg.len(),
            at: now,
        };
        cases::insert_attachment(tx, case_id, &a).await?;
    }
    Ok(())
}

/// Removes files whose step did not commit (a partial write included).
pub(crate) async fn remove_files(written: Vec<std::path::PathBuf>) {
    for f in written {
        let _ = tokio::fs::remove_file(f).await;
    }
}
