//! Drawing the case map with Leaflet (browser only): grid outlines, case dots with their
//! popups, and one labelled circle per grid when zoomed out.

use super::hex;
use crate::components::grid_map::escape;
use crate::domain::case::Colour;
use crate::domain::case_map::{CASES_FROM_ZOOM, MapCases};
use crate::domain::territory::MapData;
use crate::domain::tile_crs::TileCrs;
use crate::i18n::{Lang, Msg, t};
use leaflet::{
    CircleMarker, LatLng, LatLngBounds, LayerGroup, Map, MapOptions, MouseEvents, Polygon,
    PolylineOptions, TileLayer, TileLayerOptions,
};
use wasm_bindgen::JsValue;

pub struct Holder {
    pub map: Map,
    /// The tiles' datum: every stored point is shifted onto it, the viewport back.
    crs: TileCrs,
    layer: LayerGroup,
    polygons: Vec<(String, Polygon)>,
    /// The grid circles drawn last: their permanent labels are unbound by hand before
    /// the next draw, or Leaflet can leave a stale label behind.
    labelled: std::cell::RefCell<Vec<CircleMarker>>,
    /// Without tiles: the named buildings, shown from `base::PLACES_FROM_ZOOM`.
    places: Option<super::base::Places>,
}

pub fn create(el: &web_sys::HtmlDivElement, data: &MapData, lang: Lang) -> Option<Holder> {
    let options = MapOptions::default();
    options.set_zoom_snap(0.25);
    let map = Map::new_with_element(el, &options).ok()?;
    if let Some(url) = &data.tile_url {
        let opts = TileLayerOptions::default();
        opts.set_attribution(data.tile_attribution.clone());
        TileLayer::new_options(url, &opts).add_to(&map);
    }
    let mut bounds: Option<LatLngBounds> = None;
    let mut polygons = Vec::new();
    for g in &data.grids {
        let latlngs = crate::components::grid_map::parts(&g.rings, data.tile_crs, &mut bounds);
        let opts = PolylineOptions::default();
        opts.set_color("#5d6b7a".into());
        opts.set_weight(1.0);
        opts.set_fill_color("#ffffff".into());
        opts.set_fill_opacity(0.2);
        opts.set_class_name(format!("grid-shape grid-{}", g.code));
        let polygon = Polygon::new_with_options(&latlngs, &opts);
        tooltip(&polygon, &g.name, &js_sys::Object::new().into());
        polygon.add_to(&map);
        polygons.push((g.code.clone(), polygon));
    }
    // Without tiles the territory is the base map: streets and communities named.
    let places = data
        .tile_url
        .is_none()
        .then(|| super::base::draw(&map, data, lang));
    match bounds {
        Some(b) => {
            map.fit_bounds(&b);
        }
        None => {
            map.set_view(&LatLng::new(28.68, 115.89), 13.0);
        }
    }
    let layer = LayerGroup::new();
    layer.add_to(&map);
    Some(Holder {
        map,
        crs: data.tile_crs,
        layer,
        polygons,
        labelled: Default::default(),
        places,
    })
}

/// A stored point where the tiles draw it.
pub(super) fn at(crs: TileCrs, lat: f64, lng: f64) -> LatLng {
    let (lat, lng) = crs.to_tiles(lat, lng);
    LatLng::new(lat, lng)
}

/// `south,west,north,east` (stored datum) and the zoom level of what is on screen.
pub fn viewport(h: &Holder) -> (String, u8) {
    let b = h.map.get_bounds();
    let (sw, ne) = (b.get_south_west(), b.get_north_east());
    let (south, west) = h.crs.from_tiles(sw.lat(), sw.lng());
    let (north, east) = h.crs.from_tiles(ne.lat(), ne.lng());
    let bbox = format!("{south:.6},{west:.6},{north:.6},{east:.6}");
    (bbox, h.map.get_zoom().round().clamp(0.0, 30.0) as u8)
}

pub(super) fn options(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = js_sys::Object::new();
    for (k, v) in pairs {
        let _ = js_sys::Reflect::set(&o, &(*k).into(), v);
    }
    o.into()
}

/// `layer.bindTooltip(text, options)` (the binding's own name for it does not exist
/// in Leaflet 1.9).
pub(super) fn tooltip(layer: &JsValue, text: &str, options: &JsValue) {
    use wasm_bindgen::JsCast;
    if let Some(f) = js_sys::Reflect::get(layer, &"bindTooltip".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
    {
        let _ = f.call2(layer, &JsValue::from_str(text), options);
    }
}

/// `map.getBoundsZoom(bounds)`: the closest zoom showing all of `bounds`.
fn bounds_zoom(map: &Map, bounds: &LatLngBounds) -> Option<f64> {
    use wasm_bindgen::JsCast;
    let f = js_sys::Reflect::get(map, &"getBoundsZoom".into())
        .ok()?
        .dyn_into::<js_sys::Function>()
        .ok()?;
    f.call1(map, bounds).ok()?.as_f64()
}

fn call0(layer: &JsValue, method: &str) {
    use wasm_bindgen::JsCast;
    if let Some(f) = js_sys::Reflect::get(layer, &method.into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
    {
        let _ = f.call0(layer);
    }
}

pub fn show(h: &Holder, data: &MapCases, lang: Lang) {
    if let Some(p) = &h.places {
        p.at_zoom(&h.map, h.map.get_zoom());
    }
    for m in h.labelled.borrow_mut().drain(..) {
        call0(&m, "unbindTooltip");
    }
    h.layer.clear_layers();
    // Leaflet can still leave a permanent label behind when its marker goes during a
    // zoom animation (seen as two labels for one grid, the old one stale): sweep the
    // labels left in the tooltip pane.
    if let Ok(left) = h
        .map
        .get_pane_by_name("tooltipPane")
        .query_selector_all(".count-label")
    {
        use wasm_bindgen::JsCast;
        for i in (0..left.length()).rev() {
            if let Some(e) = left
                .item(i)
                .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
            {
                e.remove();
            }
        }
    }
    for c in &data.cases {
        let m = CircleMarker::new_with_options(
            &at(h.crs, c.lat, c.lng),
            &options(&[
                ("radius", if c.urgent { 9 } else { 6 }.into()),
                ("color", if c.urgent { "#1f1f1f" } else { "#ffffff" }.into()),
                ("weight", if c.urgent { 3 } else { 1 }.into()),
                ("fillColor", hex(c.colour).into()),
                ("fillOpacity", 0.95.into()),
                (
                    "className",
                    format!(
                        "case-marker case-{} colour-{}{}",
                        c.id,
                        c.colour.as_str(),
                        if c.urgent { " urgent" } else { "" }
                    )
                    .into(),
                ),
            ]),
        );
        let popup = format!(
            "<div class=\"map-popup\"><strong>{}</strong> <span class=\"muted\">{}</span><br><a href=\"/cases/{}\">{}</a></div>",
            escape(&c.category_name),
            escape(&c.tracking_code),
            c.id,
            t(lang, Msg::OpenTimeline)
        );
        m.bind_popup_with_options(&JsValue::from_str(&popup), &js_sys::Object::new().into());
        m.add_to_layer_group(&h.layer);
    }
    for g in &data.grids {
        let total = g.counts.total();
        let colour = if g.counts.red > 0 {
            Colour::Red
        } else if g.counts.yellow > 0 {
            Colour::Yellow
        } else {
            Colour::Green
        };
        let radius = (8.0 + 2.5 * f64::from(total).sqrt()).min(30.0);
        let m = CircleMarker::new_with_options(
            &at(h.crs, g.lat, g.lng),
            &options(&[
                ("radius", radius.into()),
                ("color", "#ffffff".into()),
                ("weight", 1.5.into()),
                ("fillColor", hex(colour).into()),
                ("fillOpacity", 0.85.into()),
                (
                    "className",
                    format!("grid-count grid-count-{}", g.grid_code).into(),
                ),
            ]),
        );
        let label = format!("{}/{}", g.counts.red, total);
        tooltip(
            &m,
            &label,
            &options(&[
                ("permanent", true.into()),
                ("direction", "center".into()),
                (
                    "className",
                    format!("count-label count-{}", g.grid_code).into(),
                ),
            ]),
        );
        // A click on the circle zooms into its grid, close enough for single cases.
        let map = h.map.clone();
        let grid = h.polygons.iter().find(|(code, _)| *code == g.grid_code);
        let bounds = grid.map(|(_, p)| p.get_bounds());
        let at = at(h.crs, g.lat, g.lng);
        m.on_click(Box::new(move |_| {
            let closest = f64::from(CASES_FROM_ZOOM);
            let (centre, zoom) = match &bounds {
                Some(b) => {
                    let (sw, ne) = (b.get_south_west(), b.get_north_east());
                    let centre =
                        LatLng::new((sw.lat() + ne.lat()) / 2.0, (sw.lng() + ne.lng()) / 2.0);
                    (centre, bounds_zoom(&map, b).unwrap_or(closest))
                }
                None => (at.clone(), closest),
            };
            map.set_view(&centre, zoom.max(closest));
        }));
        m.add_to_layer_group(&h.layer);
        h.labelled.borrow_mut().push(m);
        // The grid itself: red when it has red cases, shaded by how many are open.
        if let Some((_, p)) = grid {
            let open = g.counts.red + g.counts.yellow;
            let style = PolylineOptions::default();
            style.set_fill_color(hex(colour).into());
            style.set_fill_opacity((0.1 + 0.05 * f64::from(open)).min(0.45));
            p.set_style(&style);
        }
    }
}
