//! `/w/visits`: households overdue for a visit, the visits per grid for leaders, and this
//! week's visit time per worker.

use super::households::{Tags, VisitBadge};
use super::{Tab, page, when};
use crate::domain::household::view::{GridVisitCount, HouseholdView, WorkerWeek};
use crate::i18n::{Msg, t};
use crate::light::PageCtx;
use leptos::prelude::*;

pub fn render(
    ctx: &PageCtx,
    overdue: Vec<HouseholdView>,
    per_grid: Vec<GridVisitCount>,
    week: Vec<WorkerWeek>,
) -> String {
    let lang = ctx.lang;
    page(ctx, Msg::VisitsTitle, Tab::Visits, false, move || {
        let show_grids = per_grid.len() > 1;
        view! {
            <h1>{t(lang, Msg::OverdueVisits)}" "<span class="count" id="overdue-count">{overdue.len()}</span></h1>
            {overdue.is_empty().then(|| view! { <p class="hint">{t(lang, Msg::NoOverdueVisits)}</p> })}
            <ul class="household-list" id="overdue">
                {overdue.into_iter().map(|h| view! {
                    <li class="household overdue">
                        <a href=format!("/w/households/{}", h.id)>
                            <span class="address"><strong>{h.address.clone()}</strong><span class="hint">" "{h.grid_name.clone()}</span></span>
                            <VisitBadge lang=lang state=h.visit/>
                            <span class="members">
                                {h.members.iter().map(|m| view! { <span class="member"><strong>{m.name.clone()}</strong>" "<Tags lang=lang tags=m.tags.clone()/></span> }).collect::<Vec<_>>()}
                            </span>
                            <span class="hint">{t(lang, Msg::LastVisit)}"："{h.last_visit_at.map(when).unwrap_or_else(|| t(lang, Msg::NeverVisited).to_owned())}</span>
                        </a>
                    </li>
                }).collect::<Vec<_>>()}
            </ul>
            {show_grids.then(|| view! {
                <h2>{t(lang, Msg::VisitsPerGrid)}</h2>
                <table class="table" id="per-grid">
                    <thead><tr><th>{t(lang, Msg::Grids)}</th><th>{t(lang, Msg::Households)}</th><th>{t(lang, Msg::SpecialPopulation)}</th><th>{t(lang, Msg::VisitsOverdue)}</th></tr></thead>
                    <tbody>
                        {per_grid.into_iter().map(|g| {
                            let row = if g.overdue > 0 { "has-overdue" } else { "" };
                            view! {
                            <tr class=row>
                                <td><a href=format!("/w/households?grid={}", g.grid_code)>{g.grid_name.clone()}</a></td>
                                <td>{g.households}</td><td>{g.with_rule}</td><td><strong>{g.overdue}</strong></td>
                            </tr>
                        }}).collect::<Vec<_>>()}
                    </tbody>
                </table>
            })}
            <h2>{t(lang, Msg::WeeklyVisitTime)}</h2>
            <table class="table" id="week">
                <thead><tr><th>{t(lang, Msg::Worker)}</th><th>{t(lang, Msg::VisitsTitle)}</th><th>{t(lang, Msg::Minutes)}</th></tr></thead>
                <tbody>
                    {week.into_iter().map(|w| view! {
                        <tr><td><a href=format!("/w/ledger?worker={}", w.account_id)>{w.name.clone()}</a></td><td>{w.visits}</td><td>{w.minutes}</td></tr>
                    }).collect::<Vec<_>>()}
                </tbody>
            </table>
        }
        .into_any()
    })
}
