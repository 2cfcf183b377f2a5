//! `/r/{grid}`: the grid's public card and the report form (码上办).

use super::{LangSwitch, PageCtx, TrackLookup, pick};
use crate::components::labels;
use crate::domain::people::MemberKind;
use crate::domain::resident::{CategoryChoice, FieldError, GridCard, ReportFields};
use crate::i18n::{Lang, Msg, t};
use leptos::prelude::*;

#[component]
pub fn ReportPage(
    ctx: PageCtx,
    card: GridCard,
    categories: Vec<CategoryChoice>,
    fields: ReportFields,
    errors: Vec<FieldError>,
    /// A refusal that is not about one field (rate limit, robot, key reused…).
    headline: Option<Msg>,
    idempotency_key: String,
    /// Photos were sent but not kept (a refusal): ask for them again.
    photos_again: bool,
) -> impl IntoView {
    let lang = ctx.lang;
    let any_error = headline.or_else(|| errors.first().map(|e| e.msg));
    let err = move |field: &str| {
        errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| view! { <p class="field-error" role="alert">{t(lang, e.msg)}</p> })
    };
    let action = format!("/r/{}?_csrf={}", card.grid_code, ctx.csrf);
    view! {
        <header class="top">
            <span class="brand">{t(lang, Msg::ResidentTitle)}</span>
            <LangSwitch ctx=ctx.clone()/>
        </header>
        <main class="wrap">
            // The grid's name, then the form at once (a resident came to report); who serves
            // the grid follows the form.
            <GridHead card=card.clone() lang=lang/>
            <p class="intro">{t(lang, Msg::ResidentIntro)}" "<span class="req-note">{t(lang, Msg::RequiredNote)}</span></p>
            {any_error.map(|m| view! {
                <div class="alert" role="alert" id="form-alert">
                    <strong>{t(lang, Msg::ErrNotSaved)}</strong>{t(lang, m)}
                    {photos_again.then(|| view! { <br/>{t(lang, Msg::ErrPhotosAgain)} })}
                </div>
            })}
            <form id="report" class="report" method="post" action=action enctype="multipart/form-data"
                data-grid=card.grid_code.clone()
                data-sending=t(lang, Msg::Sending) data-retrying=t(lang, Msg::Retrying)
                data-not-sent=t(lang, Msg::NotSentRetry) data-not-saved=t(lang, Msg::ErrNotSaved)
                data-location-set=t(lang, Msg::LocationSet) data-location-failed=t(lang, Msg::LocationFailed)
                data-lang=lang.code()>
                <input type="hidden" name="idempotency_key" value=idempotency_key/>
                <input type="hidden" name="grid" value=card.grid_code.clone()/>
                <fieldset class="tiles">
                    <legend>{t(lang, Msg::WhatKind)}<Req/></legend>
                    {categories.into_iter().map(|c| {
                        let checked = fields.category == c.code;
                        view! {
                            <label class="tile">
                                <input type="radio" name="category" value=c.code.clone() checked=checked required/>
                                <span>{pick(lang, &c.name, &c.name_en).to_owned()}</span>
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
                {err("category")}
                <label for="description">{t(lang, Msg::WhatHappened)}<Req/></label>
                <textarea id="description" name="description" rows="4" maxlength="1000" required
                    placeholder=t(lang, Msg::DescriptionHint)>{fields.description.clone()}</textarea>
                {err("description")}
                <fieldset class="photos">
                    <legend>{t(lang, Msg::PhotosUpTo3)}</legend>
                    <div class="pickers">
                        <label class="pick">{t(lang, Msg::TakePhoto)}
                            <input type="file" name="photo" accept="image/*" capture="environment"/>
                        </label>
                        <label class="pick">{t(lang, Msg::ChooseFromAlbum)}
                            <input type="file" name="photo" accept="image/*" multiple/>
                        </label>
                    </div>
                    <div id="previews" class="previews"></div>
                </fieldset>
                {err("photo")}
                <fieldset class="where">
                    <legend>{t(lang, Msg::WhereIsIt)}</legend>
                    <p class="hint">{t(lang, Msg::LocationOptional)}</p>
                    <button type="button" id="locate" class="secondary js-only">{t(lang, Msg::UseMyLocation)}</button>
                    <span id="locate-status" class="hint" aria-live="polite"></span>
                    <input type="hidden" name="lat" value=fields.lat.clone()/>
                    <input type="hidden" name="lng" value=fields.lng.clone()/>
                </fieldset>
                {err("lat")}
                <fieldset class="contact">
                    <legend>{t(lang, Msg::CallBackOptional)}</legend>
                    <label for="name">{t(lang, Msg::YourName)}</label>
                    <input id="name" name="name" maxlength="30" autocomplete="name" value=fields.name.clone()/>
                    {err("name")}
                    <label for="phone">{t(lang, Msg::YourPhone)}</label>
                    <input id="phone" name="phone" type="tel" inputmode="tel" maxlength="20" autocomplete="tel" value=fields.phone.clone()/>
                    {err("phone")}
                </fieldset>
                <div class="hp" aria-hidden="true">
                    <label>"Website"<input name="website" tabindex="-1" autocomplete="off"/></label>
                </div>
                <p class="privacy">{t(lang, Msg::PrivacyNotice)}</p>
                <p id="send-status" class="hint" aria-live="polite"></p>
                <button type="submit" class="primary">{t(lang, Msg::SendReport)}</button>
            </form>
            <GridWorkers card=card lang=lang/>
            <TrackLookup lang=lang/>
        </main>
    }
}

/// A required field's mark (the field itself carries `required` for assistive technology).
#[component]
fn Req() -> impl IntoView {
    view! { <span class="req" aria-hidden="true">" *"</span> }
}

/// The grid's name, where it is, and what it achieved this month.
#[component]
fn GridHead(card: GridCard, lang: Lang) -> impl IntoView {
    view! {
        <section class="card grid-head" aria-labelledby="grid-name">
            <h1 id="grid-name">{card.grid_name.clone()}</h1>
            <p class="where-line">{format!("{} · {}", card.street_name, card.community_name)}</p>
            <div class="figures">
                <div><strong>{card.resolved_this_month}</strong><span>{t(lang, Msg::ResolvedThisMonth)}</span></div>
                <div><strong>{card.open_now}</strong><span>{t(lang, Msg::OpenNow)}</span></div>
            </div>
        </section>
    }
}

/// Who serves the grid (公示): the full-time worker and the part-time members, with their
/// work phones; support members stay off the public page.
#[component]
pub fn GridWorkers(card: GridCard, lang: Lang) -> impl IntoView {
    let workers: Vec<_> = card
        .members
        .iter()
        .filter(|m| m.kind != MemberKind::Support)
        .cloned()
        .collect();
    view! {
        <section class="card" aria-labelledby="grid-workers">
            <h2 id="grid-workers">{t(lang, Msg::GridWorkersPublic)}</h2>
            <ul class="workers">
                {workers.into_iter().map(|m| {
                    let tel = format!("tel:{}", m.work_phone);
                    view! {
                        <li>
                            <span class="who">{m.name.clone()}</span>
                            <span class="role">{t(lang, labels::member(m.kind, m.support_role))}</span>
                            {(!m.duties.is_empty()).then(|| view! { <span class="duties">{m.duties.clone()}</span> })}
                            {(!m.work_phone.is_empty()).then(|| view! { <a class="tel" href=tel>{m.work_phone.clone()}</a> })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}
