//! The checks of an import, all run and all reported: codes, parents, the code scheme, and
//! the geometry of each family (children inside their parent, siblings not overlapping,
//! together covering the parent).

use super::{ImportNode, Problem, ProblemKind};
use crate::domain::territory::Level;
use geo::{Area, BooleanOps, BoundingRect, GeodesicArea, InteriorPoint, MultiPolygon, Polygon};
use std::collections::{HashMap, HashSet};

/// Every problem of the set, given the district's code (the parent of its streets) and the
/// tolerance in metres.
pub fn check(nodes: &[ImportNode], district: &str, tolerance_m: f64) -> Vec<Problem> {
    let mut problems = duplicates(nodes);
    let by_code: HashMap<&str, &ImportNode> = nodes.iter().map(|n| (n.code.as_str(), n)).collect();
    problems.extend(parents(nodes, &by_code, district));
    problems.extend(code_scheme(nodes));
    problems.extend(geometry(nodes, &by_code, tolerance_m));
    problems
}

fn duplicates(nodes: &[ImportNode]) -> Vec<Problem> {
    let mut seen = HashSet::new();
    nodes
        .iter()
        .filter(|n| !seen.insert(n.code.as_str()))
        .map(|n| {
            Problem::new(
                n.code.as_str(),
                ProblemKind::DuplicateCode,
                format!("编码 {} 出现了不止一次。", n.code),
                format!("Code {} appears more than once.", n.code),
            )
        })
        .collect()
}

fn parents(
    nodes: &[ImportNode],
    by_code: &HashMap<&str, &ImportNode>,
    district: &str,
) -> Vec<Problem> {
    let mut out = Vec::new();
    for n in nodes {
        let parent_level = if n.parent == district {
            Some(Level::District)
        } else {
            by_code.get(n.parent.as_str()).map(|p| p.level)
        };
        match parent_level {
            None => out.push(Problem::new(
                n.code.as_str(),
                ProblemKind::UnknownParent,
                format!("{} 的上级 {} 不存在（既不在文件中，也不是本区 {district}）。", n.code, n.parent),
                format!("The parent {} of {} is unknown (not in the file, not the district {district}).", n.parent, n.code),
            )),
            Some(l) if Some(l) != n.level.parent() => out.push(Problem::new(
                n.code.as_str(),
                ProblemKind::WrongParentLevel,
                format!("{}（{}）的上级 {} 是 {l}，应为 {}。", n.code, n.level, n.parent, n.level.parent().map_or("-", Level::as_str)),
                format!("{} ({}) has the parent {} of level {l}; expected {}.", n.code, n.level, n.parent, n.level.parent().map_or("-", Level::as_str)),
            )),
            Some(_) => {}
        }
    }
    out
}

/// Where the district's scheme extends the parent's code (as the national 12-digit
/// administrative codes and most grid schemes do) for at least four in five nodes, the
/// others are refused; a scheme of free codes is left alone.
fn code_scheme(nodes: &[ImportNode]) -> Vec<Problem> {
    let extends = |n: &ImportNode| {
        n.code.as_str().len() > n.parent.len() && n.code.as_str().starts_with(n.parent.as_str())
    };
    let following = nodes.iter().filter(|n| extends(n)).count();
    if nodes.is_empty() || following * 5 < nodes.len() * 4 {
        return vec![];
    }
    nodes
        .iter()
        .filter(|n| !extends(n))
        .map(|n| {
            Problem::new(
                n.code.as_str(),
                ProblemKind::CodePrefix,
                format!(
                    "编码 {} 不以上级编码 {} 开头（本区编码规则如此）。",
                    n.code, n.parent
                ),
                format!(
                    "Code {} does not extend its parent's code {} (as the district's scheme does).",
                    n.code, n.parent
                ),
            )
        })
        .collect()
}

fn geometry(nodes: &[ImportNode], by_code: &HashMap<&str, &ImportNode>, tol: f64) -> Vec<Problem> {
    let mut families: HashMap<&str, Vec<&ImportNode>> = HashMap::new();
    for n in nodes.iter().filter(|n| n.boundary.is_some()) {
        families.entry(n.parent.as_str()).or_default().push(n);
    }
    let mut keys: Vec<&&str> = families.keys().collect();
    keys.sort();
    let mut out = Vec::new();
    for parent_code in keys {
        let children = &families[*parent_code];
        out.extend(overlaps(children, tol));
        let Some(parent) = by_code.get(*parent_code).and_then(|p| p.boundary.as_ref()) else {
            continue;
        };
        for c in children {
            let c_shape = c.boundary.as_ref().expect("filtered").shape();
            for piece in wide_pieces(&c_shape.difference(parent.shape()), tol) {
                out.push(located(
                    Problem::new(
                        c.code.as_str(),
                        ProblemKind::OutsideParent,
                        format!("{} 有一部分在上级 {} 之外。", c.code, parent_code),
                        format!(
                            "Part of {} lies outside its parent {}.",
                            c.code, parent_code
                        ),
                    ),
                    &piece,
                ));
            }
        }
        let parts: Vec<Polygon<f64>> = children
            .iter()
            .flat_map(|c| {
                c.boundary
                    .as_ref()
                    .expect("filtered")
                    .shape()
                    .0
                    .iter()
                    .cloned()
            })
            .collect();
        let covered = geo::unary_union(&parts);
        for piece in wide_pieces(&parent.shape().difference(&covered), tol) {
            out.push(located(
                Problem::new(
                    *parent_code,
                    ProblemKind::Gap,
                    format!("{} 有一块没有被任何下级覆盖（无缝覆盖）。", parent_code),
                    format!(
                        "Part of {} is covered by none of its children.",
                        parent_code
                    ),
                ),
                &piece,
            ));
        }
    }
    out
}

fn overlaps(children: &[&ImportNode], tol: f64) -> Vec<Problem> {
    let mut out = Vec::new();
    for (i, a) in children.iter().enumerate() {
        let pa = a.boundary.as_ref().expect("filtered").shape();
        for b in &children[i + 1..] {
            let pb = b.boundary.as_ref().expect("filtered").shape();
            if !boxes_meet(pa, pb) {
                continue;
            }
            for piece in wide_pieces(&pa.intersection(pb), tol) {
                out.push(located(
                    Problem::new(
                        a.code.as_str(),
                        ProblemKind::Overlap,
                        format!("{} 与 {} 重叠。", a.code, b.code),
                        format!("{} overlaps {}.", a.code, b.code),
                    ),
                    &piece,
                ));
            }
        }
    }
    out
}

fn boxes_meet(a: &MultiPolygon<f64>, b: &MultiPolygon<f64>) -> bool {
    match (a.bounding_rect(), b.bounding_rect()) {
        (Some(x), Some(y)) => {
            x.min().x <= y.max().x
                && y.min().x <= x.max().x
                && x.min().y <= y.max().y
                && y.min().y <= x.max().y
        }
        _ => false,
    }
}

/// The pieces of a result wider than the tolerance: width = 2 × area ÷ perimeter (a sliver
/// of width w along an edge has about that), in metres on the ellipsoid.
fn wide_pieces(m: &MultiPolygon<f64>, tol: f64) -> Vec<(Polygon<f64>, f64)> {
    m.0.iter()
        .filter(|p| p.unsigned_area() > 0.0)
        .filter_map(|p| {
            let (perimeter, area) = p.geodesic_perimeter_area_unsigned();
            (perimeter > 0.0 && 2.0 * area / perimeter > tol).then(|| (p.clone(), area))
        })
        .collect()
}

fn located(problem: Problem, (piece, area): &(Polygon<f64>, f64)) -> Problem {
    let p = match piece.interior_point() {
        Some(pt) => problem.at(pt.x(), pt.y()),
        None => problem,
    };
    p.area(*area)
}
