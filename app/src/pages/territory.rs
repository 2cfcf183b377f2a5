//! The territory page: the tree of my area, the grid map and the selected grid's card.

use crate::api::territory::{get_grid_detail, get_territory_map, get_territory_tree};
use crate::app::{tr, use_lang};
use crate::components::error_note::ErrorNote;
use crate::components::grid_map::GridMap;
use crate::components::labels;
use crate::domain::territory::{GridDetail, Level, TerritoryNode};
use crate::i18n::{Lang, Msg, t};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn TerritoryPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let selected = Memo::new(move |_| query.read().get("grid"));
    let tree = Resource::new(|| (), |_| get_territory_tree());
    let map = Resource::new(|| (), |_| get_territory_map());
    let detail = Resource::new(
        move || selected.get(),
        |code| async move {
            match code {
                Some(code) => get_grid_detail(code).await.map(Some),
                None => Ok(None),
            }
        },
    );
    let loading = move || view! { <p class="muted">{t(lang, Msg::Loading)}</p> };

    view! {
        <h1 class="page-title">{tr(Msg::TerritoryTitle)}</h1>
        <div class="territory">
            <section class="territory-map card">
                <Transition fallback=loading>
                    {move || Suspend::new(async move {
                        match map.await {
                            Ok(data) => Either::Left(view! { <GridMap data=data/> }),
                            Err(e) => Either::Right(view! { <ErrorNote error=e/> }),
                        }
                    })}
                </Transition>
            </section>
            <aside class="territory-side">
                <Transition fallback=loading>
                    {move || Suspend::new(async move {
                        match detail.await {
                            Ok(Some(d)) => Either::Left(Some(view! { <GridCard detail=d/> })),
                            Ok(None) => Either::Left(None),
                            Err(e) => Either::Right(view! { <ErrorNote error=e/> }),
                        }
                    })}
                </Transition>
                <section class="card">
                    <h2>{tr(Msg::TerritoryTree)}</h2>
                    <Transition fallback=loading>
                        {move || Suspend::new(async move {
                            match tree.await {
                                Ok(nodes) => Either::Left(view! { <Tree nodes=nodes/> }),
                                Err(e) => Either::Right(view! { <ErrorNote error=e/> }),
                            }
                        })}
                    </Transition>
                </section>
            </aside>
        </div>
    }
}

fn node_name(n: &TerritoryNode, lang: Lang) -> String {
    match lang {
        Lang::Zh => n.name.clone(),
        Lang::En => n.name_en.clone(),
    }
}

/// The tree as nested lists; streets and communities fold open and shut without JS.
#[component]
fn Tree(nodes: Vec<TerritoryNode>) -> impl IntoView {
    let lang = use_lang();
    let codes: std::collections::HashSet<&str> = nodes.iter().map(|n| n.code.as_str()).collect();
    let roots: Vec<&TerritoryNode> = nodes
        .iter()
        .filter(|n| n.parent.as_deref().is_none_or(|p| !codes.contains(p)))
        .collect();
    let html: Vec<_> = roots
        .into_iter()
        .map(|r| branch(r, &nodes, lang, 0))
        .collect();
    view! { <ul class="tree">{html}</ul> }
}

fn branch(node: &TerritoryNode, all: &[TerritoryNode], lang: Lang, depth: usize) -> AnyView {
    let children: Vec<&TerritoryNode> = all
        .iter()
        .filter(|c| c.parent.as_deref() == Some(node.code.as_str()))
        .collect();
    let label = node_name(node, lang);
    let level = t(lang, labels::level(node.level));
    if node.level == Level::Grid || children.is_empty() {
        let href = format!("/territory?grid={}", node.code);
        return view! {
            <li class="leaf"><a href=href>{label}</a>" "<span class="muted small">{node.code.clone()}</span></li>
        }
        .into_any();
    }
    let count = children.len();
    let inner: Vec<AnyView> = children
        .into_iter()
        .map(|c| branch(c, all, lang, depth + 1))
        .collect();
    view! {
        <li>
            <details open=depth < 1>
                <summary>{label}" "<span class="muted small">{level}" · "{count}</span></summary>
                <ul>{inner}</ul>
            </details>
        </li>
    }
    .into_any()
}

/// The selected grid: breadcrumb and its workforce (1+3+N, 一格八员).
#[component]
fn GridCard(detail: GridDetail) -> impl IntoView {
    let lang = use_lang();
    let trail = detail
        .ancestors
        .iter()
        .map(|a| node_name(a, lang))
        .collect::<Vec<_>>()
        .join(" › ");
    let members = if detail.members.is_empty() {
        Either::Left(view! { <p class="muted">{t(lang, Msg::NoMembers)}</p> })
    } else {
        Either::Right(view! {
            <ul class="members">
                {detail.members.iter().map(|m| view! {
                    <li>
                        <strong>{m.name.clone()}</strong>
                        <span class="badge">{t(lang, labels::member(m.kind, m.support_role))}</span>
                        <div class="muted small">{t(lang, Msg::Duties)}"："{m.duties.clone()}</div>
                        <a class="small" href=format!("tel:{}", m.work_phone)>{t(lang, Msg::WorkPhone)}" "{m.work_phone.clone()}</a>
                    </li>
                }).collect::<Vec<_>>()}
            </ul>
        })
    };
    view! {
        <section class="card grid-card">
            <p class="muted small">{trail}</p>
            <h2>{node_name(&detail.node, lang)}<span class="muted small">" "{detail.node.code.clone()}</span></h2>
            <p class="links">
                <a rel="external" href=format!("/posters/{}", detail.node.code)>{t(lang, Msg::Poster)}</a>
                {detail.node.parent.clone().map(|c| view! {
                    " · "<a rel="external" href=format!("/posters/{c}")>{t(lang, Msg::PrintAllPosters)}</a>
                })}
                " · "<a rel="external" href=format!("/r/{}", detail.node.code)>{t(lang, Msg::ResidentTitle)}</a>
            </p>
            <h3>{t(lang, Msg::GridWorkers)}</h3>
            {members}
        </section>
    }
}
