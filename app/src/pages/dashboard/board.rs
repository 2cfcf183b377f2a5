//! The three-colour board: totals, per child area (drill down), per department, red list.

use super::dash_href;
use crate::app::use_lang;
use crate::components::labels;
use crate::domain::board::{Board, ColourCounts};
use crate::domain::case::Colour;
use crate::i18n::{Lang, Msg, t};
use leptos::prelude::*;

/// A stacked bar of the three colours, widths in percent of the row's total.
fn bar(c: ColourCounts) -> impl IntoView {
    let total = c.total().max(1) as f64;
    let w = |n: u32| format!("width:{:.1}%", f64::from(n) / total * 100.0);
    view! {
        <span class="tri-bar" aria-hidden="true">
            <span class="tri-red" style=w(c.red)></span>
            <span class="tri-yellow" style=w(c.yellow)></span>
            <span class="tri-green" style=w(c.green)></span>
        </span>
    }
}

fn cases_href(area: &str, colour: Colour) -> String {
    format!("/cases?area={area}&colour={}", colour.as_str())
}

fn counts_cells(area: Option<&str>, c: ColourCounts) -> impl IntoView + use<> {
    Colour::ALL
        .iter()
        .map(|&colour| {
            let n = c.get(colour);
            let class = format!("num num-{}", colour.as_str());
            match area {
                Some(a) if n > 0 => {
                    view! { <td class=class><a href=cases_href(a, colour)>{n}</a></td> }.into_any()
                }
                _ => view! { <td class=class>{n}</td> }.into_any(),
            }
        })
        .collect::<Vec<_>>()
}

/// The red list shows the most overdue; the whole list is one link away.
const RED_SHOWN: usize = 12;

#[component]
pub fn BoardView(board: Board) -> impl IntoView {
    let lang = use_lang();
    let area = board.area_code.clone();
    let period = board.period.clone();
    let totals = board.totals;
    let tiles = Colour::ALL
        .iter()
        .map(|&c| {
            view! {
                <a class=format!("tile tile-{}", c.as_str()) href=cases_href(&area, c) data-colour=c.as_str()>
                    <span class="tile-value">{totals.get(c)}</span>
                    <span class="tile-label">{t(lang, labels::colour(c))}</span>
                </a>
            }
        })
        .collect::<Vec<_>>();
    let areas = board.areas.clone();
    let has_areas = !areas.is_empty();
    let area_rows = areas
        .into_iter()
        .map(|a| {
            let name = match lang {
                Lang::Zh => a.name.clone(),
                Lang::En => a.name_en.clone(),
            };
            view! {
                <tr data-area=a.code.clone()>
                    <th scope="row"><a href=dash_href(Some(&a.code), &period)>{name}</a></th>
                    {counts_cells(Some(&a.code), a.counts)}
                    <td>{bar(a.counts)}</td>
                </tr>
            }
        })
        .collect::<Vec<_>>();
    let dept_rows = board
        .departments
        .iter()
        .map(|d| {
            view! {
                <tr data-department=d.code.clone()>
                    <th scope="row">{d.name.clone()}</th>
                    {counts_cells(None, d.counts)}
                    <td>{bar(d.counts)}</td>
                </tr>
            }
        })
        .collect::<Vec<_>>();
    let has_depts = !dept_rows.is_empty();
    let red_items = board
        .red
        .iter()
        .take(RED_SHOWN)
        .map(|r| {
            let mut why: Vec<String> = r.reasons.iter().map(|x| t(lang, labels::reason(*x)).to_owned()).collect();
            if let Some(h) = r.overdue_hours {
                why.push(t(lang, Msg::OverdueHours).replace("{n}", &h.to_string()));
            }
            if let Some(h) = r.ack_overdue_hours {
                why.push(t(lang, Msg::AckOverdueHours).replace("{n}", &h.to_string()));
            }
            if r.repeat_count >= 2 {
                why.push(t(lang, Msg::RepeatTimes).replace("{n}", &r.repeat_count.to_string()));
            }
            view! {
                <li class="red-item" data-case=r.id>
                    <a href=format!("/cases/{}", r.id)>
                        <strong>{r.category_name.clone()}</strong>
                        " "<span class="muted">{r.tracking_code.clone()}</span>
                        {r.supervised.then(|| view! { " "<span class="badge badge-red">{t(lang, Msg::Supervised)}</span> })}
                        <br/><span class="small">{r.grid_name.clone()}" · "{why.join("；")}</span>
                    </a>
                </li>
            }
        })
        .collect::<Vec<_>>();
    let red_total = board.red_total;
    let head = move || {
        view! {
            <thead><tr>
                <th></th>
                <th class="num num-red">{t(lang, Msg::ColourRed)}</th>
                <th class="num num-yellow">{t(lang, Msg::ColourYellow)}</th>
                <th class="num num-green">{t(lang, Msg::ColourGreen)}</th>
                <th></th>
            </tr></thead>
        }
    };
    view! {
        <section class="board" aria-labelledby="board-title" data-red=totals.red data-yellow=totals.yellow data-green=totals.green>
            <h2 id="board-title">{t(lang, Msg::BoardTitle)}</h2>
            <p class="hint">{t(lang, Msg::BoardRule)}</p>
            <div class="tiles">{tiles}</div>
            <div class="board-tables">
                {has_areas.then(|| view! {
                    <table class="board-table areas">
                        <caption>{t(lang, Msg::ByArea)}</caption>
                        {head()}
                        <tbody>{area_rows}</tbody>
                    </table>
                })}
                {has_depts.then(|| view! {
                    <table class="board-table departments">
                        <caption>{t(lang, Msg::ByDepartment)}</caption>
                        {head()}
                        <tbody>{dept_rows}</tbody>
                    </table>
                })}
            </div>
            <h3>{t(lang, Msg::RedList)}" ("{red_total}")"</h3>
            {if red_items.is_empty() {
                view! { <p class="card">{t(lang, Msg::RedListEmpty)}</p> }.into_any()
            } else {
                view! {
                    <ul class="red-list">{red_items}</ul>
                    <p><a class="button" href=cases_href(&area, Colour::Red)>{t(lang, Msg::AllRedCases)}</a></p>
                }.into_any()
            }}
        </section>
    }
}
