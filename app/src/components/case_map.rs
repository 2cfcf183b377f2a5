//! The live case map (实时事件地图): grid outlines shaded by their cases, and the cases of
//! the viewport as red / yellow / green dots — or, zoomed out (or past 2,000 cases), one
//! circle per grid with its counts, computed by the server. It reloads the viewport after
//! every move and whenever `version` changes (a live update arrived).

use crate::api::cases::CaseForms;
use crate::app::use_lang;
use crate::components::labels;
use crate::domain::case::{Colour, Tier};
use crate::domain::territory::MapData;
use crate::i18n::{Msg, t};
use leptos::prelude::*;

#[cfg(feature = "hydrate")]
fn hex(c: crate::domain::case::Colour) -> &'static str {
    match c {
        crate::domain::case::Colour::Red => "#d93025",
        crate::domain::case::Colour::Yellow => "#f2a900",
        crate::domain::case::Colour::Green => "#1e8e3e",
    }
}

#[component]
pub fn CaseMap(
    grids: MapData,
    /// Categories and departments for the filters.
    choices: CaseForms,
    area: Option<String>,
    period: String,
    version: ReadSignal<u32>,
) -> impl IntoView {
    let lang = use_lang();
    let node = NodeRef::<leptos::html::Div>::new();
    let (mode, set_mode) = signal(String::new());
    let (shown, set_shown) = signal(0usize);
    // The filters: empty means all.
    let category = RwSignal::new(String::new());
    let tier = RwSignal::new(String::new());
    let colour = RwSignal::new(String::new());
    let department = RwSignal::new(String::new());
    #[cfg(feature = "hydrate")]
    {
        let holder = StoredValue::new_local(None::<draw::Holder>);
        let area = StoredValue::new(area);
        let period = StoredValue::new(period);
        // Only the answer to the newest request is drawn (a move and a live update can
        // overlap, and answers may come back out of order).
        let asked = StoredValue::new(0u64);
        let fetch = move || {
            let Some((bbox, zoom)) = holder.with_value(|h| h.as_ref().map(draw::viewport)) else {
                return;
            };
            let n = asked.get_value() + 1;
            asked.set_value(n);
            let pick = |s: RwSignal<String>| Some(s.get_untracked()).filter(|v| !v.is_empty());
            let (c, ti, co, d) = (pick(category), pick(tier), pick(colour), pick(department));
            leptos::task::spawn_local(async move {
                let data = crate::api::oversight::get_map_cases(
                    bbox,
                    zoom,
                    area.get_value(),
                    Some(period.get_value()),
                    c,
                    ti,
                    co,
                    d,
                )
                .await;
                if asked.get_value() != n {
                    return;
                }
                if let Ok(data) = data {
                    holder.with_value(|h| {
                        if let Some(h) = h {
                            draw::show(h, &data, lang);
                        }
                    });
                    set_mode.set(match data.mode {
                        crate::domain::case_map::MapMode::Cases => "cases".into(),
                        crate::domain::case_map::MapMode::Grids => "grids".into(),
                    });
                    set_shown.set(data.cases.len() + data.grids.len());
                }
            });
        };
        Effect::new(move |_| {
            if let Some(el) = node.get() {
                let grids = grids.clone();
                // Leaflet is loaded by the first map (components::script).
                super::script::when_loaded(super::script::LEAFLET, move || {
                    if holder.try_with_value(Option::is_none) != Some(true) {
                        return;
                    }
                    if let Some(h) = draw::create(&el, &grids, lang) {
                        h.map.on_move_end(Box::new(move |_| fetch()));
                        holder.try_set_value(Some(h));
                        fetch();
                    }
                });
            }
        });
        Effect::new(move |prev: Option<u32>| {
            let v = version.get();
            if prev.is_some_and(|p| p != v) {
                fetch();
            }
            v
        });
        Effect::new(move |prev: Option<()>| {
            (
                category.track(),
                tier.track(),
                colour.track(),
                department.track(),
            );
            if prev.is_some() {
                fetch();
            }
        });
        on_cleanup(move || {
            holder.update_value(|h| {
                if let Some(h) = h.take() {
                    h.map.remove();
                }
            })
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (grids, area, period, version, set_mode, set_shown);
    let select = move |label: Msg, value: RwSignal<String>, options: Vec<(String, String)>| {
        view! {
            <label class="map-filter">
                <span>{t(lang, label)}</span>
                <select on:change=move |ev| value.set(event_target_value(&ev)) prop:value=move || value.get()>
                    <option value="">{t(lang, Msg::FilterAll)}</option>
                    {options.into_iter().map(|(v, name)| view! { <option value=v>{name}</option> }).collect::<Vec<_>>()}
                </select>
            </label>
        }
    };
    let categories = choices
        .categories
        .iter()
        .map(|c| (c.code.clone(), c.name.clone()))
        .collect();
    let tiers = Tier::ALL
        .iter()
        .map(|x| (x.as_str().to_owned(), t(lang, labels::tier(*x)).to_owned()))
        .collect();
    let colours = Colour::ALL
        .iter()
        .map(|x| {
            (
                x.as_str().to_owned(),
                t(lang, labels::colour(*x)).to_owned(),
            )
        })
        .collect();
    let departments = choices
        .departments
        .iter()
        .map(|d| (d.code.clone(), d.name.clone()))
        .collect();
    view! {
        <section class="case-map-box" aria-labelledby="map-title">
            <h2 id="map-title">{t(lang, Msg::CaseMapTitle)}</h2>
            <div class="map-filters">
                {select(Msg::CategoryLabel, category, categories)}
                {select(Msg::TierLabel, tier, tiers)}
                {select(Msg::ColourLabel, colour, colours)}
                {select(Msg::DepartmentLabel, department, departments)}
            </div>
            <div class="case-map" node_ref=node data-mode=move || mode.get() data-shown=move || shown.get()
                 role="region" aria-label=t(lang, Msg::CaseMapTitle)></div>
            <ul class="map-legend" aria-label=t(lang, Msg::MapLegend)>
                <li><span class="swatch chip-red"></span>{t(lang, Msg::LegendRed)}</li>
                <li><span class="swatch chip-yellow"></span>{t(lang, Msg::LegendYellow)}</li>
                <li><span class="swatch chip-green"></span>{t(lang, Msg::LegendGreen)}</li>
                <li><span class="swatch-count">"3/11"</span>{t(lang, Msg::LegendGridCount)}</li>
            </ul>
            <p class="hint">{t(lang, Msg::CaseMapHint)}</p>
        </section>
    }
}

#[cfg(feature = "hydrate")]
mod base;
#[cfg(feature = "hydrate")]
mod draw;
