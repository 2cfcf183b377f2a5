//! Static files compressed once at the highest levels (brotli 11, gzip 9) instead of on
//! every request at the fast levels the response compressor uses: the staff app's WASM is
//! the largest thing a desk downloads, and a phone on a weak network pays for each byte.
//! `gridgov precompress` writes `name.br` and `name.gz` beside each file (README command 1
//! runs it after the release build); `super::static_dir` serves them to clients that accept
//! them.

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

/// What is worth compressing (text and WASM); images are compressed already.
const COMPRESSIBLE: &[&str] = &["wasm", "js", "mjs", "css", "svg", "json", "webmanifest"];
/// Below this, a compressed copy saves less than its headers cost.
const MIN_BYTES: u64 = 1024;

/// How much a run wrote.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub files: usize,
    pub bytes: u64,
    pub brotli: u64,
    pub gzip: u64,
}

/// Writes the `.br` and `.gz` copies under `root` that are missing or older than their file.
pub fn precompress(root: &Path) -> io::Result<Report> {
    let mut report = Report::default();
    for file in files(root)? {
        let meta = std::fs::metadata(&file)?;
        if meta.len() < MIN_BYTES || !worth_it(&file) {
            continue;
        }
        let (br, gz) = (with_suffix(&file, "br"), with_suffix(&file, "gz"));
        if fresh(&br, &meta)? && fresh(&gz, &meta)? {
            continue;
        }
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        std::fs::File::open(&file)?.read_to_end(&mut bytes)?;
        report.brotli += write_atomically(&br, &brotli11(&bytes)?)?;
        report.gzip += write_atomically(&gz, &gzip9(&bytes)?)?;
        report.files += 1;
        report.bytes += meta.len();
    }
    Ok(report)
}

/// Removes the copies older than their file (a build after the last `precompress`) or
/// without one: served, they would hand browsers last release's code. Run at start.
pub fn drop_stale(root: &Path) -> io::Result<usize> {
    let mut dropped = 0;
    for copy in files(root)? {
        let Some(original) = original_of(&copy) else {
            continue;
        };
        let stale = match std::fs::metadata(&original) {
            Ok(meta) => !fresh(&copy, &meta)?,
            Err(e) if e.kind() == io::ErrorKind::NotFound => true,
            Err(e) => return Err(e),
        };
        if stale {
            std::fs::remove_file(&copy)?;
            dropped += 1;
        }
    }
    Ok(dropped)
}

/// `app.js` for `app.js.br` or `app.js.gz` (of a kind we compress).
fn original_of(copy: &Path) -> Option<PathBuf> {
    let ext = copy.extension()?.to_str()?;
    if ext != "br" && ext != "gz" {
        return None;
    }
    let original = copy.with_extension("");
    worth_it(&original).then_some(original)
}

fn worth_it(file: &Path) -> bool {
    file.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| COMPRESSIBLE.contains(&e))
}

fn with_suffix(file: &Path, suffix: &str) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

/// Whether `copy` exists and is not older than its file.
fn fresh(copy: &Path, original: &std::fs::Metadata) -> io::Result<bool> {
    match std::fs::metadata(copy) {
        Ok(m) => Ok(m.modified()? >= original.modified()?),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e),
    }
}

/// Every regular file below `root` (not following links).
pub(super) fn files(root: &Path) -> io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let entry = entry?;
            let kind = entry.file_type()?;
            if kind.is_dir() {
                dirs.push(entry.path());
            } else if kind.is_file() {
                out.push(entry.path());
            }
        }
    }
    out.sort();
    Ok(out)
}

fn brotli11(bytes: &[u8]) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 64 * 1024, 11, 22);
        w.write_all(bytes)?;
    }
    Ok(out)
}

fn gzip9(bytes: &[u8]) -> io::Result<Vec<u8>> {
    let mut w = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    w.write_all(bytes)?;
    w.finish()
}

/// The copy appears whole or not at all (a server serving meanwhile never sends half).
fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<u64> {
    let tmp = with_suffix(path, "tmp");
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)?;
    Ok(bytes.len() as u64)
}
