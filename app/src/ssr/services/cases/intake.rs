//! A resident's report from a grid's QR page (码上办): checked, rate-limited, made
//! idempotent, and stored whole — case, first event, photos, sealed contact and the
//! idempotency key commit together, or nothing is kept and the resident is told why.

use super::reporter::resident_event;
use super::*;
use crate::domain::resident::{FieldError, ReportFields, ReportReceipt};
use crate::domain::territory::Level;
use crate::ssr::photos::{self, Processed};
use sha2::{Digest, Sha256};

/// Everything the resident sent, as received.
pub struct Submission {
    /// The grid of the QR code the resident scanned.
    pub grid_code: String,
    pub fields: ReportFields,
    pub photos: Vec<Vec<u8>>,
    pub idempotency_key: Option<String>,
    pub client_ip: String,
}

/// Why a report was not stored. Each maps to a clear 4xx in the resident's language.
#[derive(Debug)]
pub enum IntakeError {
    /// One or more fields (or photos) refused; the form shows each next to its field.
    Invalid(Vec<FieldError>),
    /// The honeypot was filled.
    Robot,
    RateLimited {
        retry_after_secs: u64,
    },
    /// The idempotency key was already used for a different report.
    KeyReused,
    UnknownGrid,
    Other(AppError),
}

impl From<AppError> for IntakeError {
    fn from(e: AppError) -> IntakeError {
        IntakeError::Other(e)
    }
}

impl From<store::StoreError> for IntakeError {
    fn from(e: store::StoreError) -> IntakeError {
        IntakeError::Other(e.into())
    }
}

impl IntakeError {
    pub fn status(&self) -> u16 {
        match self {
            IntakeError::Invalid(_) | IntakeError::KeyReused => 422,
            IntakeError::Robot => 400,
            IntakeError::RateLimited { .. } => 429,
            IntakeError::UnknownGrid => 404,
            IntakeError::Other(e) => e.status(),
        }
    }

    /// The seconds to wait before trying again (`Retry-After`), if any.
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            IntakeError::RateLimited { retry_after_secs } => Some(*retry_after_secs),
            IntakeError::Other(e) => e.retry_after(),
            _ => None,
        }
    }

    /// The headline message (field messages come with `Invalid`).
    pub fn msg(&self) -> Msg {
        match self {
            IntakeError::Invalid(errors) => errors.first().map_or(Msg::ErrBadRequest, |e| e.msg),
            IntakeError::Robot => Msg::ErrRobot,
            IntakeError::RateLimited { .. } => Msg::ErrReportRateLimited,
            IntakeError::KeyReused => Msg::ErrIdempotencyMismatch,
            IntakeError::UnknownGrid => Msg::ErrNotFound,
            IntakeError::Other(e) => e.msg(),
        }
    }
}

/// The answer to a stored (or replayed) report.
#[derive(Debug)]
pub struct Stored {
    pub receipt: ReportReceipt,
    /// The same idempotency key and body were seen before: this is the first answer again.
    pub replayed: bool,
}

/// Idempotency keys are what clients make them (a UUID in our form): short and plain.
fn valid_key(key: &str) -> bool {
    (8..=128).contains(&key.len())
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
}

#[tracing::instrument(skip_all, err(Debug), fields(grid = %s.grid_code, photos = s.photos.len()))]
pub async fn submit(
    state: &AppState,
    s: Submission,
    now: DateTime<Utc>,
) -> Result<Stored, IntakeError> {
    let grid_code = NodeCode::parse(&s.grid_code).map_err(|_| IntakeError::UnknownGrid)?;
    let qr_grid = store::territory::get(&state.db.pool, grid_code.as_str())
        .await?
        .filter(|n| n.level == Level::Grid.as_str())
        .ok_or(IntakeError::UnknownGrid)?;
    if s.fields.is_robot() {
        tracing::info!(ip = %s.client_ip, "honeypot filled; report refused");
        return Err(IntakeError::Robot);
    }
    let cat = catalogue(state).await?;
    let mut errors = Vec::new();
    let report = match s.fields.validate(|c| cat.categories.contains_key(c)) {
        Ok(r) => Some(r),
        Err(e) => {
            errors = e;
            None
        }
    };
    if s.photos.len() > photos::MAX_PER_STEP {
        errors.push(FieldError {
            field: "photo".into(),
            msg: Msg::ErrTooManyPhotos,
        });
    }
    if s.photos.iter().any(|p| p.len() > photos::MAX_BYTES) {
        errors.push(FieldError {
            field: "photo".into(),
            msg: Msg::ErrPhotoTooLarge,
        });
    }
    let report = match report {
        Some(r) if errors.is_empty() => r,
        _ => return Err(IntakeError::Invalid(errors)),
    };
    let key = match s.idempotency_key.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(k) if valid_key(k) => Some(store::residents::KeySpace::Public.stored(k)),
        Some(_) => {
            return Err(IntakeError::Invalid(vec![FieldError {
                field: "idempotency_key".into(),
                msg: Msg::ErrBadRequest,
            }]));
        }
    };
    // Keyed with the server's secret: the canonical form holds the resident's phone.
    let canonical = report.canonical(grid_code.as_str());
    let photo_digests: Vec<_> = s.photos.iter().map(|p| Sha256::digest(p)).collect();
    let fingerprint = state.sealer.fingerprint(
        std::iter::once(canonical.as_bytes()).chain(photo_digests.iter().map(|d| d.as_slice())),
    );
    // A twin waits for the first request with its key, then gets its answer below.
    let _turn = match &key {
        Some(k) => Some(state.key_locks.turn(k).await),
        None => None,
    };
    if let Some(k) = &key {
        if let Some(answer) = replay(state, k, &fingerprint).await? {
            return Ok(answer);
        }
    }
    for limit_key in [
        format!("ip:{}", s.client_ip),
        format!("grid:{}", grid_code.as_str()),
    ] {
        if let Err(secs) = state.report_limiter.check(&limit_key) {
            tracing::info!(key = %limit_key, "public report rate-limited");
            return Err(IntakeError::RateLimited {
                retry_after_secs: secs,
            });
        }
    }
    let processed = process_photos(s.photos).await?;
    // The grid containing the resident's position; else the scanned grid itself.
    let index = state.grid_index();
    let (grid, point) = match report
        .point
        .and_then(|p| index.locate(p).map(|g| (g.to_owned(), p)))
    {
        Some(found) => found,
        None => {
            let p = index
                .interior_point(grid_code.as_str())
                .ok_or(IntakeError::UnknownGrid)?;
            (grid_code.as_str().to_owned(), p)
        }
    };
    let grid_row = if grid == qr_grid.code {
        qr_grid
    } else {
        store::territory::get(&state.db.pool, &grid)
            .await?
            .ok_or(IntakeError::UnknownGrid)?
    };
    let tracking_code = new_tracking_code();
    let mut written = Vec::new();
    let result = store_report(
        state,
        &report,
        &grid_row,
        point,
        &tracking_code,
        &processed,
        key.as_deref().map(|k| (k, fingerprint.as_str())),
        &mut written,
        now,
    )
    .await;
    match result {
        Ok(()) => Ok(Stored {
            receipt: receipt(state, tracking_code),
            replayed: false,
        }),
        Err(e) => {
            super::photos::remove_files(written).await;
            // A concurrent twin with the same key won the race: answer with its case.
            if let Some(k) = &key {
                if let Some(answer) = replay(state, k, &fingerprint).await? {
                    return Ok(answer);
                }
            }
            Err(e)
        }
    }
}

async fn replay(
    state: &AppState,
    key: &str,
    fingerprint: &str,
) -> Result<Option<Stored>, IntakeError> {
    let Some((stored, case_id)) = store::residents::idempotent_answer(&state.db.pool, key).await?
    else {
        return Ok(None);
    };
    if stored != fingerprint {
        return Err(IntakeError::KeyReused);
    }
    let mut tx = begin(state).await?;
    let (row, _) = cases::load(&mut tx, case_id)
        .await?
        .ok_or(IntakeError::Other(AppError::Internal))?;
    tx.commit().await.map_err(store::StoreError::from)?;
    Ok(Some(Stored {
        receipt: receipt(state, row.tracking_code),
        replayed: true,
    }))
}

fn receipt(state: &AppState, tracking_code: String) -> ReportReceipt {
    let feedback_token = state.sealer.feedback_token(&tracking_code);
    ReportReceipt {
        url: format!("/t/{tracking_code}?k={feedback_token}"),
        tracking_code,
        feedback_token,
    }
}

/// Decodes, checks and re-encodes every photo; a refused one refuses the report.
async fn process_photos(files: Vec<Vec<u8>>) -> Result<Vec<Processed>, IntakeError> {
    photos::process_all(files).await.map_err(|e| match e {
        photos::BatchError::Photo(p) => IntakeError::Invalid(vec![FieldError {
            field: "photo".into(),
            msg: p.msg(),
        }]),
        photos::BatchError::Task => IntakeError::Other(AppError::Internal),
    })
}

#[allow(clippy::too_many_arguments)] // one transaction's inputs; a struct would only rename them
async fn store_report(
    state: &AppState,
    report: &crate::domain::resident::ValidReport,
    grid: &store::territory::NodeRow,
    point: GeoPoint,
    tracking_code: &str,
    processed: &[Processed],
    key: Option<(&str, &str)>,
    written: &mut Vec<std::path::PathBuf>,
    now: DateTime<Utc>,
) -> Result<(), IntakeError> {
    let case = CaseState::reported(&report.category, &grid.code, now, None);
    let mut tx = begin(state).await?;
    let id = cases::insert_with(
        &mut tx,
        &NewCase {
            tracking_code,
            source: Source::ResidentQr,
            description: &report.description,
            lat: point.lat(),
            lng: point.lng(),
            grid_path: &grid.path,
            state: &case,
        },
        cases::Tallies::AtEnd,
    )
    .await?;
    let seq = cases::append_event(
        &mut tx,
        id,
        &resident_event(now, "report", &report.description, serde_json::json!({ "source": Source::ResidentQr.as_str(), "category": report.category, "grid": grid.code })),
    )
    .await?;
    super::photos::store_files(&mut tx, state, id, seq, processed, now, written)
        .await
        .map_err(IntakeError::Other)?;
    if report.name.is_some() || report.phone.is_some() {
        let name = report.name.as_deref().map(|n| state.sealer.seal(n));
        let phone = report.phone.as_deref().map(|p| state.sealer.seal(p));
        store::residents::insert_contact(&mut tx, id, name.as_deref(), phone.as_deref()).await?;
    }
    if let Some((k, fingerprint)) = key {
        store::residents::remember_key(&mut tx, k, fingerprint, id, now).await?;
    }
    // Last, so that the grid's tally rows are held only until the commit (`tally_new`).
    cases::tally_new(&mut tx, id, &case).await?;
    tx.commit().await.map_err(store::StoreError::from)?;
    state.metrics.filed(Source::ResidentQr, 1);
    Ok(())
}
