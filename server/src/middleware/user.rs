//! Loads the logged-in account of the session into the request extensions, where handlers
//! (`api::Auth`) and server functions (`require_user`) find it.

use app::ssr::AppState;
use app::ssr::services::auth::{SESSION_ACCOUNT_KEY, load_current_user};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use tower_sessions::Session;

pub async fn load_user(
    State(state): State<AppState>,
    session: Session,
    mut req: Request,
    next: Next,
) -> Response {
    match session.get::<i64>(SESSION_ACCOUNT_KEY).await {
        Ok(Some(id)) => match load_current_user(&state, id).await {
            Ok(Some(user)) => {
                req.extensions_mut().insert(user);
            }
            // The account was removed or disabled: end its sessions.
            Ok(None) => {
                let _ = session.flush().await;
            }
            Err(_) => {} // already logged; the request continues as a visitor
        },
        Ok(None) => {}
        Err(e) => tracing::warn!(error = %e, "session could not be read"),
    }
    next.run(req).await
}
