//! Charts drawn by Apache ECharts (from npm, served by us at `/vendor/echarts/`). The
//! library (its "common" build: 664 KB, 183 KB brotli) is loaded only by pages that draw a
//! chart, once, when the first chart
//! mounts. Every chart carries its figures as a table too, for screen readers, printing
//! and browsers without JavaScript.

use crate::app::use_lang;
use crate::domain::kpi::TrendPoint;
use crate::i18n::{Lang, Msg, t};
use leptos::prelude::*;

/// The ECharts option of a trend: bars of cases received, a line of cases completed.
pub fn trend_option(points: &[TrendPoint], lang: Lang, received: &str, completed: &str) -> String {
    let labels: Vec<&str> = points.iter().map(|p| shown(p, lang)).collect();
    let r: Vec<u32> = points.iter().map(|p| p.received).collect();
    let c: Vec<u32> = points.iter().map(|p| p.completed).collect();
    serde_json::json!({
        "animation": false,
        "color": ["#2f6fb3", "#2e9e6b"],
        "tooltip": { "trigger": "axis" },
        "legend": { "data": [received, completed], "top": 0 },
        "grid": { "left": 40, "right": 16, "top": 32, "bottom": 28 },
        "xAxis": { "type": "category", "data": labels },
        "yAxis": { "type": "value", "minInterval": 1 },
        "series": [
            { "name": received, "type": "bar", "data": r, "barMaxWidth": 28 },
            { "name": completed, "type": "line", "data": c, "smooth": false, "symbolSize": 6 }
        ]
    })
    .to_string()
}

/// A period as the page's language says it ("11月第4周" on Chinese pages).
fn shown(p: &TrendPoint, lang: Lang) -> &str {
    if lang == Lang::Zh && !p.label_zh.is_empty() {
        &p.label_zh
    } else {
        &p.label
    }
}

#[component]
pub fn TrendChart(points: Vec<TrendPoint>, label: Msg) -> impl IntoView {
    let lang = use_lang();
    let node = NodeRef::<leptos::html::Div>::new();
    let option = trend_option(
        &points,
        lang,
        t(lang, Msg::KpiReceived),
        t(lang, Msg::KpiCompleted),
    );
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(el) = node.get() {
            draw(el, option.clone());
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = option;
    view! {
        <figure class="chart-box">
            <figcaption>{t(lang, label)}</figcaption>
            <div class="chart" node_ref=node role="img" aria-label=t(lang, label)></div>
            <table class="chart-table">
                <thead><tr><th></th><th>{t(lang, Msg::KpiReceived)}</th><th>{t(lang, Msg::KpiCompleted)}</th></tr></thead>
                <tbody>
                    {points.into_iter().map(|p| view! { <tr><th>{shown(&p, lang).to_owned()}</th><td>{p.received}</td><td>{p.completed}</td></tr> }).collect::<Vec<_>>()}
                </tbody>
            </table>
        </figure>
    }
}

/// Draws once ECharts is there, loading it first if no page has yet.
#[cfg(feature = "hydrate")]
fn draw(el: web_sys::HtmlDivElement, option: String) {
    use wasm_bindgen::JsCast;
    let run = move || {
        let Some(w) = web_sys::window() else { return };
        let global = super::script::ECHARTS.global;
        let Ok(echarts) = js_sys::Reflect::get(&w, &global.into()) else {
            return;
        };
        if echarts.is_undefined() {
            return;
        }
        let get_fn = |o: &wasm_bindgen::JsValue, name: &str| {
            js_sys::Reflect::get(o, &name.into())
                .ok()
                .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        };
        let opts = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&opts, &"renderer".into(), &"svg".into());
        let Some(init) = get_fn(&echarts, "init") else {
            return;
        };
        let Ok(chart) = init.call3(&echarts, &el, &wasm_bindgen::JsValue::NULL, &opts) else {
            return;
        };
        if let (Some(set), Ok(value)) = (get_fn(&chart, "setOption"), js_sys::JSON::parse(&option))
        {
            let _ = set.call1(&chart, &value);
        }
    };
    super::script::when_loaded(super::script::ECHARTS, run);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_option_carries_labels_and_both_series() {
        let p = vec![TrendPoint {
            label: "2026-W48".into(),
            label_zh: "11月第4周".into(),
            received: 4,
            completed: 2,
        }];
        let v: serde_json::Value =
            serde_json::from_str(&trend_option(&p, Lang::Zh, "受理", "办结")).unwrap();
        assert_eq!(v["xAxis"]["data"][0], "11月第4周");
        let en: serde_json::Value =
            serde_json::from_str(&trend_option(&p, Lang::En, "Received", "Completed")).unwrap();
        assert_eq!(en["xAxis"]["data"][0], "2026-W48");
        assert_eq!(v["series"][0]["data"][0], 4);
        assert_eq!(v["series"][1]["name"], "办结");
    }
}
