//! The case list: colour chips and filters as plain links (they work without JS), newest first.

use crate::api::cases::list_cases;
use crate::app::{tr, use_lang};
use crate::components::case_bits::CaseCard;
use crate::components::error_note::ErrorNote;
use crate::components::labels;
use crate::domain::case::{Colour, Status, Tier};
use crate::i18n::{Msg, t};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn CasesPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let get = move |k: &str| query.read().get(k).filter(|v| !v.is_empty());
    let cases = Resource::new(
        move || {
            (
                get("colour"),
                get("tier"),
                get("status"),
                get("supervised"),
                get("page"),
                get("area"),
            )
        },
        |(colour, tier, status, supervised, page, area)| {
            list_cases(
                colour,
                tier,
                status,
                supervised.map(|s| s == "true"),
                page.and_then(|p| p.parse().ok()),
                area,
            )
        },
    );
    // A link that sets one filter and keeps the others.
    let link = move |key: &'static str, value: Option<&str>| {
        let mut pairs: Vec<(String, String)> = ["colour", "tier", "status", "supervised", "area"]
            .iter()
            .filter(|k| **k != key)
            .filter_map(|k| get(k).map(|v| (k.to_string(), v)))
            .collect();
        if let Some(v) = value {
            pairs.push((key.to_owned(), v.to_owned()));
        }
        let q: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
        if q.is_empty() {
            "/cases".to_owned()
        } else {
            format!("/cases?{}", q.join("&"))
        }
    };
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
                            <p class="muted">{t(lang, Msg::CaseCount).replace("{n}", &page.total.to_string())}</p>
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
