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

/// Free text for the public (Open311 answers): every run of seven or more digits — a
/// phone number, an ID number (with its final `X`), a plate or account — is masked as
/// [`mask_phone`] masks a number. Other words stay as the reporter wrote them.
pub fn scrub_numbers(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if run.chars().filter(char::is_ascii_digit).count() >= 7 {
            out.push_str(&mask_phone(run));
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in text.chars() {
        let digit_run = c.is_ascii_digit() || (matches!(c, 'X' | 'x') && !run.is_empty());
        if digit_run {
            run.push(c);
            if !c.is_ascii_digit() {
                flush(&mut run, &mut out);
            }
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
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

    #[test]
    fn long_numbers_in_free_text_are_masked_and_short_ones_stay() {
        assert_eq!(
            scrub_numbers("张先生13812341234，3号楼2单元"),
            "张先生138****1234，3号楼2单元"
        );
        assert_eq!(
            scrub_numbers("身份证36010219900101123X 问题"),
            "身份证360***********123X 问题"
        );
        assert_eq!(scrub_numbers("电话 0791-8888888"), "电话 0791-*******");
        assert_eq!(scrub_numbers("路灯 12 盏，2026年"), "路灯 12 盏，2026年");
    }
}
