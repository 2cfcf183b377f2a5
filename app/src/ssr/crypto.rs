//! Personal data sealed at rest (PIPL): residents' phone numbers and names, household ID
//! numbers. XChaCha20-Poly1305 with a random 192-bit nonce per value, so equal values
//! seal differently and a stolen database shows nothing. The key lives outside the
//! database: `GRIDGOV_SECRET_KEY` (64 hex digits) or, for zero set-up, the file
//! `secret.key` in the data folder, created with mode 0600 at first start.
//!
//! Losing the key loses the sealed values (and only those): back it up with the data.

use base64::Engine;
use base64::engine::general_purpose::STANDARD_NO_PAD as B64;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::path::Path;

/// A sealed value starts with this tag, so the format can change later.
const TAG: &str = "v1:";
const KEY_FILE: &str = "secret.key";

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("GRIDGOV_SECRET_KEY must be 64 hexadecimal digits")]
    BadEnvKey,
    #[error("the key file {0} must hold 64 hexadecimal digits")]
    BadKeyFile(String),
    #[error("cannot read or create the key file {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("a sealed value could not be opened (wrong key or damaged data)")]
pub struct OpenError;

/// Hex characters of a feedback token: 96 bits.
pub const FEEDBACK_TOKEN_LEN: usize = 24;

/// Seals and opens personal data. `Debug` never shows the key.
#[derive(Clone)]
pub struct Sealer {
    cipher: XChaCha20Poly1305,
    /// Keys fingerprints of requests that hold personal data (an idempotency record must not
    /// let anyone test guesses of a resident's phone against a plain hash).
    mac_key: [u8; 32],
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sealer(..)")
    }
}

impl Sealer {
    pub fn from_key(key: [u8; 32]) -> Sealer {
        // A key of its own for fingerprints, derived so that one secret still suffices.
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&key).expect("HMAC takes any key");
        mac.update(b"gridgov fingerprint key v1");
        Sealer {
            cipher: XChaCha20Poly1305::new(&key.into()),
            mac_key: mac.finalize().into_bytes().into(),
        }
    }

    /// A keyed fingerprint (HMAC-SHA256, hex) of the parts, each length-prefixed so that
    /// ("ab", "c") and ("a", "bc") differ. Equal on every instance that shares the key.
    pub fn fingerprint<'a>(&self, parts: impl IntoIterator<Item = &'a [u8]>) -> String {
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(&self.mac_key).expect("HMAC takes any key");
        for part in parts {
            mac.update(&(part.len() as u64).to_be_bytes());
            mac.update(part);
        }
        mac.finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// The secret that lets a case's reporter rate it: derived from the tracking code with
    /// the server's key, so it needs no storage, is the same on every instance and in every
    /// replayed answer, and is given only to whoever filed the report (staff, webhooks and
    /// logs see the tracking code, never this).
    pub fn feedback_token(&self, tracking_code: &str) -> String {
        let mut t = self.fingerprint([b"feedback token v1".as_slice(), tracking_code.as_bytes()]);
        t.truncate(FEEDBACK_TOKEN_LEN);
        t
    }

    /// Whether `token` is the case's feedback token (compared in constant time).
    pub fn holds_feedback_token(&self, tracking_code: &str, token: &str) -> bool {
        let want = self.feedback_token(tracking_code);
        let got = token.trim().as_bytes();
        got.len() == want.len()
            && want
                .as_bytes()
                .iter()
                .zip(got)
                .fold(0u8, |acc, (a, b)| acc | (a ^ b.to_ascii_lowercase()))
                == 0
    }

    /// The key from the environment value if given, else from (or into) the data folder.
    pub fn load_or_create(env_key: Option<&str>, data_dir: &Path) -> Result<Sealer, KeyError> {
        if let Some(hex) = env_key {
            return parse_hex_key(hex)
                .map(Sealer::from_key)
                .ok_or(KeyError::BadEnvKey);
        }
        let path = data_dir.join(KEY_FILE);
        let io = |source| KeyError::Io {
            path: path.display().to_string(),
            source,
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => parse_hex_key(&text)
                .map(Sealer::from_key)
                .ok_or_else(|| KeyError::BadKeyFile(path.display().to_string())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                std::fs::create_dir_all(data_dir).map_err(io)?;
                let mut key = [0u8; 32];
                rand::RngCore::fill_bytes(&mut rand::rng(), &mut key);
                let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
                write_private(&path, &hex).map_err(io)?;
                tracing::info!(path = %path.display(), "created a new key for personal data");
                Ok(Sealer::from_key(key))
            }
            Err(e) => Err(io(e)),
        }
    }

    pub fn seal(&self, plain: &str) -> String {
        let mut nonce = [0u8; 24];
        rand::RngCore::fill_bytes(&mut rand::rng(), &mut nonce);
        let sealed = self
            .cipher
            .encrypt(XNonce::from_slice(&nonce), plain.as_bytes())
            .expect("encryption of an in-memory buffer cannot fail");
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        format!("{TAG}{}", B64.encode(out))
    }

    pub fn open(&self, sealed: &str) -> Result<String, OpenError> {
        let bytes = sealed
            .strip_prefix(TAG)
            .and_then(|b| B64.decode(b).ok())
            .filter(|b| b.len() > 24)
            .ok_or(OpenError)?;
        let (nonce, body) = bytes.split_at(24);
        let plain = self
            .cipher
            .decrypt(XNonce::from_slice(nonce), body)
            .map_err(|_| OpenError)?;
        String::from_utf8(plain).map_err(|_| OpenError)
    }
}

fn parse_hex_key(text: &str) -> Option<[u8; 32]> {
    let t = text.trim();
    if t.len() != 64 || !t.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let mut key = [0u8; 32];
    for (i, k) in key.iter_mut().enumerate() {
        *k = u8::from_str_radix(&t[i * 2..i * 2 + 2], 16).ok()?;
    }
    Some(key)
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(text.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}

/// `len` characters drawn uniformly from `alphabet` (codes and temporary passwords).
/// Whether two secrets are equal, in time that tells nothing about where they differ or
/// how long either is (both are hashed first).
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    use sha2::{Digest, Sha256};
    let (x, y) = (Sha256::digest(a), Sha256::digest(b));
    x.iter()
        .zip(y.iter())
        .fold(0u8, |acc, (p, q)| acc | (p ^ q))
        == 0
}

pub fn random_code(alphabet: &[u8], len: usize) -> String {
    use rand::Rng;
    let mut rng = rand::rng();
    (0..len)
        .map(|_| alphabet[rng.random_range(0..alphabet.len())] as char)
        .collect()
}

/// `bytes` random bytes as lower-case hex (secrets, file names).
pub fn random_hex(bytes: usize) -> String {
    use rand::RngCore;
    let mut b = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut b);
    b.iter().map(|x| format!("{x:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feedback_tokens_belong_to_one_code_and_one_key() {
        let a = Sealer::from_key([7; 32]);
        let b = Sealer::from_key([8; 32]);
        let t = a.feedback_token("ABCDEFGHJK");
        assert_eq!(t.len(), FEEDBACK_TOKEN_LEN);
        assert!(a.holds_feedback_token("ABCDEFGHJK", &t));
        assert!(a.holds_feedback_token("ABCDEFGHJK", &t.to_uppercase()));
        assert!(!a.holds_feedback_token("ABCDEFGHJM", &t));
        assert!(!b.holds_feedback_token("ABCDEFGHJK", &t));
        assert!(!a.holds_feedback_token("ABCDEFGHJK", ""));
        assert!(!a.holds_feedback_token("ABCDEFGHJK", &t[..FEEDBACK_TOKEN_LEN - 1]));
    }

    #[test]
    fn fingerprints_are_keyed_and_separate_their_parts() {
        let (a, b) = (Sealer::from_key([7; 32]), Sealer::from_key([8; 32]));
        let parts: [&[u8]; 2] = [b"13812341234", b"x"];
        assert_eq!(a.fingerprint(parts), a.fingerprint(parts));
        assert_ne!(
            a.fingerprint(parts),
            b.fingerprint(parts),
            "another key, another print"
        );
        assert_ne!(
            a.fingerprint([&b"ab"[..], b"c"]),
            a.fingerprint([&b"a"[..], b"bc"])
        );
        // Not the plain SHA-256 anyone could recompute from a guessed phone number.
        use sha2::Digest;
        let plain: String = Sha256::digest(b"13812341234")
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_ne!(a.fingerprint([&b"13812341234"[..]]), plain);
    }

    #[test]
    fn sealed_values_round_trip_and_hide_the_plain_text() {
        let s = Sealer::from_key([7; 32]);
        let a = s.seal("13812341234");
        let b = s.seal("13812341234");
        assert_ne!(a, b, "a fresh nonce each time");
        assert!(!a.contains("1381234"));
        assert_eq!(s.open(&a).unwrap(), "13812341234");
        assert_eq!(
            Sealer::from_key([8; 32]).open(&a),
            Err(OpenError),
            "wrong key"
        );
        let mut damaged = a.clone();
        damaged.pop();
        assert_eq!(s.open(&damaged), Err(OpenError));
        assert_eq!(s.open("13812341234"), Err(OpenError));
    }

    #[test]
    fn the_key_file_is_created_once_and_reused() {
        let dir = tempfile_dir();
        let s1 = Sealer::load_or_create(None, &dir).unwrap();
        let sealed = s1.seal("张三");
        let s2 = Sealer::load_or_create(None, &dir).unwrap();
        assert_eq!(s2.open(&sealed).unwrap(), "张三");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.join(KEY_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert!(matches!(
            Sealer::load_or_create(Some("short"), &dir),
            Err(KeyError::BadEnvKey)
        ));
        let hex = "ab".repeat(32);
        assert!(Sealer::load_or_create(Some(&hex), &dir).is_ok());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    fn tempfile_dir() -> std::path::PathBuf {
        let mut b = [0u8; 8];
        rand::RngCore::fill_bytes(&mut rand::rng(), &mut b);
        let name: String = b.iter().map(|x| format!("{x:02x}")).collect();
        std::env::temp_dir().join(format!("gridgov-key-{name}"))
    }
}
