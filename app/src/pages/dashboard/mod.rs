//! The command dashboard (指挥看板) of a leader's area: the live case map, the
//! three-colour board and the key figures of a period. Area and period are query
//! parameters, so every view is a link a leader can send; numbers link to their lists.

use crate::api::cases::get_case_forms;
use crate::api::oversight::{get_board, get_kpis};
use crate::api::territory::get_territory_map;
use crate::app::{tr, use_lang};
use crate::components::case_map::CaseMap;
use crate::components::error_note::ErrorNote;
use crate::components::live::LiveUpdates;
use crate::domain::period::Period;
use crate::i18n::{Msg, t};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

mod board;
mod kpis;

/// A dashboard link that keeps the area and sets the period (or the reverse).
pub(crate) fn dash_href(area: Option<&str>, period: &str) -> String {
    match area {
        Some(a) => format!("/dashboard?area={a}&period={period}"),
        None => format!("/dashboard?period={period}"),
    }
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let get = move |k: &str| query.read().get(k).filter(|v| !v.is_empty());
    let board = Resource::new(
        move || (get("area"), get("period")),
        |(area, period)| get_board(area, period),
    );
    // The KPIs cover the same period's days (none given: this month up to today).
    let kpis = Resource::new(
        move || (get("area"), get("period")),
        |(area, period)| {
            let days = period.as_deref().and_then(Period::parse).map(Period::days);
            let (from, to) = match days {
                Some((from, to)) => (Some(from.to_string()), Some(to.to_string())),
                None => (None, None),
            };
            get_kpis(area, from, to)
        },
    );
    // The grid outlines, fetched again only when the area or period changes (the map is
    // then drawn anew with them).
    let outlines = Resource::new(
        move || (get("area"), get("period")),
        |_| async {
            Ok::<_, crate::error::AppError>((get_territory_map().await?, get_case_forms().await?))
        },
    );
    let (version, set_version) = signal(0u32);
    let refresh = Callback::new(move |_| {
        board.refetch();
        kpis.refetch();
        set_version.update(|v| *v += 1);
    });
    view! {
        <LiveUpdates on_change=refresh/>
        <Transition fallback=move || view! { <p class="muted">{t(lang, Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match board.await {
                    Ok(b) => {
                        let area = get("area");
                        let period = Period::parse(&b.period);
                        let chips = period.map(|p| p.related()).unwrap_or_default();
                        Either::Left(view! {
                            <div class="page-head">
                                <h1 class="page-title">{tr(Msg::DashTitle)}" · "{b.area_name.clone()}</h1>
                                <span class="badge">{b.period_label.clone()}</span>
                            </div>
                            <nav class="filters" aria-label=t(lang, Msg::Filter)>
                                <div class="filter-row">
                                    {chips.into_iter().map(|p| view! {
                                        <a class="filter" href=dash_href(area.as_deref(), &p.code())>{p.label_zh()}</a>
                                    }).collect::<Vec<_>>()}
                                    {area.is_some().then(|| view! { <a class="filter" href=format!("/dashboard?period={}", b.period)>{t(lang, Msg::BackToMyArea)}</a> })}
                                    <a class="filter" href=format!("/rankings?period={}", b.period)>{t(lang, Msg::NavRankings)}</a>
                                    <a class="filter" href=format!("/reports?{}period={}", area.as_deref().map(|a| format!("area={a}&")).unwrap_or_default(), b.period)>{t(lang, Msg::NavReports)}</a>
                                </div>
                            </nav>
                            // The key figures on the first screen, beside the board.
                            <Transition fallback=|| ()>
                                {move || Suspend::new(async move {
                                    kpis.await.ok().map(|k| view! { <kpis::KeyFigures kpis=k/> })
                                })}
                            </Transition>
                            <board::BoardView board=b.clone()/>
                        })
                    }
                    Err(e) => Either::Right(view! { <ErrorNote error=e/> }),
                }
            })}
        </Transition>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match outlines.await {
                    Ok((grids, choices)) => Either::Left(view! {
                        <CaseMap grids=grids choices=choices area=get("area") period=get("period").unwrap_or_default() version=version/>
                    }),
                    Err(e) => Either::Right(view! { <ErrorNote error=e/> }),
                }
            })}
        </Transition>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match kpis.await {
                    Ok(k) => Either::Left(view! { <kpis::KpiView kpis=k/> }),
                    Err(e) => Either::Right(view! { <ErrorNote error=e/> }),
                }
            })}
        </Transition>
    }
}
