//! Configuration from environment variables (documented in README.md, "Configuration").

use std::path::PathBuf;

#[derive(Clone, Debug)]
pub struct Config {
    /// `sqlite://…` or `postgres://…`.
    pub database_url: String,
    /// Where uploaded files and the default SQLite database live.
    pub data_dir: PathBuf,
    /// Load the demo district at first start when the database is empty.
    pub demo: bool,
    /// With the demo: the instant the demo starts at (`GRIDGOV_DEMO_NOW`, RFC 3339). Its
    /// cases are generated around that moment and the server's clock runs on from it, so a
    /// run (and a failed test) can be repeated exactly. Ignored without `GRIDGOV_DEMO`.
    pub demo_now: Option<chrono::DateTime<chrono::Utc>>,
    /// The public base URL (`https://grid.example.gov.cn`), used for the CSRF origin check
    /// and, later, the QR codes. `None`: the request's own Host is trusted as origin.
    pub public_url: Option<String>,
    /// Mark the session cookie `Secure`. Defaults to true when the public URL is https.
    pub secure_cookies: bool,
    /// Base-map tile URL template and attribution; without it nothing is fetched from outside.
    pub tile_url: Option<String>,
    pub tile_attribution: String,
    /// The tiles' datum (`GRIDGOV_TILE_CRS=wgs84|gcj02`): with Chinese commercial tiles
    /// (GCJ-02) maps shift polygons and markers onto them; stored data never moves.
    pub tile_crs: crate::domain::tile_crs::TileCrs,
    /// Log lines as JSON (for a log collector) instead of human-readable text.
    pub log_json: bool,
    /// Working days a department has to acknowledge a dispatch (报到时限).
    pub ack_days: u32,
    /// Distance within which a new report of the same category is offered as a repeat.
    pub repeat_metres: f64,
    /// Public reports allowed per IP and per grid in each window (default 10 per 10 min).
    pub report_limit: u32,
    pub report_window_secs: u64,
    /// Webhook hosts (`host` or `host:port`, comma-separated in `GRIDGOV_WEBHOOK_ALLOW`) that
    /// may be reached over plain http or at a loopback/link-local address.
    pub webhook_allow: Vec<String>,
    /// Residents' names and phones are erased this many months after their case closed
    /// (`GRIDGOV_RETAIN_CONTACT_MONTHS`, default 24); the case and its figures stay.
    pub retain_contact_months: u32,
    /// Audit rows are deleted after this many months (`GRIDGOV_RETAIN_AUDIT_MONTHS`, default
    /// 36, never under 6).
    pub retain_audit_months: u32,
    /// A request that has not been answered after this many seconds gets 408
    /// (`GRIDGOV_REQUEST_TIMEOUT_SECS`, default 120: a slow phone uploading photos fits;
    /// a client trickling its body forever does not hold the server).
    pub request_timeout_secs: u64,
    /// A session ends after this many hours without a request (`GRIDGOV_SESSION_IDLE_HOURS`,
    /// default 12) and, whatever its use, this many days after login
    /// (`GRIDGOV_SESSION_MAX_DAYS`, default 7).
    pub session_idle_hours: u32,
    pub session_max_days: u32,
    /// How often an open live stream checks that its session and account still hold
    /// (`GRIDGOV_STREAM_RECHECK_SECS`, default 15): after a logout, a deactivation or a
    /// password change the stream closes within this time.
    pub stream_recheck_secs: u64,
    /// Behind a reverse proxy: take the client address from the last `X-Forwarded-For` hop.
    pub trust_proxy: bool,
    /// The key sealing personal data (64 hex digits); `None`: `secret.key` in the data folder.
    pub secret_key: Option<Secret>,
    /// The grid workers' ranking weights (`GRIDGOV_RANKING_WEIGHTS="found=30,visits=10"`).
    pub ranking_weights: crate::domain::ranking::Weights,
    /// The composite index's weights (`GRIDGOV_COMPOSITE_WEIGHTS="on_time=40,rework=10"`).
    pub composite_weights: crate::domain::assessment::CompositeWeights,
    /// Units with fewer cases in the period are shown but not ranked
    /// (`GRIDGOV_RANKING_MIN_CASES`, default 5).
    pub ranking_min_cases: u32,
    /// The share of the grid's own results (自办自结) the grid leader checks on site
    /// (`GRIDGOV_SPOT_CHECK_PERCENT`, 0–100, default 10).
    pub spot_check_percent: u32,
    /// Who checks results on site (`GRIDGOV_VERIFIERS`, e.g. `grid_leader,center`; of
    /// `worker`, `grid_leader`, `center`, `admin`; default all four).
    pub verifiers: Vec<crate::domain::people::Role>,
    /// How the database is opened: how long a request waits for a connection
    /// (`GRIDGOV_DB_ACQUIRE_TIMEOUT_SECS`, default 3) and SQLite's durability
    /// (`GRIDGOV_SQLITE_SYNC`, `normal` or `full`).
    pub db: crate::ssr::db::DbOptions,
    /// Below this much free space in the data folder the log warns and `/metrics` says so
    /// (`GRIDGOV_LOW_DISK_MB`, default 1024).
    pub low_disk_bytes: u64,
    /// `/metrics` answers administrators, a scraper presenting this bearer token
    /// (`GRIDGOV_METRICS_TOKEN`), and scrapers from these addresses or networks
    /// (`GRIDGOV_METRICS_FROM`, e.g. `10.0.0.5,10.1.0.0/24`); nobody else.
    pub metrics_token: Option<Secret>,
    pub metrics_from: Vec<ipnet::IpNet>,
}

/// Addresses (`10.0.0.5`) and networks (`10.1.0.0/24`), comma-separated; a wrong entry
/// is left out and said in the log (it must not open the door wider).
fn networks(value: Option<String>) -> Vec<ipnet::IpNet> {
    let Some(v) = value else {
        return Vec::new();
    };
    v.split(',')
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .filter_map(|e| {
            let net = e
                .parse::<ipnet::IpNet>()
                .ok()
                .or_else(|| e.parse::<std::net::IpAddr>().ok().map(ipnet::IpNet::from));
            if net.is_none() {
                tracing::error!(
                    entry = e,
                    "GRIDGOV_METRICS_FROM: not an address or network; left out"
                );
            }
            net
        })
        .collect()
}

/// A number in its range, or the default (a value out of range is as good as none).
fn within<T: std::str::FromStr + PartialOrd>(
    value: Option<String>,
    range: std::ops::RangeInclusive<T>,
    default: T,
) -> T {
    value
        .and_then(|v| v.trim().parse().ok())
        .filter(|n| range.contains(n))
        .unwrap_or(default)
}

/// The tiles' datum; an unknown name is said in the log and drawn as WGS-84.
fn tile_crs(value: Option<String>) -> crate::domain::tile_crs::TileCrs {
    use crate::domain::tile_crs::TileCrs;
    let v = value.unwrap_or_default();
    TileCrs::parse(&v).unwrap_or_else(|| {
        tracing::error!(value = %v, "GRIDGOV_TILE_CRS must be wgs84 or gcj02; using wgs84");
        TileCrs::Wgs84
    })
}

/// SQLite's durability; an unknown value is said in the log and the default applies.
fn sqlite_sync(value: Option<String>) -> crate::ssr::db::SqliteSync {
    use crate::ssr::db::SqliteSync;
    match value
        .as_deref()
        .map(|v| v.trim().to_ascii_lowercase())
        .as_deref()
    {
        None => SqliteSync::default(),
        Some("normal") => SqliteSync::Normal,
        Some("full") => SqliteSync::Full,
        Some(other) => {
            tracing::error!(value = %other, "GRIDGOV_SQLITE_SYNC must be normal or full; using the default");
            SqliteSync::default()
        }
    }
}

/// A value that never shows in `Debug` output or logs.
#[derive(Clone)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl Config {
    pub fn from_env() -> Config {
        Config::from_lookup(|k| std::env::var(k).ok())
    }

    /// Testable: reads from any lookup function instead of the process environment.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Config {
        let non_empty = |k: &str| get(k).filter(|v| !v.trim().is_empty());
        let flag = |k: &str| {
            non_empty(k).map(|v| {
                matches!(
                    v.trim().to_ascii_lowercase().as_str(),
                    "1" | "true" | "yes" | "on"
                )
            })
        };
        let data_dir =
            PathBuf::from(non_empty("GRIDGOV_DATA_DIR").unwrap_or_else(|| "data".into()));
        let database_url = non_empty("DATABASE_URL")
            .unwrap_or_else(|| format!("sqlite://{}", data_dir.join("gridgov.db").display()));
        let public_url =
            non_empty("GRIDGOV_PUBLIC_URL").map(|u| u.trim_end_matches('/').to_owned());
        let https = public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"));
        // "N/SECONDS", e.g. "10/600": N reports per window.
        let report_limit = non_empty("GRIDGOV_REPORT_LIMIT")
            .and_then(|v| {
                let (n, secs) = v.trim().split_once('/')?;
                Some((n.trim().parse().ok()?, secs.trim().parse().ok()?))
            })
            .filter(|(n, secs): &(u32, u64)| *n >= 1 && *secs >= 1)
            .unwrap_or((10, 600));
        Config {
            database_url,
            data_dir,
            demo: flag("GRIDGOV_DEMO").unwrap_or(false),
            demo_now: non_empty("GRIDGOV_DEMO_NOW").and_then(|v| {
                match chrono::DateTime::parse_from_rfc3339(v.trim()) {
                    Ok(t) => Some(t.with_timezone(&chrono::Utc)),
                    Err(e) => {
                        tracing::error!(error = %e, "GRIDGOV_DEMO_NOW ignored: not an RFC 3339 time");
                        None
                    }
                }
            }),
            secure_cookies: flag("GRIDGOV_SECURE_COOKIES").unwrap_or(https),
            public_url,
            tile_url: non_empty("GRIDGOV_TILE_URL"),
            tile_attribution: non_empty("GRIDGOV_TILE_ATTRIBUTION").unwrap_or_default(),
            tile_crs: tile_crs(non_empty("GRIDGOV_TILE_CRS")),
            log_json: non_empty("GRIDGOV_LOG_FORMAT").is_some_and(|v| v == "json"),
            ack_days: within(non_empty("GRIDGOV_ACK_DAYS"), 1..=10, 1),
            repeat_metres: non_empty("GRIDGOV_REPEAT_METRES")
                .and_then(|v| v.trim().parse().ok())
                .filter(|m: &f64| m.is_finite() && *m > 0.0 && *m <= 5000.0)
                .unwrap_or(100.0),
            report_limit: report_limit.0,
            report_window_secs: report_limit.1,
            trust_proxy: flag("GRIDGOV_TRUST_PROXY").unwrap_or(false),
            webhook_allow: non_empty("GRIDGOV_WEBHOOK_ALLOW")
                .map(|v| {
                    v.split(',')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default(),
            retain_contact_months: within(non_empty("GRIDGOV_RETAIN_CONTACT_MONTHS"), 1..=120, 24),
            retain_audit_months: within(non_empty("GRIDGOV_RETAIN_AUDIT_MONTHS"), 6..=120, 36),
            request_timeout_secs: within(non_empty("GRIDGOV_REQUEST_TIMEOUT_SECS"), 1..=600, 120),
            session_idle_hours: within(non_empty("GRIDGOV_SESSION_IDLE_HOURS"), 1..=720, 12),
            session_max_days: within(non_empty("GRIDGOV_SESSION_MAX_DAYS"), 1..=90, 7),
            stream_recheck_secs: within(non_empty("GRIDGOV_STREAM_RECHECK_SECS"), 1..=30, 15),
            secret_key: non_empty("GRIDGOV_SECRET_KEY").map(|k| Secret(k.trim().to_owned())),
            db: crate::ssr::db::DbOptions {
                acquire_timeout: std::time::Duration::from_secs(within(
                    non_empty("GRIDGOV_DB_ACQUIRE_TIMEOUT_SECS"),
                    1..=60,
                    3,
                )),
                sqlite_sync: sqlite_sync(non_empty("GRIDGOV_SQLITE_SYNC")),
            },
            low_disk_bytes: within(non_empty("GRIDGOV_LOW_DISK_MB"), 0..=10_000_000u64, 1024)
                * 1024
                * 1024,
            metrics_token: non_empty("GRIDGOV_METRICS_TOKEN").map(|k| Secret(k.trim().to_owned())),
            metrics_from: networks(non_empty("GRIDGOV_METRICS_FROM")),
            ranking_weights: {
                let defaults = crate::domain::ranking::Weights::default();
                match non_empty("GRIDGOV_RANKING_WEIGHTS").map(|t| defaults.with_overrides(&t)) {
                    Some(Ok(w)) => w,
                    Some(Err(e)) => {
                        tracing::error!(error = %e, "GRIDGOV_RANKING_WEIGHTS ignored: the default weights apply");
                        defaults
                    }
                    None => defaults,
                }
            },
            composite_weights: {
                let defaults = crate::domain::assessment::CompositeWeights::default();
                match non_empty("GRIDGOV_COMPOSITE_WEIGHTS").map(|t| defaults.clone().with_overrides(&t)) {
                    Some(Ok(w)) => w,
                    Some(Err(e)) => {
                        tracing::error!(error = %e, "GRIDGOV_COMPOSITE_WEIGHTS ignored: the default weights apply");
                        defaults
                    }
                    None => defaults,
                }
            },
            ranking_min_cases: non_empty("GRIDGOV_RANKING_MIN_CASES")
                .and_then(|v| v.parse().ok())
                .unwrap_or(5),
            verifiers: non_empty("GRIDGOV_VERIFIERS")
                .map(|v| verifier_roles(&v))
                .unwrap_or_else(|| crate::domain::case::machine::DEFAULT_VERIFIERS.to_vec()),
            spot_check_percent: non_empty("GRIDGOV_SPOT_CHECK_PERCENT")
                .and_then(|v| v.parse::<u32>().ok())
                .map_or(10, |p| p.min(100)),
        }
    }
}

/// The roles named in `GRIDGOV_VERIFIERS` that may check on site; an unknown or unsuited
/// name is logged and the defaults apply.
fn verifier_roles(text: &str) -> Vec<crate::domain::people::Role> {
    use crate::domain::case::machine::DEFAULT_VERIFIERS;
    use crate::domain::people::Role;
    let roles: Option<Vec<Role>> = text
        .split(',')
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(|r| Role::parse(r).filter(|r| DEFAULT_VERIFIERS.contains(r)))
        .collect();
    match roles {
        Some(r) if !r.is_empty() => r,
        _ => {
            tracing::error!(
                value = text,
                "GRIDGOV_VERIFIERS ignored: the default verifiers apply"
            );
            DEFAULT_VERIFIERS.to_vec()
        }
    }
}
#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn cfg(pairs: &[(&str, &str)]) -> Config {
        let m: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|k| m.get(k).cloned())
    }

    #[test]
    fn defaults_are_embedded_and_safe() {
        let c = cfg(&[]);
        assert_eq!(c.database_url, "sqlite://data/gridgov.db");
        assert!(!c.demo && !c.secure_cookies && c.tile_url.is_none());
        assert_eq!((c.ack_days, c.repeat_metres), (1, 100.0));
        let c = cfg(&[("GRIDGOV_ACK_DAYS", "2"), ("GRIDGOV_REPEAT_METRES", "oops")]);
        assert_eq!((c.ack_days, c.repeat_metres), (2, 100.0));
        assert_eq!((c.report_limit, c.report_window_secs), (10, 600));
        let c = cfg(&[
            ("GRIDGOV_REPORT_LIMIT", "3/60"),
            ("GRIDGOV_SECRET_KEY", "abc"),
        ]);
        assert_eq!((c.report_limit, c.report_window_secs), (3, 60));
        assert!(
            !format!("{c:?}").contains("abc"),
            "secrets stay out of Debug"
        );
    }

    #[test]
    fn https_public_url_makes_cookies_secure() {
        let c = cfg(&[
            ("GRIDGOV_PUBLIC_URL", "https://grid.example.gov.cn/"),
            ("GRIDGOV_DEMO", "1"),
        ]);
        assert!(c.secure_cookies && c.demo);
        assert_eq!(c.public_url.as_deref(), Some("https://grid.example.gov.cn"));
        let c = cfg(&[
            ("GRIDGOV_PUBLIC_URL", "https://x"),
            ("GRIDGOV_SECURE_COOKIES", "0"),
        ]);
        assert!(!c.secure_cookies);
    }

    #[test]
    fn a_pinned_demo_start_is_read_in_any_offset() {
        let c = cfg(&[
            ("GRIDGOV_DEMO", "1"),
            ("GRIDGOV_DEMO_NOW", "2026-11-25T10:00:00+08:00"),
        ]);
        assert_eq!(
            c.demo_now.map(|t| t.to_rfc3339()),
            Some("2026-11-25T02:00:00+00:00".to_owned())
        );
        assert_eq!(cfg(&[("GRIDGOV_DEMO_NOW", "yesterday")]).demo_now, None);
        use crate::domain::people::Role;
        assert_eq!(
            cfg(&[("GRIDGOV_VERIFIERS", "grid_leader, center")]).verifiers,
            [Role::GridLeader, Role::Center]
        );
        assert_eq!(
            cfg(&[("GRIDGOV_VERIFIERS", "dept")]).verifiers.len(),
            4,
            "a department never checks"
        );
        assert_eq!(
            cfg(&[("GRIDGOV_SPOT_CHECK_PERCENT", "250")]).spot_check_percent,
            100
        );
    }

    #[test]
    fn database_and_disk_settings_are_read_and_bounded() {
        use crate::ssr::db::SqliteSync;
        let c = cfg(&[]);
        assert_eq!(c.db.acquire_timeout, std::time::Duration::from_secs(3));
        assert_eq!(
            c.db.sqlite_sync,
            SqliteSync::Full,
            "confirmed reports survive a power cut"
        );
        assert_eq!(c.low_disk_bytes, 1024 * 1024 * 1024);
        assert!(c.metrics_token.is_none());
        assert!(c.metrics_from.is_empty());
        let c = cfg(&[(
            "GRIDGOV_METRICS_FROM",
            " 10.0.0.5, 10.1.0.0/24,nonsense ,::1",
        )]);
        let from: Vec<String> = c.metrics_from.iter().map(ToString::to_string).collect();
        assert_eq!(from, ["10.0.0.5/32", "10.1.0.0/24", "::1/128"]);
        let c = cfg(&[
            ("GRIDGOV_SQLITE_SYNC", " Normal "),
            ("GRIDGOV_DB_ACQUIRE_TIMEOUT_SECS", "10"),
            ("GRIDGOV_LOW_DISK_MB", "200"),
            ("GRIDGOV_METRICS_TOKEN", "t0ken"),
        ]);
        assert_eq!(c.db.sqlite_sync, SqliteSync::Normal);
        assert_eq!(c.db.acquire_timeout, std::time::Duration::from_secs(10));
        assert_eq!(c.low_disk_bytes, 200 * 1024 * 1024);
        assert_eq!(c.metrics_token.map(|t| t.0).as_deref(), Some("t0ken"));
        let c = cfg(&[
            ("GRIDGOV_SQLITE_SYNC", "off"),
            ("GRIDGOV_DB_ACQUIRE_TIMEOUT_SECS", "0"),
        ]);
        assert_eq!(
            c.db.sqlite_sync,
            SqliteSync::Full,
            "only normal or full: the default otherwise"
        );
        assert_eq!(c.db.acquire_timeout, std::time::Duration::from_secs(3));
    }

    #[test]
    fn sessions_default_to_twelve_idle_hours_and_seven_days() {
        let c = cfg(&[]);
        assert_eq!(
            (
                c.session_idle_hours,
                c.session_max_days,
                c.stream_recheck_secs
            ),
            (12, 7, 15)
        );
        let c = cfg(&[
            ("GRIDGOV_SESSION_MAX_DAYS", "500"),
            ("GRIDGOV_WEBHOOK_ALLOW", "127.0.0.1, hooks.lan:8080,"),
        ]);
        assert_eq!(c.session_max_days, 7, "out of range: the default");
        assert_eq!((c.retain_contact_months, c.retain_audit_months), (24, 36));
        assert_eq!(
            cfg(&[("GRIDGOV_RETAIN_AUDIT_MONTHS", "3")]).retain_audit_months,
            36,
            "never under six"
        );
        assert_eq!(c.webhook_allow, ["127.0.0.1", "hooks.lan:8080"]);
    }
}
