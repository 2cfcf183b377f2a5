//! The top bar: brand, navigation by role, the account and the language switch.

use crate::app::{tr, use_lang, use_me};
use crate::components::csrf::CsrfField;
use crate::components::labels;
use crate::domain::people::Role;
use crate::i18n::{Msg, t};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

#[component]
pub fn Emblem() -> impl IntoView {
    // A 3×3 grid with one highlighted cell: the product's mark.
    view! {
        <svg class="emblem" viewBox="0 0 24 24" aria-hidden="true">
            <rect x="1" y="1" width="22" height="22" rx="4" fill="#c8102e"/>
            <path d="M8 3v18M16 3v18M3 8h18M3 16h18" stroke="#fff" stroke-width="1.6"/>
            <rect x="9.2" y="9.2" width="5.6" height="5.6" fill="#ffd200"/>
        </svg>
    }
}

#[component]
pub fn TopBar() -> impl IntoView {
    let me = use_me();
    let lang = use_lang();
    let location = use_location();
    // Read in the same suspense as the account (a nested one inside the bar raced with
    // hydration); refreshed on every navigation.
    let unread = Resource::new(
        move || location.pathname.get(),
        |_| crate::api::desk::get_unread_count(),
    );
    let demo_passwords = Resource::new(
        move || location.pathname.get(),
        |_| crate::api::session::demo_password_accounts(),
    );
    view! {
        <header class="topbar">
            <a class="brand" href="/">
                <Emblem/>
                <span class="brand-long">{tr(Msg::AppName)}</span>
                <span class="brand-short">{tr(Msg::AppShort)}</span>
            </a>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let me = me.await;
                    let unread = unread.await.unwrap_or(0);
                    let demo_passwords = demo_passwords.await.unwrap_or(0);
                    match me {
                        Ok(Some(me)) => Either::Left(view! {
                            <nav class="mainnav" aria-label=t(lang, Msg::AppShort)>
                                <NavLink href="/" msg=Msg::NavHome/>
                                {matches!(me.role, Role::Leader | Role::Center | Role::Admin | Role::GridLeader)
                                    .then(|| view! { <NavLink href="/dashboard" msg=Msg::NavDashboard/> <NavLink href="/rankings" msg=Msg::NavRankings/> <NavLink href="/reports" msg=Msg::NavReports/> })}
                                {matches!(me.role, Role::Center | Role::GridLeader | Role::Admin | Role::Leader)
                                    .then(|| view! { <NavLink href="/inbox" msg=Msg::NavInbox/> })}
                                {(me.role == Role::Dept).then(|| view! { <NavLink href="/desk" msg=Msg::NavDesk/> })}
                                <NavLink href="/cases" msg=Msg::NavCases/>
                                {matches!(me.role, Role::Leader | Role::Center | Role::Admin)
                                    .then(|| view! { <a href="/cases?supervised=true">{tr(Msg::NavSupervised)}</a> })}
                                <NavLink href="/territory" msg=Msg::NavTerritory/>
                                {(me.role == Role::Admin).then(|| view! {
                                    <NavLink href="/admin/webhooks" msg=Msg::NavWebhooks/>
                                    // A light page of the server's, not a route of the app.
                                    <a href="/admin/territory" rel="external">{tr(Msg::TerritoryAdminTitle)}</a>
                                })}
                            </nav>
                            <Bell unread=unread/>
                            <div class="account">
                                <span class="account-name">{me.display_name.clone()}</span>
                                <span class="account-role">{t(lang, labels::role(me.role))}</span>
                                <form method="post" action="/logout" class="inline">
                                    <CsrfField/>
                                    <button type="submit" class="link-button">{t(lang, Msg::Logout)}</button>
                                </form>
                            </div>
                            {(demo_passwords > 0).then(|| view! {
                                <p class="demo-banner" role="alert">{t(lang, Msg::DemoPasswordsLeft).replace("{n}", &demo_passwords.to_string())}</p>
                            })}
                        }),
                        _ => Either::Right(()),
                    }
                })}
            </Suspense>
            <LangSwitch/>
        </header>
    }
}

/// The notification bell with the unread count.
#[component]
fn Bell(unread: i64) -> impl IntoView {
    let lang = use_lang();
    view! {
        <a class="bell" href="/notifications" aria-label=t(lang, Msg::Notifications)>
            <svg viewBox="0 0 24 24" aria-hidden="true" class="bell-icon">
                <path d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1z" fill="currentColor"/>
            </svg>
            {(unread > 0).then(|| view! {
                <span class="bell-count">{if unread > 99 { "99+".to_owned() } else { unread.to_string() }}</span>
            })}
        </a>
    }
}

#[component]
fn NavLink(href: &'static str, msg: Msg) -> impl IntoView {
    let location = use_location();
    let current = move || {
        let path = location.pathname.get();
        if path == href || (href != "/" && path.starts_with(href)) {
            "page"
        } else {
            "false"
        }
    };
    view! { <a href=href aria-current=current>{tr(msg)}</a> }
}

/// A plain link to `/lang/{code}`: the server sets the cookie and sends the visitor back,
/// so the switch works without JavaScript and persists across visits.
#[component]
pub fn LangSwitch() -> impl IntoView {
    let lang = use_lang();
    let location = use_location();
    let href = move || {
        let next = format!("{}{}", location.pathname.get(), location.search.get());
        let next = if next.is_empty() {
            "/".to_owned()
        } else {
            next
        };
        format!(
            "/lang/{}?next={}",
            lang.other().code(),
            percent_encode(&next)
        )
    };
    view! {
        <a class="lang-switch" href=href rel="external" hreflang=lang.other().html_code()>
            {t(lang, Msg::SwitchLang)}
        </a>
    }
}

/// Percent-encodes everything but unreserved characters and '/'.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn encodes_queries() {
        assert_eq!(
            super::percent_encode("/territory?grid=1"),
            "/territory%3Fgrid%3D1"
        );
        assert_eq!(super::percent_encode("/网"), "/%E7%BD%91");
    }
}
