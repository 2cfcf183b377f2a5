//! The base map drawn from the territory when no tiles are configured (an intranet
//! without a tile server): street and community outlines with their names written inside,
//! and the named buildings of the building list from `PLACES_FROM_ZOOM` on, so that a
//! leader can tell where a red grid lies without a street map behind it.

use super::draw::{at, options, tooltip};
use crate::domain::territory::{Level, MapData};
use crate::i18n::Lang;
use leaflet::{CircleMarker, LayerGroup, Map, Polygon, PolylineOptions};

/// Buildings are named from this zoom on (a few streets fill the screen).
pub const PLACES_FROM_ZOOM: f64 = 16.0;

/// The building labels, on the map only when zoomed in far enough.
pub struct Places {
    layer: LayerGroup,
    shown: std::cell::Cell<bool>,
}

impl Places {
    /// Shows the labels at `zoom` from `PLACES_FROM_ZOOM` on, hides them below.
    pub fn at_zoom(&self, map: &Map, zoom: f64) {
        let show = zoom >= PLACES_FROM_ZOOM;
        if show == self.shown.get() {
            return;
        }
        if show {
            self.layer.add_to(map);
        } else {
            self.layer.remove();
        }
        self.shown.set(show);
    }
}

/// Draws the streets and communities of `data` on `map` (under nothing that takes a
/// click) and prepares the building labels.
pub fn draw(map: &Map, data: &MapData, lang: Lang) -> Places {
    let outlines = LayerGroup::new();
    for a in &data.areas {
        let street = a.level == Level::Street;
        let mut bounds = None;
        let latlngs = crate::components::grid_map::parts(&a.rings, data.tile_crs, &mut bounds);
        let style = PolylineOptions::default();
        style.set_color(if street { "#2d3a48" } else { "#6b7c8e" }.into());
        style.set_weight(if street { 3.0 } else { 1.5 });
        style.set_dash_array(if street { "" } else { "6 4" }.into());
        style.set_fill(false);
        style.set_interactive(false);
        Polygon::new_with_options(&latlngs, &style).add_to_layer_group(&outlines);
        let name = match lang {
            Lang::En if !a.name_en.is_empty() => &a.name_en,
            _ => &a.name,
        };
        let kind = if street { "street" } else { "community" };
        label(&outlines, data, a.label, name, kind);
    }
    outlines.add_to(map);
    let layer = LayerGroup::new();
    for p in &data.places {
        label(&layer, data, [p.lng, p.lat], &p.name, "place");
    }
    Places {
        layer,
        shown: std::cell::Cell::new(false),
    }
}

/// A name written at `[lng, lat]`: a permanent tooltip on an invisible marker.
fn label(layer: &LayerGroup, data: &MapData, [lng, lat]: [f64; 2], text: &str, kind: &str) {
    let m = CircleMarker::new_with_options(
        &at(data.tile_crs, lat, lng),
        &options(&[
            ("radius", if kind == "place" { 2 } else { 0 }.into()),
            ("stroke", false.into()),
            ("fillColor", "#5d6b7a".into()),
            (
                "fillOpacity",
                if kind == "place" { 0.8 } else { 0.0 }.into(),
            ),
            ("interactive", false.into()),
        ]),
    );
    tooltip(
        &m,
        text,
        &options(&[
            ("permanent", true.into()),
            // A street's inner point can fall on one of its communities' own: the street
            // is written above its point, a community below, so they never overprint.
            ("direction", direction(kind).into()),
            ("interactive", false.into()),
            ("className", format!("area-label {kind}").into()),
        ]),
    );
    m.add_to_layer_group(layer);
}

fn direction(kind: &str) -> &'static str {
    match kind {
        "street" => "top",
        "community" => "bottom",
        _ => "right",
    }
}
