//! `/w/cases/{id}`: a case on the worker's phone, inside the workspace — what and where,
//! the deadline said in working time, the steps the worker may take here (resolve on the
//! spot, a progress note, escalate, ask for more time, the on-site check, a photo on their
//! own latest step) and the timeline with its photos.

use super::{Tab, page};
use crate::components::labels;
use crate::domain::case::view::CaseDetail;
use crate::i18n::{Lang, Msg, t};
use crate::light::PageCtx;
use crate::light::pick;
use leptos::prelude::*;

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone, Utc};

    #[test]
    fn the_clock_speaks_in_working_time() {
        let due = Utc.with_ymd_and_hms(2026, 11, 30, 2, 30, 0).unwrap();
        assert_eq!(
            Clock::new(Lang::Zh, Duration::minutes(115), false, due).text,
            "剩余 2 个工作小时，截至 11-30 10:30"
        );
        assert_eq!(
            Clock::new(Lang::Zh, Duration::hours(30), false, due).text,
            "剩余 3 个工作日，截至 11-30 10:30"
        );
        let late = Clock::new(Lang::Zh, Duration::minutes(40), true, due);
        assert!(late.overdue && late.text.starts_with("已超期 40 分钟（工作时间）"));
    }
}

/// What the page says about the case's clock, computed by the server with the calendar.
pub struct Clock {
    pub overdue: bool,
    /// "剩余 2 个工作小时，截至 11-30 10:30" or "已超期 …".
    pub text: String,
}

impl Clock {
    /// The clock in working time: `left` (or how far over) with its due time. A working
    /// day has nine hours; beyond two of them the page counts days.
    pub fn new(
        lang: Lang,
        working: chrono::Duration,
        overdue: bool,
        due: chrono::DateTime<chrono::Utc>,
    ) -> Clock {
        let mins = working.num_minutes().max(0);
        let amount = if mins >= 2 * 9 * 60 {
            format!("{} {}", mins / (9 * 60), t(lang, Msg::WorkingDaysUnit))
        } else if mins >= 60 {
            format!("{} {}", (mins + 30) / 60, t(lang, Msg::WorkingHoursUnit))
        } else {
            format!("{mins} {}", t(lang, Msg::WorkingMinutesUnit))
        };
        let due = due
            .with_timezone(&crate::domain::calendar::district_tz())
            .format("%m-%d %H:%M")
            .to_string();
        let text = if overdue {
            t(lang, Msg::WorkingTimeOver).replace("{over}", &amount)
        } else {
            t(lang, Msg::WorkingTimeLeft).replace("{left}", &amount)
        }
        .replace("{due}", &due);
        Clock { overdue, text }
    }
}

/// The actions a worker takes on the phone; the centre's stay on the desktop page.
const ON_PHONE: [&str; 5] = [
    "resolve",
    "progress",
    "escalate",
    "request_extension",
    "verify",
];

pub fn render_case(
    ctx: &PageCtx,
    d: CaseDetail,
    clock: Option<Clock>,
    done: bool,
    error: Option<Msg>,
) -> String {
    let lang: Lang = ctx.lang;
    let id = d.summary.id;
    let act = format!("/w/cases/{id}/act?_csrf={}", ctx.csrf);
    let photos_to = format!("/w/cases/{id}/photos?_csrf={}", ctx.csrf);
    page(ctx, Msg::CaseOnPhone, Tab::Home, false, move || {
        let s = &d.summary;
        let allowed: Vec<&str> = d
            .allowed_actions
            .iter()
            .map(String::as_str)
            .filter(|a| ON_PHONE.contains(a))
            .collect();
        let why: Vec<&str> = s
            .colour
            .reasons
            .iter()
            .map(|r| t(lang, labels::reason(*r)))
            .collect();
        view! {
            {error.map(|m| view! { <p class="alert" role="alert" id="form-alert">{t(lang, m)}</p> })}
            // What the step did and what comes next ("已记录“办结”。当前状态：已办结待评价。").
            {done.then(|| view! { <p class="notice-ok" role="status">{crate::components::outcome::outcome(&d, lang)}</p> })}
            <section class="card case-head">
                <h1>{pick(lang, &s.category_name, &s.category_name_en).to_owned()}
                    {s.urgent.then(|| view! { " " <span class="badge urgent">{t(lang, Msg::UrgentLabel)}</span> })}
                </h1>
                <p><strong>{t(lang, labels::status(s.status))}</strong>
                    {(!why.is_empty()).then(|| view! { " · " <span class="clock over">{why.join("、")}</span> })}
                </p>
                <p>{s.description.clone()}</p>
                <p class="hint"><span class="mono">{s.tracking_code.clone()}</span>" · "{s.grid_name.clone()}</p>
                {clock.map(|c| view! { <p class=if c.overdue { "clock over" } else { "clock" }>{c.text}</p> })}
            </section>
            <section class="stack">
                {allowed.contains(&"resolve").then(|| view! {
                    <a class="button primary big" href=format!("/w/cases/{id}/resolve")>{t(lang, Msg::ResolveOnSpot)}</a>
                })}
                {allowed.contains(&"verify").then(|| verify_form(lang, &act))}
                {allowed.contains(&"progress").then(|| note_form(lang, &act, "progress", Msg::ActProgress, "note"))}
                {allowed.contains(&"request_extension").then(|| extension_form(lang, &act))}
                {allowed.contains(&"escalate").then(|| note_form(lang, &act, "escalate", Msg::ActEscalate, "reason"))}
                {d.can_add_photos.then(|| photo_form(lang, &photos_to))}
            </section>
            <h2>{t(lang, Msg::Timeline)}</h2>
            <ul class="timeline">
                {d.timeline.iter().rev().map(|e| view! {
                    <li>
                        <p><strong>{labels::action(&e.action).map_or_else(|| e.action.clone(), |m| t(lang, m).to_owned())}</strong>
                            " · "{e.actor_name.clone()}" · "<span class="hint">{labels::local_time(e.at)}</span></p>
                        {(!e.note.is_empty()).then(|| view! { <p>{e.note.clone()}</p> })}
                        {(!e.photos.is_empty()).then(|| view! {
                            <p class="previews">{e.photos.iter().map(|u| view! { <a href=u.clone()><img src=u.clone() alt="" loading="lazy" width="96" height="96"/></a> }).collect_view()}</p>
                        })}
                    </li>
                }).collect_view()}
            </ul>
        }
        .into_any()
    })
}

fn note_form(
    lang: Lang,
    act: &str,
    action: &'static str,
    title: Msg,
    field: &'static str,
) -> AnyView {
    let id = format!("{action}-text");
    view! {
        <details class="card action">
            <summary>{t(lang, title)}</summary>
            <form method="post" action=act.to_owned() enctype="multipart/form-data" class="stack">
                <input type="hidden" name="action" value=action/>
                <label for=id.clone()>{t(lang, if field == "reason" { Msg::Reason } else { Msg::Note })}</label>
                <textarea id=id name=field rows="3" maxlength="2000" required></textarea>
                <button type="submit" class="primary">{t(lang, Msg::Submit)}</button>
            </form>
        </details>
    }
    .into_any()
}

fn extension_form(lang: Lang, act: &str) -> AnyView {
    view! {
        <details class="card action">
            <summary>{t(lang, Msg::ActRequestExtension)}</summary>
            <form method="post" action=act.to_owned() enctype="multipart/form-data" class="stack">
                <input type="hidden" name="action" value="request_extension"/>
                <label for="ext-days">{t(lang, Msg::Days)}</label>
                <input id="ext-days" name="days" type="number" min="1" max="30" required/>
                <label for="ext-reason">{t(lang, Msg::Reason)}</label>
                <textarea id="ext-reason" name="reason" rows="2" maxlength="2000" required></textarea>
                <button type="submit" class="primary">{t(lang, Msg::Submit)}</button>
            </form>
        </details>
    }
    .into_any()
}

fn verify_form(lang: Lang, act: &str) -> AnyView {
    view! {
        <form method="post" action=act.to_owned() enctype="multipart/form-data" class="card stack verify">
            <h2>{t(lang, Msg::ActVerify)}</h2>
            <p class="hint">{t(lang, Msg::VerifyHint)}</p>
            <input type="hidden" name="action" value="verify"/>
            <fieldset class="tiles">
                <legend>{t(lang, Msg::VerifyOutcome)}</legend>
                <label class="tile"><input type="radio" name="passed" value="true" required/><span>{t(lang, Msg::VerifyPassed)}</span></label>
                <label class="tile"><input type="radio" name="passed" value="false"/><span>{t(lang, Msg::VerifyFailed)}</span></label>
            </fieldset>
            <label for="verify-note">{t(lang, Msg::Note)}</label>
            <textarea id="verify-note" name="note" rows="2" maxlength="2000"></textarea>
            <label class="camera">
                <span class="hint">{t(lang, Msg::TakePhoto)}</span>
                <input type="file" name="photo" accept="image/*" capture="environment"/>
            </label>
            <button type="submit" class="primary">{t(lang, Msg::Submit)}</button>
        </form>
    }
    .into_any()
}

fn photo_form(lang: Lang, to: &str) -> AnyView {
    view! {
        <form method="post" action=to.to_owned() enctype="multipart/form-data" class="card stack">
            <label class="camera">
                <span class="hint">{t(lang, Msg::AddPhotos)}</span>
                <input type="file" name="photo" accept="image/*" capture="environment" required/>
            </label>
            <button type="submit">{t(lang, Msg::AddPhotos)}</button>
        </form>
    }
    .into_any()
}
