//! Charts drawn by uPlot (from npm, served by us at `/vendor/uplot/`: 51 KB, ≈ 20 KB
//! brotli; it replaced ECharts' common build, 183 KB brotli, for the one chart the staff
//! app draws). The library is loaded only by pages that draw a chart, once, when the first
//! chart mounts. uPlot draws at a fixed size: a chart is drawn again when its box's width
//! changes (`sized`). Every chart carries its figures as a table too, for screen readers,
//! printing and browsers without JavaScript.

use crate::app::use_lang;
use crate::domain::kpi::TrendPoint;
use crate::i18n::{Lang, Msg, t};
use leptos::prelude::*;

/// Colours of the two series (received, completed), as the boards use them.
const COLOURS: [&str; 2] = ["#2f6fb3", "#2e9e6b"];
/// Height of the plot with its axes; the legend goes below it.
const PLOT_HEIGHT: u32 = 210;
/// Room one period's label needs on the x axis ("11月第4周", "2026-W48").
const LABEL_PX: u32 = 72;

/// What uPlot is given for a trend, less what only JavaScript can hold (the bars' path
/// builder, the legend's label of a period — added by `draw`): the options, at the
/// chart's width, and the data — bars of cases received, a line of cases completed,
/// periods at 0, 1, 2… on the x axis.
pub fn trend_chart(
    points: &[TrendPoint],
    lang: Lang,
    width: u32,
    names: [&str; 3],
) -> serde_json::Value {
    let n = points.len();
    let labels: Vec<&str> = points.iter().map(|p| shown(p, lang)).collect();
    let step = tick_step(n, width);
    let splits: Vec<usize> = (0..n).step_by(step).collect();
    let values: Vec<&str> = splits.iter().map(|&i| labels[i]).collect();
    let [period, received, completed] = names;
    serde_json::json!({
        "opts": {
            "width": width,
            "height": PLOT_HEIGHT,
            "cursor": { "drag": { "x": false, "y": false } },
            "scales": {
                "x": { "time": false, "range": [-0.5, n as f64 - 0.5] },
                "y": { "range": [0, null] }
            },
            "axes": [
                { "splits": splits, "values": values, "grid": { "show": false } },
                { "incrs": [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000, 200000, 500000] }
            ],
            "series": [
                { "label": period },
                { "label": received, "stroke": COLOURS[0], "fill": COLOURS[0], "width": 0, "points": { "show": false } },
                { "label": completed, "stroke": COLOURS[1], "width": 2, "points": { "size": 6, "fill": COLOURS[1] } }
            ]
        },
        "data": [
            (0..n).collect::<Vec<_>>(),
            points.iter().map(|p| p.received).collect::<Vec<_>>(),
            points.iter().map(|p| p.completed).collect::<Vec<_>>()
        ],
        "labels": labels
    })
}

/// Every how many periods the x axis names one, so that names do not overlap on a narrow
/// screen (a phone shows every second or third week).
pub fn tick_step(n: usize, width: u32) -> usize {
    // The y axis takes about 50 px of the width.
    let fit = (width.saturating_sub(50) / LABEL_PX).max(1) as usize;
    n.div_ceil(fit).max(1)
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
    #[cfg(feature = "hydrate")]
    {
        let names = [
            t(lang, label),
            t(lang, Msg::KpiReceived),
            t(lang, Msg::KpiCompleted),
        ];
        let points = std::rc::Rc::new(points.clone());
        let drawn = StoredValue::new_local(sized::Drawn::default());
        Effect::new(move |_| {
            if let Some(el) = node.get() {
                if !points.is_empty() {
                    let points = std::rc::Rc::clone(&points);
                    sized::follow(el, drawn, move |el, width| {
                        draw(el, trend_chart(&points, lang, width, names).to_string())
                    });
                }
            }
        });
        on_cleanup(move || drawn.update_value(sized::Drawn::remove));
    }
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

/// Draws with uPlot (loaded: see `sized::follow`) and returns the chart. What JSON cannot
/// carry is added here: the bars' path builder (`uPlot.paths.bars`) and the legend's
/// name of the period under the cursor (the x values are the periods' indices).
#[cfg(feature = "hydrate")]
fn draw(el: web_sys::HtmlDivElement, chart: String) -> Option<wasm_bindgen::JsValue> {
    use js_sys::{Array, Function, Object, Reflect};
    use wasm_bindgen::prelude::Closure;
    use wasm_bindgen::{JsCast, JsValue};
    let get = |o: &JsValue, key: &str| Reflect::get(o, &key.into()).unwrap_or(JsValue::UNDEFINED);
    let w = web_sys::window()?;
    let uplot = get(&w, super::script::UPLOT.global);
    let chart = js_sys::JSON::parse(&chart).ok()?;
    let (opts, data, labels) = (
        get(&chart, "opts"),
        get(&chart, "data"),
        get(&chart, "labels"),
    );
    let series: Array = get(&opts, "series").unchecked_into();
    if let Ok(bars) = get(&get(&uplot, "paths"), "bars").dyn_into::<Function>() {
        let size = Object::new();
        let _ = Reflect::set(&size, &"size".into(), &Array::of2(&0.6.into(), &28.into()));
        if let Ok(path) = bars.call1(&JsValue::NULL, &size) {
            let _ = Reflect::set(&series.get(1), &"paths".into(), &path);
        }
    }
    let labels: Array = labels.unchecked_into();
    let period = Closure::<dyn Fn(JsValue, JsValue) -> JsValue>::new(move |_u, v: JsValue| {
        v.as_f64()
            .map(|i| labels.get(i as u32))
            .unwrap_or(JsValue::NULL)
    });
    let _ = Reflect::set(&series.get(0), &"value".into(), &period.into_js_value());
    let new = uplot.dyn_into::<Function>().ok()?;
    Reflect::construct(&new, &Array::of3(&opts, &data, &el)).ok()
}

/// A chart drawn at its box's width, and drawn again when that width changes (a window
/// resized, a phone turned): uPlot draws at a fixed size, and the x axis names fewer
/// periods on a narrow box.
#[cfg(feature = "hydrate")]
mod sized {
    use leptos::prelude::*;
    use wasm_bindgen::prelude::Closure;
    use wasm_bindgen::{JsCast, JsValue};

    /// What one chart holds while it is shown.
    #[derive(Default)]
    pub struct Drawn {
        chart: Option<JsValue>,
        width: u32,
        observer: Option<(web_sys::ResizeObserver, Closure<dyn FnMut()>)>,
    }

    impl Drawn {
        /// Stops following the box and takes the chart away (the page is left).
        pub fn remove(&mut self) {
            if let Some((observer, _)) = self.observer.take() {
                observer.disconnect();
            }
            destroy(self.chart.take());
        }
    }

    fn destroy(chart: Option<JsValue>) {
        let Some(chart) = chart else { return };
        if let Ok(f) = js_sys::Reflect::get(&chart, &"destroy".into()) {
            if let Ok(f) = f.dyn_into::<js_sys::Function>() {
                let _ = f.call0(&chart);
            }
        }
    }

    /// Draws with `draw(el, width)` once uPlot is there, and again at each new width.
    pub fn follow(
        el: web_sys::HtmlDivElement,
        drawn: StoredValue<Drawn, LocalStorage>,
        draw: impl Fn(web_sys::HtmlDivElement, u32) -> Option<JsValue> + 'static,
    ) {
        let draw = std::rc::Rc::new(draw);
        let target = el.clone();
        let resized = Closure::<dyn FnMut()>::new(move || {
            let width = el.client_width().max(200) as u32;
            if drawn.try_with_value(|d| d.width == width) != Some(false) {
                return;
            }
            let (el, draw) = (el.clone(), std::rc::Rc::clone(&draw));
            super::super::script::when_loaded(super::super::script::UPLOT, move || {
                let _ = drawn.try_update_value(|d| {
                    destroy(d.chart.take());
                    d.chart = draw(el, width);
                    d.width = width;
                });
            });
        });
        // The observer also calls once at the start: the first drawing.
        let Ok(observer) = web_sys::ResizeObserver::new(resized.as_ref().unchecked_ref()) else {
            return;
        };
        observer.observe(&target);
        let _ = drawn.try_update_value(|d| d.observer = Some((observer, resized)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn week(label: &str, zh: &str, received: u32, completed: u32) -> TrendPoint {
        TrendPoint {
            label: label.into(),
            label_zh: zh.into(),
            received,
            completed,
        }
    }

    #[test]
    fn the_chart_carries_labels_and_both_series() {
        let p = vec![
            week("2026-W47", "11月第3周", 7, 5),
            week("2026-W48", "11月第4周", 4, 2),
        ];
        let v = trend_chart(&p, Lang::Zh, 600, ["按周", "受理", "办结"]);
        assert_eq!(v["labels"][1], "11月第4周");
        assert_eq!(v["opts"]["axes"][0]["values"][0], "11月第3周");
        assert_eq!(v["data"][0][1], 1);
        assert_eq!(v["data"][1][0], 7);
        assert_eq!(v["data"][2][1], 2);
        assert_eq!(v["opts"]["series"][2]["label"], "办结");
        assert_eq!(v["opts"]["scales"]["x"]["range"][1], 1.5);
        let en = trend_chart(&p, Lang::En, 600, ["By week", "Received", "Completed"]);
        assert_eq!(en["opts"]["axes"][0]["values"][1], "2026-W48");
    }

    #[test]
    fn a_narrow_chart_names_every_few_periods() {
        assert_eq!(tick_step(12, 1000), 1);
        assert_eq!(tick_step(12, 360), 3, "a phone: 310 px hold four names");
        assert_eq!(tick_step(0, 360), 1);
        assert_eq!(tick_step(5, 0), 5, "no width: one name");
        let p: Vec<_> = (0..12).map(|i| week(&format!("W{i}"), "", i, i)).collect();
        let v = trend_chart(&p, Lang::En, 360, ["", "", ""]);
        assert_eq!(
            v["opts"]["axes"][0]["splits"],
            serde_json::json!([0, 3, 6, 9])
        );
        assert_eq!(
            v["opts"]["axes"][0]["values"],
            serde_json::json!(["W0", "W3", "W6", "W9"])
        );
    }
}
