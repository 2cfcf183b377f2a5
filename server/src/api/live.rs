//! `GET /api/v1/stream`: case changes as Server-Sent Events, scoped to the user. Each
//! event's id is the case event's id; a client that reconnects with `Last-Event-ID` is
//! sent what it missed (events are kept for good, so any gap can be replayed) or, when
//! more than `REPLAY_LIMIT` behind, one `resync` event telling it to reload its figures.

use super::{ApiResult, Auth, OpenApiRouter, Query, Refused, routes};
use app::domain::live::CaseChange;
use app::ssr::AppState;
use app::ssr::live::{self, Backlog};
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::{self, Stream, StreamExt};
use serde::Deserialize;
use std::convert::Infallible;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(stream_changes))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct StreamQuery {
    /// For clients that cannot set the header (the same as `Last-Event-ID`).
    last_event_id: Option<i64>,
}

fn case_event(c: &CaseChange) -> Event {
    Event::default()
        .id(c.id.to_string())
        .event("case")
        .json_data(c)
        .unwrap_or_else(|_| Event::default().comment("unserialisable change"))
}

fn resync() -> Event {
    Event::default().event("resync").data("{}")
}

/// Case changes as Server-Sent Events
///
/// Only those of cases in the caller's scope; each event's id is the case event's id.
/// Reconnect with `Last-Event-ID` to get what was missed, or one `resync` event when too far
/// behind. The stream closes when the session ends.
#[utoipa::path(get, path = "/stream", tag = "cases",
    params(StreamQuery, ("Last-Event-ID" = Option<i64>, Header, description = "the last event's id, to get what was missed")),
    responses((status = 200, description = "`hello`, `case` (a `CaseChange`) and `resync` events", body = String, content_type = "text/event-stream"), Refused))]
async fn stream_changes(
    State(state): State<AppState>,
    Auth(user): Auth,
    session: tower_sessions::Session,
    headers: HeaderMap,
    Query(q): Query<StreamQuery>,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    let last = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|s| s.trim().parse::<i64>().ok())
        .or(q.last_event_id);
    // Subscribe before reading the backlog, so that nothing falls between the two.
    let rx = state.live.subscribe();
    let scope = user.scope.clone();
    let mut first: Vec<Event> = Vec::new();
    let high = match live::backlog(&state, &scope, last).await? {
        Backlog::Fresh { latest } => {
            first.push(
                Event::default()
                    .event("hello")
                    .id(latest.to_string())
                    .data("{}"),
            );
            latest
        }
        Backlog::Missed { changes, high } => {
            first.extend(changes.iter().map(case_event));
            high
        }
        Backlog::TooFar { latest } => {
            first.push(resync());
            latest
        }
    };
    first.insert(
        0,
        Event::default()
            .retry(Duration::from_secs(3))
            .comment("gridgov"),
    );
    // The stream re-checks its session now and then: a logout, a deactivation or a password
    // change closes it within `stream_recheck_secs`.
    let guard = Guard {
        state: state.clone(),
        session: session.id(),
        account: user.id,
        version: user.credentials_version,
    };
    let mut every = tokio::time::interval(Duration::from_secs(state.config.stream_recheck_secs));
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    every.reset();
    let live = stream::unfold((rx, scope, every), move |(mut rx, scope, mut every)| {
        let guard = guard.clone();
        async move {
            loop {
                tokio::select! {
                    got = rx.recv() => match got {
                        Ok(c) if c.id > high && c.visible_to(&scope) => {
                            return Some((Ok(case_event(&c)), (rx, scope, every)));
                        }
                        Ok(_) => continue,
                        Err(RecvError::Lagged(_)) => return Some((Ok(resync()), (rx, scope, every))),
                        Err(RecvError::Closed) => return None,
                    },
                    _ = every.tick() => {
                        if !guard.holds().await {
                            return None;
                        }
                    }
                }
            }
        }
    });
    Ok(
        Sse::new(stream::iter(first.into_iter().map(Ok)).chain(live))
            .keep_alive(KeepAlive::new().interval(Duration::from_secs(20))),
    )
}

/// What a stream needs to re-check its session.
#[derive(Clone)]
struct Guard {
    state: AppState,
    session: Option<tower_sessions::session::Id>,
    account: i64,
    version: i64,
}

impl Guard {
    /// Asked through the shared gate: the streams of one session share an answer for half
    /// a re-check period, and only a few questions reach the database at once.
    async fn holds(&self) -> bool {
        let Some(session) = self.session else {
            return false;
        };
        let key = app::ssr::stream_checks::StreamSession {
            session: session.to_string(),
            account: self.account,
            version: self.version,
        };
        let fresh = Duration::from_secs(self.state.config.stream_recheck_secs) / 2;
        self.state
            .stream_checks
            .holds(&key, fresh, || {
                app::ssr::services::auth::session_still_valid(
                    &self.state,
                    self.session,
                    self.account,
                    self.version,
                )
            })
            .await
    }
}
