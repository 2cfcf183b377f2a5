//! The vocabulary of a case (事件): tiers, statuses, sources, colours, feedback.

use serde::{Deserialize, Serialize};

/// A closed vocabulary with one snake_case string form each, for the database, the API
/// and forms (strum derives the string forms; `as_str`/`parse` name them for callers).
macro_rules! string_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident,)* }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
            strum::IntoStaticStr, strum::EnumString, strum::VariantArray)]
        #[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
        #[serde(rename_all = "snake_case")]
        #[strum(serialize_all = "snake_case")]
        pub enum $name { $($(#[$vm])* $variant,)* }

        impl $name {
            pub const ALL: &'static [$name] = <$name as strum::VariantArray>::VARIANTS;
            pub fn as_str(self) -> &'static str { self.into() }
            pub fn parse(s: &str) -> Option<$name> { s.parse().ok() }
        }
    };
}

string_enum! {
    /// The three tiers of the Jizhou method, each with its own clock.
    Tier {
        /// 简易问题: the grid worker closes it within 2 working hours.
        Simple,
        /// 需协调问题: dispatched to departments, 5 working days.
        Coordination,
        /// 重点难点问题: consultation with a lead department, 10–15 working days.
        Key,
    }
}

string_enum! {
    /// Where a case stands in the closed loop.
    Status {
        /// 待受理: reported, waiting for triage.
        Reported,
        /// 已退回: a department returned it as misrouted; waiting for triage again.
        Returned,
        /// 网格办理: a simple case in the hands of the grid.
        InGrid,
        /// 待派单: triaged as coordination or key, waiting for dispatch.
        Triaged,
        /// 已派单: dispatched, waiting for the lead department to acknowledge (报到).
        Dispatched,
        /// 办理中: the lead department acknowledged and is handling it.
        Handling,
        /// 待核查: the lead department reports it resolved; the grid checks on site.
        Verifying,
        /// 已办结: resolved with a result, waiting for the reporter's feedback.
        Resolved,
        /// 已归档: the loop is closed.
        Closed,
        /// 已合并: a repeat report merged into another open case.
        Merged,
        /// 不予立案 (作废): declared invalid at triage, with a reason for the reporter.
        Invalid,
        /// 缓办 (挂账): cannot be solved now; waits for its review date, off the clock.
        Deferred,
    }
}

impl Status {
    /// In someone's hands against a clock: not waiting for verification or feedback, not
    /// finished (closed, merged, invalid) and not deferred. Only these can be overdue.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            Status::Reported
                | Status::Returned
                | Status::InGrid
                | Status::Triaged
                | Status::Dispatched
                | Status::Handling
        )
    }

    /// Takes part in the figures and colours: everything but merged and invalid reports
    /// (a merged report lives on in its target; an invalid one was never a case).
    pub fn is_counted(self) -> bool {
        !matches!(self, Status::Merged | Status::Invalid)
    }

    /// Waiting for triage.
    pub fn awaits_triage(self) -> bool {
        matches!(self, Status::Reported | Status::Returned)
    }
}

string_enum! {
    /// Why a report is declared invalid (不予立案), each with its own words for the reporter.
    InvalidReason {
        /// 重复上报: the same problem is already a case (named in the note).
        Duplicate,
        /// 不属于受理范围: another body handles it (the note says which).
        NotOurRemit,
        /// 经核实不存在问题
        NotAProblem,
        /// 无法定位
        CannotLocate,
        /// 恶意或虚假上报
        Malicious,
    }
}

impl InvalidReason {
    /// The reasons that need the note to say more: which case, or where to go instead.
    pub fn needs_note(self) -> bool {
        matches!(self, InvalidReason::Duplicate | InvalidReason::NotOurRemit)
    }
}

string_enum! {
    /// Who or what reported the case.
    Source {
        /// 网格员上报
        GridWorker,
        /// 居民扫码 (码上办 / 随手拍)
        ResidentQr,
        /// 12345 / 12343 热线
        Hotline,
        /// 部门发现
        Department,
        /// 巡查
        Patrol,
        /// 市民 App 等外部平台 (Open311 GeoReport v2)
        Open311,
    }
}

string_enum! {
    /// The reporter's rating (评价).
    Satisfaction {
        Satisfied,
        BasicallySatisfied,
        Dissatisfied,
    }
}

string_enum! {
    /// Three-colour warning (红黄绿三色预警).
    Colour {
        Red,
        Yellow,
        Green,
    }
}

string_enum! {
    /// A department's part in a dispatch.
    DispatchRole {
        /// 主办: the lead; the case resolves when it resolves.
        Lead,
        /// 协办: a co-handler with its own acknowledgement and result.
        CoHandler,
        /// 知会: copied for information (coordination cases, the competent department).
        Copy,
    }
}

string_enum! {
    /// Why a case is red.
    RedReason {
        /// 超期未办结
        Overdue,
        /// 部门超时未报到
        AckOverdue,
        /// 重复投诉 (repeat count ≥ 2)
        Repeated,
        /// 群众不满意
        Dissatisfied,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(*s));
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
        for t in Tier::ALL {
            assert_eq!(Tier::parse(t.as_str()), Some(*t));
        }
        assert_eq!(Tier::parse("urgent"), None);
        assert_eq!(Source::ResidentQr.as_str(), "resident_qr");
        assert_eq!(
            DispatchRole::parse("co_handler"),
            Some(DispatchRole::CoHandler)
        );
        assert_eq!(
            Satisfaction::BasicallySatisfied.as_str(),
            "basically_satisfied"
        );
    }
}
