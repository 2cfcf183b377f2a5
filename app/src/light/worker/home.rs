//! `/w`: my grid — what is open, red first, what is due today, and one big report button.

use super::{Tab, page};
use crate::components::labels;
use crate::i18n::{Lang, Msg, t};
use crate::light::{PageCtx, pick};
use crate::ssr::services::worker::MyGrid;
use chrono::{DateTime, Utc};
use leptos::prelude::*;

/// The page's HTML.
pub fn render(
    ctx: &PageCtx,
    name: String,
    area: String,
    data: MyGrid,
    now: DateTime<Utc>,
    sent: Option<String>,
) -> String {
    let lang = ctx.lang;
    page(ctx, Msg::WorkerHome, Tab::Home, false, move || {
        view! {
            {sent.map(|code| view! { <div class="success" role="status" id="sent"><strong>{t(lang, Msg::Sent)}</strong>" "<span class="mono">{code}</span></div> })}
            {body(lang, name, area, data, now)}
        }
        .into_any()
    })
}

fn body(lang: Lang, name: String, area: String, data: MyGrid, now: DateTime<Utc>) -> impl IntoView {
    let figure = |n: usize, msg: Msg, class: &'static str, href: &'static str| {
        view! { <a class=format!("figure {class}") href=href><strong>{n}</strong><span>{t(lang, msg)}</span></a> }
    };
    let empty = data.cases.is_empty();
    view! {
        <section class="hello">
            <h1>{name}</h1>
            <p class="hint">{area}</p>
        </section>
        <div class="figures four">
            {figure(data.red, Msg::RedCases, "red", "#my-cases")}
            {figure(data.due_today, Msg::DueToday, "yellow", "#my-cases")}
            {figure(data.open, Msg::OpenCases, "", "#my-cases")}
            {figure(data.visits_overdue, Msg::VisitsOverdue, "blue", "/w/visits")}
        </div>
        <a class="button primary big" href="/w/report">"＋ "{t(lang, Msg::QuickReport)}</a>
        <p class="hint center">{t(lang, Msg::QuickReportHint)}</p>
        {(!data.to_verify.is_empty()).then(|| view! {
            <h2 id="to-verify">{t(lang, Msg::ToVerifyTitle)}" ("{data.to_verify.len()}")"</h2>
            <p class="hint">{t(lang, Msg::ToVerifyHint)}</p>
            <ul class="case-list to-verify">
                {data.to_verify.iter().map(|c| view! {
                    <li class="case-row verify">
                        <a class="case-link" href=format!("/w/cases/{}", c.id)>
                            <span class="case-main">
                                <strong>{pick(lang, &c.category_name, &c.category_name_en).to_owned()}</strong>
                                <span class="case-text">{c.description.clone()}</span>
                                <span class="hint mono">{c.tracking_code.clone()}</span>
                            </span>
                        </a>
                        <a class="button small" href=format!("/w/cases/{}", c.id)>{t(lang, Msg::ActVerify)}</a>
                    </li>
                }).collect::<Vec<_>>()}
            </ul>
        })}
        <h2 id="my-cases">{t(lang, Msg::MyOpenCases)}</h2>
        {empty.then(|| view! { <p class="hint">{t(lang, Msg::NoOpenCases)}</p> })}
        <ul class="case-list">
            {data.cases.into_iter().map(|c| {
                let colour = c.colour.colour;
                // Every red on the phone says why (部门超时未报到, 已超期 …).
                let why = (colour == crate::domain::case::types::Colour::Red).then(|| {
                    c.colour.reasons.iter().map(|r| t(lang, labels::reason(*r))).collect::<Vec<_>>().join("、")
                }).filter(|w| !w.is_empty());
                let clock = c.deadline.map(|d| labels::countdown(lang, now, d));
                let mine = c.status == crate::domain::case::Status::InGrid;
                let category = pick(lang, &c.category_name, &c.category_name_en).to_owned();
                view! {
                    <li class=format!("case-row colour-{}", colour.as_str())>
                        <a class="case-link" href=format!("/w/cases/{}", c.id)>
                            <span class="dot" aria-hidden="true"></span>
                            <span class="case-main">
                                <strong>{category}</strong>
                                <span class="case-text">{c.description.clone()}</span>
                                <span class="hint">
                                    <span class="chip">{t(lang, labels::colour(colour))}</span>" "
                                    {why.map(|w| view! { <span class="red-reason">{w}</span>" · " })}
                                    {t(lang, labels::status(c.status))}" · "<span class="mono">{c.tracking_code.clone()}</span>
                                    {c.urgent.then(|| view! { " · " <span class="badge-urgent">{t(lang, Msg::UrgentLabel)}</span> })}
                                    {c.supervised.then(|| view! { " · " <span class="badge-supervised">{t(lang, Msg::Supervised)}</span> })}
                                </span>
                            </span>
                            {clock.map(|(over, text)| view! { <span class=if over { "clock over" } else { "clock" }>{text}</span> })}
                        </a>
                        {mine.then(|| view! { <a class="button small" href=format!("/w/cases/{}/resolve", c.id)>{t(lang, Msg::ResolveOnSpot)}</a> })}
                    </li>
                }
            }).collect::<Vec<_>>()}
        </ul>
    }
}
