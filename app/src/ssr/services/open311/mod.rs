//! Open311 GeoReport v2 with mySociety's updates (docs/INTEGRATIONS.md): keys issued by
//! administrators, services from the category table, requests filed as cases of source
//! `open311` into the grid containing their point, and the published cases and steps.
//! Every answer is free of personal data: contacts are sealed, long numbers in free text
//! masked, and only residents' and grid workers' reports are published.

pub mod keys;
pub mod requests;
pub mod updates;

use crate::domain::open311::Error;
use crate::error::AppError;
use crate::ssr::store::StoreError;

/// An Open311 refusal: the HTTP status and the specification's error list.
#[derive(Debug)]
pub struct Refusal {
    pub status: u16,
    pub errors: Vec<Error>,
    pub retry_after: Option<u64>,
}

impl Refusal {
    pub fn new(status: u16, description: &str) -> Refusal {
        Refusal {
            status,
            errors: vec![Error::new(status, description)],
            retry_after: None,
        }
    }

    /// Field refusals: 404 when the service is unknown, else 400.
    pub fn fields(errors: Vec<Error>) -> Refusal {
        let status = errors.iter().map(|e| e.code).max().unwrap_or(400);
        Refusal {
            status,
            errors,
            retry_after: None,
        }
    }
}

impl From<AppError> for Refusal {
    fn from(e: AppError) -> Refusal {
        let mut r = Refusal::new(e.status(), crate::i18n::t(crate::i18n::Lang::En, e.msg()));
        r.retry_after = e.retry_after();
        r
    }
}

impl From<StoreError> for Refusal {
    fn from(e: StoreError) -> Refusal {
        AppError::from(e).into()
    }
}

/// `jurisdiction_id`, when given, must name a district this server serves.
pub async fn check_jurisdiction(
    state: &crate::ssr::AppState,
    jurisdiction: Option<&str>,
) -> Result<(), Refusal> {
    let Some(j) = jurisdiction.map(str::trim).filter(|j| !j.is_empty()) else {
        return Ok(());
    };
    let served = crate::ssr::store::open311::districts(&state.db.pool).await?;
    if served.iter().any(|d| d == j) {
        Ok(())
    } else {
        Err(Refusal::new(404, "jurisdiction_id: not served here"))
    }
}
