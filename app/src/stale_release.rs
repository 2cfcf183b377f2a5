//! A staff tab opened before a new release still runs the old main module. The first page
//! of a route group it opens afterwards asks for the old release's part of the WASM, which
//! is gone (parts carry content-hashed names, and a build replaces the site's files); the
//! split loader's failure then aborts the WASM and the tab stops answering. The panic hook
//! turns exactly that failure into one full load — of the link just followed, when a link
//! started the navigation (the router changes the address only once the page's code is
//! there), else of the page — which brings the new release; at most once a minute, so that
//! a part missing for another reason (a broken deployment) cannot make the tab reload
//! forever.

/// Part of the panic message of a part that could not be loaded (the wrapper that
/// `wasm-split` generates for a lazy route expects the load to succeed).
const PART_NOT_LOADED: &str = "load callback should succeed";
/// At most one reload in this many milliseconds.
const QUIET_MS: u64 = 60_000;
/// Where the time of the last such reload is kept (this tab only).
#[cfg(feature = "hydrate")]
const LAST_RELOAD_KEY: &str = "gridgov.stale-release-reload";

/// Whether a panic with `message` at `now_ms` should reload the page, given the time of
/// the last reload for this reason.
/// Whole milliseconds: integers keep float parsing and printing out of the main WASM.
pub fn should_reload(message: &str, last_reload_ms: Option<u64>, now_ms: u64) -> bool {
    message.contains(PART_NOT_LOADED)
        && last_reload_ms.is_none_or(|t| now_ms < t || now_ms - t >= QUIET_MS)
}

#[cfg(feature = "hydrate")]
thread_local! {
    /// The `href` of the last link clicked in this tab: where the user was going.
    static LAST_LINK: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Logs every panic to the console (as before) and loads the page afresh when it was a
/// part of an older release that could not be loaded.
#[cfg(feature = "hydrate")]
pub fn install_panic_hook() {
    remember_links();
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        reload_if_stale(&info.to_string());
    }));
}

/// Notes every link clicked (before the router takes the click over).
#[cfg(feature = "hydrate")]
fn remember_links() {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::Closure;
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let on_click = Closure::<dyn Fn(web_sys::Event)>::new(|e: web_sys::Event| {
        let href = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest("a[href]").ok().flatten())
            .and_then(|a| a.get_attribute("href"));
        LAST_LINK.with(|l| *l.borrow_mut() = href);
    });
    let _ = document.add_event_listener_with_callback_and_bool(
        "click",
        on_click.as_ref().unchecked_ref(),
        true,
    );
    // Lives as long as the page.
    on_click.forget();
}

#[cfg(feature = "hydrate")]
fn reload_if_stale(message: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let storage = window.session_storage().ok().flatten();
    let last = storage
        .as_ref()
        .and_then(|s| s.get_item(LAST_RELOAD_KEY).ok().flatten())
        .and_then(|v| v.parse::<u64>().ok());
    let now = js_sys::Date::now() as u64;
    if !should_reload(message, last, now) {
        return;
    }
    if let Some(s) = storage {
        let _ = s.set_item(LAST_RELOAD_KEY, &now.to_string());
    }
    // The navigation starts after the abort that follows this hook.
    let location = window.location();
    match LAST_LINK.with(|l| l.borrow_mut().take()) {
        Some(href) => {
            let _ = location.assign(&href);
        }
        None => {
            let _ = location.reload();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FAILED: &str =
        "panicked at app/src/routes.rs:40:1:\nload callback should succeed: SplitLoaderError(())";

    #[test]
    fn a_part_that_could_not_be_loaded_reloads_at_most_once_a_minute() {
        assert!(should_reload(FAILED, None, 1_000));
        assert!(
            !should_reload(FAILED, Some(1_000), 30_000),
            "reloaded 29 s ago"
        );
        assert!(should_reload(FAILED, Some(1_000), 61_000));
        assert!(
            should_reload(FAILED, Some(90_000), 1_000),
            "a clock set back"
        );
        assert!(
            !should_reload("index out of bounds", None, 1_000),
            "other panics stay"
        );
    }
}
