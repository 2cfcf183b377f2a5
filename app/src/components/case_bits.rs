//! Small pieces every case view uses: the colour chip and the status line.

use crate::app::use_lang;
use crate::components::labels;
use crate::domain::case::colour::ColourVerdict;
use crate::domain::case::view::CaseSummary;
use crate::i18n::{Msg, t};
use leptos::prelude::*;

#[component]
pub fn ColourChip(verdict: ColourVerdict) -> impl IntoView {
    let lang = use_lang();
    let class = format!("chip chip-{}", verdict.colour.as_str());
    let reasons: Vec<&str> = verdict
        .reasons
        .iter()
        .map(|r| t(lang, labels::reason(*r)))
        .collect();
    let title = reasons.join("、");
    view! {
        <span class=class title=title.clone()>
            {t(lang, labels::colour(verdict.colour))}
            {(!reasons.is_empty()).then(|| view! { <span class="chip-reason">{format!(" · {title}")}</span> })}
            {verdict.near_deadline.then(|| view! { <span class="chip-reason">{format!(" · {}", t(lang, Msg::NearDeadline))}</span> })}
        </span>
    }
}

/// One case in a list: colour bar, category, description, where, status, deadline.
#[component]
pub fn CaseCard(case: CaseSummary) -> impl IntoView {
    let lang = use_lang();
    let href = format!("/cases/{}", case.id);
    let class = format!("case-card bar-{}", case.colour.colour.as_str());
    let category = match lang {
        crate::i18n::Lang::Zh => case.category_name.clone(),
        crate::i18n::Lang::En => case.category_name_en.clone(),
    };
    view! {
        <li class=class>
            <a href=href>
                <div class="case-card-head">
                    <strong>{category}</strong>
                    <ColourChip verdict=case.colour.clone()/>
                    {case.urgent.then(|| view! { <span class="badge badge-urgent">{t(lang, Msg::UrgentLabel)}</span> })}
                    {case.supervised.then(|| view! { <span class="badge badge-red">{t(lang, Msg::Supervised)}</span> })}
                    {case.possible_repeat.then(|| view! { <span class="badge badge-repeat">{t(lang, Msg::PossibleRepeat)}</span> })}
                </div>
                <p class="case-desc">{case.description.clone()}</p>
                <div class="muted small case-meta">
                    <span>{case.grid_name.clone()}</span>
                    <span>{t(lang, labels::status(case.status))}</span>
                    {case.tier.map(|ti| view! { <span>{t(lang, labels::tier(ti))}</span> })}
                    <span>{t(lang, Msg::ReportedAt)}" "{labels::local_time(case.reported_at)}</span>
                    {case.deadline.map(|d| view! { <span>{t(lang, Msg::DeadlineLabel)}" "{labels::local_time(d)}</span> })}
                </div>
            </a>
        </li>
    }
}
