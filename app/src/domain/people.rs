//! People and roles (SPEC §2): who uses the system and who stands behind each grid.

use serde::{Deserialize, Serialize};

/// What an account may do. Every account is attached either to a territory node or to a
/// department (see `Attachment`); the role says what it does there.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 管理员: org tree, grids, users, departments, categories, calendar.
    Admin,
    /// 区/街道领导: dashboards, supervision marks.
    Leader,
    /// 镇街/社区综治中心: triage, dispatch, deadlines.
    Center,
    /// 网格长: head of a grid, triage inside the community.
    GridLeader,
    /// 网格员: full- or part-time worker of a grid.
    Worker,
    /// 职能部门工作人员: handles dispatched cases.
    Dept,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Admin,
        Role::Leader,
        Role::Center,
        Role::GridLeader,
        Role::Worker,
        Role::Dept,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Leader => "leader",
            Role::Center => "center",
            Role::GridLeader => "grid_leader",
            Role::Worker => "worker",
            Role::Dept => "dept",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Department staff belong to a department; everyone else to a territory node.
    pub fn is_department_role(self) -> bool {
        matches!(self, Role::Dept)
    }

    /// Where the role's work is: the page a login without a destination lands on.
    pub fn landing(self) -> &'static str {
        match self {
            Role::Center | Role::GridLeader => "/inbox",
            Role::Dept => "/desk",
            Role::Leader => "/dashboard",
            Role::Worker => "/w",
            Role::Admin => "/",
        }
    }
}

/// The "1+3+N" composition of a grid's workforce.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MemberKind {
    /// The 1: the full-time grid worker (专职网格员).
    FullTime,
    /// The 3: part-time — community police (社区民警), legal adviser (法律顾问),
    /// property-management staff (物业人员).
    PartTimePolice,
    PartTimeLegal,
    PartTimeProperty,
    /// The N: supporting members, each with one of the eight 一格八员 roles.
    Support,
}

impl MemberKind {
    pub const ALL: [MemberKind; 5] = [
        MemberKind::FullTime,
        MemberKind::PartTimePolice,
        MemberKind::PartTimeLegal,
        MemberKind::PartTimeProperty,
        MemberKind::Support,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MemberKind::FullTime => "full_time",
            MemberKind::PartTimePolice => "part_time_police",
            MemberKind::PartTimeLegal => "part_time_legal",
            MemberKind::PartTimeProperty => "part_time_property",
            MemberKind::Support => "support",
        }
    }

    pub fn parse(s: &str) -> Option<MemberKind> {
        MemberKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn is_part_time(self) -> bool {
        matches!(
            self,
            MemberKind::PartTimePolice | MemberKind::PartTimeLegal | MemberKind::PartTimeProperty
        )
    }
}

/// The eight supporting roles of 一格八员.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SupportRole {
    PartyMember,
    LocalWorthy,
    Volunteer,
    ResidentRep,
    Legal,
    UrbanManagement,
    MarketSupervision,
    FireSafety,
}

impl SupportRole {
    pub const ALL: [SupportRole; 8] = [
        SupportRole::PartyMember,
        SupportRole::LocalWorthy,
        SupportRole::Volunteer,
        SupportRole::ResidentRep,
        SupportRole::Legal,
        SupportRole::UrbanManagement,
        SupportRole::MarketSupervision,
        SupportRole::FireSafety,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SupportRole::PartyMember => "party_member",
            SupportRole::LocalWorthy => "local_worthy",
            SupportRole::Volunteer => "volunteer",
            SupportRole::ResidentRep => "resident_rep",
            SupportRole::Legal => "legal",
            SupportRole::UrbanManagement => "urban_management",
            SupportRole::MarketSupervision => "market_supervision",
            SupportRole::FireSafety => "fire_safety",
        }
    }

    pub fn parse(s: &str) -> Option<SupportRole> {
        SupportRole::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A person serving a grid, as shown on the grid card and the poster (网格员公示).
/// The phone is a work number meant to be public; residents' numbers never appear here.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct GridMember {
    pub id: i64,
    pub name: String,
    pub kind: MemberKind,
    pub support_role: Option<SupportRole>,
    pub duties: String,
    pub work_phone: String,
}

impl GridMember {
    /// What the public may know of a member (the QR page, its poster and the public API
    /// alike): grid workers serve the public by name and work phone; support members
    /// (volunteers, party members, residents' representatives) are private people, shown
    /// by name and role only.
    pub fn public(self) -> GridMember {
        match self.kind {
            MemberKind::Support => GridMember {
                duties: String::new(),
                work_phone: String::new(),
                ..self
            },
            _ => self,
        }
    }
}

/// Where an account belongs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Attachment {
    Node {
        code: String,
        name: String,
        level: crate::domain::territory::Level,
    },
    Department {
        code: String,
        name: String,
    },
}

impl Attachment {
    /// The department code, for department staff.
    pub fn department(&self) -> Option<&str> {
        match self {
            Attachment::Department { code, .. } => Some(code),
            Attachment::Node { .. } => None,
        }
    }
}

/// The logged-in account as the API (`GET /api/v1/me`) and the UI see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Me {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub attached_to: Attachment,
}

/// A department (职能部门) that receives dispatched cases.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Department {
    pub code: String,
    pub name: String,
    pub name_en: String,
}

#[cfg(test)]
mod tests {
    #[test]
    fn each_role_lands_on_its_work() {
        use super::Role;
        assert_eq!(Role::Center.landing(), "/inbox", "受理台");
        assert_eq!(Role::Dept.landing(), "/desk", "部门工作台");
        assert_eq!(Role::Leader.landing(), "/dashboard", "指挥看板");
        assert_eq!(Role::Worker.landing(), "/w");
        assert!(Role::ALL.iter().all(|r| r.landing().starts_with('/')));
    }

    use super::*;

    #[test]
    fn names_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        for k in MemberKind::ALL {
            assert_eq!(MemberKind::parse(k.as_str()), Some(k));
        }
        for s in SupportRole::ALL {
            assert_eq!(SupportRole::parse(s.as_str()), Some(s));
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn one_plus_three() {
        let part_time = MemberKind::ALL.iter().filter(|k| k.is_part_time()).count();
        assert_eq!(part_time, 3);
        assert_eq!(SupportRole::ALL.len(), 8);
    }
}
