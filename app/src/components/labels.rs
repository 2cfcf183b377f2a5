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

use crate::domain::case::{Colour, DispatchRole, RedReason, Satisfaction, Source, Status, Tier};

pub fn status(s: Status) -> Msg {
    match s {
        Status::Reported => Msg::StatusReported,
        Status::Returned => Msg::StatusReturned,
        Status::InGrid => Msg::StatusInGrid,
        Status::Triaged => Msg::StatusTriaged,
        Status::Dispatched => Msg::StatusDispatched,
        Status::Handling => Msg::StatusHandling,
        Status::Resolved => Msg::StatusResolved,
        Status::Closed => Msg::StatusClosed,
        Status::Merged => Msg::StatusMerged,
        Status::Verifying => Msg::StatusVerifying,
        Status::Invalid => Msg::StatusInvalid,
        Status::Deferred => Msg::StatusDeferred,
    }
}

pub fn invalid_reason(r: crate::domain::case::InvalidReason) -> Msg {
    use crate::domain::case::InvalidReason as R;
    match r {
        R::Duplicate => Msg::ReasonDuplicate,
        R::NotOurRemit => Msg::ReasonNotOurRemit,
        R::NotAProblem => Msg::ReasonNotAProblem,
        R::CannotLocate => Msg::ReasonCannotLocate,
        R::Malicious => Msg::ReasonMalicious,
    }
}

pub fn tier(t: Tier) -> Msg {
    match t {
        Tier::Simple => Msg::TierSimple,
        Tier::Coordination => Msg::TierCoordination,
        Tier::Key => Msg::TierKey,
    }
}

pub fn colour(c: Colour) -> Msg {
    match c {
        Colour::Red => Msg::ColourRed,
        Colour::Yellow => Msg::ColourYellow,
        Colour::Green => Msg::ColourGreen,
    }
}

pub fn reason(r: RedReason) -> Msg {
    match r {
        RedReason::Overdue => Msg::ReasonOverdue,
        RedReason::AckOverdue => Msg::ReasonAckOverdue,
        RedReason::Repeated => Msg::ReasonRepeated,
        RedReason::Dissatisfied => Msg::ReasonDissatisfied,
    }
}

pub fn dispatch_role(r: DispatchRole) -> Msg {
    match r {
        DispatchRole::Lead => Msg::RoleLead,
        DispatchRole::CoHandler => Msg::RoleCoHandler,
        DispatchRole::Copy => Msg::RoleCopy,
    }
}

pub fn satisfaction(s: Satisfaction) -> Msg {
    match s {
        Satisfaction::Satisfied => Msg::SatSatisfied,
        Satisfaction::BasicallySatisfied => Msg::SatBasic,
        Satisfaction::Dissatisfied => Msg::SatDissatisfied,
    }
}

pub fn source(s: Source) -> Msg {
    match s {
        Source::GridWorker => Msg::SourceGridWorker,
        Source::ResidentQr => Msg::SourceResidentQr,
        Source::Hotline => Msg::SourceHotline,
        Source::Open311 => Msg::SourceOpen311,
        Source::Department => Msg::SourceDepartment,
        Source::Patrol => Msg::SourcePatrol,
    }
}

/// The timeline's name of an action (events use `Action::name` plus "report", "merged_in").
pub fn action(name: &str) -> Option<Msg> {
    Some(match name {
        "report" => Msg::ActReport,
        "triage" => Msg::ActTriage,
        "dispatch" => Msg::ActDispatch,
        "acknowledge" => Msg::ActAcknowledge,
        "return" => Msg::ActReturn,
        "progress" => Msg::ActProgress,
        "resolve" => Msg::ActResolve,
        "feedback" => Msg::ActFeedback,
        "escalate" => Msg::ActEscalate,
        "request_extension" => Msg::ActRequestExtension,
        "approve_extension" => Msg::ActApproveExtension,
        "supervise" => Msg::ActSupervise,
        "merge" => Msg::ActMerge,
        "merged_in" => Msg::ActMergedIn,
        "close" => Msg::ActClose,
        "invalidate" => Msg::ActInvalidate,
        "verify" => Msg::ActVerify,
        "defer" => Msg::ActDefer,
        "approve_deferral" => Msg::ActApproveDeferral,
        "resume" => Msg::ActResume,
        "consultation" | "consult" => Msg::ActConsultation,
        "comment" => Msg::ActComment,
        _ => return None,
    })
}

/// A time as the district reads it: `2026-11-23 11:00` (Asia/Shanghai).
pub fn local_time(t: chrono::DateTime<chrono::Utc>) -> String {
    t.with_timezone(&crate::domain::calendar::district_tz())
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// A level's name in a language.
pub fn level_name(l: Level, lang: crate::i18n::Lang) -> &'static str {
    crate::i18n::t(lang, level(l))
}

/// Which notice a notification is, in words.
pub fn notice(k: crate::domain::notify::NoticeKind) -> Msg {
    use crate::domain::notify::NoticeKind as K;
    match k {
        K::Dispatched => Msg::NoticeDispatched,
        K::AckOverdue => Msg::NoticeAckOverdue,
        K::Returned => Msg::NoticeReturned,
        K::ExtensionRequested => Msg::NoticeExtensionRequested,
        K::Supervised => Msg::NoticeSupervised,
        K::Rework => Msg::NoticeRework,
        K::DeferralRequested => Msg::NoticeDeferralRequested,
        K::Resumed => Msg::NoticeResumed,
    }
}

/// "剩余 3 小时 20 分钟" / "已超时 2 天": a countdown to `due` measured at `now`.
pub fn countdown(
    lang: crate::i18n::Lang,
    now: chrono::DateTime<chrono::Utc>,
    due: chrono::DateTime<chrono::Utc>,
) -> (bool, String) {
    use crate::i18n::t;
    let overdue = now > due;
    let mins = (due - now).num_minutes().abs();
    let amount = if mins >= 48 * 60 {
        format!("{} {}", mins / (24 * 60), t(lang, Msg::DaysUnit))
    } else if mins >= 60 {
        format!(
            "{} {} {} {}",
            mins / 60,
            t(lang, Msg::Hours),
            mins % 60,
            t(lang, Msg::Minutes)
        )
    } else {
        format!("{} {}", mins, t(lang, Msg::Minutes))
    };
    let lead = t(lang, if overdue { Msg::OverdueBy } else { Msg::DueIn });
    (overdue, format!("{lead} {amount}"))
}

#[cfg(test)]
mod countdown_tests {
    use super::countdown;
    use crate::i18n::Lang;
    use chrono::{Duration, TimeZone, Utc};

    #[test]
    fn countdowns_read_naturally() {
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 1, 0, 0).unwrap();
        assert_eq!(
            countdown(Lang::Zh, now, now + Duration::minutes(200)),
            (false, "剩余 3 小时 20 分钟".into())
        );
        assert_eq!(
            countdown(Lang::Zh, now, now - Duration::days(3)),
            (true, "已超时 3 天".into())
        );
        assert_eq!(
            countdown(Lang::En, now, now + Duration::minutes(5)),
            (false, "due in 5 min".into())
        );
    }
}
