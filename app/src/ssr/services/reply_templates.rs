//! Reply templates (常用回复): staff read them at a step; administrators add and remove
//! them (audited). A template is only a starting text: the person acting edits it.

use crate::domain::reply_template::{ReplyTemplate, STEPS, TEXT_MAX};
use crate::error::AppError;
use crate::i18n::Msg;
use crate::ssr::current_user::CurrentUser;
use crate::ssr::state::AppState;
use crate::ssr::store::{StoreError, audit, catalogue, reply_templates as q};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What an administrator gives for a new template.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TemplateInput {
    #[serde(default)]
    pub category: Option<String>,
    pub step: String,
    pub text: String,
}

pub async fn list(state: &AppState) -> Result<Vec<ReplyTemplate>, AppError> {
    Ok(q::list(&state.db.pool).await?)
}

pub async fn add(
    state: &AppState,
    admin: &CurrentUser,
    input: TemplateInput,
    now: DateTime<Utc>,
) -> Result<ReplyTemplate, AppError> {
    admin.require_admin()?;
    let step = input.step.trim();
    if !STEPS.contains(&step) {
        return Err(AppError::validation("step", Msg::ErrTemplateStep));
    }
    let text = input.text.trim();
    if text.is_empty() {
        return Err(AppError::validation("text", Msg::ErrRequired));
    }
    if text.chars().count() > TEXT_MAX {
        return Err(AppError::validation("text", Msg::ErrTooLong));
    }
    let category = input
        .category
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    if let Some(c) = category {
        let known = catalogue::standards(&state.db.pool).await?;
        if !known.iter().any(|k| k.code == c) {
            return Err(AppError::validation("category", Msg::ErrUnknownCategory));
        }
    }
    let mut tx = state.db.begin_write().await.map_err(StoreError::from)?;
    let id = q::insert(&mut **tx, category, step, text, 1_000).await?;
    let detail = format!("#{id} {} {step}: {text}", category.unwrap_or("*"));
    audit::record(
        &mut **tx,
        now,
        admin.id,
        "template_add",
        "reply_template",
        id,
        &detail,
    )
    .await?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(ReplyTemplate {
        id,
        category: category.map(str::to_owned),
        step: step.to_owned(),
        text: text.to_owned(),
    })
}

pub async fn delete(
    state: &AppState,
    admin: &CurrentUser,
    id: i64,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    admin.require_admin()?;
    let mut tx = state.db.begin_write().await.map_err(StoreError::from)?;
    if !q::delete(&mut **tx, id).await? {
        return Err(AppError::NotFound);
    }
    audit::record(
        &mut **tx,
        now,
        admin.id,
        "template_delete",
        "reply_template",
        id,
        "",
    )
    .await?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(())
}
