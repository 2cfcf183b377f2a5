//! One case: what, where, its colour and deadline, each department's part, the timeline
//! (who, when, what) and the actions the current user may take.

use crate::api::cases::{ActOnCase, RecordConsultation, get_case, get_case_forms};
use crate::app::use_lang;
use crate::components::case_bits::ColourChip;
use crate::components::csrf::CsrfField;
use crate::components::error_note::ErrorNote;
use crate::components::labels;
use crate::domain::case::view::{CaseDetail, DispatchView};
use crate::domain::case::{Satisfaction, Source, Tier};
use crate::domain::people::Department;
use crate::i18n::{Lang, Msg, t};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

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
    let case = Resource::new(
        move || (id(), act.version().get(), consult.version().get()),
        |(id, _, _)| get_case(id),
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
    let result = move || {
        act.value().get().map(|r| match r {
            Ok(_) => Either::Left(
                view! { <div class="notice notice-ok" role="status">{t(lang, Msg::Done)}</div> },
            ),
            Err(e) => Either::Right(view! { <ErrorNote error=e/> }),
        })
    };
    view! {
        <article class="case-page">
            <section class="card case-head">
                <div class="case-card-head">
                    <h1>{category}</h1>
                    <ColourChip verdict=s.colour.clone()/>
                    {s.supervised.then(|| view! { <span class="badge badge-red">{t(lang, Msg::Supervised)}</span> })}
                </div>
                <p class="case-desc">{s.description.clone()}</p>
                <dl class="facts">
                    <dt>{t(lang, Msg::StatusLabel)}</dt><dd>{t(lang, labels::status(s.status))}</dd>
                    <dt>{t(lang, Msg::TierLabel)}</dt><dd>{s.tier.map(|x| t(lang, labels::tier(x))).unwrap_or("—")}</dd>
                    <dt>{t(lang, Msg::DeadlineLabel)}</dt><dd>{s.deadline.map(labels::local_time).unwrap_or_else(|| "—".into())}</dd>
                    <dt>{t(lang, Msg::GridLabel)}</dt><dd>{s.grid_name.clone()}</dd>
                    <dt>{t(lang, Msg::HandlingLevel)}</dt><dd>{labels::level_name(case.handling_level, lang)}</dd>
                    <dt>{t(lang, Msg::ReportedAt)}</dt><dd>{labels::local_time(s.reported_at)}" · "{t(lang, labels::source(case.source))}</dd>
                    <dt>{t(lang, Msg::TrackingCode)}</dt><dd><code>{s.tracking_code.clone()}</code></dd>
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

/// One small form per allowed action, all through the same server action.
#[component]
fn ActionForms(
    case: CaseDetail,
    departments: Vec<Department>,
    act: ServerAction<ActOnCase>,
) -> impl IntoView {
    let lang = use_lang();
    if case.allowed_actions.is_empty() {
        return Either::Left(view! { <p class="muted">{t(lang, Msg::NoActions)}</p> });
    }
    let id = case.summary.id;
    let consult_departments = departments.clone();
    let dept_options = move |with_none: bool| {
        let mut v: Vec<AnyView> = Vec::new();
        if with_none {
            v.push(view! { <option value="">{t(lang, Msg::None_)}</option> }.into_any());
        }
        for d in &departments {
            let name = if lang == Lang::Zh {
                d.name.clone()
            } else {
                d.name_en.clone()
            };
            v.push(view! { <option value=d.code.clone()>{name}</option> }.into_any());
        }
        v
    };
    let single = case.allowed_actions.len() == 1;
    let candidates = case.repeat_candidates.clone();
    let forms = case.allowed_actions.clone().into_iter().filter(|n| n != "consult").map(|name| {
        let title = labels::action(&name).map(|m| t(lang, m)).unwrap_or("");
        let fields: AnyView = match name.as_str() {
            "triage" => view! {
                <label>{t(lang, Msg::TierLabel)}
                    <select name="fields[tier]">
                        {Tier::ALL.iter().map(|x| view! { <option value=x.as_str()>{t(lang, labels::tier(*x))}</option> }).collect::<Vec<_>>()}
                    </select>
                </label>
                <label>{t(lang, Msg::Days)}" (10–15)"<input name="fields[key_days]" type="number" min="10" max="15" placeholder="10"/></label>
                <TextField label=Msg::Note required=false/>
            }.into_any(),
            "dispatch" => view! {
                <p class="muted small">{t(lang, Msg::DispatchHint)}</p>
                {case.dispatch_preview.clone().map(|p| view! {
                    <dl class="dispatch-preview">
                        <dt>{t(lang, Msg::DeadlineLabel)}</dt>
                        <dd>{p.deadline.map(labels::local_time).unwrap_or_else(|| "—".into())}</dd>
                        <dt>{t(lang, Msg::AckDueLabel)}</dt>
                        <dd>{labels::local_time(p.ack_due)}</dd>
                        {p.copy_department.map(|(_, name, name_en)| view! {
                            <dt>{t(lang, Msg::CopyTo)}</dt>
                            <dd>{if lang == Lang::Zh { name } else { name_en }}</dd>
                        })}
                    </dl>
                })}
                <label>{t(lang, Msg::Lead)}<select name="fields[lead]" required>{dept_options(false)}</select></label>
                <label>{t(lang, Msg::CoHandler)}<select name="fields[co1]">{dept_options(true)}</select></label>
                <label>{t(lang, Msg::CoHandler)}<select name="fields[co2]">{dept_options(true)}</select></label>
                <TextField label=Msg::Note required=false/>
            }.into_any(),
            "acknowledge" | "close" => view! { <TextField label=Msg::Note required=false/> }.into_any(),
            "return" | "escalate" => view! { <TextField label=Msg::Reason required=true/> }.into_any(),
            "progress" | "supervise" => view! { <TextField label=Msg::Note required=true/> }.into_any(),
            "resolve" => view! { <TextField label=Msg::Result required=true/> }.into_any(),
            "feedback" => view! {
                <label>{t(lang, Msg::ActFeedback)}
                    <select name="fields[satisfaction]">
                        {Satisfaction::ALL.iter().map(|x| view! { <option value=x.as_str()>{t(lang, labels::satisfaction(*x))}</option> }).collect::<Vec<_>>()}
                    </select>
                </label>
                <TextField label=Msg::Note required=false/>
            }.into_any(),
            "request_extension" => view! {
                <label>{t(lang, Msg::Days)}<input name="fields[days]" type="number" min="1" max="10" value="2" required/></label>
                <TextField label=Msg::Reason required=true/>
            }.into_any(),
            "approve_extension" => view! {
                <label>{t(lang, Msg::ActApproveExtension)}
                    <select name="fields[approve]">
                        <option value="yes">{t(lang, Msg::Approve)}</option>
                        <option value="no">{t(lang, Msg::Reject)}</option>
                    </select>
                </label>
                <TextField label=Msg::Note required=false/>
            }.into_any(),
            "merge" => view! {
                <label>{t(lang, Msg::MergeInto)}
                    <select name="fields[into]">
                        {candidates.iter().map(|c| view! {
                            <option value=c.id.to_string()>{format!("#{} {} · {}", c.id, c.description, labels::local_time(c.reported_at))}</option>
                        }).collect::<Vec<_>>()}
                    </select>
                </label>
            }.into_any(),
            _ => ().into_any(),
        };
        view! {
            <details class="action-form" open=single>
                <summary>{title}</summary>
                <ActionForm action=act>
                    <CsrfField/>
                    <input type="hidden" name="fields[id]" value=id.to_string()/>
                    <input type="hidden" name="fields[action]" value=name/>
                    {fields}
                    <button type="submit" class="primary">{title}</button>
                </ActionForm>
            </details>
        }
    }).collect::<Vec<_>>();
    let consult = case
        .allowed_actions
        .iter()
        .any(|a| a == "consult")
        .then(|| view! { <ConsultForm id=id departments=consult_departments/> });
    Either::Right(view! { <div class="action-forms">{forms}{consult}</div> })
}

#[component]
fn TextField(label: Msg, required: bool) -> impl IntoView {
    let lang = use_lang();
    view! {
        <label>{t(lang, label)}
            <textarea name="fields[text]" rows="2" required=required maxlength="2000"></textarea>
        </label>
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
            .map(|x| t(lang, labels::satisfaction(x)).to_owned()),
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

/// The 会商 records of a key case.
#[component]
fn Consultations(case: CaseDetail) -> impl IntoView {
    let lang = use_lang();
    let name = move |code: &str| {
        case.dispatches
            .iter()
            .find(|d| d.department == code)
            .map(|d| {
                if lang == Lang::Zh {
                    d.department_name.clone()
                } else {
                    d.department_name_en.clone()
                }
            })
            .unwrap_or_else(|| code.to_owned())
    };
    view! {
        <section class="card">
            <h2>{t(lang, Msg::Consultations)}</h2>
            <ul class="members">
                {case.consultations.iter().map(|c| view! {
                    <li>
                        <strong>{c.held_on.format("%Y-%m-%d").to_string()}</strong>
                        <div class="small">{t(lang, Msg::Participants)}"："{c.participants.clone()}</div>
                        <p class="tl-note">{c.decision.clone()}</p>
                        {(!c.minutes.is_empty()).then(|| view! {
                            <details class="small"><summary>{t(lang, Msg::Minutes_)}</summary><p class="tl-note minutes">{c.minutes.clone()}</p></details>
                        })}
                        <div class="small muted">{t(lang, Msg::ResponsibleDepartments)}"："{c.departments.iter().map(|d| {
                            match c.duties.iter().find(|x| &x.department == d).and_then(|x| x.due_on) {
                                Some(due) => format!("{}（{} {}）", name(d), t(lang, Msg::DueOn), due.format("%Y-%m-%d")),
                                None => name(d),
                            }
                        }).collect::<Vec<_>>().join("、")}</div>
                    </li>
                }).collect::<Vec<_>>()}
            </ul>
        </section>
    }
}

#[component]
fn ConsultForm(id: i64, departments: Vec<Department>) -> impl IntoView {
    let lang = use_lang();
    let consult = expect_context::<ServerAction<RecordConsultation>>();
    let options = move |with_none: bool| {
        let mut v: Vec<AnyView> = Vec::new();
        if with_none {
            v.push(view! { <option value="">{t(lang, Msg::None_)}</option> }.into_any());
        }
        for d in &departments {
            let n = if lang == Lang::Zh {
                d.name.clone()
            } else {
                d.name_en.clone()
            };
            v.push(view! { <option value=d.code.clone()>{n}</option> }.into_any());
        }
        v
    };
    let title = t(lang, Msg::ActConsultation);
    view! {
        <details class="action-form">
            <summary>{title}</summary>
            {move || consult.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorNote error=e/> })}
            <ActionForm action=consult>
                <CsrfField/>
                <input type="hidden" name="form[id]" value=id.to_string()/>
                <label>{t(lang, Msg::HeldOn)}<input type="date" name="form[held_on]" required/></label>
                <label>{t(lang, Msg::Participants)}<textarea name="form[participants]" rows="2" required maxlength="2000"></textarea></label>
                <label>{t(lang, Msg::Decision)}<textarea name="form[decision]" rows="3" required maxlength="2000"></textarea></label>
                <label>{t(lang, Msg::Minutes_)}<textarea name="form[minutes]" rows="4" maxlength="20000"></textarea></label>
                <div class="duty-row">
                    <label>{t(lang, Msg::ResponsibleDepartments)}<select name="form[dept1]">{options(true)}</select></label>
                    <label>{t(lang, Msg::DueOn)}<input type="date" name="form[due1]"/></label>
                </div>
                <div class="duty-row">
                    <label>{t(lang, Msg::ResponsibleDepartments)}<select name="form[dept2]">{options(true)}</select></label>
                    <label>{t(lang, Msg::DueOn)}<input type="date" name="form[due2]"/></label>
                </div>
                <button type="submit" class="primary">{title}</button>
            </ActionForm>
        </details>
    }
}
