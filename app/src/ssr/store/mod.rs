//! Row-level database access, one file per aggregate. Row types (`…Row`) are not wire
//! types: each maps explicitly into a domain DTO.

pub mod accounts;
pub mod audit;
pub mod batch;
pub mod boards;
pub mod buildings;
pub mod case_list;
pub mod case_map;
pub mod case_state;
pub mod cases;
pub mod catalogue;
pub mod departments;
pub mod hotline;
pub mod households;
pub mod ledger;
pub mod live;
pub mod members;
pub mod notifications;
pub mod open311;
pub mod photos;
pub mod rankings;
pub mod reply_templates;
pub mod residents;
pub mod sql;
pub mod step_keys;
pub mod tallies;
pub mod territory;
pub mod territory_import;
pub mod webhooks;

use crate::error::AppError;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    /// A stored value that no longer parses (a bad migration or a manual edit).
    #[error("corrupt row: {0}")]
    Corrupt(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

impl From<StoreError> for AppError {
    /// An outage (database away, disk full) is a 503 the client retries; anything else is
    /// our fault, logged in full and answered with a generic 500.
    fn from(e: StoreError) -> AppError {
        use crate::ssr::db::{Outage, outage};
        let fault = match &e {
            StoreError::Db(d) => outage(d),
            StoreError::Corrupt(_) => None,
        };
        match fault {
            Some(Outage::Away) => {
                tracing::warn!(error = %e, "database unavailable");
                AppError::database_unavailable()
            }
            Some(Outage::Full) => {
                tracing::error!(error = %e, "the database's disk is full");
                AppError::Unavailable {
                    msg: crate::i18n::Msg::ErrStorageFull,
                    retry_after_secs: 60,
                }
            }
            None => {
                tracing::error!(error = %e, "store error");
                AppError::Internal
            }
        }
    }
}
