//! Shared server state, handed to axum handlers by `State` and to server functions by
//! `provide_context` (never a global).

use crate::domain::geometry::GridIndex;
use crate::ssr::config::Config;
use crate::ssr::db::Db;
use crate::ssr::rate_limit::RateLimiter;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use std::sync::{Arc, RwLock};

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub config: Arc<Config>,
    /// The point → grid lookup, rebuilt whenever boundaries change.
    pub grids: Arc<RwLock<Arc<GridIndex>>>,
    pub login_limiter: Arc<RateLimiter>,
}

impl AppState {
    pub fn new(leptos_options: LeptosOptions, db: Db, config: Config) -> AppState {
        AppState {
            leptos_options,
            db,
            config: Arc::new(config),
            grids: Arc::new(RwLock::new(Arc::new(GridIndex::default()))),
            login_limiter: Arc::new(RateLimiter::login_default()),
        }
    }

    pub fn grid_index(&self) -> Arc<GridIndex> {
        self.grids.read().expect("grid index lock").clone()
    }

    pub fn set_grid_index(&self, index: GridIndex) {
        *self.grids.write().expect("grid index lock") = Arc::new(index);
    }
}

/// The state inside a server function (provided by the router for every request).
pub fn app_state() -> Result<AppState, crate::error::AppError> {
    leptos::prelude::use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the server-function context");
        crate::error::AppError::Internal
    })
}
