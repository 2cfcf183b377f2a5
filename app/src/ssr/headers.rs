//! The security headers of every response (ASVS 5.0 §3.4): the Content-Security-Policy,
//! who may frame us, what a Referer carries and which browser features a page may ask for.
//! Plain functions of the request path and the configuration; the server's middleware sets
//! them.

/// The response header by which the page shell hands the middleware the nonce of the
/// inline scripts Leptos wrote into the page; never sent to the browser.
pub const NONCE_HEADER: &str = "x-gridgov-script-nonce";

/// The Content-Security-Policy. Scripts only from our own origin, plus the inline scripts
/// of this one response (the app's hydration, carrying `nonce`); WebAssembly may compile
/// (`'wasm-unsafe-eval'`, not `eval`). Styles allow inline attributes: Leptos and Leaflet
/// set `style`, and a style cannot run code. Map tiles may come from the tile server.
pub fn content_security_policy(nonce: Option<&str>, tile_url: Option<&str>) -> String {
    let scripts = match nonce {
        Some(n) => format!("'self' 'nonce-{n}' 'wasm-unsafe-eval'"),
        None => "'self'".to_owned(),
    };
    let tiles = tile_url
        .and_then(tile_source)
        .map(|s| format!(" {s}"))
        .unwrap_or_default();
    format!(
        "default-src 'self'; script-src {scripts}; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data: blob:{tiles}; font-src 'self' data:; connect-src 'self'; \
         worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

/// The CSP source of a tile URL template such as `https://{s}.tile.example.org/{z}/{x}/{y}.png`:
/// its scheme and host, a `{s}` subdomain as `*`. `None` when the host is not plain.
fn tile_source(template: &str) -> Option<String> {
    let (scheme, rest) = template.split_once("://")?;
    if !matches!(scheme, "http" | "https") {
        return None;
    }
    let host = rest.split(['/', '?', '#']).next()?.replace("{s}", "*");
    let plain = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '*'));
    plain.then(|| format!("{scheme}://{host}"))
}

/// Pages that take a report may ask for the position (and a camera, for photos); no other
/// page may ask for anything.
pub fn permissions_policy(path: &str) -> &'static str {
    let reports =
        path.starts_with("/r/") || path == "/w" || path.starts_with("/w/") || path == "/cases/new";
    if reports {
        "camera=(self), geolocation=(self), microphone=(), payment=(), usb=()"
    } else {
        "camera=(), geolocation=(), microphone=(), payment=(), usb=()"
    }
}

/// HSTS for a public URL served over https (a year; subdomains are not ours to bind).
pub fn strict_transport_security(public_url: Option<&str>) -> Option<&'static str> {
    public_url
        .is_some_and(|u| u.starts_with("https://"))
        .then_some("max-age=31536000")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_are_ours_or_carry_the_nonce() {
        let p = content_security_policy(Some("abc"), None);
        assert!(p.contains("script-src 'self' 'nonce-abc' 'wasm-unsafe-eval';"));
        assert!(p.contains("frame-ancestors 'none'") && p.contains("object-src 'none'"));
        let light = content_security_policy(None, None);
        assert!(light.contains("script-src 'self';") && !light.contains("unsafe-eval"));
        assert!(!light.contains("'unsafe-inline'; img") || light.contains("style-src"));
    }

    #[test]
    fn tiles_are_allowed_by_scheme_and_host_only() {
        let p = content_security_policy(None, Some("https://{s}.tile.example.org/{z}/{x}/{y}.png"));
        assert!(
            p.contains("img-src 'self' data: blob: https://*.tile.example.org;"),
            "{p}"
        );
        assert_eq!(
            tile_source("http://10.0.0.5:8080/t/{z}/{x}/{y}.png").as_deref(),
            Some("http://10.0.0.5:8080")
        );
        assert_eq!(tile_source("javascript:alert(1)"), None);
        assert_eq!(tile_source("https://a b/"), None);
        assert_eq!(tile_source("https://x.org;script-src *"), None);
    }

    #[test]
    fn only_report_pages_may_ask_for_position_and_camera() {
        assert!(permissions_policy("/r/360102001001").contains("geolocation=(self)"));
        assert!(permissions_policy("/w/report").contains("camera=(self)"));
        assert!(permissions_policy("/dashboard").contains("geolocation=()"));
        assert!(permissions_policy("/word").contains("geolocation=()"));
    }

    #[test]
    fn hsts_only_for_https() {
        assert_eq!(
            strict_transport_security(Some("https://grid.example.gov.cn")),
            Some("max-age=31536000")
        );
        assert_eq!(strict_transport_security(Some("http://10.0.0.1")), None);
        assert_eq!(strict_transport_security(None), None);
    }
}
