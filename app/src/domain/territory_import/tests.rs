use super::*;
use serde_json::json;
use std::collections::HashMap;

const D: &str = "360299";
/// About 111 m of latitude.
const STEP: f64 = 0.001;

fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> Value {
    json!({"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]})
}

fn feature(code: &str, level: &str, parent: &str, geometry: Value) -> Value {
    json!({"type": "Feature", "properties": {"code": code, "name": format!("{code}名"), "level": level, "parent": parent}, "geometry": geometry})
}

/// A street made of one community tiled by four grids, 2 × 2 steps of `STEP`.
fn district(grids: Vec<Value>) -> Value {
    let (x, y) = (115.9, 28.6);
    let mut f = vec![
        feature(
            "360299001",
            "street",
            D,
            rect(x, y, x + 2.0 * STEP, y + 2.0 * STEP),
        ),
        feature(
            "360299001001",
            "community",
            "360299001",
            rect(x, y, x + 2.0 * STEP, y + 2.0 * STEP),
        ),
    ];
    f.extend(grids);
    json!({"type": "FeatureCollection", "features": f})
}

fn grid(n: u32, x0: f64, y0: f64, x1: f64, y1: f64) -> Value {
    let (x, y) = (115.9, 28.6);
    feature(
        &format!("360299001001{n:03}"),
        "grid",
        "360299001001",
        rect(x + x0 * STEP, y + y0 * STEP, x + x1 * STEP, y + y1 * STEP),
    )
}

fn tiled() -> Vec<Value> {
    vec![
        grid(1, 0.0, 0.0, 1.0, 1.0),
        grid(2, 1.0, 0.0, 2.0, 1.0),
        grid(3, 0.0, 1.0, 1.0, 2.0),
        grid(4, 1.0, 1.0, 2.0, 2.0),
    ]
}

fn problems(doc: &Value) -> Vec<Problem> {
    let (nodes, mut p) = read(doc);
    p.extend(check(&nodes, D, DEFAULT_TOLERANCE_M));
    p
}

fn kinds(p: &[Problem]) -> Vec<(String, ProblemKind)> {
    p.iter().map(|p| (p.code.clone(), p.kind)).collect()
}

#[test]
fn a_tiled_community_passes() {
    assert_eq!(problems(&district(tiled())), vec![]);
}

#[test]
fn overlapping_grids_are_refused_with_the_area_and_a_point_inside_it() {
    let mut g = tiled();
    // Grid 2 reaches 0.2 steps (about 20 m) into grid 1.
    g[1] = grid(2, 0.8, 0.0, 2.0, 1.0);
    let p = problems(&district(g));
    assert_eq!(
        kinds(&p),
        vec![("360299001001001".into(), ProblemKind::Overlap)]
    );
    let area = p[0].area_m2.unwrap();
    // 0.2 × 1 steps: about 19.6 m × 111 m.
    assert!((1_900.0..2_400.0).contains(&area), "{area}");
    let (lng, lat) = (p[0].lng.unwrap(), p[0].lat.unwrap());
    assert!(lng > 115.9 + 0.8 * STEP && lng < 115.9 + STEP && lat > 28.6 && lat < 28.6 + STEP);
    assert!(p[0].message.contains("360299001001002") && p[0].message_en.contains("overlaps"));
}

#[test]
fn a_gap_in_a_community_is_refused_and_a_sliver_below_the_tolerance_is_not() {
    let mut g = tiled();
    g.pop();
    let p = problems(&district(g));
    assert_eq!(kinds(&p), vec![("360299001001".into(), ProblemKind::Gap)]);
    assert!(p[0].area_m2.unwrap() > 10_000.0);
    // A crack of about 0.1 m between grids 1 and 2 is digitising noise.
    let mut g = tiled();
    g[1] = grid(2, 1.000_001, 0.0, 2.0, 1.0);
    assert_eq!(problems(&district(g)), vec![]);
}

#[test]
fn a_grid_outside_its_community_is_refused() {
    let mut g = tiled();
    g[3] = grid(4, 1.0, 1.0, 2.5, 2.0);
    let p = problems(&district(g));
    assert!(
        kinds(&p).contains(&("360299001001004".into(), ProblemKind::OutsideParent)),
        "{p:?}"
    );
}

#[test]
fn codes_and_parents_are_checked() {
    let mut g = tiled();
    g.push(grid(4, 1.0, 1.0, 2.0, 2.0));
    g.push(feature(
        "360299001001009",
        "grid",
        "360299009999",
        rect(0.0, 0.0, 1.0, 1.0),
    ));
    g.push(feature(
        "360299001001010",
        "grid",
        "360299001",
        rect(115.9, 28.6, 115.9001, 28.6001),
    ));
    g.push(feature(
        "X1",
        "grid",
        "360299001001",
        rect(115.9, 28.6, 115.9001, 28.6001),
    ));
    let doc = district(g);
    let k = kinds(&problems(&doc));
    assert!(
        k.contains(&("360299001001004".into(), ProblemKind::DuplicateCode)),
        "{k:?}"
    );
    assert!(
        k.contains(&("360299001001009".into(), ProblemKind::UnknownParent)),
        "{k:?}"
    );
    assert!(
        k.contains(&("360299001001010".into(), ProblemKind::WrongParentLevel)),
        "{k:?}"
    );
    assert!(k.contains(&("X1".into(), ProblemKind::CodePrefix)), "{k:?}");
}

#[test]
fn broken_polygons_are_refused_before_any_geometry_check() {
    // A bow tie with unequal loops (the equal one has no area at all).
    let bow_tie = json!({"type": "Polygon", "coordinates": [[[115.9, 28.6], [115.903, 28.602], [115.903, 28.6], [115.9, 28.601], [115.9, 28.6]]]});
    let holed = json!({"type": "Polygon", "coordinates": [
        [[115.9, 28.6], [115.902, 28.6], [115.902, 28.602], [115.9, 28.602], [115.9, 28.6]],
        [[115.9005, 28.6005], [115.9006, 28.6005], [115.9006, 28.6006], [115.9005, 28.6005]]]});
    let two_parts = json!({"type": "MultiPolygon", "coordinates": [
        [[[115.9, 28.6], [115.901, 28.6], [115.901, 28.601], [115.9, 28.6]]],
        [[[115.91, 28.6], [115.911, 28.6], [115.911, 28.601], [115.91, 28.6]]]]});
    let overlapping_parts = json!({"type": "MultiPolygon", "coordinates": [
        [[[115.9, 28.6], [115.901, 28.6], [115.901, 28.601], [115.9, 28.6]]],
        [[[115.9005, 28.6], [115.9015, 28.6], [115.9015, 28.601], [115.9005, 28.6]]]]});
    let one_part = json!({"type": "MultiPolygon", "coordinates": [[[[115.9, 28.6], [115.901, 28.6], [115.901, 28.601], [115.9, 28.6]]]]});
    let (nodes, p) = read(&json!({"type": "FeatureCollection", "features": [
        feature("360299001001001", "grid", "360299001001", bow_tie),
        feature("360299001001002", "grid", "360299001001", holed),
        feature("360299001001003", "grid", "360299001001", overlapping_parts),
        feature("360299001001002", "grid", "360299001001", two_parts),
        feature("360299001001004", "grid", "360299001001", one_part),
        feature("360299001001005", "grid", "360299001001", Value::Null),
        json!({"type": "Feature", "properties": {"code": "360299001001006", "name": "六", "level": "building", "parent": "360299001001"}}),
        json!({"type": "Feature", "properties": {"name": "无编码"}}),
    ]}));
    assert_eq!(
        nodes.len(),
        2,
        "the MultiPolygons of one and of two separate parts are read"
    );
    assert_eq!(
        kinds(&p),
        vec![
            ("360299001001001".into(), ProblemKind::InvalidGeometry),
            ("360299001001002".into(), ProblemKind::InvalidGeometry),
            ("360299001001003".into(), ProblemKind::InvalidGeometry),
            ("360299001001005".into(), ProblemKind::MissingGeometry),
            ("360299001001006".into(), ProblemKind::InvalidLevel),
            ("#8".into(), ProblemKind::MissingProperty),
        ]
    );
    assert!(p[0].lng.is_some() && p[0].message.contains("自相交"));
}

#[test]
fn oversized_files_are_refused_before_reading_features() {
    let many: Vec<Value> = (0..=MAX_FEATURES).map(|_| json!({})).collect();
    let (nodes, p) = read(&json!({"type": "FeatureCollection", "features": many}));
    assert!(nodes.is_empty());
    assert_eq!(kinds(&p), vec![("".into(), ProblemKind::TooLarge)]);
    let (_, p) = read(&json!({"type": "Feature"}));
    assert_eq!(p[0].kind, ProblemKind::NotAFeatureCollection);
}

fn existing(code: &str, level: Level, parent: &str) -> ExistingNode {
    ExistingNode {
        code: code.into(),
        name: format!("{code}名"),
        name_en: format!("{code}名"),
        level: Some(level),
        parent: parent.into(),
        ..ExistingNode::default()
    }
}

#[test]
fn a_reimport_is_planned_and_nodes_in_use_stay() {
    let (nodes, _) = read(&district(tiled()));
    let mut now: Vec<ExistingNode> = nodes
        .iter()
        .map(|n| ExistingNode {
            boundary: n.boundary.as_ref().map(|b| b.to_geojson().to_string()),
            ..existing(n.code.as_str(), n.level, &n.parent)
        })
        .collect();
    assert_eq!(
        plan(&nodes, &now, &HashMap::new(), &[]),
        Plan::default(),
        "the same set changes nothing"
    );
    // Grid 4 redrawn with open cases, grid 9 gone (empty), grid 8 gone (in use).
    now[5].boundary = Some("{}".into());
    now[5].open_cases = 3;
    now.push(existing("360299001001009", Level::Grid, "360299001001"));
    now.push(ExistingNode {
        households: 2,
        ..existing("360299001001008", Level::Grid, "360299001001")
    });
    let p = plan(&nodes, &now, &HashMap::new(), &[]);
    assert_eq!(p.changed, ["360299001001004"]);
    assert_eq!(p.removed, ["360299001001009"]);
    assert_eq!(p.touched[0].open_cases, 3);
    assert_eq!(
        kinds(&p.problems),
        vec![("360299001001008".into(), ProblemKind::InUse)]
    );
    // Grid 8's households and people named a new grid: removed, and they move there.
    let to_seven: HashMap<String, String> =
        [("360299001001008".to_owned(), "360299001001002".to_owned())].into();
    let p = plan(&nodes, &now, &to_seven, &[]);
    assert!(p.problems.is_empty(), "{:?}", p.problems);
    assert!(p.removed.contains(&"360299001001008".to_owned()));
    assert_eq!(p.reassign, to_seven);
    assert!(
        p.touched
            .iter()
            .any(|t| t.moved_to.as_deref() == Some("360299001001002"))
    );
    // … but not to a community, nor to a grid that is not in the file.
    for bad in ["360299001001", "360299001001099"] {
        let to: HashMap<String, String> = [("360299001001008".to_owned(), bad.to_owned())].into();
        assert_eq!(
            kinds(&plan(&nodes, &now, &to, &[]).problems),
            vec![("360299001001008".into(), ProblemKind::BadReassign)]
        );
    }
    // A retired code cannot come back.
    let mut again = now.clone();
    again.retain(|e| e.code != "360299001001001");
    let p = plan(&nodes, &again, &to_seven, &["360299001001001".to_owned()]);
    assert!(kinds(&p.problems).contains(&("360299001001001".into(), ProblemKind::RetiredCode)));
    // A grid moved to another community is refused.
    now[5].parent = "360299001002".into();
    assert!(
        kinds(&plan(&nodes, &now, &HashMap::new(), &[]).problems)
            .contains(&("360299001001004".into(), ProblemKind::ParentChanged))
    );
}
