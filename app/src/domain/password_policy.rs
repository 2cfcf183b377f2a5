//! What a new password must be (OWASP ASVS 5.0 §6.2): long enough, not absurdly long, not
//! a common password, not the username. No composition rules (they make passwords worse,
//! not stronger), any characters allowed, Chinese included. The list of common passwords
//! lives with the server (`ssr::password`) and is passed in, so this stays free of data.

use crate::i18n::Msg;

/// At least this many characters (ASVS: 8, 12 or more recommended: the page says so).
pub const MIN_CHARS: usize = 8;
/// At most this many (ASVS: at least 64 must be allowed; argon2 takes any length).
pub const MAX_CHARS: usize = 128;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PasswordProblem {
    TooShort,
    TooLong,
    Common,
    LikeUsername,
    SameAsOld,
}

impl PasswordProblem {
    pub fn msg(self) -> Msg {
        match self {
            PasswordProblem::TooShort => Msg::ErrPasswordShort,
            PasswordProblem::TooLong => Msg::ErrPasswordLong,
            PasswordProblem::Common => Msg::ErrPasswordCommon,
            PasswordProblem::LikeUsername => Msg::ErrPasswordUsername,
            PasswordProblem::SameAsOld => Msg::ErrPasswordSame,
        }
    }
}

/// Checks a new password for `username`; `is_common` answers for the lower-cased password.
pub fn check(
    password: &str,
    username: &str,
    is_common: impl Fn(&str) -> bool,
) -> Result<(), PasswordProblem> {
    let chars = password.chars().count();
    if chars < MIN_CHARS {
        return Err(PasswordProblem::TooShort);
    }
    if chars > MAX_CHARS {
        return Err(PasswordProblem::TooLong);
    }
    let lower = password.to_lowercase();
    let user = username.trim().to_lowercase();
    if !user.is_empty()
        && (lower == user || lower.contains(&user) && chars < user.chars().count() + 4)
    {
        return Err(PasswordProblem::LikeUsername);
    }
    if is_common(&lower) {
        return Err(PasswordProblem::Common);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn common(p: &str) -> bool {
        matches!(p, "password123" | "woaini1314")
    }

    #[test]
    fn length_common_and_username() {
        assert_eq!(
            check("short7!", "li", common),
            Err(PasswordProblem::TooShort)
        );
        assert_eq!(
            check(&"长".repeat(129), "li", common),
            Err(PasswordProblem::TooLong)
        );
        assert_eq!(check(&"长".repeat(128), "li", common), Ok(()));
        assert_eq!(
            check("Password123", "li", common),
            Err(PasswordProblem::Common)
        );
        assert_eq!(
            check("WoAiNi1314", "li", common),
            Err(PasswordProblem::Common)
        );
        assert_eq!(
            check("zhangwei1", "zhangwei", common),
            Err(PasswordProblem::LikeUsername)
        );
        assert_eq!(
            check("ZHANGWEI", "zhangwei", common),
            Err(PasswordProblem::LikeUsername)
        );
        // No composition rules: a long lower-case phrase or a Chinese one is fine.
        assert_eq!(
            check("桂花树下的长椅", "zhangwei", common),
            Err(PasswordProblem::TooShort)
        );
        assert_eq!(check("桂花树下有一张长椅", "zhangwei", common), Ok(()));
        assert_eq!(check("correct horse battery", "zhangwei", common), Ok(()));
        assert_eq!(
            check("zhangwei loves the river", "zhangwei", common),
            Ok(())
        );
    }
}
