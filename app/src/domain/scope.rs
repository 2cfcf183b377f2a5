//! Access scope: staff see only their own subtree (SPEC §2). Pure rules, tested here; the
//! store turns a scope into a `WHERE path LIKE …` and the services call `covers`.

use crate::domain::people::Role;

/// What part of the district an account may read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Everything under one territory node, given by its materialised path (`/D/S/`).
    Subtree { path: String },
    /// Department staff: the territory of the whole district is readable (they serve all of
    /// it and the grid map is public on posters); cases only when dispatched to them.
    /// One deployment serves one district, so "the whole district" is every node.
    Department { code: String },
}

impl Scope {
    /// The scope of an account from its role and attachment. `node_path` is the path of the
    /// node it is attached to.
    pub fn for_account(
        role: Role,
        node_path: Option<&str>,
        department: Option<&str>,
    ) -> Option<Scope> {
        match (role.is_department_role(), node_path, department) {
            (true, None, Some(code)) => Some(Scope::Department {
                code: code.to_owned(),
            }),
            (false, Some(path), None) => Some(Scope::Subtree {
                path: path.to_owned(),
            }),
            _ => None,
        }
    }

    /// Whether the territory node with this path may be read.
    pub fn covers(&self, node_path: &str) -> bool {
        match self {
            Scope::Subtree { path } => node_path.starts_with(path.as_str()),
            Scope::Department { .. } => true,
        }
    }

    /// The path prefix that bounds territory reads, for SQL `LIKE prefix || '%'`.
    pub fn territory_prefix(&self) -> &str {
        match self {
            Scope::Subtree { path } => path,
            Scope::Department { .. } => "/",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_grid_worker_sees_only_the_grid() {
        let s = Scope::for_account(Role::Worker, Some("/D/S1/C1/G1/"), None).unwrap();
        assert!(s.covers("/D/S1/C1/G1/"));
        assert!(s.covers("/D/S1/C1/G1/B7/"));
        assert!(!s.covers("/D/S1/C1/G2/"));
        assert!(!s.covers("/D/S1/C1/"));
        // A sibling whose code starts with the same characters is not inside.
        assert!(!s.covers("/D/S1/C1/G10/"));
    }

    #[test]
    fn a_street_sees_its_communities() {
        let s = Scope::for_account(Role::Center, Some("/D/S1/"), None).unwrap();
        assert!(s.covers("/D/S1/C9/G3/"));
        assert!(!s.covers("/D/S2/C1/"));
        assert!(!s.covers("/D/"));
    }

    #[test]
    fn departments_read_the_district_map() {
        let s = Scope::for_account(Role::Dept, None, Some("cg")).unwrap();
        assert!(s.covers("/D/S2/C1/G1/"));
        assert_eq!(s.territory_prefix(), "/");
    }

    #[test]
    fn an_unattached_account_has_no_scope() {
        assert_eq!(Scope::for_account(Role::Worker, None, Some("cg")), None);
        assert_eq!(Scope::for_account(Role::Dept, Some("/D/"), None), None);
    }
}
