//! One module per page.

pub mod case;
pub mod cases;
pub mod home;
pub mod login;
pub mod new_case;
pub mod not_found;
pub mod territory;
