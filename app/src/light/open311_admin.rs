//! `/admin/open311`: Open311 API keys for partner platforms — issue one (name and posts per
//! minute; the key is shown once, right after), see each key's use, revoke it. Works
//! without JavaScript.

use crate::domain::open311::KeyView;
use crate::i18n::{Msg, t};
use crate::light::admin_parts::{AdminHeader, AdminOutcome, button_form, outcome_view};
use crate::light::{PageCtx, document_with};
use leptos::prelude::*;

const STYLES: [&str; 2] = ["/resident.css", "/worker.css"];

pub struct Open311View {
    pub keys: Vec<KeyView>,
    /// A key just issued: (name, key), shown this once.
    pub issued: Option<(String, String)>,
    pub outcome: Option<AdminOutcome>,
}

fn when(t: Option<chrono::DateTime<chrono::Utc>>) -> String {
    t.map(crate::components::labels::local_time)
        .unwrap_or_else(|| "—".into())
}

pub fn open311_page(ctx: &PageCtx, v: Open311View) -> String {
    let lang = ctx.lang;
    let c = ctx.clone();
    let action = format!("/admin/open311?_csrf={}", ctx.csrf);
    let body = move || {
        let rows = v
            .keys
            .iter()
            .map(|k| {
                let live = k.revoked_at.is_none();
                view! {
                    <tr class:muted=!live>
                        <td>{k.name.clone()}</td>
                        <td class="num">{k.rate_limit}</td>
                        <td>{when(Some(k.created_at))}" · "{k.created_by.clone()}</td>
                        <td>{when(k.last_used_at)}</td>
                        <td>{if live {
                            button_form(&action, "revoke", "id", k.id.to_string(), t(lang, Msg::Open311Revoke)).into_any()
                        } else {
                            view! { <span>{t(lang, Msg::Open311Revoked)}" "{when(k.revoked_at)}</span> }.into_any()
                        }}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <AdminHeader ctx=c.clone() current="/admin/open311"/>
            <main class="wrap wide">
                <h1>{t(lang, Msg::AdminOpen311Title)}</h1>
                <p class="muted">{t(lang, Msg::AdminOpen311Intro)}</p>
                {v.outcome.clone().map(|o| outcome_view(lang, o))}
                {v.issued.clone().map(|(name, key)| view! {
                    <section class="card issued" role="status">
                        <p class="notice-ok">{t(lang, Msg::Open311Issued)}</p>
                        <p>{name}</p>
                        <p class="mono temporary" id="issued-key">{key}</p>
                    </section>
                })}
                <form class="stack card" method="post" action=action.clone() enctype="multipart/form-data">
                    <h2>{t(lang, Msg::Open311Issue)}</h2>
                    <input type="hidden" name="action" value="issue"/>
                    <label for="key-name">{t(lang, Msg::Open311KeyName)}</label>
                    <input id="key-name" name="name" maxlength="100" required/>
                    <label for="key-rate">{t(lang, Msg::Open311Rate)}</label>
                    <input id="key-rate" name="rate_limit" type="number" min="1" max="6000" value="60" required/>
                    <button type="submit" class="primary">{t(lang, Msg::Open311Issue)}</button>
                </form>
                {if v.keys.is_empty() {
                    view! { <p class="card">{t(lang, Msg::Open311NoKeys)}</p> }.into_any()
                } else {
                    view! {
                        <div class="table-scroll"><table class="touched">
                            <thead><tr>
                                <th>{t(lang, Msg::Open311KeyName)}</th><th>{t(lang, Msg::Open311Rate)}</th>
                                <th>{t(lang, Msg::Open311Created)}</th><th>{t(lang, Msg::Open311LastUsed)}</th><th></th>
                            </tr></thead>
                            <tbody>{rows}</tbody>
                        </table></div>
                    }.into_any()
                }}
                <p class="muted">{t(lang, Msg::Open311DocsHint)}</p>
            </main>
        }
    };
    document_with(
        ctx,
        t(lang, Msg::AdminOpen311Title),
        &STYLES,
        &[],
        move || body().into_any(),
    )
}
