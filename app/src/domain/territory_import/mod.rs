//! A district's territory from a GeoJSON FeatureCollection (街巷定界、无缝覆盖): reading the
//! features, the checks that must all pass before anything is written, and the plan of
//! what an import changes. Plain Rust without I/O; `services::territory_import` runs it.
//!
//! Each feature: `properties.code`, `name`, `level` (street | community | grid), `parent`
//! (the district's code for a street), optional `name_en`; `geometry` a Polygon (or a
//! MultiPolygon of one part) in WGS-84 / CGCS2000 `[lng, lat]`. Grids need a geometry,
//! streets and communities may have one; where a parent has one its children must lie
//! inside it, siblings may not overlap and together must cover it.

mod checks;
mod plan;
#[cfg(test)]
mod tests;

pub use checks::check;
pub use plan::{ExistingNode, Plan, plan};

use crate::domain::geometry::Boundary;
use crate::domain::territory::{Level, NodeCode};
use serde::Serialize;
use serde_json::Value;

/// Bounds on what one import may hold, checked before any geometry is built.
pub const MAX_FEATURES: usize = 5_000;
pub const MAX_VERTICES_PER_FEATURE: usize = 20_000;
pub const MAX_VERTICES: usize = 1_000_000;
/// Default tolerance: overlaps, gaps and parts outside the parent narrower than this (in
/// metres, measured as twice the area over the perimeter) are digitising noise.
pub const DEFAULT_TOLERANCE_M: f64 = 1.0;

/// One node as the file describes it.
#[derive(Clone, Debug)]
pub struct ImportNode {
    pub code: NodeCode,
    pub name: String,
    pub name_en: String,
    pub level: Level,
    pub parent: String,
    pub boundary: Option<Boundary>,
    /// Position in the file (features are reported by it when they have no usable code).
    pub index: usize,
}

/// What a check refused, with where.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Problem {
    /// The feature's code (or `#index` when it has none).
    pub code: String,
    pub kind: ProblemKind,
    pub message: String,
    pub message_en: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lng: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub area_m2: Option<f64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    NotAFeatureCollection,
    TooLarge,
    MissingProperty,
    InvalidCode,
    InvalidLevel,
    DuplicateCode,
    UnknownParent,
    WrongParentLevel,
    CodePrefix,
    MissingGeometry,
    InvalidGeometry,
    OutsideParent,
    Overlap,
    Gap,
    ParentChanged,
    LevelChanged,
    InUse,
    /// A removed grid's households and people sent somewhere that is not a grid of the file.
    BadReassign,
    /// A code that named a node now retired (it keeps its cases' history): use a new one.
    RetiredCode,
}

impl Problem {
    pub fn new(code: impl Into<String>, kind: ProblemKind, zh: String, en: String) -> Problem {
        Problem {
            code: code.into(),
            kind,
            message: zh,
            message_en: en,
            lng: None,
            lat: None,
            area_m2: None,
        }
    }

    pub fn at(mut self, lng: f64, lat: f64) -> Problem {
        self.lng = Some(round6(lng));
        self.lat = Some(round6(lat));
        self
    }

    pub fn area(mut self, m2: f64) -> Problem {
        self.area_m2 = Some((m2 * 10.0).round() / 10.0);
        self
    }
}

fn round6(v: f64) -> f64 {
    (v * 1e6).round() / 1e6
}

/// Reads the FeatureCollection; every feature that cannot be read is a problem, and the
/// others are returned for the checks.
pub fn read(doc: &Value) -> (Vec<ImportNode>, Vec<Problem>) {
    let mut problems = Vec::new();
    let features = match (doc.get("type").and_then(Value::as_str), doc.get("features")) {
        (Some("FeatureCollection"), Some(Value::Array(f))) => f,
        _ => {
            problems.push(Problem::new(
                "",
                ProblemKind::NotAFeatureCollection,
                "文件不是 GeoJSON FeatureCollection。".into(),
                "The file is not a GeoJSON FeatureCollection.".into(),
            ));
            return (vec![], problems);
        }
    };
    if features.len() > MAX_FEATURES {
        problems.push(too_large(format!(
            "要素 {} 个，最多 {MAX_FEATURES} 个。|{} features; at most {MAX_FEATURES}.",
            features.len(),
            features.len()
        )));
        return (vec![], problems);
    }
    let vertices: usize = features.iter().map(vertex_count).sum();
    if vertices > MAX_VERTICES {
        problems.push(too_large(format!(
            "顶点共 {vertices} 个，最多 {MAX_VERTICES} 个。|{vertices} vertices; at most {MAX_VERTICES}."
        )));
        return (vec![], problems);
    }
    let mut nodes = Vec::new();
    for (index, f) in features.iter().enumerate() {
        match read_feature(index, f) {
            Ok(n) => nodes.push(n),
            Err(p) => problems.push(p),
        }
    }
    (nodes, problems)
}

fn too_large(both: String) -> Problem {
    let (zh, en) = both.split_once('|').unwrap_or((&both, &both));
    Problem::new("", ProblemKind::TooLarge, zh.into(), en.into())
}

fn vertex_count(f: &Value) -> usize {
    fn count(v: &Value) -> usize {
        match v {
            Value::Array(items) if items.first().is_some_and(Value::is_number) => 1,
            Value::Array(items) => items.iter().map(count).sum(),
            _ => 0,
        }
    }
    f.get("geometry")
        .and_then(|g| g.get("coordinates"))
        .map_or(0, count)
}

fn text(props: &Value, key: &str) -> Option<String> {
    match props.get(key)? {
        Value::String(s) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn read_feature(index: usize, f: &Value) -> Result<ImportNode, Problem> {
    let props = f.get("properties").cloned().unwrap_or(Value::Null);
    let label = text(&props, "code").unwrap_or_else(|| format!("#{}", index + 1));
    let missing = |key: &str| {
        Problem::new(
            label.clone(),
            ProblemKind::MissingProperty,
            format!("第 {} 个要素缺少属性 {key}。", index + 1),
            format!("Feature {} has no property `{key}`.", index + 1),
        )
    };
    let code_text = text(&props, "code").ok_or_else(|| missing("code"))?;
    let code = NodeCode::parse(&code_text).map_err(|_| {
        Problem::new(
            label.clone(),
            ProblemKind::InvalidCode,
            format!("编码“{code_text}”无效：只能是 1–32 位字母、数字或“-”。"),
            format!("Code \"{code_text}\" is invalid: 1–32 letters, digits or '-'."),
        )
    })?;
    let name = text(&props, "name").ok_or_else(|| missing("name"))?;
    let level_text = text(&props, "level").ok_or_else(|| missing("level"))?;
    let level = Level::parse(&level_text)
        .filter(|l| matches!(l, Level::Street | Level::Community | Level::Grid))
        .ok_or_else(|| {
            Problem::new(
                label.clone(),
                ProblemKind::InvalidLevel,
                format!("层级“{level_text}”无效：应为 street、community 或 grid。"),
                format!("Level \"{level_text}\" is invalid: street, community or grid."),
            )
        })?;
    let parent = text(&props, "parent").ok_or_else(|| missing("parent"))?;
    let boundary = match f.get("geometry") {
        None | Some(Value::Null) => None,
        Some(g) => Some(read_geometry(&label, g)?),
    };
    if boundary.is_none() && level == Level::Grid {
        return Err(Problem::new(
            label,
            ProblemKind::MissingGeometry,
            "网格必须有边界（Polygon）。".into(),
            "A grid needs a boundary (Polygon).".into(),
        ));
    }
    Ok(ImportNode {
        code,
        name_en: text(&props, "name_en").unwrap_or_else(|| name.clone()),
        name,
        level,
        parent,
        boundary,
        index,
    })
}

fn invalid_geometry(code: &str, zh: &str, en: &str) -> Problem {
    Problem::new(
        code,
        ProblemKind::InvalidGeometry,
        format!("边界无效：{zh}"),
        format!("Invalid boundary: {en}"),
    )
}

/// A Polygon, or a MultiPolygon (a grid in several parts); holes are refused (a hole
/// would be another grid), as are self-intersecting rings and parts that overlap.
fn read_geometry(code: &str, g: &Value) -> Result<Boundary, Problem> {
    use geo::Validation;
    let coords = g.get("coordinates").cloned().unwrap_or(Value::Null);
    let parts: Option<Vec<Vec<Vec<[f64; 2]>>>> = match g.get("type").and_then(Value::as_str) {
        Some("Polygon") => serde_json::from_value(coords).ok().map(|p| vec![p]),
        Some("MultiPolygon") => serde_json::from_value(coords).ok(),
        _ => None,
    };
    let parts = parts.filter(|p| !p.is_empty()).ok_or_else(|| {
        invalid_geometry(
            code,
            "应为 Polygon 或 MultiPolygon。",
            "expected a Polygon or MultiPolygon.",
        )
    })?;
    let mut outers = Vec::with_capacity(parts.len());
    for rings in parts {
        let Some(outer) = rings.first() else {
            return Err(invalid_geometry(code, "没有坐标。", "no coordinates."));
        };
        if rings.len() > 1 {
            return Err(
                invalid_geometry(code, "边界不能有洞。", "a boundary cannot have holes.")
                    .at(rings[1][0][0], rings[1][0][1]),
            );
        }
        outers.push(outer.clone());
    }
    if outers.iter().map(Vec::len).sum::<usize>() > MAX_VERTICES_PER_FEATURE {
        return Err(invalid_geometry(code, "顶点过多。", "too many vertices."));
    }
    let b = Boundary::from_parts(&outers).map_err(|e| {
        let p = invalid_geometry(code, "点太少、坐标越界或没有面积。", &e.to_string());
        match outers.iter().flatten().next() {
            Some(&[lng, lat]) => p.at(lng, lat),
            None => p,
        }
    })?;
    if let Err(e) = b.shape().check_validation() {
        let first = b.ring()[0];
        let (zh, en) = if outers.len() > 1 {
            ("边界自相交，或各部分相互重叠。", format!("{e}."))
        } else {
            ("边界自相交。", format!("{e}."))
        };
        return Err(invalid_geometry(code, zh, &en).at(first[0], first[1]));
    }
    Ok(b)
}
