//! What an import changes against the territory in the database: nodes added, removed,
//! renamed or redrawn, and what each change touches. A node that moves to another parent
//! or level is refused. A removed grid's households and people go to the grid the
//! administrator names for it (`reassign`), in the same step; without one the removal is
//! refused, so nobody is left without a grid. A removed node with history (cases, visits)
//! is retired rather than deleted: cases keep the grid they were reported in.

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
    /// Visits logged in the grid (history, like cases).
    pub visits: i64,
}

/// One change and what it touches (shown in the preview).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Touched {
    pub code: String,
    pub change: &'static str,
    pub open_cases: i64,
    pub households: i64,
    pub people: i64,
    /// For a removed grid: where its households and people go.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub moved_to: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Plan {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub changed: Vec<String>,
    pub touched: Vec<Touched>,
    pub problems: Vec<Problem>,
    /// Removed grid → the grid that takes its households and people.
    #[serde(skip_serializing_if = "HashMap::is_empty")]
    pub reassign: HashMap<String, String>,
}

/// The plan of `nodes` against the territory now; `reassign` names, for a removed grid,
/// the grid of the file that takes its households and people; `retired` are codes of
/// retired nodes, which cannot come back.
pub fn plan(
    nodes: &[ImportNode],
    existing: &[ExistingNode],
    reassign: &HashMap<String, String>,
    retired: &[String],
) -> Plan {
    let now: HashMap<&str, &ExistingNode> = existing.iter().map(|e| (e.code.as_str(), e)).collect();
    let incoming: HashMap<&str, &ImportNode> = nodes.iter().map(|n| (n.code.as_str(), n)).collect();
    let mut p = Plan::default();
    for n in nodes {
        let Some(e) = now.get(n.code.as_str()) else {
            if retired.iter().any(|r| r == n.code.as_str()) {
                p.problems.push(Problem::new(
                    n.code.as_str(),
                    ProblemKind::RetiredCode,
                    format!(
                        "{} 是已撤销节点的编码（保留其事件历史），请用新编码。",
                        n.code
                    ),
                    format!(
                        "{} is the code of a retired node (its cases keep it): use a new code.",
                        n.code
                    ),
                ));
            } else {
                p.added.push(n.code.to_string());
            }
            continue;
        };
        if let Some(problem) = moved(n, e) {
            p.problems.push(problem);
        } else if differs(n, e) {
            p.changed.push(n.code.to_string());
            p.touched.push(touched(e, "changed"));
        }
    }
    for e in existing
        .iter()
        .filter(|e| !incoming.contains_key(e.code.as_str()))
    {
        let holds = e.households + e.people > 0;
        match (holds, reassign.get(&e.code)) {
            (true, None) => p.problems.push(Problem::new(
                e.code.as_str(),
                ProblemKind::InUse,
                format!("{} 要删除，但还有住户 {} 户、人员 {} 名：请指定接收它们的网格。", e.code, e.households, e.people),
                format!("{} is to be removed but holds {} households and {} people: name the grid that takes them.", e.code, e.households, e.people),
            )),
            (true, Some(to)) if !incoming.get(to.as_str()).is_some_and(|n| Some(n.level) == e.level) => {
                p.problems.push(Problem::new(
                    e.code.as_str(),
                    ProblemKind::BadReassign,
                    format!("{} 的住户和人员要转到 {}，但它不是本文件中同一层级的节点。", e.code, to),
                    format!("{}'s households and people are to go to {}, which is not a node of the same level in this file.", e.code, to),
                ));
            }
            (true, Some(to)) => {
                p.removed.push(e.code.clone());
                p.touched.push(Touched { moved_to: Some(to.clone()), ..touched(e, "removed") });
                p.reassign.insert(e.code.clone(), to.clone());
            }
            (false, _) => {
                p.removed.push(e.code.clone());
                p.touched.push(touched(e, "removed"));
            }
        }
    }
    p
}

/// A node may not change level or parent: the old one is removed and a new code added.
fn moved(n: &ImportNode, e: &ExistingNode) -> Option<Problem> {
    if e.level != Some(n.level) {
        let was = e.level.map_or("?", Level::as_str);
        return Some(Problem::new(
            n.code.as_str(),
            ProblemKind::LevelChanged,
            format!(
                "{} 现在是 {was}，不能改为 {}：请用新编码。",
                n.code, n.level
            ),
            format!(
                "{} is a {was} now and cannot become a {}: use a new code.",
                n.code, n.level
            ),
        ));
    }
    (e.parent != n.parent).then(|| Problem::new(
        n.code.as_str(),
        ProblemKind::ParentChanged,
        format!("{} 的上级不能从 {} 改为 {}：请删去旧节点、用新编码新增（事件保留原网格）。", n.code, e.parent, n.parent),
        format!("{} cannot move from {} to {}: remove it and add it under a new code (cases keep their grid).", n.code, e.parent, n.parent),
    ))
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
        moved_to: None,
    }
}
