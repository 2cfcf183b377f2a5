//! Password hashing: argon2id with the crate's defaults (19 MiB, 2 passes), PHC strings.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

pub fn hash(password: &str) -> String {
    let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 with default parameters cannot fail")
        .to_string()
}

/// Constant-time verification against a stored PHC string; a malformed hash never matches.
pub fn verify(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash to verify against when the username does not exist, so that a wrong username
/// costs as much time as a wrong password and usernames cannot be discovered by timing.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash("not-a-real-password"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argon2id_round_trip() {
        let h = hash("Demo@2026");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("Demo@2026", &h));
        assert!(!verify("demo@2026", &h));
        assert!(!verify("Demo@2026", "not a hash"));
        assert_ne!(h, hash("Demo@2026"), "salted");
    }
}
