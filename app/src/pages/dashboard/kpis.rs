//! Key figures of the period: rates, handling time per tier, trends (ECharts), the problem
//! portrait as a heat table and the needs list.

use crate::app::use_lang;
use crate::components::chart::TrendChart;
use crate::components::labels;
use crate::domain::kpi::Kpis;
use crate::i18n::{Msg, t};
use leptos::prelude::*;

fn pct(v: Option<f64>, lang: crate::i18n::Lang) -> String {
    v.map_or_else(|| t(lang, Msg::NoData).to_owned(), |v| format!("{v:.1}%"))
}

/// 关键指标 — received, completion, on time, satisfaction — for the first screen, beside
/// the three-colour board (the rest of the figures follow the map).
#[component]
pub fn KeyFigures(kpis: Kpis) -> impl IntoView {
    let lang = use_lang();
    let k = kpis;
    let figures = [
        (Msg::KpiReceived, k.received.to_string(), "received"),
        (
            Msg::KpiCompletion,
            pct(k.completion_rate, lang),
            "completion",
        ),
        (Msg::KpiOnTime, pct(k.on_time_rate, lang), "on-time"),
        (
            Msg::KpiSatisfaction,
            pct(k.satisfaction_rate, lang),
            "satisfaction",
        ),
    ]
    .into_iter()
    .map(|(label, value, key)| {
        view! {
            <li class="stat" data-kpi=key>
                <span class="stat-value">{value}</span>
                <span class="stat-label">{t(lang, label)}</span>
            </li>
        }
    })
    .collect::<Vec<_>>();
    view! {
        <section class="key-figures" aria-labelledby="key-title">
            <h2 id="key-title">{t(lang, Msg::KpiTitle)}" "<span class="muted small">{format!("{} — {}", k.from, k.to)}</span></h2>
            <ul class="stats">{figures}</ul>
        </section>
    }
}

#[component]
pub fn KpiView(kpis: Kpis) -> impl IntoView {
    let lang = use_lang();
    let k = kpis;
    let a = &k.assessment;
    let weight = |name: &str| {
        a.composite_index
            .parts
            .iter()
            .find(|p| p.part == name)
            .map_or(0.0, |p| p.weight)
    };
    let rule = [
        "on_time",
        "satisfaction",
        "verification",
        "rework",
        "extension",
    ]
    .iter()
    .fold(t(lang, Msg::AssessmentRule).to_owned(), |text, name| {
        text.replace(&format!("{{{name}}}"), &format!("{}", weight(name)))
    });
    let assessment = [
        (
            Msg::KpiComposite,
            a.composite_index
                .value
                .map_or_else(|| t(lang, Msg::NoData).to_owned(), |v| format!("{v:.1}")),
            "composite",
        ),
        (Msg::KpiFilingRate, pct(a.filing_rate, lang), "filing"),
        (Msg::KpiInvalid, a.invalid.to_string(), "invalid"),
        (
            Msg::KpiClosingOnTime,
            pct(a.closing_on_time_rate, lang),
            "closing-on-time",
        ),
        (Msg::KpiReworkRate, pct(a.rework_rate, lang), "rework"),
        (
            Msg::KpiVerifyOnTime,
            pct(a.verification_on_time_rate, lang),
            "verify-on-time",
        ),
        (
            Msg::KpiExtensionRate,
            pct(a.extension_rate, lang),
            "extension",
        ),
        (Msg::KpiDeferred, a.deferred.to_string(), "deferred"),
        (
            Msg::KpiUrgentOnTime,
            pct(a.urgent_on_time_rate, lang),
            "urgent-on-time",
        ),
    ]
    .into_iter()
    .map(|(label, value, key)| {
        view! {
            <li class="stat stat-small" data-kpi=key>
                <span class="stat-value">{value}</span>
                <span class="stat-label">{t(lang, label)}</span>
            </li>
        }
    })
    .collect::<Vec<_>>();
    let handling = k
        .handling
        .iter()
        .map(|h| {
            view! {
                <tr>
                    <th scope="row">{t(lang, labels::tier(h.tier))}</th>
                    <td class="num">{h.completed}</td>
                    <td class="num">{h.avg_hours.map_or_else(|| "—".to_owned(), |v| format!("{v:.1}"))}</td>
                </tr>
            }
        })
        .collect::<Vec<_>>();
    let cats = k.portrait.categories.clone();
    let max = k.portrait.max.max(1);
    let portrait_rows = k
        .portrait
        .rows
        .iter()
        .map(|r| {
            let cells = r
                .counts
                .iter()
                .map(|&n| {
                    // Heat: the share of the busiest cell, as the cell's background strength.
                    let alpha = f64::from(n) / f64::from(max) * 0.85;
                    let style = format!("background: rgba(200, 72, 59, {alpha:.2})");
                    let class = if alpha > 0.45 {
                        "heat heat-strong"
                    } else {
                        "heat"
                    };
                    view! { <td class=class style=style>{(n > 0).then_some(n)}</td> }
                })
                .collect::<Vec<_>>();
            view! { <tr><th scope="row">{r.name.clone()}</th>{cells}</tr> }
        })
        .collect::<Vec<_>>();
    let has_portrait = !portrait_rows.is_empty();
    let needs = k
        .needs
        .iter()
        .take(12)
        .map(|n| {
            view! {
                <tr>
                    <th scope="row">{n.category_name.clone()}</th>
                    <td>{n.tier.map(|x| t(lang, labels::tier(x))).unwrap_or("—")}</td>
                    <td class="num">{n.received}</td>
                    <td class="num">{n.open}</td>
                    <td class="num num-red">{n.red}</td>
                </tr>
            }
        })
        .collect::<Vec<_>>();
    let multi_month = k.monthly.len() > 1;
    view! {
        <section class="kpis" aria-labelledby="kpi-title">
            <h2 id="kpi-title" class="assessment-title">{t(lang, Msg::AssessmentTitle)}" "<span class="muted small">{format!("{} — {}", k.from, k.to)}</span></h2>
            <ul class="stats stats-assessment">{assessment}</ul>
            <p class="hint small">{rule}</p>
            {(!a.by_source.is_empty()).then(|| view! {
                <table class="board-table by-source">
                    <caption>{t(lang, Msg::FilingBySource)}</caption>
                    <thead><tr><th>{t(lang, Msg::SourceLabel)}</th><th class="num">{t(lang, Msg::KpiFiled)}</th><th class="num">{t(lang, Msg::KpiInvalid)}</th><th class="num">{t(lang, Msg::KpiFilingRate)}</th></tr></thead>
                    <tbody>{a.by_source.iter().map(|s| view! {
                        <tr><th scope="row">{t(lang, labels::source(s.source))}</th><td class="num">{s.filed}</td><td class="num">{s.invalid}</td><td class="num">{pct(s.filing_rate, lang)}</td></tr>
                    }).collect::<Vec<_>>()}</tbody>
                </table>
            })}
            <div class="kpi-grid">
                <TrendChart points=k.weekly.clone() label=Msg::TrendWeekly/>
                {multi_month.then(|| view! { <TrendChart points=k.monthly.clone() label=Msg::TrendMonthly/> })}
                <table class="board-table">
                    <caption>{t(lang, Msg::AvgHandling)}</caption>
                    <thead><tr><th>{t(lang, Msg::TierLabel)}</th><th class="num">{t(lang, Msg::KpiCompleted)}</th><th class="num">{t(lang, Msg::AvgHandling)}</th></tr></thead>
                    <tbody>{handling}</tbody>
                </table>
            </div>
            {has_portrait.then(|| view! {
                <div class="scroll-x">
                    <table class="portrait">
                        <caption>{t(lang, Msg::PortraitTitle)}</caption>
                        <thead><tr><th>{t(lang, Msg::AreaLabel)}</th>{cats.into_iter().map(|(_, name)| view! { <th>{name}</th> }).collect::<Vec<_>>()}</tr></thead>
                        <tbody>{portrait_rows}</tbody>
                    </table>
                </div>
            })}
            <table class="board-table needs">
                <caption>{t(lang, Msg::NeedsTitle)}</caption>
                <thead><tr>
                    <th>{t(lang, Msg::CategoryLabel)}</th><th>{t(lang, Msg::TierLabel)}</th>
                    <th class="num">{t(lang, Msg::KpiReceived)}</th><th class="num">{t(lang, Msg::StillOpen)}</th><th class="num">{t(lang, Msg::ColourRed)}</th>
                </tr></thead>
                <tbody>{needs}</tbody>
            </table>
        </section>
    }
}
