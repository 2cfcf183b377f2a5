//! Home: who I am, where I work and the head counts of my area.

use crate::api::territory::get_area_summary;
use crate::app::{tr, use_lang, use_me};
use crate::components::error_note::ErrorNote;
use crate::components::labels;
use crate::domain::people::Attachment;
use crate::i18n::{Msg, t};
use leptos::either::Either;
use leptos::prelude::*;

#[component]
pub fn HomePage() -> impl IntoView {
    let lang = use_lang();
    let me = use_me();
    let summary = Resource::new(|| (), |_| get_area_summary());
    view! {
        <Transition fallback=move || view! { <p class="muted">{t(lang, Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                let me = match me.await {
                    Ok(Some(me)) => me,
                    Ok(None) => return Either::Right(view! { <ErrorNote error=crate::error::AppError::Unauthorized/> }),
                    Err(e) => return Either::Right(view! { <ErrorNote error=e/> }),
                };
                let (area_label, area_name) = match &me.attached_to {
                    Attachment::Node { name, level, .. } => (
                        t(lang, Msg::MyArea),
                        format!("{name}（{}）", t(lang, labels::level(*level))),
                    ),
                    Attachment::Department { name, .. } => (t(lang, Msg::MyDepartment), name.clone()),
                };
                let figures = match summary.await {
                    Ok(s) => Either::Left(view! {
                        <ul class="stats">
                            // Levels above the user's own area would only show zeros.
                            {(s.streets > 0).then(|| view! { <Stat msg=Msg::Streets value=s.streets/> })}
                            {(s.communities > 0).then(|| view! { <Stat msg=Msg::Communities value=s.communities/> })}
                            <Stat msg=Msg::Grids value=s.grids/>
                            <Stat msg=Msg::FullTimeWorkers value=s.full_time/>
                            <Stat msg=Msg::PartTimeWorkers value=s.part_time/>
                            <Stat msg=Msg::SupportMembers value=s.support/>
                            <Stat msg=Msg::Departments value=s.departments/>
                        </ul>
                    }),
                    Err(e) => Either::Right(view! { <ErrorNote error=e/> }),
                };
                Either::Left(view! {
                    <section class="welcome">
                        <h1>{t(lang, Msg::Welcome)}"，"{me.display_name.clone()}</h1>
                        <p>
                            <span class="badge">{t(lang, labels::role(me.role))}</span>
                            " "{area_label}"："<strong>{area_name}</strong>
                        </p>
                    </section>
                    {figures}
                    <a class="button primary" href="/territory">{t(lang, Msg::NavTerritory)}</a>
                })
            })}
        </Transition>
    }
}

#[component]
fn Stat(msg: Msg, value: i64) -> impl IntoView {
    view! {
        <li class="stat">
            <span class="stat-value">{value}</span>
            <span class="stat-label">{tr(msg)}</span>
        </li>
    }
}
