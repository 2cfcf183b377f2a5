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
    /// The public base URL (`https://grid.example.gov.cn`), used for the CSRF origin check
    /// and, later, the QR codes. `None`: the request's own Host is trusted as origin.
    pub public_url: Option<String>,
    /// Mark the session cookie `Secure`. Defaults to true when the public URL is https.
    pub secure_cookies: bool,
    /// Base-map tile URL template and attribution; without it nothing is fetched from outside.
    pub tile_url: Option<String>,
    pub tile_attribution: String,
    /// Log lines as JSON (for a log collector) instead of human-readable text.
    pub log_json: bool,
    /// Working days a department has to acknowledge a dispatch (报到时限).
    pub ack_days: u32,
    /// Distance within which a new report of the same category is offered as a repeat.
    pub repeat_metres: f64,
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
        Config {
            database_url,
            data_dir,
            demo: flag("GRIDGOV_DEMO").unwrap_or(false),
            secure_cookies: flag("GRIDGOV_SECURE_COOKIES").unwrap_or(https),
            public_url,
            tile_url: non_empty("GRIDGOV_TILE_URL"),
            tile_attribution: non_empty("GRIDGOV_TILE_ATTRIBUTION").unwrap_or_default(),
            log_json: non_empty("GRIDGOV_LOG_FORMAT").is_some_and(|v| v == "json"),
            ack_days: non_empty("GRIDGOV_ACK_DAYS")
                .and_then(|v| v.trim().parse().ok())
                .filter(|d| (1..=10).contains(d))
                .unwrap_or(1),
            repeat_metres: non_empty("GRIDGOV_REPEAT_METRES")
                .and_then(|v| v.trim().parse().ok())
                .filter(|m: &f64| m.is_finite() && *m > 0.0 && *m <= 5000.0)
                .unwrap_or(100.0),
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
}
