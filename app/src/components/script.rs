//! Browser libraries a page needs only when it draws with them (Leaflet for maps, uPlot
//! for charts), with their style sheets: loaded on first use instead of by every staff
//! page's shell, so a page without a map or a chart does not download them, nor wait for
//! them (docs/BENCHMARKS.md, "Staff app").

/// A library served by our own server, and the global it defines once loaded.
#[derive(Clone, Copy)]
pub struct Library {
    pub global: &'static str,
    /// The `<script>` element's id: a second use waits for the same element.
    pub id: &'static str,
    pub src: &'static str,
    /// Its style sheet, added beside the script by the first use.
    pub style: Option<&'static str>,
}

/// Leaflet (`L`), for the maps.
pub const LEAFLET: Library = Library {
    global: "L",
    id: "leaflet-js",
    src: "/vendor/leaflet/leaflet.js",
    style: Some("/vendor/leaflet/leaflet.css"),
};

/// uPlot (`uPlot`), for the charts: bars, lines, axes, a live legend.
pub const UPLOT: Library = Library {
    global: "uPlot",
    id: "uplot-js",
    src: "/vendor/uplot/uPlot.iife.min.js",
    style: Some("/vendor/uplot/uPlot.min.css"),
};

/// Runs `run` once `lib` is there: at once if a page loaded it already, else when its
/// script has loaded (added to the page by the first use).
#[cfg(feature = "hydrate")]
pub fn when_loaded(lib: Library, run: impl FnOnce() + 'static) {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::Closure;
    let Some(window) = web_sys::window() else {
        return;
    };
    let loaded = js_sys::Reflect::get(&window, &lib.global.into())
        .map(|v| !v.is_undefined())
        .unwrap_or(false);
    if loaded {
        run();
        return;
    }
    let Some(document) = window.document() else {
        return;
    };
    let script = match document.get_element_by_id(lib.id) {
        Some(s) => s,
        None => {
            let Ok(s) = document.create_element("script") else {
                return;
            };
            s.set_id(lib.id);
            let _ = s.set_attribute("src", lib.src);
            if let Some(head) = document.head() {
                add_style(&document, &head, lib.style);
                let _ = head.append_child(&s);
            }
            s
        }
    };
    let callback = Closure::once_into_js(run);
    let _ = script.add_event_listener_with_callback("load", callback.unchecked_ref());
}

/// The library's style sheet, requested before its script so that it is there when the
/// script draws (Leaflet positions its panes and tiles with it).
#[cfg(feature = "hydrate")]
fn add_style(document: &web_sys::Document, head: &web_sys::HtmlHeadElement, href: Option<&str>) {
    let Some(href) = href else {
        return;
    };
    if let Ok(link) = document.create_element("link") {
        let _ = link.set_attribute("rel", "stylesheet");
        let _ = link.set_attribute("href", href);
        let _ = head.append_child(&link);
    }
}
