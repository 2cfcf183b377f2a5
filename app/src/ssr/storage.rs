//! The data folder's health: photo files that no row names (left by a crash between a
//! photo's write and its step's commit) and the free space that photos and SQLite need.

use crate::ssr::db::Db;
use crate::ssr::photos::{self, PART_SUFFIX};
use crate::ssr::store::{self, StoreError};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// Names checked against the database per query.
const BATCH: usize = 500;

/// What one sweep removed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Swept {
    /// Photos no case step or visit names.
    pub orphans: usize,
    /// Files left half-written (`NAME.jpg.part`).
    pub parts: usize,
    /// Photos still named by a row.
    pub kept: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum SweepError {
    #[error("reading the photo folder: {0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Removes the photo files that no row names and the half-written ones, among those last
/// changed before `now - grace`: a younger file may belong to a request still running (on
/// this instance or, with a shared folder, another one), so `grace` must exceed the
/// longest request. Files whose names we never generate are left alone.
pub async fn sweep_photos(db: &Db, data_dir: &Path, grace: Duration) -> Result<Swept, SweepError> {
    let dir = photos::dir(data_dir);
    let cutoff = SystemTime::now()
        .checked_sub(grace)
        .unwrap_or(SystemTime::UNIX_EPOCH);
    let (names, parts) = tokio::task::spawn_blocking(move || old_files(&dir, cutoff))
        .await
        .map_err(std::io::Error::other)??;
    let mut swept = Swept {
        parts: parts.len(),
        ..Swept::default()
    };
    remove_all(parts).await;
    let folder = photos::dir(data_dir);
    for batch in names.chunks(BATCH) {
        let named = store::photos::referenced(&db.pool, batch).await?;
        let orphans: Vec<PathBuf> = batch
            .iter()
            .filter(|n| !named.contains(*n))
            .map(|n| folder.join(n))
            .collect();
        swept.kept += named.len();
        swept.orphans += orphans.len();
        remove_all(orphans).await;
    }
    Ok(swept)
}

/// Our photo names and half-written files in `dir` last changed before `cutoff`.
fn old_files(dir: &Path, cutoff: SystemTime) -> std::io::Result<(Vec<String>, Vec<PathBuf>)> {
    let mut names = Vec::new();
    let mut parts = Vec::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((names, parts)),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let entry = entry?;
        let meta = entry.metadata()?;
        if !meta.is_file() || meta.modified()? >= cutoff {
            continue;
        }
        let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
            continue;
        };
        match name.strip_suffix(PART_SUFFIX) {
            Some(photo) if photos::is_our_name(photo) => parts.push(entry.path()),
            Some(_) => {}
            None if photos::is_our_name(&name) => names.push(name),
            None => {}
        }
    }
    Ok((names, parts))
}

async fn remove_all(files: Vec<PathBuf>) {
    for f in files {
        if let Err(e) = tokio::fs::remove_file(&f).await {
            tracing::warn!(error = %e, file = %f.display(), "removing a stray photo file failed");
        }
    }
}

/// Free space for an unprivileged writer in the folder `dir`, in bytes.
pub fn free_bytes(dir: &Path) -> std::io::Result<u64> {
    let s = rustix::fs::statvfs(dir)?;
    Ok(s.f_bavail.saturating_mul(s.f_frsize))
}

/// Remembers whether space was low at the last look, so that the log says it once when it
/// falls under the threshold and once when it comes back.
#[derive(Debug, Default)]
pub struct SpaceWatch {
    low: bool,
}

impl SpaceWatch {
    /// Looks at the free space now; warns on the way down, tells on the way up.
    pub fn look(&mut self, dir: &Path, threshold: u64) {
        match free_bytes(dir) {
            Ok(free) => {
                let low = free < threshold;
                if low && !self.low {
                    tracing::warn!(
                        free_mb = free / 1_048_576,
                        threshold_mb = threshold / 1_048_576,
                        dir = %dir.display(),
                        "low disk space in the data folder: photos and reports will be refused when it is full"
                    );
                } else if !low && self.low {
                    tracing::info!(
                        free_mb = free / 1_048_576,
                        "disk space in the data folder is back above the threshold"
                    );
                }
                self.low = low;
            }
            Err(e) => {
                tracing::warn!(error = %e, dir = %dir.display(), "cannot read the data folder's free space")
            }
        }
    }
}
