//! Password hashing: argon2id with the crate's defaults (19 MiB, 2 passes), PHC strings;
//! and the list of common passwords a new one is checked against (`common.txt`).

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

/// Whether a (lower-cased) password is on the shipped list of common passwords.
pub fn is_common(lower: &str) -> bool {
    static LIST: std::sync::OnceLock<std::collections::HashSet<&'static str>> =
        std::sync::OnceLock::new();
    LIST.get_or_init(|| {
        include_str!("common.txt")
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    })
    .contains(lower)
}

/// A new password for `username`, or why not (`domain::password_policy`).
pub fn acceptable(
    password: &str,
    username: &str,
) -> Result<(), crate::domain::password_policy::PasswordProblem> {
    crate::domain::password_policy::check(password, username, is_common)
}

/// A temporary password an administrator hands over once: 16 characters from an alphabet
/// without look-alikes (no 0/O, 1/l/I), about 90 bits.
pub fn temporary() -> String {
    crate::ssr::crypto::random_code(
        b"23456789abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ",
        16,
    )
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

    #[test]
    fn the_common_list_is_loaded_and_temporary_passwords_pass_the_policy() {
        assert!(is_common("password123") && is_common("woaini1314") && is_common("demo@2026"));
        assert!(!is_common("桂花树下有一张长椅"));
        let t = temporary();
        assert_eq!(t.len(), 16);
        assert_eq!(acceptable(&t, "worker"), Ok(()));
        assert_ne!(t, temporary());
    }
}
