//! 12345 hotline work orders (工单): the hotline's export read row by row (or one order as
//! JSON from a connector), and what the hotline needs back from the case's steps —
//! 签收 (signed for), 退单申请 (return requested, with the reason), 延期申请 (extension
//! requested), 办结回复 (回单, the result) and 回访 (the caller's rating, imported back).

pub mod order;

use crate::domain::case::{Action, Status};
use serde::{Deserialize, Serialize};

/// What the hotline hears of a step (webhook kinds and the return sheet's 事件).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReturnKind {
    /// 签收: the centre took the order up (its first triage).
    Signed,
    /// 退单申请: not a case for us (declared invalid), with the reason.
    ReturnRequested,
    /// 延期申请: an extension asked for, with the days and why.
    ExtensionRequested,
    /// 办结回复 (回单): the result, once it stands (resolved, or passed its check).
    Replied,
    /// 回访: the caller's rating, as the hotline reported it back.
    Revisited,
}

impl ReturnKind {
    pub const ALL: [ReturnKind; 5] = [
        ReturnKind::Signed,
        ReturnKind::ReturnRequested,
        ReturnKind::ExtensionRequested,
        ReturnKind::Replied,
        ReturnKind::Revisited,
    ];

    /// The webhook kind.
    pub fn as_str(self) -> &'static str {
        match self {
            ReturnKind::Signed => "hotline_signed",
            ReturnKind::ReturnRequested => "hotline_return_requested",
            ReturnKind::ExtensionRequested => "hotline_extension_requested",
            ReturnKind::Replied => "hotline_replied",
            ReturnKind::Revisited => "hotline_revisited",
        }
    }

    pub fn parse(s: &str) -> Option<ReturnKind> {
        ReturnKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The return sheet's 事件 column.
    pub fn label(self) -> &'static str {
        match self {
            ReturnKind::Signed => "签收",
            ReturnKind::ReturnRequested => "退单申请",
            ReturnKind::ExtensionRequested => "延期申请",
            ReturnKind::Replied => "办结回复",
            ReturnKind::Revisited => "回访结果",
        }
    }
}

/// What a step of a hotline case means to the hotline. `first_triage`: no triage before.
pub fn return_of(
    action: &Action,
    before: Status,
    after: Status,
    first_triage: bool,
) -> Option<ReturnKind> {
    match action {
        Action::Triage { .. } if first_triage => Some(ReturnKind::Signed),
        Action::Invalidate { .. } => Some(ReturnKind::ReturnRequested),
        Action::RequestExtension { .. } => Some(ReturnKind::ExtensionRequested),
        Action::Feedback { .. } => Some(ReturnKind::Revisited),
        _ if after == Status::Resolved && before != Status::Resolved => Some(ReturnKind::Replied),
        _ => None,
    }
}

/// The same, for a stored step (`action` name and its data), as the return sheet reads
/// the log.
pub fn return_of_step(
    action: &str,
    data: &serde_json::Value,
    first_triage: bool,
) -> Option<ReturnKind> {
    match action {
        "triage" if first_triage => Some(ReturnKind::Signed),
        "invalidate" => Some(ReturnKind::ReturnRequested),
        "request_extension" => Some(ReturnKind::ExtensionRequested),
        "feedback" => Some(ReturnKind::Revisited),
        "resolve" if data["status"] == "resolved" => Some(ReturnKind::Replied),
        "verify" if data["passed"] == true && data["status"] == "resolved" => {
            Some(ReturnKind::Replied)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_reply_is_sent_once_the_result_stands() {
        assert_eq!(
            return_of_step("resolve", &json!({"status": "verifying"}), false),
            None
        );
        assert_eq!(
            return_of_step("resolve", &json!({"status": "resolved"}), false),
            Some(ReturnKind::Replied)
        );
        assert_eq!(
            return_of_step(
                "verify",
                &json!({"passed": true, "status": "resolved"}),
                false
            ),
            Some(ReturnKind::Replied)
        );
        assert_eq!(
            return_of_step(
                "verify",
                &json!({"passed": false, "status": "handling"}),
                false
            ),
            None
        );
        assert_eq!(
            return_of_step("triage", &json!({}), true),
            Some(ReturnKind::Signed)
        );
        assert_eq!(return_of_step("triage", &json!({}), false), None);
        for k in ReturnKind::ALL {
            assert_eq!(ReturnKind::parse(k.as_str()), Some(k));
        }
    }
}
