//! The case list: colour chips and filters as plain links (they work without JS), newest first.

use crate::api::cases::{CategoryOption, get_case_forms, list_cases};
use crate::api::territory::get_territory_tree;
use crate::app::{tr, use_lang};
use crate::components::case_bits::CaseCard;
use crate::components::error_note::ErrorNote;
use crate::components::labels;
use crate::components::nav::percent_encode;
use crate::domain::case::view::ListParams;
use crate::domain::case::{Colour, Status, Tier};
use crate::domain::territory::{Level, TerritoryNode};
use crate::i18n::{Lang, Msg, t};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The query keys a filter chip keeps when it changes its own.
const FILTER_KEYS: [&str; 9] = [
    "colour",
    "tier",
    "status",
    "supervised",
    "area",
    "category",
    "from",
    "to",
    "q",
];

#[component]
pub fn CasesPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let get = move |k: &str| query.read().get(k).filter(|v| !v.is_empty());
    let fields = move || ListParams {
        colour: get("colour"),
        tier: get("tier"),
        status: get("status"),
        supervised: get("supervised"),
        page: get("page"),
        area: get("area"),
        category: get("category"),
        from: get("from"),
        to: get("to"),
        q: get("q"),
        per_page: None,
    };
    let cases = Resource::new(fields, list_cases);
    // The search form's choices: categories, and the streets and communities in scope.
    let choices = Resource::new(
        || (),
        |_| async {
            let categories = get_case_forms()
                .await
                .map(|f| f.categories)
                .unwrap_or_default();
            let areas = get_territory_tree()
                .await
                .unwrap_or_default()
                .into_iter()
                .filter(|n| matches!(n.level, Level::Street | Level::Community))
                .collect::<Vec<_>>();
            (categories, areas)
        },
    );
    // A link that sets one filter and keeps the others.
    let link = move |key: &'static str, value: Option<&str>| {
        let mut pairs: Vec<(String, String)> = FILTER_KEYS
            .iter()
            .filter(|k| **k != key)
            .filter_map(|k| get(k).map(|v| (k.to_string(), v)))
            .collect();
        if let Some(v) = value {
            pairs.push((key.to_owned(), v.to_owned()));
        }
        let q: Vec<String> = pairs
            .iter()
            .map(|(k, v)| format!("{k}={}", percent_encode(v)))
            .collect();
        if q.is_empty() {
            "/cases".to_owned()
        } else {
            format!("/cases?{}", q.join("&"))
        }
    };
    // The same list as a file: the filters without the page.
    let export =
        move |ext: &str| link("page", None).replacen("/cases", &format!("/api/v1/cases.{ext}"), 1);
    let current = move |key: &'static str, value: Option<&str>| {
        if get(key).as_deref() == value {
            "true"
        } else {
            "false"
        }
    };
    let chip = move |key: &'static str,
                     value: Option<&'static str>,
                     label: Msg,
                     class: &'static str| {
        view! { <a class=format!("filter {class}") href=move || link(key, value) aria-pressed=move || current(key, value)>{t(lang, label)}</a> }
    };
    view! {
        <div class="page-head">
            <h1 class="page-title">{tr(Msg::CasesTitle)}</h1>
            <a class="button primary" href="/cases/new">{tr(Msg::NavNewCase)}</a>
        </div>
        <nav class="filters" aria-label=t(lang, Msg::Filter)>
            <div class="filter-row">
                {chip("colour", None, Msg::FilterAll, "")}
                {Colour::ALL.iter().map(|c| chip("colour", Some(c.as_str()), labels::colour(*c), match c { Colour::Red => "f-red", Colour::Yellow => "f-yellow", Colour::Green => "f-green" })).collect::<Vec<_>>()}
                {chip("supervised", Some("true"), Msg::Supervised, "")}
            </div>
            <div class="filter-row">
                {chip("tier", None, Msg::FilterAll, "")}
                {Tier::ALL.iter().map(|x| chip("tier", Some(x.as_str()), labels::tier(*x), "")).collect::<Vec<_>>()}
            </div>
            <div class="filter-row">
                {chip("status", None, Msg::FilterAll, "")}
                {Status::ALL.iter().filter(|s| **s != Status::Merged).map(|x| chip("status", Some(x.as_str()), labels::status(*x), "")).collect::<Vec<_>>()}
            </div>
        </nav>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let (categories, areas) = choices.await;
                view! { <SearchForm categories=categories areas=areas/> }
            })}
        </Transition>
        <Transition fallback=move || view! { <p class="muted">{t(lang, Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match cases.await {
                    Ok(page) => {
                        let pages = (page.total + page.per_page - 1) / page.per_page.max(1);
                        let here = page.page;
                        let nav = move |p: i64| {
                            let mut l = link("page", None);
                            l.push(if l.contains('?') { '&' } else { '?' });
                            format!("{l}page={p}")
                        };
                        Either::Left(view! {
                            <p class="muted list-count">
                                {t(lang, Msg::CaseCount).replace("{n}", &page.total.to_string())}
                                <span class="exports">{t(lang, Msg::ExportList)}
                                    {["xlsx", "csv", "geojson"].map(|ext| view! { " " <a href=export(ext) download rel="external">{ext.to_uppercase().replace("GEOJSON", "GeoJSON")}</a> })}
                                </span>
                            </p>
                            {if page.cases.is_empty() {
                                Either::Left(view! { <p class="card">{t(lang, Msg::NoCases)}</p> })
                            } else {
                                Either::Right(view! { <ul class="case-list">{page.cases.into_iter().map(|c| view! { <CaseCard case=c/> }).collect::<Vec<_>>()}</ul> })
                            }}
                            <div class="pager">
                                {(here > 1).then(|| view! { <a class="button" href=nav(here - 1)>{t(lang, Msg::PrevPage)}</a> })}
                                <span class="muted">{format!("{here} / {}", pages.max(1))}</span>
                                {(here < pages).then(|| view! { <a class="button" href=nav(here + 1)>{t(lang, Msg::NextPage)}</a> })}
                            </div>
                        })
                    }
                    Err(e) => Either::Right(view! { <ErrorNote error=e/> }),
                }
            })}
        </Transition>
    }
}

/// Search by words or 查询码, and narrow by category, street or community, and dates: a
/// plain GET form, so it works before the app takes over and its result is a link.
#[component]
fn SearchForm(categories: Vec<CategoryOption>, areas: Vec<TerritoryNode>) -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let get = move |k: &str| query.read_untracked().get(k).unwrap_or_default();
    let name = move |zh: &str, en: &str| {
        if lang == Lang::Zh {
            zh.to_owned()
        } else {
            en.to_owned()
        }
    };
    let (category, area) = (get("category"), get("area"));
    view! {
        <form class="case-search" method="get" action="/cases" role="search">
            {["colour", "tier", "status", "supervised"].into_iter().filter(|k| !get(k).is_empty()).map(|k| view! {
                <input type="hidden" name=k value=get(k)/>
            }).collect::<Vec<_>>()}
            <label class="grow">{t(lang, Msg::SearchCases)}
                <input type="search" name="q" maxlength="100" value=get("q") placeholder=t(lang, Msg::SearchCasesHint)/>
            </label>
            <label>{t(lang, Msg::CategoryLabel)}
                <select name="category">
                    <option value="">{t(lang, Msg::FilterAll)}</option>
                    {categories.into_iter().map(|c| {
                        let chosen = c.code == category;
                        view! { <option value=c.code.clone() selected=chosen>{name(&c.name, &c.name_en)}</option> }
                    }).collect::<Vec<_>>()}
                </select>
            </label>
            {(!areas.is_empty()).then(|| view! {
                <label>{t(lang, Msg::AreaFilterLabel)}
                    <select name="area">
                        <option value="">{t(lang, Msg::FilterAll)}</option>
                        {areas.into_iter().map(|n| {
                            let chosen = n.code == area;
                            let indent = if n.level == Level::Community { "\u{3000}" } else { "" };
                            view! { <option value=n.code.clone() selected=chosen>{format!("{indent}{}", name(&n.name, &n.name_en))}</option> }
                        }).collect::<Vec<_>>()}
                    </select>
                </label>
            })}
            <label>{t(lang, Msg::FromDate)}<input type="date" name="from" value=get("from")/></label>
            <label>{t(lang, Msg::ToDate)}<input type="date" name="to" value=get("to")/></label>
            <button type="submit" class="primary">{t(lang, Msg::Search)}</button>
        </form>
    }
}
