//! The 会商 (consultation) records of a key case and the form to record one.

use crate::api::cases::RecordConsultation;
use crate::app::use_lang;
use crate::components::csrf::CsrfField;
use crate::components::error_note::ErrorNote;
use crate::domain::case::view::CaseDetail;
use crate::domain::people::Department;
use crate::i18n::{Lang, Msg, t};
use leptos::prelude::*;

/// The 会商 records of a key case.
#[component]
pub(super) fn Consultations(case: CaseDetail) -> impl IntoView {
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
pub(super) fn ConsultForm(id: i64, departments: Vec<Department>) -> impl IntoView {
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
