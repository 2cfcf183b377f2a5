//! `/posters/{node}`: the printable QR poster (二维码公示牌) of one grid, or of every grid of
//! a community, one A4 page each (`poster.css` carries the print rules).

use super::{LangSwitch, PageCtx};
use crate::components::labels;
use crate::domain::people::MemberKind;
use crate::domain::resident::GridCard;
use crate::i18n::{Msg, t};
use leptos::prelude::*;

/// One poster: the grid's card, its QR code as inline SVG, and the URL it encodes.
#[derive(Clone, Debug)]
pub struct Poster {
    pub card: GridCard,
    pub qr_svg: String,
    pub url: String,
}

#[component]
pub fn PosterPage(ctx: PageCtx, posters: Vec<Poster>) -> impl IntoView {
    let lang = ctx.lang;
    let single = posters.len() == 1;
    view! {
        <nav class="toolbar no-print">
            <a href="/territory">{t(lang, Msg::NavTerritory)}</a>
            <button type="button" data-print="">{t(lang, Msg::PrintPoster)}</button>
            {single.then(|| {
                let code = posters[0].card.grid_code.clone();
                view! {
                    <a href=format!("/r/{code}/qr.png") download="">{t(lang, Msg::DownloadPng)}</a>
                    <a href=format!("/r/{code}/qr.svg") download="">{t(lang, Msg::DownloadSvg)}</a>
                }
            })}
            <LangSwitch ctx=ctx.clone()/>
        </nav>
        {posters.into_iter().map(|p| {
            let workers: Vec<_> = p.card.members.iter().filter(|m| m.kind != MemberKind::Support).cloned().collect();
            let support: Vec<_> = p.card.members.iter().filter(|m| m.kind == MemberKind::Support).cloned().collect();
            view! {
                <article class="poster">
                    <header>
                        <p class="kicker">{p.card.district_name.clone()}" · "{t(lang, Msg::Poster)}</p>
                        <h1>{p.card.grid_name.clone()}</h1>
                        <p class="where-line">{format!("{} · {}", p.card.street_name, p.card.community_name)}</p>
                    </header>
                    <div class="qr-block">
                        <div class="qr" inner_html=p.qr_svg.clone()></div>
                        <div>
                            <p class="scan">{t(lang, Msg::PosterScan)}</p>
                            <p class="url">{p.url.clone()}</p>
                            <p class="howto">{t(lang, Msg::PosterHowTo)}</p>
                        </div>
                    </div>
                    <h2>{t(lang, Msg::GridWorkersPublic)}</h2>
                    <table class="people">
                        <thead><tr>
                            <th>{t(lang, Msg::PersonName)}</th><th>{t(lang, Msg::Role)}</th>
                            <th>{t(lang, Msg::Duties)}</th><th>{t(lang, Msg::WorkPhone)}</th>
                        </tr></thead>
                        <tbody>
                            {workers.into_iter().map(|m| view! {
                                <tr>
                                    <td class="who">{m.name.clone()}</td>
                                    <td>{t(lang, labels::member(m.kind, m.support_role))}</td>
                                    <td>{m.duties.clone()}</td>
                                    <td class="mono">{m.work_phone.clone()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    {(!support.is_empty()).then(|| view! {
                        <h2>{t(lang, Msg::SupportMembers)}</h2>
                        <p class="support">
                            {support.into_iter().map(|m| format!("{}（{}）", m.name, t(lang, labels::member(m.kind, m.support_role)))).collect::<Vec<_>>().join("　")}
                        </p>
                    })}
                </article>
            }
        }).collect_view()}
    }
}
