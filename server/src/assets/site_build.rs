//! Which staff app the site root holds, read once at start: with content-hashed file names
//! or plain ones, split by route or not. The server tells Leptos which names to put in the
//! pages from what is really there, not from environment variables that a deployment can
//! forget (Leptos would name files that do not exist, or panic reading a missing list).

use std::path::{Path, PathBuf};

/// Where `cargo leptos build` writes the hashed names (`hash-file-name` in Cargo.toml puts
/// it in the site root, beside the files it names, rather than beside the binary).
pub const HASH_FILE: &str = "hash.txt";

/// The staff app found in a site root.
#[derive(Debug, PartialEq, Eq)]
pub struct SiteBuild {
    /// The absolute path of the hash list when the files carry hashed names.
    pub hash_file: Option<PathBuf>,
    /// Whether it was built with `--split` (lazy routes need the split loader).
    pub split: bool,
}

/// Why a site root cannot serve the staff app it claims to hold.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum SiteError {
    #[error(
        "{list} names {file}, which is missing: build again with `cargo leptos build --release --split`"
    )]
    Missing { list: PathBuf, file: String },
    #[error("{0} cannot be read: {1}")]
    Unreadable(PathBuf, String),
}

/// The staff app under `root` (`None` when nothing is built there: an API-only server).
pub fn site_build(root: &Path, output_name: &str) -> Result<Option<SiteBuild>, SiteError> {
    let pkg = root.join("pkg");
    let list = root.join(HASH_FILE);
    let hash_file = match std::fs::read_to_string(&list) {
        Ok(text) => {
            check_named_files(&pkg, output_name, &list, &text)?;
            Some(std::path::absolute(&list).unwrap_or(list))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if !pkg.join(format!("{output_name}.wasm")).exists() {
                return Ok(None);
            }
            None
        }
        Err(e) => return Err(SiteError::Unreadable(list, e.to_string())),
    };
    Ok(Some(SiteBuild {
        hash_file,
        split: has_split_manifest(&pkg),
    }))
}

/// Every file the list names for the pages' `<head>` (script, WASM, style) must exist: a
/// list left from another build would make every staff page load nothing.
fn check_named_files(
    pkg: &Path,
    output_name: &str,
    list: &Path,
    text: &str,
) -> Result<(), SiteError> {
    for (kind, hash) in hash_lines(text) {
        if !matches!(kind, "js" | "wasm" | "css") {
            continue;
        }
        let file = format!("{output_name}.{hash}.{kind}");
        if !pkg.join(&file).is_file() {
            return Err(SiteError::Missing {
                list: list.to_path_buf(),
                file: format!("pkg/{file}"),
            });
        }
    }
    Ok(())
}

/// `kind: hash` lines, as cargo-leptos writes them.
fn hash_lines(text: &str) -> impl Iterator<Item = (&str, &str)> {
    text.lines()
        .filter_map(|l| l.split_once(':'))
        .map(|(k, h)| (k.trim(), h.trim()))
        .filter(|(_, h)| !h.is_empty())
}

/// `__wasm_split_manifest.json`, hashed or not.
fn has_split_manifest(pkg: &Path) -> bool {
    std::fs::read_dir(pkg).is_ok_and(|entries| {
        entries.flatten().any(|e| {
            let name = e.file_name();
            let name = name.to_string_lossy();
            name.starts_with("__wasm_split_manifest.") && name.ends_with(".json")
        })
    })
}

/// Whether a file name carries a content hash (`gridgov.<22 characters>.wasm`, as
/// cargo-leptos names them: base64url of an MD5): such a file never changes, so a browser
/// may keep it for a year without asking again. The loader's unhashed placeholder name
/// (`__wasm_split.______________________.js`) is not a hash.
pub fn is_hashed_name(name: &str) -> bool {
    let mut parts = name.rsplit('.');
    let (Some(_ext), Some(hash), Some(_stem)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    hash.len() == 22
        && hash
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        && hash.bytes().any(|b| b.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names_are_told_from_plain_ones() {
        assert!(is_hashed_name("gridgov.k3Jd9_aQ-0pLmN2bV4cX7w.wasm"));
        assert!(is_hashed_name("__wasm_split.k3Jd9_aQ-0pLmN2bV4cX7w.js"));
        assert!(!is_hashed_name("gridgov.wasm"));
        assert!(!is_hashed_name("__wasm_split.______________________.js"));
        assert!(
            !is_hashed_name("gridgov.k3Jd9_aQ-0pLmN2bV4cX7.wasm"),
            "21 characters"
        );
        assert!(!is_hashed_name("k3Jd9_aQ-0pLmN2bV4cX7w.wasm"), "no stem");
        assert!(!is_hashed_name("gridgov.k3Jd9/aQ-0pLmN2bV4cX7w.wasm"));
    }
}
