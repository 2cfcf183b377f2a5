//! The staff pages as lazy routes. With `cargo leptos build --release --split` each group of
//! pages below is its own part of the WASM, fetched when one of its pages is first shown
//! (the server names the parts in the page's `<head>`, so the browser fetches them beside
//! the main module): a page no longer pays for every other page's code. Without `--split`
//! (debug builds, tests) the same routes run as ordinary ones.
//!
//! Pages are grouped by where each role lands first, and a group is one split point:
//! `wasm-split` gives every set of split points that share code its own file, so eleven
//! points made ~170 files and a slow network spent its time on requests, not bytes
//! (docs/BENCHMARKS.md, "First load on a slow 4G network").

use crate::pages;
use leptos::prelude::*;
use leptos_router::LazyRoute;

/// A page of a group, chosen inside the group's own code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    Inbox,
    Desk,
    Notifications,
    Cases,
    Case,
    NewCase,
    Dashboard,
    Rankings,
    Reports,
    Territory,
    Webhooks,
}

/// The command centre's landing page.
#[leptos::lazy]
fn inbox_group(_page: Page) -> AnyView {
    view! { <pages::inbox::InboxPage/> }.into_any()
}

/// A department's desk and everyone's notices.
#[leptos::lazy]
fn desk_group(page: Page) -> AnyView {
    match page {
        Page::Notifications => view! { <pages::notifications::NotificationsPage/> }.into_any(),
        _ => view! { <pages::desk::DeskPage/> }.into_any(),
    }
}

/// Cases: the list, one case with its steps, a case entered by staff.
#[leptos::lazy]
fn case_group(page: Page) -> AnyView {
    match page {
        Page::Cases => view! { <pages::cases::CasesPage/> }.into_any(),
        Page::NewCase => view! { <pages::new_case::NewCasePage/> }.into_any(),
        _ => view! { <pages::case::CasePage/> }.into_any(),
    }
}

/// The leaders' pages.
#[leptos::lazy]
fn leader_group(page: Page) -> AnyView {
    match page {
        Page::Rankings => view! { <pages::rankings::RankingsPage/> }.into_any(),
        Page::Reports => view! { <pages::reports::ReportsPage/> }.into_any(),
        _ => view! { <pages::dashboard::DashboardPage/> }.into_any(),
    }
}

/// The administrators' pages.
#[leptos::lazy]
fn admin_group(page: Page) -> AnyView {
    match page {
        Page::Webhooks => view! { <pages::webhooks::WebhooksPage/> }.into_any(),
        _ => view! { <pages::territory::TerritoryPage/> }.into_any(),
    }
}

/// A route drawing `$page` from `$group` (`__preload_*` is what `#[lazy]` names the function
/// that fetches a group's code ahead, in the browser build only).
macro_rules! lazy_page {
    ($route:ident, $page:ident, $group:ident, $preload:ident) => {
        pub struct $route;

        impl LazyRoute for $route {
            fn data() -> Self {
                Self
            }

            async fn view(_this: Self) -> AnyView {
                $group(Page::$page).await
            }

            async fn preload() {
                #[cfg(feature = "hydrate")]
                $preload().await;
            }
        }
    };
}

lazy_page!(InboxRoute, Inbox, inbox_group, __preload_inbox_group);
lazy_page!(DeskRoute, Desk, desk_group, __preload_desk_group);
lazy_page!(
    NotificationsRoute,
    Notifications,
    desk_group,
    __preload_desk_group
);
lazy_page!(CasesRoute, Cases, case_group, __preload_case_group);
lazy_page!(CaseRoute, Case, case_group, __preload_case_group);
lazy_page!(NewCaseRoute, NewCase, case_group, __preload_case_group);
lazy_page!(
    DashboardRoute,
    Dashboard,
    leader_group,
    __preload_leader_group
);
lazy_page!(
    RankingsRoute,
    Rankings,
    leader_group,
    __preload_leader_group
);
lazy_page!(ReportsRoute, Reports, leader_group, __preload_leader_group);
lazy_page!(
    TerritoryRoute,
    Territory,
    admin_group,
    __preload_admin_group
);
lazy_page!(WebhooksRoute, Webhooks, admin_group, __preload_admin_group);
