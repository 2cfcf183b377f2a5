//! Shared server state, handed to axum handlers by `State` and to server functions by
//! `provide_context` (never a global).

use crate::domain::geometry::GridIndex;
use crate::ssr::config::Config;
use crate::ssr::crypto::Sealer;
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
    /// Login attempts per client address: generous, since a whole office may share one
    /// NAT address at nine in the morning; the per-username limit stops guessing.
    #[from_ref(skip)]
    pub login_ip_limiter: Arc<RateLimiter>,
    /// Public reports per IP and per grid (keys `ip:…`, `grid:…`).
    #[from_ref(skip)]
    pub report_limiter: Arc<RateLimiter>,
    /// Tracking-page lookups and ratings per IP (guessing codes is pointless, and slow).
    #[from_ref(skip)]
    pub lookup_limiter: Arc<RateLimiter>,
    /// The HTTP client of outbound webhooks (timeouts set, no redirects followed).
    #[from_ref(skip)]
    pub http: reqwest::Client,
    /// Seals residents' and households' personal data.
    pub sealer: Arc<Sealer>,
    /// The time: the system clock, or a fixed one that tests move by hand.
    pub clock: Clock,
    /// Case changes for the live pages (fed by `live::run_tailer`).
    #[from_ref(skip)]
    pub live: crate::ssr::live::Live,
}

/// Where "now" comes from. Services take the time as an argument; handlers ask the clock.
#[derive(Clone, Default)]
pub struct Clock(Option<Arc<RwLock<chrono::DateTime<chrono::Utc>>>>);

impl Clock {
    pub fn fixed(at: chrono::DateTime<chrono::Utc>) -> Clock {
        Clock(Some(Arc::new(RwLock::new(at))))
    }

    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        match &self.0 {
            Some(t) => *t.read().expect("clock lock"),
            None => chrono::Utc::now(),
        }
    }

    /// Moves a fixed clock (tests); the system clock cannot be moved.
    pub fn set(&self, at: chrono::DateTime<chrono::Utc>) {
        if let Some(t) = &self.0 {
            *t.write().expect("clock lock") = at;
        }
    }
}

impl AppState {
    pub fn new(leptos_options: LeptosOptions, db: Db, config: Config, sealer: Sealer) -> AppState {
        let report_limiter = RateLimiter::new(
            config.report_limit,
            std::time::Duration::from_secs(config.report_window_secs),
        );
        AppState {
            report_limiter: Arc::new(report_limiter),
            lookup_limiter: Arc::new(RateLimiter::new(120, std::time::Duration::from_secs(600))),
            sealer: Arc::new(sealer),
            live: crate::ssr::live::Live::default(),
            http: reqwest::Client::builder()
                .timeout(std::time::Duration::from_secs(10))
                .connect_timeout(std::time::Duration::from_secs(5))
                .redirect(reqwest::redirect::Policy::none())
                .user_agent(concat!("gridgov-webhook/", env!("CARGO_PKG_VERSION")))
                .build()
                .expect("the HTTP client's settings are valid"),
            leptos_options,
            db,
            config: Arc::new(config),
            grids: Arc::new(RwLock::new(Arc::new(GridIndex::default()))),
            login_limiter: Arc::new(RateLimiter::login_default()),
            login_ip_limiter: Arc::new(RateLimiter::new(60, std::time::Duration::from_secs(300))),
            clock: Clock::default(),
        }
    }

    pub fn grid_index(&self) -> Arc<GridIndex> {
        self.grids.read().expect("grid index lock").clone()
    }

    /// The working calendar as administrators keep it in the database.
    pub async fn calendar(
        &self,
    ) -> Result<crate::domain::calendar::WorkCalendar, crate::error::AppError> {
        Ok(crate::ssr::store::catalogue::calendar(&self.db.pool).await?)
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
