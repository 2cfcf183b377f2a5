//! The few browser facts the UI reads directly. Outside the browser they are absent.

/// `document.cookie` (only non-HttpOnly cookies: the language and the CSRF token).
pub fn cookie_header() -> Option<String> {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let doc = web_sys::window()?.document()?;
        doc.dyn_into::<web_sys::HtmlDocument>().ok()?.cookie().ok()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        None
    }
}

/// The value of one cookie from a `Cookie` header.
pub fn cookie_value(header: &str, name: &str) -> Option<String> {
    header
        .split(';')
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_one_cookie() {
        assert_eq!(super::cookie_value("a=1; b=2", "b").as_deref(), Some("2"));
        assert_eq!(super::cookie_value("a=1", "c"), None);
    }
}
