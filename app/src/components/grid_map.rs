//! The grid map: every grid polygon in the user's scope on a Leaflet map, each clickable
//! to its name and workers. Leaflet is created in an effect from a `NodeRef` (browser
//! only) and removed on cleanup. Without a configured tile URL it draws on a plain
//! background and fetches nothing from outside.

use crate::app::use_lang;
use crate::components::labels;
use crate::domain::people::MemberKind;
use crate::domain::territory::MapData;
use crate::i18n::{Lang, Msg, t};
use leptos::prelude::*;

#[cfg(feature = "hydrate")]
/// Fill colours cycled over communities, so that neighbouring communities differ.
const PALETTE: [&str; 7] = [
    "#2f6fb3", "#2e9e6b", "#d98c1f", "#8a5cc2", "#c8483b", "#1f9bb0", "#7a8f2a",
];

#[component]
pub fn GridMap(data: MapData) -> impl IntoView {
    let lang = use_lang();
    let node = NodeRef::<leptos::html::Div>::new();
    let count = data.grids.len();
    #[cfg(feature = "hydrate")]
    {
        let map = StoredValue::new_local(None::<leaflet::Map>);
        Effect::new(move |_| {
            if let Some(el) = node.get() {
                let data = data.clone();
                // Leaflet is loaded by the first map (components::script).
                super::script::when_loaded(super::script::LEAFLET, move || {
                    if map.try_with_value(Option::is_none) == Some(true) {
                        map.try_set_value(draw(&el, &data, lang));
                    }
                });
            }
        });
        on_cleanup(move || {
            map.update_value(|m| {
                if let Some(m) = m.take() {
                    m.remove();
                }
            })
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = data;
    view! {
        <div class="grid-map" node_ref=node data-grids=count role="region" aria-label=t(lang, Msg::NavTerritory)></div>
        <p class="hint">{t(lang, Msg::MapHint)}</p>
    }
}

/// The popup of one grid: name, community and the workers with their roles.
pub fn popup_html(grid: &crate::domain::territory::MapGrid, lang: Lang) -> String {
    let (name, community) = match lang {
        Lang::Zh => (&grid.name, &grid.community),
        Lang::En => (&grid.name_en, &grid.community_en),
    };
    let mut html = format!(
        "<div class=\"map-popup\"><strong>{}</strong><br><span class=\"muted\">{} · {}</span><ul>",
        escape(name),
        escape(community),
        escape(&grid.code)
    );
    for m in grid
        .members
        .iter()
        .filter(|m| m.kind != MemberKind::Support)
    {
        html.push_str(&format!(
            "<li>{} <span class=\"muted\">{}</span> <a href=\"tel:{}\">{}</a></li>",
            escape(&m.name),
            escape(t(lang, labels::member(m.kind, m.support_role))),
            escape(&m.work_phone),
            escape(&m.work_phone)
        ));
    }
    let support = grid
        .members
        .iter()
        .filter(|m| m.kind == MemberKind::Support)
        .count();
    html.push_str(&format!(
        "</ul><span class=\"muted\">{}: {support}</span> · <a href=\"/territory?grid={}\">{}</a></div>",
        escape(t(lang, Msg::SupportMembers)),
        escape(&grid.code),
        escape(t(lang, Msg::GridWorkers))
    ));
    html
}

pub(crate) fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// A grid's parts as Leaflet takes a multi-polygon (`[[ring], [ring]…]`), shifted onto the
/// tiles; `bounds` grows to hold them.
#[cfg(feature = "hydrate")]
pub(crate) fn parts(
    rings: &[Vec<[f64; 2]>],
    crs: crate::domain::tile_crs::TileCrs,
    bounds: &mut Option<leaflet::LatLngBounds>,
) -> js_sys::Array {
    use leaflet::{LatLng, LatLngBounds};
    let polygons = js_sys::Array::new();
    for ring in rings {
        let latlngs = js_sys::Array::new();
        for &[lng, lat] in ring {
            let (lat, lng) = crs.to_tiles(lat, lng);
            let p = LatLng::new(lat, lng);
            match bounds {
                Some(b) => {
                    b.extend(&p);
                }
                None => *bounds = Some(LatLngBounds::new(&p, &p)),
            }
            latlngs.push(&p);
        }
        polygons.push(&js_sys::Array::of1(&latlngs));
    }
    polygons
}

#[cfg(feature = "hydrate")]
fn draw(el: &web_sys::HtmlDivElement, data: &MapData, lang: Lang) -> Option<leaflet::Map> {
    use leaflet::{
        LatLng, LatLngBounds, Map, MapOptions, Polygon, PolylineOptions, TileLayer,
        TileLayerOptions,
    };
    use wasm_bindgen::JsValue;

    let options = MapOptions::default();
    // Quarter zoom steps let the district fill the frame instead of jumping a whole level.
    options.set_zoom_snap(0.25);
    options.set_zoom_delta(0.5);
    let map = Map::new_with_element(el, &options).ok()?;
    if let Some(url) = &data.tile_url {
        let opts = TileLayerOptions::default();
        opts.set_attribution(data.tile_attribution.clone());
        TileLayer::new_options(url, &opts).add_to(&map);
    }
    let mut bounds: Option<LatLngBounds> = None;
    let mut communities: Vec<&str> = Vec::new();
    for grid in &data.grids {
        let colour_index = match communities.iter().position(|c| *c == grid.community) {
            Some(i) => i,
            None => {
                communities.push(&grid.community);
                communities.len() - 1
            }
        };
        let colour = PALETTE[colour_index % PALETTE.len()];
        let latlngs = parts(&grid.rings, data.tile_crs, &mut bounds);
        let opts = PolylineOptions::default();
        opts.set_color("#ffffff".into());
        opts.set_weight(1.5);
        opts.set_fill_color(colour.into());
        opts.set_fill_opacity(0.45);
        opts.set_class_name(format!("grid-shape grid-{}", grid.code));
        let polygon = Polygon::new_with_options(&latlngs, &opts);
        polygon.bind_popup_with_options(
            &JsValue::from_str(&popup_html(grid, lang)),
            &js_sys::Object::new().into(),
        );
        polygon.add_to(&map);
    }
    match bounds {
        Some(b) => {
            let padding = js_sys::Object::new();
            let _ = js_sys::Reflect::set(
                &padding,
                &"padding".into(),
                &js_sys::Array::of2(&12.into(), &12.into()),
            );
            map.fit_bounds_with_options(&b, &padding);
        }
        None => {
            map.set_view(&LatLng::new(28.68, 115.89), 13.0);
        }
    }
    Some(map)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::people::GridMember;
    use crate::domain::territory::MapGrid;

    #[test]
    fn popups_escape_names() {
        let g = MapGrid {
            code: "G1".into(),
            name: "<b>一</b>".into(),
            name_en: "One".into(),
            community: "C".into(),
            community_en: "C".into(),
            rings: vec![],
            members: vec![GridMember {
                id: 1,
                name: "王丽".into(),
                kind: MemberKind::FullTime,
                support_role: None,
                duties: String::new(),
                work_phone: "137".into(),
            }],
        };
        let html = popup_html(&g, Lang::Zh);
        assert!(html.contains("&lt;b&gt;一&lt;/b&gt;"));
        assert!(html.contains("王丽") && html.contains("专职网格员"));
        assert!(popup_html(&g, Lang::En).contains("<strong>One</strong>"));
    }
}
