//! Use cases. Each takes the state, the acting user and parsed input, owns its transaction,
//! and returns domain types or an `AppError`. Handlers and server functions stay thin.

pub mod accounts;
pub mod audit;
pub mod auth;
pub mod buildings;
pub mod calendar;
pub mod cases;
pub mod categories;
pub mod demo_passwords;
pub mod department_import;
pub mod departments;
pub mod hotline;
pub mod households;
pub mod members;
pub mod notify;
pub mod open311;
pub mod oversight;
pub mod reply_templates;
pub mod residents;
pub mod retention;
pub mod roster;
pub mod step_keys;
pub mod territory;
pub mod territory_import;
pub mod webhooks;
pub mod worker;
