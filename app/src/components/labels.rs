//! Display names of domain enums, through the translation table.

use crate::domain::people::{MemberKind, Role, SupportRole};
use crate::domain::territory::Level;
use crate::i18n::Msg;

pub fn role(r: Role) -> Msg {
    match r {
        Role::Admin => Msg::RoleAdmin,
        Role::Leader => Msg::RoleLeader,
        Role::Center => Msg::RoleCenter,
        Role::GridLeader => Msg::RoleGridLeader,
        Role::Worker => Msg::RoleWorker,
        Role::Dept => Msg::RoleDept,
    }
}

pub fn level(l: Level) -> Msg {
    match l {
        Level::District => Msg::LevelDistrict,
        Level::Street => Msg::LevelStreet,
        Level::Community => Msg::LevelCommunity,
        Level::Grid => Msg::LevelGrid,
        Level::Building => Msg::LevelBuilding,
    }
}

pub fn member(kind: MemberKind, support: Option<SupportRole>) -> Msg {
    match (kind, support) {
        (MemberKind::FullTime, _) => Msg::KindFullTime,
        (MemberKind::PartTimePolice, _) => Msg::KindPartTimePolice,
        (MemberKind::PartTimeLegal, _) => Msg::KindPartTimeLegal,
        (MemberKind::PartTimeProperty, _) => Msg::KindPartTimeProperty,
        (MemberKind::Support, Some(r)) => support_role(r),
        (MemberKind::Support, None) => Msg::KindSupport,
    }
}

pub fn support_role(r: SupportRole) -> Msg {
    match r {
        SupportRole::PartyMember => Msg::SupportPartyMember,
        SupportRole::LocalWorthy => Msg::SupportLocalWorthy,
        SupportRole::Volunteer => Msg::SupportVolunteer,
        SupportRole::ResidentRep => Msg::SupportResidentRep,
        SupportRole::Legal => Msg::SupportLegal,
        SupportRole::UrbanManagement => Msg::SupportUrbanManagement,
        SupportRole::MarketSupervision => Msg::SupportMarketSupervision,
        SupportRole::FireSafety => Msg::SupportFireSafety,
    }
}
