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
    /// Failed logins per (username, address), with growing waits (`domain::login_throttle`).
    #[from_ref(skip)]
    pub login_throttle: Arc<crate::ssr::login_throttle::LoginThrottle>,
    /// Login attempts per client address: generous, since a whole office may share one
    /// NAT address at nine in the morning; the per-username limit stops guessing.
    #[from_ref(skip)]
    pub login_ip_limiter: Arc<RateLimiter>,
    /// Public reports per IP and per grid (keys `ip:…`, `grid:…`).
    #[from_ref(skip)]
    pub report_limiter: Arc<RateLimiter>,
    /// Report bodies per address, checked before a body is read: a flood is turned away
    /// before it costs memory. Three times the report limit, so that retries of a report
    /// (answered from its idempotency key without counting) still get through.
    #[from_ref(skip)]
    pub upload_limiter: Arc<RateLimiter>,
    /// Accounts found still using the demo password on a server without the demo
    /// (`services::accounts::scan_demo_passwords`); an account leaves when its password
    /// changes. Administrators see a banner while any remain.
    #[from_ref(skip)]
    pub demo_passwords: Arc<std::sync::Mutex<std::collections::BTreeMap<i64, String>>>,
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
    /// Open311 reads per client address: the lists are public and up to 1,000 long.
    #[from_ref(skip)]
    pub open311_read_limiter: Arc<RateLimiter>,
    /// Open311 posts per API key, each at its own rate.
    #[from_ref(skip)]
    pub open311_limiters: Arc<crate::ssr::services::open311::keys::KeyLimiters>,
    /// Requests with the same idempotency key take turns.
    #[from_ref(skip)]
    pub key_locks: Arc<crate::ssr::key_locks::KeyLocks>,
    /// The live streams' session re-checks, shared and bounded.
    #[from_ref(skip)]
    pub stream_checks: Arc<crate::ssr::stream_checks::StreamChecks>,
    /// This instance's counters for `/metrics`.
    #[from_ref(skip)]
    pub metrics: Arc<crate::ssr::metrics::Metrics>,
    /// Boards and key figures per area and period, for a few seconds (`figures_cache`).
    #[from_ref(skip)]
    pub figures: Arc<crate::ssr::figures_cache::FiguresCache>,
    /// Categories, standards, departments and the calendar, as of the stamp (`catalogue`).
    #[from_ref(skip)]
    pub catalogue: Arc<crate::ssr::catalogue::CatalogueCache>,
}

/// Where "now" comes from. Services take the time as an argument; handlers ask the clock.
#[derive(Clone, Default)]
pub struct Clock(ClockKind);

#[derive(Clone, Default)]
enum ClockKind {
    #[default]
    System,
    /// Tests: stands still until moved by hand.
    Fixed(Arc<RwLock<chrono::DateTime<chrono::Utc>>>),
    /// A demo pinned to a start instant (`GRIDGOV_DEMO_NOW`): runs at the real pace from there.
    Shifted(chrono::Duration),
}

impl Clock {
    pub fn fixed(at: chrono::DateTime<chrono::Utc>) -> Clock {
        Clock(ClockKind::Fixed(Arc::new(RwLock::new(at))))
    }

    /// A clock that reads `start` now and runs on from there.
    pub fn starting_at(start: chrono::DateTime<chrono::Utc>) -> Clock {
        Clock(ClockKind::Shifted(start - chrono::Utc::now()))
    }

    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        match &self.0 {
            ClockKind::System => chrono::Utc::now(),
            ClockKind::Fixed(t) => *t.read().expect("clock lock"),
            ClockKind::Shifted(by) => chrono::Utc::now() + *by,
        }
    }

    /// Moves a fixed clock (tests); other clocks cannot be moved.
    pub fn set(&self, at: chrono::DateTime<chrono::Utc>) {
        if let ClockKind::Fixed(t) = &self.0 {
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
        let upload_limiter = RateLimiter::new(
            config.report_limit.saturating_mul(3),
            std::time::Duration::from_secs(config.report_window_secs),
        );
        AppState {
            report_limiter: Arc::new(report_limiter),
            upload_limiter: Arc::new(upload_limiter),
            demo_passwords: Arc::default(),
            lookup_limiter: Arc::new(RateLimiter::new(120, std::time::Duration::from_secs(600))),
            sealer: Arc::new(sealer),
            live: crate::ssr::live::Live::default(),
            figures: Arc::default(),
            catalogue: Arc::default(),
            key_locks: Arc::default(),
            metrics: Arc::default(),
            stream_checks: Arc::default(),
            open311_limiters: Arc::default(),
            open311_read_limiter: Arc::new(RateLimiter::new(
                600,
                std::time::Duration::from_secs(600),
            )),
            http: reqwest::Client::builder()
                .timeout(std::time::Duration::from_secs(10))
                .connect_timeout(std::time::Duration::from_secs(5))
                .redirect(reqwest::redirect::Policy::none())
                .user_agent(concat!("gridgov-webhook/", env!("CARGO_PKG_VERSION")))
                .build()
                .expect("the HTTP client's settings are valid"),
            leptos_options,
            db,
            grids: Arc::new(RwLock::new(Arc::new(GridIndex::default()))),
            login_throttle: Arc::default(),
            login_ip_limiter: Arc::new(RateLimiter::new(60, std::time::Duration::from_secs(300))),
            clock: match config.demo_now {
                Some(start) if config.demo => Clock::starting_at(start),
                _ => Clock::default(),
            },
            config: Arc::new(config),
        }
    }

    pub fn grid_index(&self) -> Arc<GridIndex> {
        self.grids.read().expect("grid index lock").clone()
    }

    /// Categories, standards, departments and the calendar as the database holds them.
    pub async fn catalogue(
        &self,
    ) -> Result<Arc<crate::ssr::catalogue::Catalogue>, crate::error::AppError> {
        self.catalogue.get(&self.db.pool).await
    }

    /// The working calendar as administrators keep it in the database.
    pub async fn calendar(
        &self,
    ) -> Result<crate::domain::calendar::WorkCalendar, crate::error::AppError> {
        Ok(self.catalogue().await?.calendar.clone())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pinned_clock_starts_at_its_instant_and_runs_on() {
        let start = chrono::DateTime::parse_from_rfc3339("2026-11-25T10:00:00+08:00")
            .unwrap()
            .with_timezone(&chrono::Utc);
        let clock = Clock::starting_at(start);
        let first = clock.now();
        assert!((first - start).num_milliseconds().abs() < 1_000);
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert!(clock.now() > first, "it runs");
        clock.set(start - chrono::Duration::days(1));
        assert!(clock.now() > first, "and cannot be set by hand");
    }
}
