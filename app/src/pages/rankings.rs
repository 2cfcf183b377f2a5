//! Rankings (十佳格格, 部门赛马, 区域赛马) for a period; every score with its parts.

use crate::api::oversight::get_ranking;
use crate::app::{tr, use_lang};
use crate::components::error_note::ErrorNote;
use crate::domain::ranking::units::{UnitPart, UnitScore};
use crate::domain::ranking::{Part, Ranking, RankingKind, WorkerScore};
use crate::i18n::{Lang, Msg, t};
use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

fn part_label(p: Part) -> Msg {
    match p {
        Part::Found => Msg::PartFound,
        Part::SelfClosed => Msg::PartSelfClosed,
        Part::OnTime => Msg::PartOnTime,
        Part::Satisfaction => Msg::PartSatisfaction,
        Part::Visits => Msg::PartVisits,
    }
}

fn unit_part_label(p: UnitPart) -> Msg {
    match p {
        UnitPart::AckOnTime => Msg::PartAckOnTime,
        UnitPart::Completion => Msg::PartCompletion,
        UnitPart::OnTime => Msg::PartOnTime,
        UnitPart::Satisfaction => Msg::PartSatisfaction,
    }
}

/// "points (value)", or "no data".
fn cell(value: Option<f64>, points: f64, lang: Lang) -> String {
    match value {
        Some(v) => format!("{points:.1}（{v:.1}）"),
        None => t(lang, Msg::NoData).to_owned(),
    }
}

#[component]
pub fn RankingsPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let get = move |k: &str| query.read().get(k).filter(|v| !v.is_empty());
    let ranking = Resource::new(
        move || (get("kind"), get("area"), get("period")),
        |(kind, area, period)| get_ranking(kind.unwrap_or_else(|| "worker".into()), area, period),
    );
    view! {
        <Transition fallback=move || view! { <p class="muted">{t(lang, Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match ranking.await {
                    Ok(r) => Either::Left(view! { <RankingView ranking=r/> }),
                    Err(e) => Either::Right(view! { <ErrorNote error=e/> }),
                }
            })}
        </Transition>
    }
}

#[component]
fn RankingView(ranking: Ranking) -> impl IntoView {
    let lang = use_lang();
    let r = ranking;
    let href = |kind: RankingKind, period: &str| {
        format!("/rankings?kind={}&period={period}", kind.as_str())
    };
    let tabs = [
        (RankingKind::Worker, Msg::TopTenWorkers),
        (RankingKind::Department, Msg::RankDepartments),
        (RankingKind::Area, Msg::RankAreas),
    ]
    .into_iter()
    .map(|(k, label)| {
        let pressed = if k == r.kind { "true" } else { "false" };
        view! { <a class="filter" href=href(k, &r.period) aria-pressed=pressed>{t(lang, label)}</a> }
    })
    .collect::<Vec<_>>();
    // The chosen period first and marked; then its neighbours that have begun.
    let chosen = view! { <a class="filter" href=href(r.kind, &r.period) aria-pressed="true">{r.period_label.clone()}</a> };
    let periods = r
        .periods
        .iter()
        .map(|(code, label)| view! { <a class="filter" href=href(r.kind, code) aria-pressed="false">{label.clone()}</a> })
        .collect::<Vec<_>>();
    let body = match (r.empty, r.kind) {
        (true, _) => EitherOf3::A(
            view! { <p class="empty-period notice notice-info">{t(lang, Msg::RankingEmptyPeriod)}</p> },
        ),
        (false, RankingKind::Worker) => EitherOf3::B(
            view! { <WorkerTable scores=r.workers.iter().take(10).cloned().collect()/> },
        ),
        (false, _) => EitherOf3::C(view! { <UnitTable scores=r.units.clone()/> }),
    };
    // The same ranking to keep: a workbook, or the page on paper (filters left out).
    let xlsx = format!(
        "/api/v1/rankings.xlsx?kind={}&area={}&period={}",
        r.kind.as_str(),
        r.area_code,
        r.period
    );
    let print = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    let keep = (!r.empty).then(|| view! {
        <div class="filter-row">
            <a class="button primary" href=xlsx download="" rel="external">{t(lang, Msg::DownloadXlsx)}</a>
            <button class="button" type="button" on:click=print>{t(lang, Msg::PrintRanking)}</button>
        </div>
    });
    let rule = if r.kind == RankingKind::Worker {
        Msg::RuleWorkers
    } else {
        Msg::RuleUnits
    };
    view! {
        <div class="page-head">
            <h1 class="page-title">{tr(Msg::RankingsTitle)}" · "{r.area_name.clone()}</h1>
            <span class="badge">{r.period_label.clone()}</span>
        </div>
        <nav class="filters no-print" aria-label=t(lang, Msg::Filter)>
            <div class="filter-row">{tabs}</div>
            <div class="filter-row">{chosen}{periods}</div>
            {keep}
        </nav>
        {body}
        <p class="hint">{t(lang, rule)}</p>
        {(r.kind != RankingKind::Worker).then(|| view! {
            <p class="hint not-ranked-note">{t(lang, Msg::NotRankedNote).replace("{n}", &r.min_cases.to_string())}</p>
        })}
    }
}

#[component]
pub(crate) fn WorkerTable(scores: Vec<WorkerScore>) -> impl IntoView {
    let lang = use_lang();
    let heads = scores
        .first()
        .map(|s| {
            s.parts
                .iter()
                .map(|p| view! { <th class="num">{t(lang, part_label(p.part))}<br/><span class="muted small">{format!("({:.0})", p.weight)}</span></th> })
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    let rows = scores
        .into_iter()
        .map(|s| {
            let medal = if s.rank <= 3 { "rank rank-top" } else { "rank" };
            view! {
                <tr data-worker=s.facts.account_id>
                    <td class=medal>{s.rank}</td>
                    <th scope="row">{s.facts.name.clone()}<br/><span class="muted small">{s.facts.grid_name.clone()}</span></th>
                    <td class="num score">{format!("{:.1}", s.score)}</td>
                    {s.parts.iter().map(|p| view! { <td class="num part">{cell(p.value, p.points, lang)}</td> }).collect::<Vec<_>>()}
                    <td class="num num-red">{(s.penalty > 0.0).then(|| format!("−{:.1}", s.penalty))}</td>
                    <td class="num checks">{(s.facts.checks > 0).then(|| format!("{}（{}）", s.facts.checks, s.facts.checks_on_time))}</td>
                    <td class="num invalid">{(s.facts.invalid_reports > 0).then_some(s.facts.invalid_reports)}</td>
                </tr>
            }
        })
        .collect::<Vec<_>>();
    view! {
        <div class="scroll-x">
            <table class="board-table ranking workers">
                <caption>{t(lang, Msg::TopTenWorkers)}</caption>
                <thead><tr>
                    <th>{t(lang, Msg::RankLabel)}</th><th>{t(lang, Msg::Worker)}</th><th class="num">{t(lang, Msg::ScoreLabel)}</th>
                    {heads}
                    <th class="num">{t(lang, Msg::PenaltyLabel)}</th>
                    <th class="num">{t(lang, Msg::ChecksMadeLabel)}</th>
                    <th class="num">{t(lang, Msg::InvalidReportsLabel)}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

#[component]
pub(crate) fn UnitTable(scores: Vec<UnitScore>) -> impl IntoView {
    let lang = use_lang();
    let heads = scores
        .first()
        .map(|s| {
            s.parts
                .iter()
                .map(|p| view! { <th class="num">{t(lang, unit_part_label(p.part))}</th> })
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    let rows = scores
        .into_iter()
        .map(|s| {
            view! {
                <tr data-unit=s.facts.code.clone()>
                    <td class="rank">{if s.ranked { s.rank.to_string() } else { "—".into() }}</td>
                    <th scope="row">{s.facts.name.clone()}<br/><span class="muted small">{t(lang, Msg::KpiReceived)}" "{s.facts.received}</span>
                        {(!s.ranked && s.facts.received > 0).then(|| view! { <br/><span class="muted small not-ranked">{t(lang, Msg::NotRanked).replace("{n}", &s.facts.received.to_string())}</span> })}
                    </th>
                    <td class="num score">{if s.facts.received > 0 { format!("{:.1}", s.score) } else { "—".into() }}</td>
                    {s.parts.iter().map(|p| view! { <td class="num part">{cell(p.value, p.points, lang)}</td> }).collect::<Vec<_>>()}
                    <td class="num rework">{percent(s.facts.rework_rate())}</td>
                    <td class="num">{percent(s.facts.verification_on_time_rate())}</td>
                    <td class="num num-red">{(s.facts.red_open > 0).then_some(s.facts.red_open)}</td>
                </tr>
            }
        })
        .collect::<Vec<_>>();
    view! {
        <div class="scroll-x">
            <table class="board-table ranking units">
                <thead><tr>
                    <th>{t(lang, Msg::RankLabel)}</th><th></th><th class="num">{t(lang, Msg::ScoreLabel)}</th>
                    {heads}
                    <th class="num">{t(lang, Msg::ReworkRateLabel)}</th>
                    <th class="num">{t(lang, Msg::VerifyOnTimeLabel)}</th>
                    <th class="num">{t(lang, Msg::RedOpenLabel)}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// A rate as the tables write it: `12.5%`, or a dash without data.
fn percent(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.1}%")).unwrap_or_else(|| "—".into())
}
