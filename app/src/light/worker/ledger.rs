//! `/w/ledger`: a worker's month (工作台账) on screen, with its Excel download.

use super::{Tab, page, when};
use crate::domain::household::ledger::{Ledger, LedgerCase};
use crate::i18n::{Lang, Msg, t};
use crate::light::PageCtx;
use leptos::prelude::*;

pub fn render(ctx: &PageCtx, ledger: Ledger) -> String {
    let lang = ctx.lang;
    page(ctx, Msg::LedgerTitle, Tab::Ledger, false, move || {
        let s = ledger.summary();
        let download = format!(
            "/api/v1/ledger.xlsx?worker={}&month={}",
            ledger.account_id, ledger.month
        );
        view! {
            <h1>{ledger.worker.clone()}</h1>
            <form method="get" action="/w/ledger" class="row month">
                <input type="hidden" name="worker" value=ledger.account_id.to_string()/>
                <label>{t(lang, Msg::Month)}" "<input type="month" name="month" value=ledger.month.clone()/></label>
                <button type="submit" class="secondary small">{t(lang, Msg::Look)}</button>
            </form>
            <div class="figures four" id="ledger-summary">
                <div><strong>{s.found}</strong><span>{t(lang, Msg::CasesFound)}</span></div>
                <div><strong>{s.resolved}</strong><span>{t(lang, Msg::CasesResolved)}</span></div>
                <div><strong>{s.dispatched}</strong><span>{t(lang, Msg::CasesDispatched)}</span></div>
                <div><strong>{s.visits}</strong><span>{t(lang, Msg::VisitsTitle)}</span></div>
            </div>
            <p class="hint">{t(lang, Msg::VisitHours)}"："<strong>{s.visit_hours}</strong></p>
            <a class="button primary" id="ledger-download" href=download download="">{t(lang, Msg::DownloadXlsx)}</a>
            {section(lang, Msg::CasesFound, ledger.found)}
            {section(lang, Msg::CasesResolved, ledger.resolved)}
            {section(lang, Msg::CasesDispatched, ledger.dispatched)}
            <h2>{t(lang, Msg::VisitsTitle)}</h2>
            <ul class="visit-list">
                {ledger.visits.into_iter().map(|v| view! {
                    <li><span class="hint">{when(v.at)}" · "{v.minutes}" "{t(lang, Msg::Minutes)}</span>
                        <p><strong>{v.address.clone()}</strong>" "{v.notes.clone()}</p></li>
                }).collect::<Vec<_>>()}
            </ul>
        }
        .into_any()
    })
}

fn section(lang: Lang, title: Msg, cases: Vec<LedgerCase>) -> impl IntoView {
    view! {
        <h2>{t(lang, title)}" "<span class="count">{cases.len()}</span></h2>
        <ul class="visit-list">
            {cases.into_iter().map(|c| view! {
                <li><a href=format!("/cases/{}", c.id)><span class="mono">{c.tracking_code.clone()}</span></a>
                    <span class="hint">" "{when(c.at)}" · "{c.category.clone()}" · "{c.status.clone()}</span>
                    <p>{c.description.clone()}</p></li>
            }).collect::<Vec<_>>()}
        </ul>
    }
}
