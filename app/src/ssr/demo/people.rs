//! Demo people: the workforce of every grid (1+3+N, 一格八员), the departments and one
//! account per role (plus one per full-time worker and per street command centre).

use super::names::{GIVEN_NAMES, SURNAMES};
use super::rng::Rng;
use super::territory::DemoNode;
use crate::domain::people::{Department, MemberKind, Role, SupportRole};
use crate::domain::territory::Level;

pub struct DemoMember {
    pub grid_code: String,
    pub name: String,
    pub kind: MemberKind,
    pub support_role: Option<SupportRole>,
    pub duties: String,
    pub work_phone: String,
    /// The account of this person, for full-time workers.
    pub username: Option<String>,
}

pub struct DemoAccount {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub node_code: Option<String>,
    pub department_code: Option<String>,
}

pub struct Roster {
    pub members: Vec<DemoMember>,
    pub accounts: Vec<DemoAccount>,
}

/// The departments that answer the whistle (at least the ten the spec names).
pub fn departments() -> Vec<Department> {
    [
        ("police", "区公安分局", "District Public Security Bureau"),
        ("urban", "区城市管理局", "District Urban Management Bureau"),
        (
            "market",
            "区市场监督管理局",
            "District Market Regulation Bureau",
        ),
        (
            "sanitation",
            "区环境卫生服务中心",
            "District Sanitation Service Centre",
        ),
        (
            "housing",
            "区住房和城乡建设局",
            "District Housing and Construction Bureau",
        ),
        ("civil", "区民政局", "District Civil Affairs Bureau"),
        ("fire", "区消防救援大队", "District Fire and Rescue Brigade"),
        ("justice", "区司法局", "District Justice Bureau"),
        ("transport", "区交通运输局", "District Transport Bureau"),
        ("water", "区水务局", "District Water Affairs Bureau"),
        (
            "emergency",
            "区应急管理局",
            "District Emergency Management Bureau",
        ),
        ("health", "区卫生健康委员会", "District Health Commission"),
    ]
    .into_iter()
    .map(|(code, name, name_en)| Department {
        code: code.into(),
        name: name.into(),
        name_en: name_en.into(),
    })
    .collect()
}

fn person_name(rng: &mut Rng) -> String {
    format!("{}{}", rng.pick(&SURNAMES), rng.pick(&GIVEN_NAMES))
}

const FULL_TIME_DUTIES: &str = "日常巡查走访、基础信息采集、矛盾纠纷排查、隐患上报与简易问题办理";

fn part_time(kind: MemberKind) -> (&'static str, &'static str) {
    match kind {
        MemberKind::PartTimePolice => ("社区民警", "治安防范、矛盾调处、重点人员管控"),
        MemberKind::PartTimeLegal => ("法律顾问", "法律咨询、人民调解、普法宣传"),
        _ => ("物业人员", "小区设施维护、安全巡查、环境卫生"),
    }
}

fn support_duties(r: SupportRole) -> &'static str {
    match r {
        SupportRole::PartyMember => "联系服务群众、带头参与志愿服务",
        SupportRole::LocalWorthy => "参与矛盾调解、移风易俗",
        SupportRole::Volunteer => "关爱帮扶、文明劝导",
        SupportRole::ResidentRep => "收集民意、参与网格议事",
        SupportRole::Legal => "法律援助、纠纷调解",
        SupportRole::UrbanManagement => "市容秩序、违建巡查",
        SupportRole::MarketSupervision => "食品安全、市场秩序",
        SupportRole::FireSafety => "消防隐患排查、消防宣传",
    }
}

/// The suffix of a grid code below the district (`001001001`), used in usernames.
fn short(code: &str) -> &str {
    &code[super::names::DISTRICT.0.len()..]
}

pub fn generate(nodes: &[DemoNode]) -> Roster {
    let mut rng = Rng::new(0x5EED_0002);
    let mut members = Vec::new();
    let mut accounts = Vec::new();
    let district = &nodes[0].code;
    let first_street = nodes
        .iter()
        .find(|n| n.level == Level::Street)
        .expect("a street");

    let role_account =
        |username: &str, name: &str, role: Role, node: Option<&str>, dept: Option<&str>| {
            DemoAccount {
                username: username.into(),
                display_name: name.into(),
                role,
                node_code: node.map(str::to_owned),
                department_code: dept.map(str::to_owned),
            }
        };
    accounts.push(role_account(
        "admin",
        "系统管理员",
        Role::Admin,
        Some(district),
        None,
    ));
    accounts.push(role_account(
        "leader",
        "区委政法委 周书记",
        Role::Leader,
        Some(district),
        None,
    ));
    accounts.push(role_account(
        "center",
        &format!("{}综治中心", first_street.name),
        Role::Center,
        Some(&first_street.code),
        None,
    ));
    accounts.push(role_account(
        "dept",
        "区城市管理局 值班员",
        Role::Dept,
        None,
        Some("urban"),
    ));
    for (i, s) in nodes
        .iter()
        .filter(|n| n.level == Level::Street)
        .enumerate()
        .skip(1)
    {
        accounts.push(role_account(
            &format!("center{}", i + 1),
            &format!("{}综治中心", s.name),
            Role::Center,
            Some(&s.code),
            None,
        ));
    }
    for d in departments().iter().filter(|d| d.code != "urban") {
        accounts.push(role_account(
            &format!("dept-{}", d.code),
            &format!("{} 值班员", d.name),
            Role::Dept,
            None,
            Some(&d.code),
        ));
    }

    let mut phone_seq = 0u32;
    let mut next_phone = |mobile: bool| {
        phone_seq += 1;
        if mobile {
            format!("137{:08}", 9_100_000 + phone_seq)
        } else {
            format!("0791-86{:06}", 200_000 + phone_seq)
        }
    };
    let mut first_grid = true;
    for community in nodes.iter().filter(|n| n.level == Level::Community) {
        let grids: Vec<&DemoNode> = nodes
            .iter()
            .filter(|n| n.parent.as_deref() == Some(community.code.as_str()))
            .collect();
        // The "3": one of each part-time kind per community, serving all of its grids.
        let part_timers: Vec<(MemberKind, String, String)> = [
            MemberKind::PartTimePolice,
            MemberKind::PartTimeLegal,
            MemberKind::PartTimeProperty,
        ]
        .into_iter()
        .map(|k| (k, person_name(&mut rng), next_phone(false)))
        .collect();
        for grid in grids {
            // The "1": the full-time worker, with an account. The demo `worker` account is
            // the full-time worker of the very first grid.
            let username = if first_grid {
                "worker".to_owned()
            } else {
                format!("w{}", short(&grid.code))
            };
            first_grid = false;
            let name = person_name(&mut rng);
            accounts.push(role_account(
                &username,
                &name,
                Role::Worker,
                Some(&grid.code),
                None,
            ));
            members.push(DemoMember {
                grid_code: grid.code.clone(),
                name,
                kind: MemberKind::FullTime,
                support_role: None,
                duties: FULL_TIME_DUTIES.into(),
                work_phone: next_phone(true),
                username: Some(username),
            });
            for (kind, name, phone) in &part_timers {
                let (title, duties) = part_time(*kind);
                members.push(DemoMember {
                    grid_code: grid.code.clone(),
                    name: name.clone(),
                    kind: *kind,
                    support_role: None,
                    duties: format!("{title}：{duties}"),
                    work_phone: phone.clone(),
                    username: None,
                });
            }
            // The "N": two to four supporting members with rotating 一格八员 roles.
            let n = 2 + rng.below(3);
            for _ in 0..n {
                let role = *rng.pick(&SupportRole::ALL);
                members.push(DemoMember {
                    grid_code: grid.code.clone(),
                    name: person_name(&mut rng),
                    kind: MemberKind::Support,
                    support_role: Some(role),
                    duties: support_duties(role).into(),
                    work_phone: next_phone(true),
                    username: None,
                });
            }
        }
        // A grid leader per community: the community's head, attached to the community.
        accounts.push(role_account(
            &format!("gl{}", short(&community.code)),
            &format!("{} 网格长 {}", community.name, person_name(&mut rng)),
            Role::GridLeader,
            Some(&community.code),
            None,
        ));
    }
    Roster { members, accounts }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_grid_has_one_plus_three_plus_n() {
        let nodes = super::super::territory::generate();
        let roster = generate(&nodes);
        for grid in nodes.iter().filter(|n| n.level == Level::Grid) {
            let of = |k: MemberKind| {
                roster
                    .members
                    .iter()
                    .filter(|m| m.grid_code == grid.code && m.kind == k)
                    .count()
            };
            assert_eq!(of(MemberKind::FullTime), 1, "{}", grid.code);
            assert_eq!(
                of(MemberKind::PartTimePolice)
                    + of(MemberKind::PartTimeLegal)
                    + of(MemberKind::PartTimeProperty),
                3
            );
            assert!((2..=4).contains(&of(MemberKind::Support)));
        }
        let workers = 100 + 21 * 3;
        assert!((140..=180).contains(&workers));
        for u in ["admin", "leader", "center", "worker", "dept"] {
            assert!(roster.accounts.iter().any(|a| a.username == u), "{u}");
        }
        let names: std::collections::HashSet<_> =
            roster.accounts.iter().map(|a| &a.username).collect();
        assert_eq!(names.len(), roster.accounts.len(), "usernames are unique");
        assert!(departments().len() >= 10);
    }
}
