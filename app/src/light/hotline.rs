//! `/hotline`: the 12345 work orders for command centres — the template's columns, the
//! hotline's export uploaded (all rows or none, every refused row named), what it filed,
//! and the return sheet (回传表) of a period. Works without JavaScript.

use crate::i18n::{Msg, t};
use crate::light::admin_parts::{AdminOutcome, outcome_view};
use crate::light::{LangSwitch, PageCtx, document_with};
use leptos::prelude::*;

const STYLES: [&str; 2] = ["/resident.css", "/worker.css"];

pub struct HotlineView {
    pub outcome: Option<AdminOutcome>,
    /// (order number, tracking code) of the orders just imported.
    pub orders: Vec<(String, String)>,
    /// The return sheet's default period (YYYY-MM-DD).
    pub from: String,
    pub to: String,
}

pub fn hotline_page(ctx: &PageCtx, v: HotlineView) -> String {
    let lang = ctx.lang;
    let c = ctx.clone();
    let action = format!("/hotline?_csrf={}", ctx.csrf);
    let body = move || {
        view! {
            <header class="top"><span class="brand">{t(lang, Msg::AppShort)}</span><LangSwitch ctx=c/></header>
            <nav class="admin-nav"><a href="/inbox">{t(lang, Msg::HotlineBack)}</a></nav>
            <main class="wrap wide hotline">
                <h1>{t(lang, Msg::HotlineTitle)}</h1>
                <p class="muted">{t(lang, Msg::HotlineIntro)}</p>
                {v.outcome.clone().map(|o| outcome_view(lang, o))}
                {(!v.orders.is_empty()).then(|| view! {
                    <div class="table-scroll"><table class="touched">
                        <thead><tr><th>{t(lang, Msg::HotlineOrderNo)}</th><th>{t(lang, Msg::TrackingCode)}</th></tr></thead>
                        <tbody>{v.orders.iter().map(|(no, code)| view! {
                            <tr><td class="mono">{no.clone()}</td><td><a class="mono" href=format!("/cases?q={code}")>{code.clone()}</a></td></tr>
                        }).collect_view()}</tbody>
                    </table></div>
                })}
                <div class="admin-forms">
                    <form class="stack card" method="post" action=action.clone() enctype="multipart/form-data">
                        <h2>{t(lang, Msg::HotlineImport)}</h2>
                        <label for="orders">{t(lang, Msg::AdminChooseFile)}</label>
                        <input id="orders" name="file" type="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required/>
                        <p class="muted">{t(lang, Msg::HotlineColumns)}</p>
                        <a href="/hotline/template.csv" download="hotline-template.csv">{t(lang, Msg::HotlineTemplate)}</a>
                        <button type="submit" class="primary">{t(lang, Msg::AdminImport)}</button>
                    </form>
                    <form class="stack card" method="get" action="/api/v1/hotline/returns.xlsx">
                        <h2>{t(lang, Msg::HotlineReturns)}</h2>
                        <p class="muted">{t(lang, Msg::HotlineReturnsHint)}</p>
                        <label for="from">{t(lang, Msg::DateFrom)}</label>
                        <input id="from" name="from" type="date" value=v.from.clone() required/>
                        <label for="to">{t(lang, Msg::DateTo)}</label>
                        <input id="to" name="to" type="date" value=v.to.clone() required/>
                        <button type="submit">{t(lang, Msg::AdminDownloadXlsx)}</button>
                    </form>
                </div>
            </main>
        }
        .into_any()
    };
    document_with(ctx, t(lang, Msg::HotlineTitle), &STYLES, &[], body)
}
