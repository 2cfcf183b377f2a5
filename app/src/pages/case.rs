//! One case: what, where, its colour and deadline, each department's part, the timeline
//! (who, when, what) and the actions the current user may take.

use crate::api::cases::{ActOnCase, RecordConsultation, get_case, get_case_forms};
use crate::app::use_lang;
use crate::components::case_bits::ColourChip;
use crate::components::error_note::ErrorNote;
use crate::components::labels;
use crate::components::outcome;
use crate::domain::case::Source;
use crate::domain::case::view::{CaseDetail, DispatchView};
use crate::domain::people::Department;
use crate::i18n::{Lang, Msg, t};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

mod actions;
mod consult;
mod resolve;

use actions::ActionForms;
use consult::Consultations;

#[component]
pub fn CasePage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let act = ServerAction::<ActOnCase>::new();
    let consult = ServerAction::<RecordConsultation>::new();
    provide_context(consult);
    let resolution = resolve::Resolution::new();
    provide_context(resolution);
    let case = Resource::new(
        move || {
            (
                id(),
                act.version().get(),
                consult.version().get(),
                resolution.sent.get(),
            )
        },
        |(id, ..)| get_case(id),
    );
    let forms = Resource::new(|| (), |_| get_case_forms());
    view! {
        <Transition fallback=move || view! { <p class="muted">{t(lang, Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                let departments = forms.await.map(|f| f.departments).unwrap_or_default();
                match case.await {
                    Ok(c) => Either::Left(view! { <CaseView case=c departments=departments act=act/> }),
                    Err(e) => Either::Right(view! { <ErrorNote error=e/> }),
                }
            })}
        </Transition>
    }
}

#[component]
fn CaseView(
    case: CaseDetail,
    departments: Vec<Department>,
    act: ServerAction<ActOnCase>,
) -> impl IntoView {
    let lang = use_lang();
    let s = &case.summary;
    let category = if lang == Lang::Zh {
        s.category_name.clone()
    } else {
        s.category_name_en.clone()
    };
    let resolution = use_context::<resolve::Resolution>();
    let result = move || {
        act.value().get().map(|r| match r {
            Ok(after) => Either::Left(
                view! { <div class="notice notice-ok" role="status">{outcome::outcome(&after, lang)}</div> },
            ),
            Err(e) => Either::Right(view! { <ErrorNote error=e/> }),
        })
    };
    // A result sent with its photos (`resolve.rs`): what happened, or why not.
    let resolved = move || {
        if act.value().with(Option::is_some) {
            return None;
        }
        resolution.and_then(|r| r.outcome.get()).map(|r| match r {
            Ok(after) => Either::Left(view! { <div class="notice notice-ok" role="status">{outcome::outcome(&after, lang)}</div> }),
            Err(reason) => Either::Right(view! { <div class="notice notice-error" role="alert"><p>{reason}</p></div> }),
        })
    };
    view! {
        <article class="case-page">
            <section class="card case-head">
                <div class="case-card-head">
                    <h1>{category}</h1>
                    <ColourChip verdict=s.colour.clone()/>
                    {s.urgent.then(|| view! { <span class="badge badge-urgent">{t(lang, Msg::UrgentLabel)}</span> })}
                    {s.supervised.then(|| view! { <span class="badge badge-red">{t(lang, Msg::Supervised)}</span> })}
                </div>
                <p class="case-desc">{s.description.clone()}</p>
                <dl class="facts">
                    <dt>{t(lang, Msg::StatusLabel)}</dt><dd>{t(lang, labels::status(s.status))}</dd>
                    {case.subcategory.clone().map(|(_, name, name_en)| view! {
                        <dt>{t(lang, Msg::SubcategoryLabel)}</dt><dd>{if lang == crate::i18n::Lang::Zh { name } else { name_en }}</dd>
                    })}
                    <dt>{t(lang, Msg::TierLabel)}</dt><dd>{s.tier.map(|x| t(lang, labels::tier(x))).unwrap_or("—")}</dd>
                    <dt>{t(lang, Msg::DeadlineLabel)}</dt><dd>{s.deadline.map(labels::local_time).unwrap_or_else(|| "—".into())}</dd>
                    <dt>{t(lang, Msg::GridLabel)}</dt><dd>{s.grid_name.clone()}</dd>
                    <dt>{t(lang, Msg::HandlingLevel)}</dt><dd>{labels::level_name(case.handling_level, lang)}</dd>
                    <dt>{t(lang, Msg::ReportedAt)}</dt><dd>{labels::local_time(s.reported_at)}" · "{t(lang, labels::source(case.source))}</dd>
                    <dt>{t(lang, Msg::TrackingCode)}</dt><dd><code>{s.tracking_code.clone()}</code></dd>
                    {case.invalid_reason.map(|r| view! {
                        <dt>{t(lang, Msg::InvalidReasonLabel)}</dt><dd>{t(lang, labels::invalid_reason(r))}</dd>
                    })}
                    {case.verify_due.map(|d| view! {
                        <dt>{t(lang, Msg::VerifyDueLabel)}</dt><dd>{labels::local_time(d)}</dd>
                    })}
                    {(case.rework_count > 0).then(|| view! {
                        <dt>{t(lang, Msg::ReworkCount)}</dt><dd>{case.rework_count}</dd>
                    })}
                    {case.review_on.map(|d| view! {
                        <dt>{t(lang, Msg::ReviewOnLabel)}</dt><dd>{d.format("%Y-%m-%d").to_string()}</dd>
                    })}
                    {case.reporter_contact.clone().filter(|_| case.source == Source::ResidentQr).map(|c| {
                        let contact = Some([c.name, c.phone].into_iter().flatten().collect::<Vec<_>>().join(" "))
                            .filter(|c| !c.is_empty());
                        view! {
                            <dt>{t(lang, Msg::ReporterContact)}</dt>
                            <dd class="contact">{contact.unwrap_or_else(|| t(lang, Msg::Anonymous).to_owned())}</dd>
                        }
                    })}
                </dl>
            </section>
            {(!case.dispatches.is_empty()).then(|| view! { <Dispatches dispatches=case.dispatches.clone()/> })}
            {(!case.consultations.is_empty()).then(|| view! { <Consultations case=case.clone()/> })}
            <section class="card">
                <h2>{t(lang, Msg::Actions)}</h2>
                {result}
                {resolved}
                <ActionForms case=case.clone() departments=departments act=act/>
                {case.can_add_photos.then(|| view! { <PhotoForm id=case.summary.id/> })}
            </section>
            <section class="card">
                <h2>{t(lang, Msg::Timeline)}</h2>
                <ol class="timeline">
                    {case.timeline.iter().map(|e| {
                        let mut what = labels::action(&e.action).map(|m| t(lang, m).to_owned()).unwrap_or_else(|| e.action.clone());
                        if let Some(detail) = event_detail(e, &case.dispatches, lang) {
                            what = format!("{what}：{detail}");
                        }
                        view! {
                            <li>
                                <div class="tl-head"><strong>{what}</strong>" "<span class="muted small">{labels::local_time(e.at)}</span></div>
                                <div class="small">{e.actor_name.clone()}</div>
                                {(!e.note.is_empty()).then(|| view! { <p class="tl-note">{e.note.clone()}</p> })}
                                {(!e.photos.is_empty()).then(|| view! {
                                    <div class="photos">
                                        {e.photos.iter().map(|u| view! {
                                            <a href=u.clone() target="_blank" rel="external"><img src=u.clone() loading="lazy" alt=t(lang, Msg::Photos)/></a>
                                        }).collect::<Vec<_>>()}
                                    </div>
                                })}
                            </li>
                        }
                    }).collect::<Vec<_>>()}
                </ol>
            </section>
        </article>
    }
}

#[component]
fn Dispatches(dispatches: Vec<DispatchView>) -> impl IntoView {
    let lang = use_lang();
    let cell = move |v: Option<chrono::DateTime<chrono::Utc>>| {
        v.map(labels::local_time).unwrap_or_else(|| "—".into())
    };
    view! {
        <section class="card">
            <h2>{t(lang, Msg::Departments_)}</h2>
            <div class="table-wrap">
                <table class="dispatches">
                    <thead><tr>
                        <th>{t(lang, Msg::Departments)}</th><th>{t(lang, Msg::Role)}</th><th>{t(lang, Msg::AckDue)}</th>
                        <th>{t(lang, Msg::AcknowledgedAt)}</th><th>{t(lang, Msg::ResolvedAt)}</th><th>{t(lang, Msg::StatusLabel)}</th>
                    </tr></thead>
                    <tbody>
                        {dispatches.into_iter().map(|d| {
                            let name = if lang == Lang::Zh { d.department_name.clone() } else { d.department_name_en.clone() };
                            let state = if d.withdrawn_at.is_some() { Msg::WithdrawnAt }
                                else if d.returned_at.is_some() { Msg::ReturnedAt }
                                else if d.resolved_at.is_some() { Msg::ResolvedAt }
                                else if d.acknowledged_at.is_some() { Msg::StatusHandling }
                                else if d.role == crate::domain::case::DispatchRole::Copy { Msg::RoleCopy }
                                else { Msg::Waiting };
                            view! {
                                <tr data-department=d.department.clone()>
                                    <td>{name}</td>
                                    <td>{t(lang, labels::dispatch_role(d.role))}</td>
                                    <td>{cell(d.ack_due)}</td>
                                    <td>{cell(d.acknowledged_at)}</td>
                                    <td>{cell(d.resolved_at)}</td>
                                    <td class="dispatch-state">{t(lang, state)}</td>
                                </tr>
                            }
                        }).collect::<Vec<_>>()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// What an event decided, in words: the tier, the departments, the rating, the days.
fn event_detail(
    e: &crate::domain::case::view::CaseEvent,
    dispatches: &[DispatchView],
    lang: Lang,
) -> Option<String> {
    use crate::domain::case::{DispatchRole, Satisfaction, Tier};
    let d = &e.data;
    let name_of = |code: &str| {
        dispatches
            .iter()
            .find(|x| x.department == code)
            .map(|x| {
                if lang == Lang::Zh {
                    x.department_name.clone()
                } else {
                    x.department_name_en.clone()
                }
            })
            .unwrap_or_else(|| code.to_owned())
    };
    match e.action.as_str() {
        "triage" => d["tier"]
            .as_str()
            .and_then(Tier::parse)
            .map(|x| t(lang, labels::tier(x)).to_owned()),
        "feedback" => d["satisfaction"]
            .as_str()
            .and_then(Satisfaction::parse)
            .map(|x| {
                let rating = t(lang, labels::satisfaction(x));
                if d["recorded_by_staff"].as_bool() == Some(true) {
                    format!("{rating} · {}", t(lang, Msg::FeedbackRecordedByStaff))
                } else {
                    rating.to_owned()
                }
            }),
        "dispatch" => {
            let mut parts: Vec<String> = d["departments"]
                .as_array()?
                .iter()
                .filter_map(|x| {
                    let role = x["role"].as_str().and_then(DispatchRole::parse)?;
                    Some(format!(
                        "{}（{}）",
                        name_of(x["department"].as_str()?),
                        t(lang, labels::dispatch_role(role))
                    ))
                })
                .collect();
            if let Some(copies) = d["copy"].as_array() {
                parts.extend(
                    copies
                        .iter()
                        .filter_map(|c| c.as_str())
                        .map(|c| format!("{}（{}）", name_of(c), t(lang, Msg::RoleCopy))),
                );
            }
            Some(parts.join("、"))
        }
        "request_extension" => d["days"]
            .as_u64()
            .map(|n| format!("{n} {}", t(lang, Msg::Days))),
        "approve_extension" => d["approve"]
            .as_bool()
            .map(|a| t(lang, if a { Msg::Approve } else { Msg::Reject }).to_owned()),
        "invalidate" => d["reason"]
            .as_str()
            .and_then(crate::domain::case::InvalidReason::parse)
            .map(|r| t(lang, labels::invalid_reason(r)).to_owned()),
        "verify" => d["passed"].as_bool().map(|p| {
            t(
                lang,
                if p {
                    Msg::VerifyPassed
                } else {
                    Msg::VerifyFailed
                },
            )
            .to_owned()
        }),
        "defer" => d["review_on"]
            .as_str()
            .map(|r| format!("{} {r}", t(lang, Msg::ReviewOnLabel))),
        "approve_deferral" => d["approve"]
            .as_bool()
            .map(|a| t(lang, if a { Msg::Approve } else { Msg::Reject }).to_owned()),
        "escalate" => d["to"]
            .as_str()
            .and_then(crate::domain::territory::Level::parse)
            .map(|l| labels::level_name(l, lang).to_owned()),
        _ => None,
    }
}

/// A plain multipart form: works without JavaScript; the server sends the browser back here.
#[component]
fn PhotoForm(id: i64) -> impl IntoView {
    let lang = use_lang();
    let action = format!(
        "/api/v1/cases/{id}/photos?_csrf={}",
        crate::components::csrf::token()
    );
    view! {
        <form class="photo-form" method="post" enctype="multipart/form-data" action=action>
            <label>{t(lang, Msg::AddPhotos)}
                <input type="file" name="photo" accept="image/jpeg,image/png,image/webp" capture="environment" multiple required/>
            </label>
            <button type="submit" class="button">{t(lang, Msg::UploadPhotos)}</button>
        </form>
    }
}
