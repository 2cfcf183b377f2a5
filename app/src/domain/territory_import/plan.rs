//! What an import changes against the territory in the database: nodes added, removed,
//! renamed or redrawn, and what each change touches. A node that moves to another parent
//! or level, and a removed node that still holds cases, households or people, are refused:
//! cases keep the grid they were reported in, and nobody is left without a grid.

use super::{ImportNode, Problem, ProblemKind};
use crate::domain::territory::Level;
use serde::Serialize;
use std::collections::HashMap;

/// A node below the district as it is now, with what hangs on it.
#[derive(Clone, Debug, Default)]
pub struct ExistingNode {
    pub code: String,
    pub name: String,
    pub name_en: String,
    pub level: Option<Level>,
    pub parent: String,
    /// The stored GeoJSON geometry, compared as written.
    pub boundary: Option<String>,
    pub cases: i64,
    pub open_cases: i64,
    pub households: i64,
    pub people: i64,
}

/// One change and what it touches (shown in the preview).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Touched {
    pub code: String,
    pub change: &'static str,
    pub open_cases: i64,
    pub households: i64,
    pub people: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Plan {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub changed: Vec<String>,
    pub touched: Vec<Touched>,
    pub problems: Vec<Problem>,
}

pub fn plan(nodes: &[ImportNode], existing: &[ExistingNode]) -> Plan {
    let now: HashMap<&str, &ExistingNode> = existing.iter().map(|e| (e.code.as_str(), e)).collect();
    let incoming: HashMap<&str, &ImportNode> = nodes.iter().map(|n| (n.code.as_str(), n)).collect();
    let mut p = Plan::default();
    for n in nodes {
        let Some(e) = now.get(n.code.as_str()) else {
            p.added.push(n.code.to_string());
            continue;
        };
        if e.level != Some(n.level) {
            p.problems.push(Problem::new(
                n.code.as_str(),
                ProblemKind::LevelChanged,
                format!(
                    "{} 现在是 {}，不能改为 {}：请用新编码。",
                    n.code,
                    e.level.map_or("?", Level::as_str),
                    n.level
                ),
                format!(
                    "{} is a {} now and cannot become a {}: use a new code.",
                    n.code,
                    e.level.map_or("?", Level::as_str),
                    n.level
                ),
            ));
        } else if e.parent != n.parent {
            p.problems.push(Problem::new(
                n.code.as_str(),
                ProblemKind::ParentChanged,
                format!("{} 的上级不能从 {} 改为 {}：请删去旧节点、用新编码新增（事件保留原网格）。", n.code, e.parent, n.parent),
                format!("{} cannot move from {} to {}: remove it and add it under a new code (cases keep their grid).", n.code, e.parent, n.parent),
            ));
        } else if differs(n, e) {
            p.changed.push(n.code.to_string());
            p.touched.push(touched(e, "changed"));
        }
    }
    for e in existing {
        if incoming.contains_key(e.code.as_str()) {
            continue;
        }
        if e.cases + e.households + e.people > 0 {
            p.problems.push(Problem::new(
                e.code.as_str(),
                ProblemKind::InUse,
                format!("{} 不能删除：还有事件 {} 件、住户 {} 户、人员 {} 名。请先把住户和人员调到其他网格。", e.code, e.cases, e.households, e.people),
                format!("{} cannot be removed: it holds {} cases, {} households and {} people. Move the households and people to other grids first.", e.code, e.cases, e.households, e.people),
            ));
        } else {
            p.removed.push(e.code.clone());
            p.touched.push(touched(e, "removed"));
        }
    }
    p
}

fn differs(n: &ImportNode, e: &ExistingNode) -> bool {
    let drawn = n.boundary.as_ref().map(|b| b.to_geojson().to_string());
    n.name != e.name || n.name_en != e.name_en || drawn != e.boundary
}

fn touched(e: &ExistingNode, change: &'static str) -> Touched {
    Touched {
        code: e.code.clone(),
        change,
        open_cases: e.open_cases,
        households: e.households,
        people: e.people,
    }
}
