//! The vocabulary of a case (事件): tiers, statuses, sources, colours, feedback.

use serde::{Deserialize, Serialize};

macro_rules! string_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident = $s:literal,)* }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vm])* $variant,)* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];
            pub fn as_str(self) -> &'static str { match self { $($name::$variant => $s,)* } }
            pub fn parse(s: &str) -> Option<$name> { match s { $($s => Some($name::$variant),)* _ => None } }
        }
    };
}

string_enum! {
    /// The three tiers of the Jizhou method, each with its own clock.
    Tier {
        /// 简易问题: the grid worker closes it within 2 working hours.
        Simple = "simple",
        /// 需协调问题: dispatched to departments, 5 working days.
        Coordination = "coordination",
        /// 重点难点问题: consultation with a lead department, 10–15 working days.
        Key = "key",
    }
}

string_enum! {
    /// Where a case stands in the closed loop.
    Status {
        /// 待受理: reported, waiting for triage.
        Reported = "reported",
        /// 已退回: a department returned it as misrouted; waiting for triage again.
        Returned = "returned",
        /// 网格办理: a simple case in the hands of the grid.
        InGrid = "in_grid",
        /// 待派单: triaged as coordination or key, waiting for dispatch.
        Triaged = "triaged",
        /// 已派单: dispatched, waiting for the lead department to acknowledge (报到).
        Dispatched = "dispatched",
        /// 办理中: the lead department acknowledged and is handling it.
        Handling = "handling",
        /// 已办结: resolved with a result, waiting for the reporter's feedback.
        Resolved = "resolved",
        /// 已归档: the loop is closed.
        Closed = "closed",
        /// 已合并: a repeat report merged into another open case.
        Merged = "merged",
    }
}

impl Status {
    /// Still needs someone to act (not resolved, closed or merged).
    pub fn is_open(self) -> bool {
        !matches!(self, Status::Resolved | Status::Closed | Status::Merged)
    }

    /// Waiting for triage.
    pub fn awaits_triage(self) -> bool {
        matches!(self, Status::Reported | Status::Returned)
    }
}

string_enum! {
    /// Who or what reported the case.
    Source {
        /// 网格员上报
        GridWorker = "grid_worker",
        /// 居民扫码 (码上办 / 随手拍)
        ResidentQr = "resident_qr",
        /// 12345 / 12343 热线
        Hotline = "hotline",
        /// 部门发现
        Department = "department",
        /// 巡查
        Patrol = "patrol",
    }
}

string_enum! {
    /// The reporter's rating (评价).
    Satisfaction {
        Satisfied = "satisfied",
        BasicallySatisfied = "basically_satisfied",
        Dissatisfied = "dissatisfied",
    }
}

string_enum! {
    /// Three-colour warning (红黄绿三色预警).
    Colour {
        Red = "red",
        Yellow = "yellow",
        Green = "green",
    }
}

string_enum! {
    /// A department's part in a dispatch.
    DispatchRole {
        /// 主办: the lead; the case resolves when it resolves.
        Lead = "lead",
        /// 协办: a co-handler with its own acknowledgement and result.
        CoHandler = "co_handler",
        /// 知会: copied for information (coordination cases, the competent department).
        Copy = "copy",
    }
}

string_enum! {
    /// Why a case is red.
    RedReason {
        /// 超期未办结
        Overdue = "overdue",
        /// 部门超时未报到
        AckOverdue = "ack_overdue",
        /// 重复投诉 (repeat count ≥ 2)
        Repeated = "repeated",
        /// 群众不满意
        Dissatisfied = "dissatisfied",
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
    }
}
