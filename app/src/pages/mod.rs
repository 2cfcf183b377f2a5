//! One module per page.

pub mod case;
pub mod cases;
pub mod dashboard;
pub mod desk;
pub mod home;
pub mod inbox;
pub mod login;
pub mod new_case;
pub mod not_found;
pub mod notifications;
pub mod rankings;
pub mod reports;
pub mod territory;
pub mod webhooks;
