//! The gridgov server: builds the shared state and the axum router (Leptos pages, server
//! functions, the JSON API and the form endpoints) behind the security middleware.

pub mod account;
mod admin_pages;
pub mod api;
pub mod assets;
pub mod backup;
pub mod categories_admin;
pub mod forms;
mod hotline_page;
pub mod http;
pub mod middleware;
mod open311;
mod open311_admin;
mod open311_doc;
pub mod people_admin;
pub mod residents;
pub mod territory_admin;
pub mod worker;

use anyhow::Context;
use app::app::{App, shell};
use app::ssr::{AppState, config::Config, db::Db, demo, services};
use axum::Router;
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list};
use std::time::Duration;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;
use tower_sessions::{Expiry, SessionManagerLayer, cookie::SameSite};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "gridgov_session";

/// Opens the configured database (migrations applied), naming it — without its password —
/// when it cannot be opened.
pub async fn open_database(config: &Config) -> anyhow::Result<Db> {
    Db::connect_with(&config.database_url, config.db)
        .await
        .with_context(|| format!("opening the database {}", redact(&config.database_url)))
}

/// Connects to the database, applies migrations, loads demo data when asked (and the
/// database is empty) and builds the point → grid index.
pub async fn build_state(
    config: Config,
    leptos_options: LeptosOptions,
) -> anyhow::Result<AppState> {
    let db = open_database(&config).await?;
    let sealer = app::ssr::crypto::Sealer::load_or_create(
        config.secret_key.as_ref().map(|k| k.0.as_str()),
        &config.data_dir,
    )
    .context("loading the key for personal data")?;
    let state = AppState::new(leptos_options, db, config, sealer);
    let seeded = app::ssr::store::catalogue::seed_calendar_if_empty(&state.db.pool)
        .await
        .context("seeding the working calendar")?;
    if seeded > 0 {
        tracing::info!(
            days = seeded,
            "official holiday calendar 2025–2026 installed"
        );
    }
    if state.config.demo {
        match demo::load(&state.db).await {
            Ok(stats) => {
                tracing::info!(?stats, "demo district loaded");
                let cases = demo::cases::load(&state.db, state.clock.now())
                    .await
                    .context("loading the demo cases")?;
                tracing::info!(cases, "demo cases loaded");
                let households =
                    demo::households::load(&state.db, &state.sealer, state.clock.now())
                        .await
                        .context("loading the demo households")?;
                tracing::info!(?households, "demo households loaded");
            }
            Err(demo::DemoError::NotEmpty) => {
                tracing::info!("database has data; demo not loaded again")
            }
            Err(e) => return Err(e).context("loading the demo district"),
        }
    }
    seed_subcategories(&state).await?;
    let grids = services::territory::reload_grid_index(&state)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))
        .context("building the grid index")?;
    tracing::info!(grids, "grid index ready");
    if !services::accounts::any_account(&state.db)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
    {
        tracing::warn!(
            "no account exists yet: create the first administrator with \
             `gridgov admin create --username NAME --district-code 360XXX --district-name 名称` \
             (password from the terminal or standard input), then log in at /login"
        );
    }
    Ok(state)
}

/// The whole application. Tests drive this with `oneshot`; `main` serves it.
pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let leptos_state = state.clone();
    let pages = Router::new()
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_context(leptos_state.clone()),
            {
                let options = state.leptos_options.clone();
                move || shell(options.clone())
            },
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell));

    let session_layer = SessionManagerLayer::new(app::ssr::session_store::DbSessionStore::new(
        state.db.clone(),
    ))
    .with_name(SESSION_COOKIE)
    .with_http_only(true)
    .with_same_site(SameSite::Lax)
    .with_secure(state.config.secure_cookies)
    .with_expiry(Expiry::OnInactivity(
        tower_sessions::cookie::time::Duration::hours(i64::from(state.config.session_idle_hours)),
    ));

    Router::new()
        .merge(api::router())
        .merge(open311::router(state.clone()))
        .merge(forms::router())
        .merge(account::router())
        .merge(territory_admin::router())
        .merge(people_admin::router())
        .merge(categories_admin::router())
        .merge(open311_admin::router())
        .merge(hotline_page::router())
        .merge(residents::router())
        .merge(worker::router())
        // The app's WASM, JS and CSS and the vendored libraries: precompressed copies.
        .nest_service("/pkg", assets::static_dir(site_dir(&state, "pkg")))
        .nest_service("/vendor", assets::static_dir(site_dir(&state, "vendor")))
        .merge(pages)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::live::wake_after_writes,
        ))
        // Innermost first: user loading needs the session; CSRF runs before anything acts.
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::pages::require_login,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::user::load_user,
        ))
        .layer(session_layer)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::csrf::protect,
        ))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(state.config.request_timeout_secs),
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::headers::secure,
        ))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http().make_span_with(middleware::trace::span))
        // Outermost: a request's time includes everything the layers above did.
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::metrics::record,
        ))
        .with_state(state)
}

/// A folder of the site root (where cargo-leptos puts the build).
fn site_dir(state: &AppState, name: &str) -> std::path::PathBuf {
    std::path::Path::new(state.leptos_options.site_root.as_ref()).join(name)
}

/// The standard subcategories under the standard categories a district has, once (also
/// after the demo or the first administrator wrote the categories).
async fn seed_subcategories(state: &AppState) -> anyhow::Result<()> {
    let added = app::ssr::store::catalogue::seed_standard_subcategories(&state.db.pool)
        .await
        .context("adding the standard subcategories")?;
    if added > 0 {
        tracing::info!(added, "standard subcategories (CJ/T 214) installed");
    }
    let templates = app::ssr::store::reply_templates::seed_if_empty(&state.db.pool)
        .await
        .context("adding the standard reply templates")?;
    if templates > 0 {
        tracing::info!(templates, "standard reply templates installed");
    }
    Ok(())
}

/// Deletes expired sessions, idle rate-limit keys and week-old idempotency keys every few
/// minutes, and runs the retention of personal data once a day.
pub fn spawn_housekeeping(state: &AppState) -> tokio::task::JoinHandle<()> {
    let state = state.clone();
    tokio::spawn(async move {
        use tower_sessions::ExpiredDeletion;
        let store = app::ssr::session_store::DbSessionStore::new(state.db.clone());
        let mut tick = tokio::time::interval(Duration::from_secs(300));
        let mut last_retention: Option<std::time::Instant> = None;
        loop {
            tick.tick().await;
            // Retention once a day (and at start), reported in the log.
            if last_retention.is_none_or(|t| t.elapsed() >= Duration::from_secs(86_400)) {
                last_retention = Some(std::time::Instant::now());
                match services::retention::run(&state, state.clock.now()).await {
                    Ok(erased) => tracing::info!(
                        contacts = erased.contacts,
                        audit_rows = erased.audit_rows,
                        "retention: residents' contacts and old audit rows erased"
                    ),
                    Err(e) => tracing::warn!(error = %e, "retention run failed"),
                }
            }
            if let Err(e) = store.delete_expired().await {
                tracing::warn!(error = %e, "deleting expired sessions failed");
            }
            state.login_ip_limiter.retain_recent();
            state.report_limiter.retain_recent();
            state.upload_limiter.retain_recent();
            state.lookup_limiter.retain_recent();
            // Reports' and steps' keys: an outbox may resend days after a lost answer.
            let keys_before = state.clock.now()
                - chrono::Duration::days(app::ssr::services::step_keys::KEEP_DAYS);
            let pool = &state.db.pool;
            let forgotten = tokio::try_join!(
                app::ssr::store::residents::forget_idempotency_keys(pool, keys_before),
                app::ssr::store::step_keys::forget(pool, keys_before),
            );
            if let Err(e) = forgotten {
                tracing::warn!(error = %e, "deleting old idempotency keys failed");
            }
        }
    })
}

/// Looks after the data folder: warns when its free space runs low (every 30 s) and removes
/// photo files that no row names (at start and once a day). A file younger than two request
/// timeouts may still be committing, so it is left for the next round.
pub fn spawn_storage_watch(state: &AppState) -> tokio::task::JoinHandle<()> {
    let state = state.clone();
    tokio::spawn(async move {
        let grace = Duration::from_secs(2 * state.config.request_timeout_secs);
        let mut tick = tokio::time::interval(Duration::from_secs(30));
        let mut watch = app::ssr::storage::SpaceWatch::default();
        let mut last_sweep: Option<std::time::Instant> = None;
        loop {
            tick.tick().await;
            watch.look(&state.config.data_dir, state.config.low_disk_bytes);
            if last_sweep.is_some_and(|t| t.elapsed() < Duration::from_secs(86_400)) {
                continue;
            }
            match app::ssr::storage::sweep_photos(&state.db, &state.config.data_dir, grace).await {
                Ok(s) => {
                    last_sweep = Some(std::time::Instant::now());
                    tracing::info!(
                        orphans = s.orphans,
                        half_written = s.parts,
                        kept = s.kept,
                        "photo folder swept"
                    )
                }
                // Tried again at the next tick (the database may be away).
                Err(e) => tracing::warn!(error = %e, "sweeping the photo folder failed"),
            }
        }
    })
}

/// Tails the case events for the live pages (`/api/v1/stream`).
pub fn spawn_live_tailer(state: &AppState) -> tokio::task::JoinHandle<()> {
    let src = app::ssr::live::TailSource {
        db: state.db.clone(),
        database_url: state.config.database_url.clone(),
        clock: state.clock.clone(),
    };
    tokio::spawn(app::ssr::live::run_tailer(src, state.live.clone()))
}

/// Delivers due webhooks every few seconds; every minute announces overdue
/// acknowledgements and resumes deferred cases whose review date has come. Both are idempotent, so a restart loses nothing.
pub fn spawn_desk_worker(state: &AppState) -> tokio::task::JoinHandle<()> {
    let state = state.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(5));
        let mut n: u64 = 0;
        loop {
            tick.tick().await;
            let now = state.clock.now();
            if n % 12 == 0 {
                if let Err(e) = services::notify::scan_ack_overdue(&state, now).await {
                    tracing::warn!(error = %e, "scanning overdue acknowledgements failed");
                }
                match services::cases::deferral::resume_due(&state, now).await {
                    Ok(0) => {}
                    Ok(n) => {
                        tracing::info!(resumed = n, "deferred cases back on their review date")
                    }
                    Err(e) => tracing::warn!(error = %e, "resuming deferred cases failed"),
                }
            }
            if let Err(e) = services::webhooks::deliver_due(&state, now).await {
                tracing::warn!(error = %e, "webhook delivery round failed");
            }
            n += 1;
        }
    })
}

/// A database URL without its password, for logs and error messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            let user = creds.split(':').next().unwrap_or("");
            format!("{}://{user}:***{}", &url[..s], &url[at..])
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            super::redact("postgres://u:secret@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(super::redact("sqlite://data/x.db"), "sqlite://data/x.db");
    }
}
