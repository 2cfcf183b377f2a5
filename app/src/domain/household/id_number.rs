//! Resident identity card numbers (居民身份证号, GB 11643-1999): 17 digits and a check
//! character (0-9 or X), the middle eight digits a birth date.

use chrono::NaiveDate;

/// A well-formed 18-character number: digits, a real birth date, a correct check
/// character. Lower-case `x` is accepted and stored upper-case.
pub fn parse_id_number(input: &str) -> Result<String, IdNumberError> {
    let s: String = input
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    let b = s.as_bytes();
    if b.len() != 18 || !b[..17].iter().all(u8::is_ascii_digit) {
        return Err(IdNumberError);
    }
    let birth = NaiveDate::parse_from_str(&s[6..14], "%Y%m%d").map_err(|_| IdNumberError)?;
    if !(1900..=2100).contains(&chrono::Datelike::year(&birth)) {
        return Err(IdNumberError);
    }
    if b[17] != check_char(&b[..17]) {
        return Err(IdNumberError);
    }
    Ok(s)
}

#[derive(Debug, PartialEq, Eq)]
pub struct IdNumberError;

/// The ISO 7064 MOD 11-2 check character of the first 17 digits.
pub fn check_char(digits: &[u8]) -> u8 {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = digits
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    b"10X98765432"[(sum % 11) as usize]
}

/// The birth year carried by a valid number.
pub fn birth_year(id: &str) -> Option<i32> {
    id.get(6..10)?.parse().ok()
}

/// `360102194805120021` → `**************0021`: only the last four stay, enough to tell two
/// members apart on the phone, never enough to use or narrow down the number.
pub fn mask_id_number(id: &str) -> String {
    // Only the last four: the region prefix and the birth date together would leave a few
    // dozen candidates for a resident of a known district.
    let chars: Vec<char> = id.chars().collect();
    if chars.len() <= 4 {
        return "*".repeat(chars.len());
    }
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{}{tail}", "*".repeat(chars.len() - 4))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_characters_follow_the_standard() {
        // The worked example of GB 11643-1999.
        assert_eq!(
            parse_id_number("11010519491231002X").unwrap(),
            "11010519491231002X"
        );
        assert_eq!(
            parse_id_number(" 11010519491231002x ").unwrap(),
            "11010519491231002X"
        );
        assert_eq!(birth_year("11010519491231002X"), Some(1949));
    }

    #[test]
    fn malformed_numbers_are_refused() {
        for bad in [
            "",
            "110105194912310021", // wrong check character
            "11010519491331002X", // month 13
            "1101051949123100",   // too short
            "11010518001231002X", // wrong check for this date anyway
            "A1010519491231002X",
        ] {
            assert_eq!(parse_id_number(bad), Err(IdNumberError), "{bad}");
        }
    }

    #[test]
    fn masks_keep_only_the_last_four() {
        assert_eq!(mask_id_number("11010519491231002X"), "**************002X");
        assert_eq!(mask_id_number("1234"), "****");
    }
}
