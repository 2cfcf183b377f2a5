//! Rhythm reports (月度调度表 / 季度督查报告 / 半年工作通报): one A4 document per area and
//! period, to print or to download as XLSX.

use crate::api::oversight::get_report;
use crate::app::use_lang;
use crate::components::error_note::ErrorNote;
use crate::components::labels;
use crate::domain::board::ColourCounts;
use crate::domain::period::Period;
use crate::domain::report::RhythmReport;
use crate::i18n::{Msg, t};
use crate::pages::rankings::{UnitTable, WorkerTable};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ReportsPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let get = move |k: &str| query.read().get(k).filter(|v| !v.is_empty());
    let report = Resource::new(
        move || (get("area"), get("period")),
        |(area, period)| get_report(area, period),
    );
    view! {
        <Transition fallback=move || view! { <p class="muted">{t(lang, Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match report.await {
                    Ok(r) => Either::Left(view! { <ReportView report=r area=get("area")/> }),
                    Err(e) => Either::Right(view! { <ErrorNote error=e/> }),
                }
            })}
        </Transition>
    }
}

fn pct(v: Option<f64>, lang: crate::i18n::Lang) -> String {
    v.map_or_else(|| t(lang, Msg::NoData).to_owned(), |v| format!("{v:.1}%"))
}

fn colour_table(caption: &'static str, rows: Vec<(String, ColourCounts)>) -> impl IntoView {
    view! {
        <table class="board-table report-table">
            <caption>{caption}</caption>
            <thead><tr><th></th><th class="num num-red">"红"</th><th class="num num-yellow">"黄"</th><th class="num num-green">"绿"</th><th class="num">"合计"</th></tr></thead>
            <tbody>
                {rows.into_iter().map(|(name, c)| view! {
                    <tr><th scope="row">{name}</th><td class="num num-red">{c.red}</td><td class="num num-yellow">{c.yellow}</td><td class="num num-green">{c.green}</td><td class="num">{c.total()}</td></tr>
                }).collect::<Vec<_>>()}
            </tbody>
        </table>
    }
}

#[component]
fn ReportView(report: RhythmReport, area: Option<String>) -> impl IntoView {
    let lang = use_lang();
    let r = report;
    let area_q = area.map(|a| format!("area={a}&")).unwrap_or_default();
    let xlsx = format!("/api/v1/reports.xlsx?{area_q}period={}", r.period);
    let periods = Period::parse(&r.period)
        .map(|p| p.related())
        .unwrap_or_default()
        .into_iter()
        .map(|p| view! { <a class="filter" href=format!("/reports?{area_q}period={}", p.code())>{p.label_zh()}</a> })
        .collect::<Vec<_>>();
    let k = r.kpis.clone();
    let b = r.board.clone();
    let print = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    let red_rows = b
        .red
        .iter()
        .map(|x| {
            let why: Vec<&str> = x.reasons.iter().map(|y| t(lang, labels::reason(*y))).collect();
            view! {
                <tr>
                    <td>{x.tracking_code.clone()}</td><td>{x.category_name.clone()}</td><td>{x.grid_name.clone()}</td>
                    <td>{why.join("、")}</td>
                    <td class="num">{x.overdue_hours.or(x.ack_overdue_hours)}</td>
                    <td>{x.supervised.then(|| t(lang, Msg::Supervised))}</td>
                </tr>
            }
        })
        .collect::<Vec<_>>();
    let needs = k
        .needs
        .iter()
        .take(15)
        .map(|n| view! {
            <tr><th scope="row">{n.category_name.clone()}</th><td>{n.tier.map(|x| t(lang, labels::tier(x))).unwrap_or("—")}</td>
            <td class="num">{n.received}</td><td class="num">{n.open}</td><td class="num num-red">{n.red}</td></tr>
        })
        .collect::<Vec<_>>();
    view! {
        <article class="report">
            <nav class="filters no-print" aria-label=t(lang, Msg::Filter)>
                <div class="filter-row">{periods}</div>
                <div class="filter-row">
                    <a class="button primary" href=xlsx download="">{t(lang, Msg::DownloadXlsx)}</a>
                    <button class="button" type="button" on:click=print>{t(lang, Msg::PrintReport)}</button>
                </div>
            </nav>
            <h1 class="report-title">{format!("{}{}{}", r.area_name, r.period_label, r.title)}</h1>
            <h2>"一、总体情况"</h2>
            <table class="board-table report-table">
                <tbody>
                    <tr><th>{t(lang, Msg::KpiReceived)}</th><td class="num" data-report="received">{k.received}</td>
                        <th>{t(lang, Msg::KpiCompleted)}</th><td class="num">{k.completed}</td></tr>
                    <tr><th>{t(lang, Msg::KpiCompletion)}</th><td class="num">{pct(k.completion_rate, lang)}</td>
                        <th>{t(lang, Msg::KpiOnTime)}</th><td class="num">{pct(k.on_time_rate, lang)}</td></tr>
                    <tr><th>{t(lang, Msg::KpiSatisfaction)}</th><td class="num">{pct(k.satisfaction_rate, lang)}</td>
                        <th>"红 / 黄 / 绿"</th><td class="num" data-report="colours">{format!("{} / {} / {}", b.totals.red, b.totals.yellow, b.totals.green)}</td></tr>
                    <tr><th>{t(lang, Msg::KpiFilingRate)}</th><td class="num">{pct(k.assessment.filing_rate, lang)}</td>
                        <th>{t(lang, Msg::KpiInvalid)}</th><td class="num">{k.assessment.invalid}</td></tr>
                    <tr><th>{t(lang, Msg::KpiClosingOnTime)}</th><td class="num">{pct(k.assessment.closing_on_time_rate, lang)}</td>
                        <th>{t(lang, Msg::KpiDeferred)}</th><td class="num" data-report="deferred">{k.assessment.deferred}</td></tr>
                    <tr><th>{t(lang, Msg::KpiReworkRate)}</th><td class="num">{pct(k.assessment.rework_rate, lang)}</td>
                        <th>{t(lang, Msg::KpiVerifyOnTime)}</th><td class="num">{pct(k.assessment.verification_on_time_rate, lang)}</td></tr>
                    <tr><th>{t(lang, Msg::KpiExtensionRate)}</th><td class="num">{pct(k.assessment.extension_rate, lang)}</td>
                        <th>{t(lang, Msg::KpiUrgentOnTime)}</th><td class="num">{pct(k.assessment.urgent_on_time_rate, lang)}</td></tr>
                    <tr><th>{t(lang, Msg::KpiComposite)}</th><td class="num" data-report="composite" colspan="3">{k.assessment.composite_index.value.map_or_else(|| "—".to_owned(), |v| format!("{v:.1}"))}</td></tr>
                    {k.handling.iter().map(|h| view! {
                        <tr><th>{t(lang, Msg::AvgHandling)}" · "{t(lang, labels::tier(h.tier))}</th>
                        <td class="num" colspan="3">{h.avg_hours.map_or_else(|| "—".to_owned(), |v| format!("{v:.1}"))}</td></tr>
                    }).collect::<Vec<_>>()}
                </tbody>
            </table>
            <h2>"二、三色看板"</h2>
            <div class="board-tables">
                {colour_table("分区域", b.areas.iter().map(|a| (a.name.clone(), a.counts)).collect())}
                {colour_table("分部门", b.departments.iter().map(|d| (d.name.clone(), d.counts)).collect())}
            </div>
            <h2>"三、红色预警清单（"{b.red_total}"件）"</h2>
            <table class="board-table report-table">
                <thead><tr><th>"编号"</th><th>"类别"</th><th>"网格"</th><th>"原因"</th><th class="num">"超期（小时）"</th><th>"督办"</th></tr></thead>
                <tbody>{red_rows}</tbody>
            </table>
            <h2>"四、十佳格格"</h2>
            <WorkerTable scores=r.workers.workers.iter().take(10).cloned().collect()/>
            <h2>"五、部门赛马"</h2>
            <UnitTable scores=r.departments.units.clone()/>
            <h2>"六、区域赛马"</h2>
            <UnitTable scores=r.areas.units.clone()/>
            <h2>"七、民生需求清单"</h2>
            <table class="board-table report-table">
                <thead><tr><th>{t(lang, Msg::CategoryLabel)}</th><th>{t(lang, Msg::TierLabel)}</th><th class="num">{t(lang, Msg::KpiReceived)}</th><th class="num">{t(lang, Msg::StillOpen)}</th><th class="num">"红"</th></tr></thead>
                <tbody>{needs}</tbody>
            </table>
            <h2>"八、缓办事件（"{r.deferred.len()}"件）"</h2>
            <table class="board-table report-table deferred">
                <thead><tr><th>"编号"</th><th>"类别"</th><th>"网格"</th><th>{t(lang, Msg::ReviewOnLabel)}</th></tr></thead>
                <tbody>{r.deferred.iter().map(|d| view! {
                    <tr><td><a href=format!("/cases/{}", d.id)>{d.tracking_code.clone()}</a></td><td>{d.category_name.clone()}</td>
                    <td>{d.grid_name.clone()}</td><td>{d.review_on.clone()}</td></tr>
                }).collect::<Vec<_>>()}</tbody>
            </table>
        </article>
    }
}
