//! `/w/report`: the one-tap report (一键上报) and `/w/cases/{id}/resolve`: resolve on the
//! spot with a result photo (自办自结).

use super::{Alert, Tab, page};
use crate::domain::case::view::CaseSummary;
use crate::domain::resident::CategoryChoice;
use crate::i18n::{Lang, Msg, t};
use crate::light::{PageCtx, pick};
use leptos::prelude::*;

/// What the report form starts from (and is refilled with after a refusal).
#[derive(Clone, Debug, Default)]
pub struct ReportForm {
    pub category: String,
    pub description: String,
    pub lat: String,
    pub lng: String,
    pub handle_myself: bool,
}

pub fn render(
    ctx: &PageCtx,
    categories: Vec<CategoryChoice>,
    form: ReportForm,
    error: Option<Msg>,
    idempotency_key: String,
    centre: Option<(f64, f64)>,
    can_self_handle: bool,
) -> String {
    let lang = ctx.lang;
    let action = format!("/w/report?_csrf={}", ctx.csrf);
    let (clat, clng) = centre.unwrap_or((0.0, 0.0));
    page(ctx, Msg::QuickReport, Tab::Report, true, move || {
        view! {
            {error.map(|m| view! { <Alert lang=lang msg=m/> })}
            <p id="draft-status" class="hint" aria-live="polite"></p>
            <form id="quick-report" class="report" method="post" action=action enctype="multipart/form-data"
                data-lang=lang.code() data-sending=t(lang, Msg::Sending) data-sent=t(lang, Msg::Sent)
                data-not-sent=t(lang, Msg::NotSentYet) data-draft=t(lang, Msg::DraftRestored)
                data-not-saved=t(lang, Msg::ErrNotSaved) data-locating=t(lang, Msg::LocatingNow)
                data-location-set=t(lang, Msg::LocationSet) data-location-failed=t(lang, Msg::WorkerLocationFailed)
                data-centre-lat=clat.to_string() data-centre-lng=clng.to_string()>
                <input type="hidden" name="idempotency_key" value=idempotency_key/>
                <fieldset class="photos">
                    <legend>{t(lang, Msg::Photo)}</legend>
                    <label class="camera">
                        <span class="hint">{t(lang, Msg::TakePhoto)}</span>
                        <input type="file" name="photo" accept="image/*" capture="environment"/>
                    </label>
                    <div id="previews" class="previews"></div>
                </fieldset>
                <fieldset class="where">
                    <legend>{t(lang, Msg::PositionOnMap)}</legend>
                    <div id="pick-map" class="pick-map js-only" aria-hidden="true"></div>
                    <p id="locate-status" class="hint" aria-live="polite"></p>
                    <div class="row two">
                        <label>{t(lang, Msg::Latitude)}<input name="lat" inputmode="decimal" required value=form.lat.clone()/></label>
                        <label>{t(lang, Msg::Longitude)}<input name="lng" inputmode="decimal" required value=form.lng.clone()/></label>
                    </div>
                </fieldset>
                <fieldset class="tiles three">
                    <legend>{t(lang, Msg::Category)}</legend>
                    // No category is chosen for the worker: a wrong default files wrong data.
                    {categories.into_iter().map(|c| {
                        let checked = form.category == c.code;
                        view! {
                            <label class="tile">
                                <input type="radio" name="category" value=c.code.clone() checked=checked required/>
                                <span>{pick(lang, &c.name, &c.name_en).to_owned()}</span>
                            </label>
                        }
                    }).collect::<Vec<_>>()}
                </fieldset>
                <label for="description">{t(lang, Msg::Description)}</label>
                <textarea id="description" name="description" rows="2" required maxlength="2000">{form.description.clone()}</textarea>
                {if can_self_handle {
                    view! {
                        <fieldset class="tiles">
                            <label class="tile">
                                <input type="radio" name="mode" value="self" checked=form.handle_myself/>
                                <span>{t(lang, Msg::HandleMyself)}</span>
                            </label>
                            <label class="tile">
                                <input type="radio" name="mode" value="dispatch" checked=!form.handle_myself/>
                                <span>{t(lang, Msg::AskDispatch)}</span>
                            </label>
                        </fieldset>
                    }
                    .into_any()
                } else {
                    view! { <input type="hidden" name="mode" value="dispatch"/> }.into_any()
                }}
                <p id="send-status" class="send-status" aria-live="polite"></p>
                <button type="submit" class="primary">{t(lang, Msg::QuickReport)}</button>
            </form>
        }
        .into_any()
    })
}

pub fn render_resolve(
    ctx: &PageCtx,
    case: CaseSummary,
    photo_required: bool,
    error: Option<Msg>,
    now: chrono::DateTime<chrono::Utc>,
) -> String {
    let lang: Lang = ctx.lang;
    let action = format!("/w/cases/{}/resolve?_csrf={}", case.id, ctx.csrf);
    page(ctx, Msg::ResolveOnSpot, Tab::Home, false, move || {
        let clock = case
            .deadline
            .map(|d| crate::components::labels::countdown(lang, now, d));
        view! {
            {error.map(|m| view! { <Alert lang=lang msg=m/> })}
            <section class="card">
                <h1>{pick(lang, &case.category_name, &case.category_name_en).to_owned()}</h1>
                <p>{case.description.clone()}</p>
                <p class="hint"><span class="mono">{case.tracking_code.clone()}</span>
                    {clock.map(|(over, text)| view! { " · " <span class=if over { "clock over" } else { "clock" }>{text}</span> })}
                </p>
            </section>
            <form id="resolve" class="report" method="post" action=action enctype="multipart/form-data">
                <fieldset class="photos">
                    <legend>{t(lang, if photo_required { Msg::ResultPhotoRequired } else { Msg::ResultPhotoOptional })}</legend>
                    <label class="camera">
                        <span class="hint">{t(lang, Msg::TakePhoto)}</span>
                        <input type="file" name="photo" accept="image/*" capture="environment" required=photo_required/>
                    </label>
                    <div id="previews" class="previews"></div>
                </fieldset>
                <label for="result">{t(lang, Msg::ResultText)}</label>
                <textarea id="result" name="result" rows="3" required maxlength="2000"></textarea>
                <button type="submit" class="primary">{t(lang, Msg::ResolveOnSpot)}</button>
            </form>
        }
        .into_any()
    })
}
