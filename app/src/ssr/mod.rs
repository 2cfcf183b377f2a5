//! Everything that touches the database, the file system or the request: compiled only
//! with the `ssr` feature. Server functions and the axum routers call the services here.

pub mod catalogue;
pub mod config;
pub mod crypto;
pub mod current_user;
pub mod db;
pub mod demo;
pub mod figures_cache;
pub mod headers;
pub mod key_locks;
pub mod live;
pub mod login_throttle;
pub mod metrics;
pub mod password;
pub mod photos;
pub mod qr;
pub mod rate_limit;
pub mod services;
pub mod session_store;
pub mod state;
pub mod storage;
pub mod store;
pub mod stream_checks;
pub mod xlsx;

pub use current_user::CurrentUser;
pub use state::AppState;
