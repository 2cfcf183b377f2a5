//! `/t/{code}`: the reporter's view of their case — status, colour, the public timeline —
//! and, once resolved, the rating form.

use super::{LangSwitch, PageCtx, TrackLookup, pick};
use crate::components::labels::{self, local_time};
use crate::domain::case::{Satisfaction, Status};
use crate::domain::resident::{FeedbackFields, PublicCase, PublicStep};
use crate::i18n::{Lang, Msg, t};
use leptos::prelude::*;

#[component]
pub fn TrackPage(
    ctx: PageCtx,
    case: PublicCase,
    /// Just reported: show the code prominently.
    fresh: bool,
    /// Just rated: say thank you.
    rated: bool,
    error: Option<Msg>,
    feedback: FeedbackFields,
    /// The feedback token the visitor proved (link or cookie): only its holder may rate.
    rate_key: Option<String>,
    /// The site's public address (`GRIDGOV_PUBLIC_URL`), so that the personal link shown
    /// can be copied or photographed whole.
    #[prop(optional)]
    public_url: Option<String>,
) -> impl IntoView {
    let lang = ctx.lang;
    let own_link = rate_key.as_ref().map(|k| {
        format!(
            "{}/t/{}?k={k}",
            public_url.as_deref().unwrap_or(""),
            case.tracking_code
        )
    });
    let colour_class = format!("status-line colour-{}", case.colour.as_str());
    let action = format!("/t/{}/feedback?_csrf={}", case.tracking_code, ctx.csrf);
    let reopened = rated && case.status != Status::Closed && case.status != Status::Resolved;
    view! {
        <header class="top">
            <span class="brand">{t(lang, Msg::TrackTitle)}</span>
            <LangSwitch ctx=ctx.clone()/>
        </header>
        <main class="wrap">
            {fresh.then(|| view! {
                <div class="success" role="status">
                    <p>{t(lang, Msg::ReportStored)}</p>
                    <p class="code">{case.tracking_code.clone()}</p>
                    <p class="hint">{t(lang, Msg::TrackHint)}</p>
                    {own_link.clone().map(|l| view! {
                        <p class="hint">{t(lang, Msg::TrackOwnLink)}</p>
                        <p class="own-link"><a href=l.clone()>{l.clone()}</a></p>
                    })}
                </div>
            })}
            {rated.then(|| view! {
                <div class="success" role="status">
                    <p>{t(lang, if reopened { Msg::DissatisfiedReopened } else { Msg::ThanksRating })}</p>
                </div>
            })}
            <section class="card">
                <p class="hint">{t(lang, Msg::TrackingCode)}" "<strong class="mono">{case.tracking_code.clone()}</strong></p>
                <div class=colour_class>
                    <span class="dot" aria-hidden="true"></span>
                    <span>{t(lang, Msg::CurrentStatus)}": "<strong>{t(lang, labels::status(case.status))}</strong></span>
                    <span class="chip">{t(lang, case.progress())}</span>
                </div>
                <dl class="facts">
                    <dt>{t(lang, Msg::Category)}</dt><dd>{pick(lang, &case.category_name, &case.category_name_en).to_owned()}</dd>
                    <dt>{t(lang, Msg::GridLabel)}</dt><dd>{case.grid_name.clone()}</dd>
                    <dt>{t(lang, Msg::ReportedAt)}</dt><dd>{local_time(case.reported_at)}</dd>
                    {case.deadline.filter(|_| case.status.is_open()).map(|d| view! {
                        <dt>{t(lang, Msg::ExpectedBy)}</dt><dd>{local_time(d)}</dd>
                    })}
                    {case.resolved_at.map(|d| view! { <dt>{t(lang, Msg::ResolvedAt)}</dt><dd>{local_time(d)}</dd> })}
                    {case.feedback.map(|f| view! { <dt>{t(lang, Msg::ActFeedback)}</dt><dd>{t(lang, labels::satisfaction(f))}</dd> })}
                </dl>
                <h2>{t(lang, Msg::YourReport)}</h2>
                <p class="description">{case.description.clone()}</p>
            </section>
            {match (case.can_rate, rate_key) {
                (true, Some(key)) => view! { <RateForm lang=lang action=action error=error fields=feedback key=key/> }.into_any(),
                (true, None) => view! { <p class="card hint rate-needs-link">{t(lang, Msg::TrackRateNeedsLink)}</p> }.into_any(),
                _ => ().into_any(),
            }}
            <section class="card">
                <h2>{t(lang, Msg::Timeline)}</h2>
                <ol class="steps">
                    {case.steps.into_iter().rev().map(|s| view! { <Step step=s lang=lang/> }).collect_view()}
                </ol>
            </section>
            <TrackLookup lang=lang/>
        </main>
    }
}

#[component]
fn RateForm(
    lang: Lang,
    action: String,
    error: Option<Msg>,
    fields: FeedbackFields,
    key: String,
) -> impl IntoView {
    let choices = [
        Satisfaction::Satisfied,
        Satisfaction::BasicallySatisfied,
        Satisfaction::Dissatisfied,
    ];
    view! {
        <form class="card rate" method="post" action=action>
            <input type="hidden" name="token" value=key/>
            <fieldset class="tiles three">
                <legend>{t(lang, Msg::RateTitle)}</legend>
                {choices.into_iter().map(|s| view! {
                    <label class=format!("tile sat-{}", s.as_str())>
                        <input type="radio" name="satisfaction" value=s.as_str() checked=fields.satisfaction == s.as_str() required/>
                        <span>{t(lang, labels::satisfaction(s))}</span>
                    </label>
                }).collect_view()}
            </fieldset>
            {error.map(|m| view! { <p class="field-error" role="alert">{t(lang, m)}</p> })}
            <label for="comment">{t(lang, Msg::RateComment)}</label>
            <textarea id="comment" name="comment" rows="3" maxlength="500">{fields.comment.clone()}</textarea>
            <button type="submit" class="primary">{t(lang, Msg::SendRating)}</button>
        </form>
    }
}

#[component]
fn Step(step: PublicStep, lang: Lang) -> impl IntoView {
    let label = t(lang, step_label(&step.action));
    let unit = pick(lang, &step.unit, &step.unit_en).to_owned();
    view! {
        <li class=format!("step step-{}", step.action)>
            <time>{local_time(step.at)}</time>
            <p><strong>{label}</strong>{(!unit.is_empty()).then(|| format!(" · {unit}"))}</p>
            {(!step.message.is_empty()).then(|| view! { <p class="says">{pick(lang, &step.message, &step.message_en).to_owned()}</p> })}
            {(!step.text.is_empty()).then(|| view! { <p class="text">{step.text.clone()}</p> })}
            {(!step.photos.is_empty()).then(|| view! {
                <div class="photos-row">
                    {step.photos.iter().map(|src| view! {
                        <a href=src.clone()><img src=src.clone() alt="" loading="lazy" width="96" height="96"/></a>
                    }).collect_view()}
                </div>
            })}
        </li>
    }
}

/// What a resident reads for each step.
fn step_label(action: &str) -> Msg {
    match action {
        "report" => Msg::StepReport,
        "triage" => Msg::StepTriage,
        "dispatch" => Msg::StepDispatch,
        "acknowledge" => Msg::StepAcknowledge,
        "return" => Msg::StepReturn,
        "progress" => Msg::StepProgress,
        "resolve" => Msg::StepResolve,
        "feedback" => Msg::StepFeedback,
        "escalate" => Msg::StepEscalate,
        "approve_extension" => Msg::StepExtension,
        "supervise" => Msg::StepSupervise,
        "merge" | "merged_in" => Msg::StepMerged,
        "consultation" => Msg::StepConsultation,
        "invalidate" => Msg::StepInvalid,
        "verify" => Msg::StepVerify,
        "approve_deferral" => Msg::StepDeferral,
        "resume" => Msg::StepResume,
        _ => Msg::StepClose,
    }
}
