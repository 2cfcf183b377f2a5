//! The action forms of a case page: one small form per action the user may take, all
//! through the same server action, so they work before and after hydration.

use super::consult::ConsultForm;
use super::resolve::ResolveForm;
use crate::api::cases::ActOnCase;
use crate::app::use_lang;
use crate::components::csrf::CsrfField;
use crate::components::labels;
use crate::domain::case::view::CaseDetail;
use crate::domain::case::{InvalidReason, Satisfaction, Tier};
use crate::domain::people::Department;
use crate::i18n::{Lang, Msg, t};
use leptos::either::Either;
use leptos::prelude::*;

/// One small form per allowed action, all through the same server action.
#[component]
pub(super) fn ActionForms(
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
    // The lead starts on the category's competent department, or on "choose": never on
    // the list's first entry, which would dispatch to the wrong department.
    let proposed = case
        .dispatch_preview
        .as_ref()
        .and_then(|p| p.proposed_lead.clone());
    let dept_options = move |first: Msg, selected: Option<String>| {
        let mut v: Vec<AnyView> = Vec::new();
        v.push(
            view! { <option value="" selected=selected.is_none()>{t(lang, first)}</option> }
                .into_any(),
        );
        for d in &departments {
            let name = if lang == Lang::Zh {
                d.name.clone()
            } else {
                d.name_en.clone()
            };
            let chosen = selected.as_deref() == Some(d.code.as_str());
            v.push(
                view! { <option value=d.code.clone() selected=chosen>{name}</option> }.into_any(),
            );
        }
        v
    };
    let single = case.allowed_actions.len() == 1;
    let candidates = case.repeat_candidates.clone();
    // The step that moves the case on comes first; sending it back comes last and looks
    // different, so that 退回 is never taken for 办结.
    let mut names: Vec<String> = case
        .allowed_actions
        .clone()
        .into_iter()
        .filter(|n| n != "consult")
        .collect();
    names.sort_by_key(|n| weight(n));
    let all_templates = case.templates.clone();
    let forms = names.into_iter().map(|name| {
        let tpl: Vec<String> = all_templates
            .iter()
            .filter(|(step, _)| *step == name)
            .map(|(_, text)| text.clone())
            .collect();
        let back = name == "return" || name == "invalidate";
        let title = labels::action(&name).map(|m| t(lang, m)).unwrap_or("");
        let fields: AnyView = match name.as_str() {
            "triage" => view! {
                {(!case.filing_standard.is_empty()).then(|| view! {
                    <p class="standard"><strong>{t(lang, Msg::AdminFilingStandard)}"："</strong>{case.filing_standard.clone()}</p>
                })}
                {(!case.subcategories.is_empty()).then(|| view! {
                    <label>{t(lang, Msg::SubcategoryLabel)}
                        <select name="fields[subcategory]">
                            <option value="" selected=case.subcategory.is_none()>{t(lang, Msg::ChooseOption)}</option>
                            {case.subcategories.iter().map(|(code, name, name_en)| {
                                let on = case.subcategory.as_ref().is_some_and(|s| &s.0 == code);
                                view! { <option value=code.clone() selected=on>{if lang == Lang::Zh { name.clone() } else { name_en.clone() }}</option> }
                            }).collect::<Vec<_>>()}
                        </select>
                    </label>
                })}
                <label>{t(lang, Msg::TierLabel)}
                    <select name="fields[tier]">
                        {Tier::ALL.iter().map(|x| view! { <option value=x.as_str() selected=case.default_tier == Some(*x)>{t(lang, labels::tier(*x))}</option> }).collect::<Vec<_>>()}
                    </select>
                </label>
                <label>{t(lang, Msg::Days)}" (10–15)"<input name="fields[key_days]" type="number" min="10" max="15" placeholder="10"/></label>
                <label class="check"><input type="checkbox" name="fields[urgent]" value="on"/>" "{t(lang, Msg::UrgentLabel)}</label>
                <p class="muted small">{t(lang, Msg::UrgentHint)}</p>
                <TextField label=Msg::Note required=false templates=tpl.clone()/>
            }.into_any(),
            "invalidate" => view! {
                <label>{t(lang, Msg::InvalidReasonLabel)}
                    <select name="fields[reason]" required>
                        <option value="" selected>{t(lang, Msg::ChooseOption)}</option>
                        {InvalidReason::ALL.iter().map(|r| view! { <option value=r.as_str()>{t(lang, labels::invalid_reason(*r))}</option> }).collect::<Vec<_>>()}
                    </select>
                </label>
                <TextField label=Msg::InvalidNoteLabel required=false templates=tpl.clone()/>
            }.into_any(),
            "verify" => view! {
                {(!case.closing_standard.is_empty()).then(|| view! {
                    <p class="standard"><strong>{t(lang, Msg::AdminClosingStandard)}"："</strong>{case.closing_standard.clone()}</p>
                })}
                <p class="muted small">{t(lang, Msg::VerifyHint)}</p>
                <label>{t(lang, Msg::VerifyOutcome)}
                    <select name="fields[passed]" required>
                        <option value="" selected>{t(lang, Msg::ChooseOption)}</option>
                        <option value="yes">{t(lang, Msg::VerifyPassed)}</option>
                        <option value="no">{t(lang, Msg::VerifyFailed)}</option>
                    </select>
                </label>
                <TextField label=Msg::Note required=false templates=tpl.clone()/>
            }.into_any(),
            "defer" => view! {
                <label>{t(lang, Msg::ReviewOnLabel)}<input name="fields[review_on]" type="date" required/></label>
                <TextField label=Msg::Reason required=true templates=tpl.clone()/>
            }.into_any(),
            "approve_deferral" => view! { <Decision label=Msg::ActApproveDeferral/> }.into_any(),
            "resume" => view! { <TextField label=Msg::Note required=false templates=tpl.clone()/> }.into_any(),
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
                <label>{t(lang, Msg::Lead)}<select name="fields[lead]" required>{dept_options(Msg::ChooseLeadOption, proposed.clone())}</select></label>
                <label>{t(lang, Msg::CoHandler)}<select name="fields[co1]">{dept_options(Msg::None_, None)}</select></label>
                <label>{t(lang, Msg::CoHandler)}<select name="fields[co2]">{dept_options(Msg::None_, None)}</select></label>
                <TextField label=Msg::Note required=false templates=tpl.clone()/>
            }.into_any(),
            "acknowledge" | "close" => view! { <TextField label=Msg::Note required=false templates=tpl.clone()/> }.into_any(),
            "return" | "escalate" => view! { <TextField label=Msg::Reason required=true templates=tpl.clone()/> }.into_any(),
            "progress" | "supervise" => view! { <TextField label=Msg::Note required=true templates=tpl.clone()/> }.into_any(),
            "resolve" => ().into_any(),
            "feedback" => view! {
                <label>{t(lang, Msg::ActFeedback)}
                    <select name="fields[satisfaction]" required>
                        <option value="" selected>{t(lang, Msg::ChooseSatisfactionOption)}</option>
                        {Satisfaction::ALL.iter().map(|x| view! { <option value=x.as_str()>{t(lang, labels::satisfaction(*x))}</option> }).collect::<Vec<_>>()}
                    </select>
                </label>
                <TextField label=Msg::FeedbackAnswer required=true templates=tpl.clone()/>
            }.into_any(),
            "request_extension" => view! {
                <label>{t(lang, Msg::Days)}<input name="fields[days]" type="number" min="1" max="10" value="2" required/></label>
                <TextField label=Msg::Reason required=true templates=tpl.clone()/>
            }.into_any(),
            "approve_extension" => view! { <Decision label=Msg::ActApproveExtension/> }.into_any(),
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
        if name == "resolve" {
            // The result carries its photos: a multipart form of its own (resolve.rs).
            let text = view! { <TextField label=Msg::Result required=true templates=tpl.clone() name="result"/> }.into_any();
            return view! {
                <details class="action-form" open=single>
                    <summary>{title}</summary>
                    <ResolveForm id=id photo_required=case.result_photo_required text=text act=act/>
                </details>
            }
            .into_any();
        }
        view! {
            <details class=if back { "action-form action-back" } else { "action-form" } open=single>
                <summary>{title}</summary>
                <ActionForm action=act>
                    <CsrfField/>
                    <input type="hidden" name="fields[id]" value=id.to_string()/>
                    <input type="hidden" name="fields[action]" value=name/>
                    {fields}
                    <button type="submit" class=if back { "secondary" } else { "primary" }>{title}</button>
                </ActionForm>
            </details>
        }
        .into_any()
    }).collect::<Vec<_>>();
    let consult = case
        .allowed_actions
        .iter()
        .any(|a| a == "consult")
        .then(|| view! { <ConsultForm id=id departments=consult_departments/> });
    Either::Right(view! { <div class="action-forms">{forms}{consult}</div> })
}

/// Where an action stands among the forms: the main steps, then notes and requests, then
/// sending the case back.
fn weight(action: &str) -> u8 {
    match action {
        "triage" | "dispatch" | "acknowledge" | "resolve" | "verify" | "feedback"
        | "approve_extension" | "approve_deferral" | "resume" | "close" => 0,
        "merge" | "progress" | "request_extension" | "defer" | "supervise" | "escalate" => 1,
        "invalidate" | "return" => 2,
        _ => 1,
    }
}

/// The level above decides a request (an extension, a deferral): approve or reject, and
/// a note.
#[component]
fn Decision(label: Msg) -> impl IntoView {
    let lang = use_lang();
    view! {
        <label>{t(lang, label)}
            <select name="fields[approve]">
                <option value="yes">{t(lang, Msg::Approve)}</option>
                <option value="no">{t(lang, Msg::Reject)}</option>
            </select>
        </label>
        <TextField label=Msg::Note required=false/>
    }
}

/// The step's note; with reply templates (常用回复) offered above it: choosing one puts
/// its text in the box, to be edited before sending.
#[component]
fn TextField(
    label: Msg,
    required: bool,
    #[prop(optional)] templates: Vec<String>,
    /// The field's name: the action form's `fields[text]` unless said.
    #[prop(optional)]
    name: Option<&'static str>,
) -> impl IntoView {
    let lang = use_lang();
    let area = NodeRef::<leptos::html::Textarea>::new();
    let choose = (!templates.is_empty()).then(|| {
        let pick = move |ev: leptos::ev::Event| {
            let text = event_target_value(&ev);
            if let (Some(a), false) = (area.get(), text.is_empty()) {
                a.set_value(&text);
            }
        };
        view! {
            <label class="templates">{t(lang, Msg::ReplyTemplatesLabel)}
                <select on:change=pick>
                    <option value="">{t(lang, Msg::ChooseOption)}</option>
                    {templates.into_iter().map(|x| view! { <option value=x.clone()>{x.clone()}</option> }).collect::<Vec<_>>()}
                </select>
            </label>
        }
    });
    view! {
        {choose}
        <label>{t(lang, label)}
            <textarea node_ref=area name=name.unwrap_or("fields[text]") rows="2" required=required maxlength="2000"></textarea>
        </label>
    }
}
