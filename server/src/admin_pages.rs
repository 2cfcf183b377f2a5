//! What every administration page shares (`/admin/…`): only administrators pass
//! ([`AdminPage`]), and a form's outcome — done, refused with a reason, or a table's
//! refused rows in the reader's language — becomes the status and the notice the page
//! shows again.

use crate::http::user_or_login;
use crate::http::{html, page_ctx};
use app::domain::table_rows::{RowError, TableColumn};
use app::error::AppError;
use app::i18n::{Lang, t};
use app::light::{self, AdminOutcome, PageCtx, RefusedRow};
use app::ssr::CurrentUser;
use app::ssr::services::roster::TableError;
use axum::body::Bytes;
use axum::extract::FromRequestParts;
use axum::extract::Multipart;
use axum::http::request::Parts;
use axum::http::{Extensions, StatusCode, Uri};
use axum::response::Response;
use std::collections::HashMap;

/// The signed-in administrator, or the login redirect / a refusal page.
pub(crate) fn admin_only(
    extensions: &Extensions,
    uri: &Uri,
    ctx: &PageCtx,
) -> Result<CurrentUser, Response> {
    let user = user_or_login(extensions, uri)?;
    user.require_admin()
        .map_err(|e| html(StatusCode::FORBIDDEN, light::message_page(ctx, e.msg())))?;
    Ok(user)
}

/// The page's answer to a form: the status and what to show.
pub(crate) type Outcome = (StatusCode, AdminOutcome);

pub(crate) fn refused(lang: Lang, e: AppError) -> Outcome {
    let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, AdminOutcome::Refused(t(lang, e.msg()).to_owned()))
}

pub(crate) fn table_refused<C: TableColumn + serde::Serialize>(
    lang: Lang,
    e: TableError<C>,
) -> Outcome {
    match e {
        TableError::Refused(rows) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            AdminOutcome::RefusedRows(rows.iter().map(|r| refused_row(lang, r)).collect()),
        ),
        TableError::Other(e) => refused(lang, e),
    }
}

/// The column as the reader's table names it: its Chinese header, or its English key.
fn column_name<C: TableColumn + serde::Serialize>(lang: Lang, c: C) -> String {
    match lang {
        Lang::Zh => c.header().to_owned(),
        Lang::En => serde_json::to_value(c)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default(),
    }
}

fn refused_row<C: TableColumn + serde::Serialize>(lang: Lang, r: &RowError<C>) -> RefusedRow {
    RefusedRow {
        row: r.row,
        header: r.column.map(|c| column_name(lang, c)).unwrap_or_default(),
        reason: t(lang, r.msg).to_owned(),
        value: r.value.clone(),
    }
}

pub(crate) fn ok(o: AdminOutcome) -> Outcome {
    (StatusCode::OK, o)
}

/// A request to an administration page from an administrator: the page's context (its
/// language switch comes back to the page's path, without the form's query) and the
/// user. Anyone else is sent to log in or refused.
pub(crate) struct AdminPage {
    pub ctx: PageCtx,
    pub user: CurrentUser,
}

impl<S: Send + Sync> FromRequestParts<S> for AdminPage {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Response> {
        let mut ctx = page_ctx(&parts.headers, &parts.extensions, &parts.uri);
        ctx.path = parts.uri.path().to_owned();
        let user = admin_only(&parts.extensions, &parts.uri, &ctx)?;
        Ok(AdminPage { ctx, user })
    }
}

/// A request to a command centre's page (the 12345 import): centres and administrators.
pub(crate) struct CommandPage {
    pub ctx: PageCtx,
    pub user: CurrentUser,
}

impl<S: Send + Sync> FromRequestParts<S> for CommandPage {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Response> {
        let mut ctx = page_ctx(&parts.headers, &parts.extensions, &parts.uri);
        ctx.path = parts.uri.path().to_owned();
        let user = user_or_login(&parts.extensions, &parts.uri)?;
        if !matches!(
            user.role,
            app::domain::people::Role::Admin | app::domain::people::Role::Center
        ) {
            let msg = AppError::Forbidden.msg();
            return Err(html(StatusCode::FORBIDDEN, light::message_page(&ctx, msg)));
        }
        Ok(CommandPage { ctx, user })
    }
}

/// The page shown again after a form, with the form's status.
pub(crate) fn with_status(mut res: Response, status: StatusCode) -> Response {
    *res.status_mut() = status;
    res
}

/// A posted form: every field's values (checkboxes repeat), files as bytes.
#[derive(Default)]
pub(crate) struct Form(HashMap<String, Vec<Bytes>>);

impl Form {
    pub(crate) async fn read(mut m: Multipart) -> Form {
        let mut form = Form::default();
        while let Ok(Some(f)) = m.next_field().await {
            let name = f.name().unwrap_or_default().to_owned();
            let Ok(bytes) = f.bytes().await else { break };
            form.0.entry(name).or_default().push(bytes);
        }
        form
    }

    pub(crate) fn text(&self, name: &str) -> String {
        self.0
            .get(name)
            .and_then(|v| v.first())
            .map(|b| String::from_utf8_lossy(b).trim().to_owned())
            .unwrap_or_default()
    }

    pub(crate) fn texts(&self, name: &str) -> Vec<String> {
        self.0
            .get(name)
            .map(|v| {
                v.iter()
                    .map(|b| String::from_utf8_lossy(b).trim().to_owned())
                    .collect()
            })
            .unwrap_or_default()
    }

    pub(crate) fn file(&self, name: &str) -> Bytes {
        self.0
            .get(name)
            .and_then(|v| v.first())
            .cloned()
            .unwrap_or_default()
    }
}
