//! Personal data as staff may see it (PIPL): phone numbers and names masked, and the
//! phone formats a resident may leave for a call back.

/// A phone number a resident typed, reduced to digits (and a leading `+`), or why not.
/// Accepts mainland mobiles (11 digits starting 1[3-9]) and landlines with area code
/// (10–12 digits starting 0); spaces and dashes are ignored.
pub fn parse_phone(input: &str) -> Result<String, PhoneError> {
    let digits: String = input
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '\u{3000}'))
        .collect();
    let digits = digits.strip_prefix("+86").unwrap_or(&digits).to_owned();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(PhoneError);
    }
    let b = digits.as_bytes();
    let mobile = b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1]);
    let landline = (10..=12).contains(&b.len()) && b[0] == b'0';
    if mobile || landline {
        Ok(digits)
    } else {
        Err(PhoneError)
    }
}

#[derive(Debug, PartialEq, Eq)]
pub struct PhoneError;

/// `13812341234` → `138****1234`: the first three and the last four digits stay.
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    if chars.len() <= 7 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 7))
}

/// `张三丰` → `张**`: the family name stays (how staff address someone on the phone).
pub fn mask_name(name: &str) -> String {
    let mut chars = name.trim().chars();
    match chars.next() {
        Some(first) => format!("{first}{}", "*".repeat(chars.count().max(1))),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_are_normalised_or_refused() {
        assert_eq!(parse_phone("138 1234 1234").unwrap(), "13812341234");
        assert_eq!(parse_phone("+86 138-1234-1234").unwrap(), "13812341234");
        assert_eq!(parse_phone("0791-8888 6666").unwrap(), "079188886666");
        for bad in ["", "12345", "12812341234", "1381234123x", "138123412345"] {
            assert_eq!(parse_phone(bad), Err(PhoneError), "{bad}");
        }
    }

    #[test]
    fn masks_keep_only_what_a_call_back_needs() {
        assert_eq!(mask_phone("13812341234"), "138****1234");
        assert_eq!(mask_phone("079188886666"), "079*****6666");
        assert_eq!(mask_phone("12345"), "*****");
        assert_eq!(mask_name("张三丰"), "张**");
        assert_eq!(mask_name("李"), "李*");
        assert_eq!(mask_name("  "), "");
    }
}
