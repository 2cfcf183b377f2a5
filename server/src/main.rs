//! `gridgov` — serve the platform, or load the demo district.
//!
//!   gridgov              serve (LEPTOS_SITE_ADDR, default 127.0.0.1:3000)
//!   gridgov demo-data    load the demo district into an empty database
//!   gridgov admin create --username U --district-code C --district-name N
//!                        create the first administrator (password from the terminal or stdin)
//!   gridgov backup DIR   the database, the sealing key and the photos into a new folder
//!   gridgov restore DIR  the same back into an empty data folder (server stopped)
//!   gridgov precompress [DIR]
//!                        brotli-11 and gzip-9 copies of the site's static files (default
//!                        LEPTOS_SITE_ROOT or target/site), served to clients that accept them
//!
//! Configuration is by environment variables; see README.md.

mod admin;

use anyhow::Context;
use app::ssr::config::Config;
use app::ssr::demo;
use axum::serve::ListenerExt;
use std::net::SocketAddr;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let config = Config::from_env();
    init_tracing(config.log_json);
    let result = match std::env::args().nth(1).as_deref() {
        None | Some("serve") => serve(config).await,
        Some("demo-data") => demo_data(config).await,
        Some("admin") => admin::run(config, std::env::args().skip(2).collect()).await,
        Some(cmd @ ("backup" | "restore")) => backup_or_restore(cmd, &config).await,
        Some("precompress") => precompress(),
        Some("-h" | "--help" | "help") => {
            println!(
                "usage: gridgov [serve | demo-data | admin create … | backup DIR | restore DIR | precompress [DIR]]\n\n{}\nSee README.md for the environment variables.",
                admin::USAGE
            );
            Ok(())
        }
        Some(other) => Err(anyhow::anyhow!(
            "unknown command {other:?}; try `gridgov --help`"
        )),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e:#}");
            eprintln!("gridgov: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn backup_or_restore(cmd: &str, config: &Config) -> anyhow::Result<()> {
    let dir = std::env::args()
        .nth(2)
        .map(std::path::PathBuf::from)
        .ok_or_else(|| anyhow::anyhow!("usage: gridgov {cmd} DIR"))?;
    let s = if cmd == "backup" {
        server::backup::backup(config, &dir).await?
    } else {
        server::backup::restore(config, &dir).await?
    };
    println!(
        "{cmd}: database {}, key {}, {} photos",
        s.database.display(),
        if s.key_copied {
            "copied"
        } else {
            "not copied (GRIDGOV_SECRET_KEY: keep it with the backup yourself)"
        },
        s.photos
    );
    Ok(())
}

fn precompress() -> anyhow::Result<()> {
    let root = std::env::args()
        .nth(2)
        .or_else(|| std::env::var("LEPTOS_SITE_ROOT").ok())
        .unwrap_or_else(|| "target/site".to_owned());
    let r = server::assets::precompress(std::path::Path::new(&root))
        .with_context(|| format!("compressing the static files under {root}"))?;
    println!(
        "precompress {root}: {} files, {} B → brotli {} B, gzip {} B",
        r.files, r.bytes, r.brotli, r.gzip
    );
    Ok(())
}

fn init_tracing(json: bool) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_sessions=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}

/// Tells Leptos which names the site's files carry (hashed or plain), from what the build
/// left in the site root. A broken build, or a staff app built without `--split`, is named
/// in the log and the server still starts: residents' and workers' pages need no WASM.
fn name_the_built_files(options: &mut leptos::config::LeptosOptions) {
    let site = std::path::Path::new(options.site_root.as_ref()).to_path_buf();
    options.hash_files = false;
    let build = match server::assets::site_build(&site, &options.output_name) {
        Ok(Some(build)) => build,
        Ok(None) => return,
        Err(e) => {
            tracing::error!(error = %e, "the staff app's files are incomplete: staff pages will not become interactive");
            return;
        }
    };
    if let Some(list) = build.hash_file {
        options.hash_files = true;
        // Leptos joins this to the binary's folder: an absolute path replaces it.
        options.hash_file = list.to_string_lossy().into_owned().into();
    }
    if !build.split {
        tracing::error!(
            site = %site.display(),
            "the staff app was built without `--split`: its pages will not become interactive; \
             build it with `cargo leptos build --release --split`"
        );
    }
}

async fn serve(config: Config) -> anyhow::Result<()> {
    let leptos =
        leptos::config::get_configuration(None).context("reading the Leptos configuration")?;
    let mut options = leptos.leptos_options;
    let addr = options.site_addr;
    // A build after the last `gridgov precompress` leaves stale copies: never serve them.
    match server::assets::drop_stale(std::path::Path::new(options.site_root.as_ref())) {
        Ok(0) => {}
        Ok(n) => tracing::warn!(
            dropped = n,
            "precompressed copies older than their files removed; run `gridgov precompress` again"
        ),
        Err(e) => tracing::warn!(error = %e, "checking the precompressed copies failed"),
    }
    name_the_built_files(&mut options);
    let state = server::build_state(config, options).await?;
    server::spawn_housekeeping(&state);
    server::spawn_desk_worker(&state);
    server::spawn_live_tailer(&state);
    server::spawn_storage_watch(&state);
    if !state.config.demo {
        // Off the start path: one argon2 check per distinct password hash.
        let s = state.clone();
        tokio::spawn(async move {
            if let Err(e) = app::ssr::services::demo_passwords::scan(&s).await {
                tracing::warn!(error = ?e, "the demo password check did not run");
            }
        });
    }
    let app = server::router(state);
    // No Nagle delay: a live update is a small write after the last one, and would
    // otherwise wait for the client's delayed ACK (~40 ms) before it leaves.
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("listening on {addr}"))?
        .tap_io(|tcp| {
            if let Err(e) = tcp.set_nodelay(true) {
                tracing::debug!(error = %e, "TCP_NODELAY not set on a connection");
            }
        });
    tracing::info!("gridgov listening on http://{addr}");
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .context("serving")?;
    tracing::info!("gridgov stopped");
    Ok(())
}

async fn demo_data(config: Config) -> anyhow::Result<()> {
    let db = server::open_database(&config).await?;
    // The same start instant as the server's clock when the demo is pinned.
    let now = config.demo_now.unwrap_or_else(chrono::Utc::now);
    match demo::load(&db).await {
        Ok(stats) => {
            app::ssr::store::catalogue::seed_calendar_if_empty(&db.pool)
                .await
                .context("seeding the calendar")?;
            let cases = demo::cases::load(&db, now)
                .await
                .context("loading the demo cases")?;
            println!("演示事件 / demo cases: {cases}");
            let sealer = app::ssr::crypto::Sealer::load_or_create(
                config.secret_key.as_ref().map(|k| k.0.as_str()),
                &config.data_dir,
            )
            .context("loading the key for personal data")?;
            let households = demo::households::load(&db, &sealer, now)
                .await
                .context("loading the demo households")?;
            println!(
                "演示户档案 / demo households: {} households, {} members, {} visits",
                households.households, households.members, households.visits
            );
            println!(
                "演示数据已载入 / demo district loaded: {} nodes ({} grids), {} departments, {} grid members, {} accounts (password {})",
                stats.nodes,
                stats.grids,
                stats.departments,
                stats.members,
                stats.accounts,
                demo::DEMO_PASSWORD
            );
            Ok(())
        }
        Err(demo::DemoError::NotEmpty) => Err(anyhow::anyhow!(
            "数据库中已有数据，未载入演示数据。/ The database already has data; demo data is loaded only into an empty database."
        )),
        Err(e) => Err(e).context("loading the demo district"),
    }
}

/// Ctrl-C or SIGTERM: stop accepting, finish what is in flight, then exit.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}
