//! Pieces every administration page shares: the navigation between them, the outcome of
//! a form (done, refused with a reason, or a table's refused rows) and the temporary
//! passwords shown once.

use super::{LangSwitch, PageCtx};
use crate::i18n::{Lang, Msg, t};
use leptos::prelude::*;

/// One refused row of an imported table, in the reader's language.
#[derive(Clone, Debug)]
pub struct RefusedRow {
    pub row: usize,
    pub header: String,
    pub reason: String,
    pub value: String,
}

/// What the last form led to.
#[derive(Clone, Debug)]
pub enum AdminOutcome {
    Done,
    /// Done, saying what was done.
    DoneWith(String),
    /// One reason (a single form's refusal).
    Refused(String),
    /// Every refused row of a table: nothing was created.
    RefusedRows(Vec<RefusedRow>),
    /// Accounts created or passwords reset: (username, temporary password), shown once.
    Issued(Vec<(String, String)>),
}

/// The administration pages, for moving between them.
pub const ADMIN_PAGES: [(&str, Msg); 6] = [
    ("/admin/territory", Msg::TerritoryAdminTitle),
    ("/admin/departments", Msg::AdminDepartmentsTitle),
    ("/admin/categories", Msg::AdminCategoriesTitle),
    ("/admin/accounts", Msg::AdminAccountsTitle),
    ("/admin/members", Msg::AdminMembersTitle),
    ("/admin/open311", Msg::AdminOpen311Title),
];

#[component]
pub fn AdminHeader(ctx: PageCtx, current: &'static str) -> impl IntoView {
    let lang = ctx.lang;
    view! {
        <header class="top"><span class="brand">{t(lang, Msg::AppShort)}</span><LangSwitch ctx=ctx/></header>
        <nav class="admin-nav" aria-label=t(lang, Msg::AdminNavLabel)>
            <a href="/">{t(lang, Msg::NavHome)}</a>
            {ADMIN_PAGES.iter().map(|(href, msg)| {
                let here = *href == current;
                view! { <a href=*href aria-current=here.then_some("page")>{t(lang, *msg)}</a> }
            }).collect_view()}
        </nav>
    }
}

pub fn outcome_view(lang: Lang, o: AdminOutcome) -> AnyView {
    match o {
        AdminOutcome::Done => {
            view! { <p class="notice-ok" role="status">{t(lang, Msg::AdminDone)}</p> }.into_any()
        }
        AdminOutcome::DoneWith(what) => view! { <p class="notice-ok" role="status">{what}</p> }.into_any(),
        AdminOutcome::Refused(reason) => view! { <p class="alert" role="alert">{reason}</p> }.into_any(),
        AdminOutcome::RefusedRows(rows) => view! {
            <section class="card" role="alert">
                <h2 class="alert">{format!("{} {}", t(lang, Msg::TerritoryRefused), rows.len())}</h2>
                <table class="problems">
                    <thead><tr><th>{t(lang, Msg::AdminRow)}</th><th>{t(lang, Msg::AdminColumn)}</th><th>{t(lang, Msg::AdminReason)}</th><th>{t(lang, Msg::AdminCellValue)}</th></tr></thead>
                    <tbody>
                        {rows.into_iter().map(|r| view! {
                            <tr class="refused-row"><td>{r.row}</td><td>{r.header}</td><td>{r.reason}</td><td class="mono">{r.value}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </section>
        }
        .into_any(),
        AdminOutcome::Issued(issued) => view! {
            <section class="card issued" role="status">
                <p class="notice-ok">{t(lang, Msg::AdminIssued)}</p>
                <table class="touched">
                    <thead><tr><th>{t(lang, Msg::Username)}</th><th>{t(lang, Msg::AdminTemporaryPassword)}</th></tr></thead>
                    <tbody>
                        {issued.into_iter().map(|(u, p)| view! {
                            <tr><td class="mono">{u}</td><td class="mono temporary">{p}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </section>
        }
        .into_any(),
    }
}

/// A one-button form posting `action` (and `key` = `value`) to the page.
pub fn button_form(
    post_to: &str,
    action: &'static str,
    key: &'static str,
    value: String,
    label: &'static str,
) -> impl IntoView {
    view! {
        <form class="inline" method="post" action=post_to.to_owned() enctype="multipart/form-data">
            <input type="hidden" name="action" value=action/>
            <input type="hidden" name=key value=value/>
            <button type="submit">{label}</button>
        </form>
    }
}

/// The table upload form of a page.
pub fn import_form(lang: Lang, post_to: &str, hint: Msg) -> impl IntoView {
    view! {
        <form class="stack card" method="post" action=post_to.to_owned() enctype="multipart/form-data">
            <h2>{t(lang, Msg::AdminImportTable)}</h2>
            <input type="hidden" name="action" value="import"/>
            <label for="table">{t(lang, Msg::AdminChooseFile)}</label>
            <input id="table" name="file" type="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required/>
            <p class="muted">{t(lang, hint)}</p>
            <button type="submit" class="primary">{t(lang, Msg::AdminImport)}</button>
        </form>
    }
}
