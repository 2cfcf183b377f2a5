//! What a step did and what comes next, said after the step instead of a bare "done":
//! "已派往区城市管理局，报到时限 11-30 17:30".

use crate::components::labels;
use crate::domain::case::DispatchRole;
use crate::domain::case::view::CaseDetail;
use crate::i18n::{Lang, Msg, t};

/// The sentence shown after the user's step, from the case as the step left it.
pub fn outcome(case: &CaseDetail, lang: Lang) -> String {
    let s = &case.summary;
    let last = case
        .timeline
        .last()
        .map(|e| e.action.as_str())
        .unwrap_or("");
    let deadline = s.deadline.map(labels::local_time);
    let status = t(lang, labels::status(s.status));
    let step = labels::action(last).map(|m| t(lang, m)).unwrap_or(status);
    match last {
        "triage" => match (s.tier, deadline) {
            (Some(tier), Some(d)) => fill(
                lang,
                Msg::OutcomeTriaged,
                &[t(lang, labels::tier(tier)), &d],
            ),
            _ => fill(lang, Msg::OutcomeStep, &[step, status]),
        },
        "dispatch" => {
            let lead = case
                .dispatches
                .iter()
                .rev()
                .find(|d| d.role == DispatchRole::Lead);
            match lead.and_then(|d| d.ack_due.map(|due| (d, due))) {
                Some((d, due)) => {
                    let name = if lang == Lang::Zh {
                        &d.department_name
                    } else {
                        &d.department_name_en
                    };
                    fill(
                        lang,
                        Msg::OutcomeDispatched,
                        &[name, &labels::local_time(due)],
                    )
                }
                None => fill(lang, Msg::OutcomeStep, &[step, status]),
            }
        }
        "acknowledge" => match deadline {
            Some(d) => fill(lang, Msg::OutcomeAcknowledged, &[&d]),
            None => fill(lang, Msg::OutcomeStep, &[step, status]),
        },
        _ => fill(lang, Msg::OutcomeStep, &[step, status]),
    }
}

/// A message with `{}` placeholders filled in order.
fn fill(lang: Lang, msg: Msg, parts: &[&str]) -> String {
    let mut out = t(lang, msg).to_owned();
    for p in parts {
        out = out.replacen("{}", p, 1);
    }
    out
}
