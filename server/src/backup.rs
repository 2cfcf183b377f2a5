//! `gridgov backup DIR` and `gridgov restore DIR`: a district's data in one folder — the
//! database (a consistent snapshot of a live SQLite database by `VACUUM INTO`; `pg_dump`
//! for PostgreSQL), the key that opens the sealed personal data, and the photos.
//!
//! Restore goes into an empty data folder (or an empty PostgreSQL database) with the
//! server stopped; it never overwrites.

use anyhow::{Context, bail};
use app::ssr::config::Config;
use app::ssr::db::{Backend, Db};
use std::path::{Path, PathBuf};
use std::process::Command;

const DB_FILE: &str = "gridgov.db";
const PG_FILE: &str = "gridgov.pgdump";
const KEY_FILE: &str = "secret.key";
const PHOTOS: &str = "photos";

/// What a backup holds, as the command reports it.
#[derive(Debug, Default)]
pub struct Summary {
    pub database: PathBuf,
    pub key_copied: bool,
    pub photos: usize,
}

pub async fn backup(config: &Config, dir: &Path) -> anyhow::Result<Summary> {
    if dir.exists() && std::fs::read_dir(dir)?.next().is_some() {
        bail!(
            "{} is not empty: a backup goes into a new or empty folder",
            dir.display()
        );
    }
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let db = Db::connect_with(&config.database_url, config.db).await?;
    let database = match db.backend {
        Backend::Sqlite => {
            let target = dir.join(DB_FILE);
            // A consistent copy of a live database, taken inside one read transaction.
            sqlx::query("VACUUM INTO $1")
                .bind(target.display().to_string())
                .execute(&db.pool)
                .await
                .context("VACUUM INTO")?;
            target
        }
        Backend::Postgres => {
            let target = dir.join(PG_FILE);
            run(Command::new("pg_dump")
                .args(["--format=custom", "--no-owner", "--file"])
                .arg(&target)
                .arg(&config.database_url))?;
            target
        }
    };
    let key = config.data_dir.join(KEY_FILE);
    let key_copied = config.secret_key.is_none() && key.exists();
    if key_copied {
        std::fs::copy(&key, dir.join(KEY_FILE)).context("copying the key")?;
        restrict(&dir.join(KEY_FILE))?;
    }
    let photos = copy_files(&config.data_dir.join(PHOTOS), &dir.join(PHOTOS))?;
    Ok(Summary {
        database,
        key_copied,
        photos,
    })
}

pub async fn restore(config: &Config, dir: &Path) -> anyhow::Result<Summary> {
    let key = dir.join(KEY_FILE);
    let target_key = config.data_dir.join(KEY_FILE);
    if target_key.exists() {
        bail!(
            "{} exists: restore into an empty data folder",
            target_key.display()
        );
    }
    std::fs::create_dir_all(&config.data_dir)?;
    let database = if config.database_url.starts_with("sqlite:") {
        let source = dir.join(DB_FILE);
        let target = sqlite_path(&config.database_url)?;
        if !source.exists() {
            bail!("{} holds no {DB_FILE}", dir.display());
        }
        if target.exists() {
            bail!(
                "{} exists: restore into an empty data folder",
                target.display()
            );
        }
        std::fs::copy(&source, &target).context("copying the database")?;
        target
    } else {
        let source = dir.join(PG_FILE);
        run(Command::new("pg_restore")
            .args(["--no-owner", "--exit-on-error", "--dbname"])
            .arg(&config.database_url)
            .arg(&source))?;
        source
    };
    let key_copied = key.exists();
    if key_copied {
        std::fs::copy(&key, &target_key).context("copying the key")?;
        restrict(&target_key)?;
    }
    let photos = copy_files(&dir.join(PHOTOS), &config.data_dir.join(PHOTOS))?;
    // Opening it applies any newer migrations and proves the copy is whole.
    Db::connect_with(&config.database_url, config.db).await?;
    Ok(Summary {
        database,
        key_copied,
        photos,
    })
}

fn sqlite_path(url: &str) -> anyhow::Result<PathBuf> {
    let rest = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    let path = rest.split('?').next().unwrap_or(rest);
    if path.is_empty() || path == ":memory:" {
        bail!("DATABASE_URL names no SQLite file");
    }
    Ok(PathBuf::from(path))
}

fn run(cmd: &mut Command) -> anyhow::Result<()> {
    let name = cmd.get_program().to_string_lossy().into_owned();
    let status = cmd
        .status()
        .with_context(|| format!("running {name} (install postgresql-client)"))?;
    if !status.success() {
        bail!("{name} failed: {status}");
    }
    Ok(())
}

/// Copies every file of a folder (photos are flat and never change once written).
fn copy_files(from: &Path, to: &Path) -> anyhow::Result<usize> {
    if !from.exists() {
        return Ok(0);
    }
    std::fs::create_dir_all(to)?;
    let mut n = 0;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        if entry.file_type()?.is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name()))?;
            n += 1;
        }
    }
    Ok(n)
}

fn restrict(path: &Path) -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    let _ = path;
    Ok(())
}
