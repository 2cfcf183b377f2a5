//! `/admin/accounts`, `/admin/departments` and `/admin/members`: administrators create the
//! district's accounts and departments one by one or from a table, reset passwords,
//! deactivate, and assign the people serving each grid (1+3+N). Light pages: every form
//! works without JavaScript and posts back to its page.

mod accounts;
mod departments;
mod members;

pub use accounts::{AccountsView, accounts_page};
pub use departments::{DepartmentsView, departments_page};
pub use members::{MembersView, members_page};

use super::PageCtx;

const STYLES: [&str; 2] = ["/resident.css", "/worker.css"];

fn post_to(ctx: &PageCtx, path: &str) -> String {
    format!("{path}?_csrf={}", ctx.csrf)
}
