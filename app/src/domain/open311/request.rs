//! A posted request (`POST requests.{fmt}`, form-encoded) checked field by field. Every
//! refusal is an Open311 error entry (code 400) naming the field, so an integrator sees
//! all that is wrong at once.

use super::{Error, SUBCATEGORY_ATTRIBUTE};
use crate::domain::geo_point::GeoPoint;
use crate::domain::privacy::parse_phone;

/// The longest description (the specification's own figure).
pub const DESCRIPTION_MAX: usize = 4000;
const NAME_MAX: usize = 50;
const URL_MAX: usize = 500;
const ADDRESS_MAX: usize = 200;
const EMAIL_MAX: usize = 254;

/// A request that passed every check.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidRequest {
    pub service_code: String,
    pub subcategory: Option<String>,
    pub point: Option<GeoPoint>,
    pub address: Option<String>,
    pub description: String,
    pub media_url: Option<String>,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// The form's value of `key`, trimmed; absent and blank are the same.
fn field<'a>(form: &'a [(String, String)], key: &str) -> Option<&'a str> {
    form.iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
}

fn bad(field: &str, why: &str) -> Error {
    Error::new(400, format!("{field}: {why}"))
}

fn bounded(
    form: &[(String, String)],
    key: &str,
    max: usize,
    errors: &mut Vec<Error>,
) -> Option<String> {
    let v = field(form, key)?;
    if v.chars().count() > max {
        errors.push(bad(key, &format!("at most {max} characters")));
        return None;
    }
    Some(v.to_owned())
}

fn position(form: &[(String, String)], errors: &mut Vec<Error>) -> Option<GeoPoint> {
    let (lat, long) = (field(form, "lat"), field(form, "long"));
    match (lat, long) {
        (None, None) => None,
        (Some(lat), Some(long)) => {
            let parsed = lat.parse::<f64>().ok().zip(long.parse::<f64>().ok());
            match parsed.and_then(|(a, b)| GeoPoint::parse(a, b).ok()) {
                Some(p) => Some(p),
                None => {
                    errors.push(bad("lat/long", "not a position in WGS 84 degrees"));
                    None
                }
            }
        }
        _ => {
            errors.push(bad("lat/long", "both are required together"));
            None
        }
    }
}

fn media_url(form: &[(String, String)], errors: &mut Vec<Error>) -> Option<String> {
    let url = bounded(form, "media_url", URL_MAX, errors)?;
    let ok = (url.starts_with("https://") || url.starts_with("http://"))
        && !url
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"'));
    if !ok {
        errors.push(bad("media_url", "an http(s) URL"));
        return None;
    }
    Some(url)
}

fn contact(
    form: &[(String, String)],
    errors: &mut Vec<Error>,
) -> (Option<String>, Option<String>, Option<String>) {
    let first = bounded(form, "first_name", NAME_MAX, errors);
    let last = bounded(form, "last_name", NAME_MAX, errors);
    // Chinese order: family name first.
    let name = match (last, first) {
        (None, None) => None,
        (l, f) => Some(format!(
            "{}{}",
            l.unwrap_or_default(),
            f.unwrap_or_default()
        )),
    };
    let phone = field(form, "phone").and_then(|p| match parse_phone(p) {
        Ok(p) => Some(p),
        Err(_) => {
            errors.push(bad("phone", "a mainland mobile or landline number"));
            None
        }
    });
    let email = bounded(form, "email", EMAIL_MAX, errors).and_then(|e| {
        let shape = e
            .split_once('@')
            .is_some_and(|(u, d)| !u.is_empty() && d.contains('.'));
        if shape && !e.chars().any(char::is_whitespace) {
            Some(e)
        } else {
            errors.push(bad("email", "not an email address"));
            None
        }
    });
    (name, phone, email)
}

/// Checks a posted request. `known(code)` is true for a top-level category;
/// `subcategory_of(code)` names a subcategory's parent.
pub fn check(
    form: &[(String, String)],
    known: impl Fn(&str) -> bool,
    subcategory_of: impl Fn(&str) -> Option<String>,
) -> Result<ValidRequest, Vec<Error>> {
    let mut errors = Vec::new();
    let service_code = match field(form, "service_code") {
        Some(c) if known(c) => Some(c.to_owned()),
        Some(_) => {
            errors.push(Error::new(404, "service_code: no such service"));
            None
        }
        None => {
            errors.push(bad("service_code", "required"));
            None
        }
    };
    let key = format!("attribute[{SUBCATEGORY_ATTRIBUTE}]");
    let subcategory = field(form, &key).and_then(|s| {
        if subcategory_of(s).is_some() && subcategory_of(s) == service_code {
            Some(s.to_owned())
        } else {
            errors.push(bad(&key, "not a value of this service"));
            None
        }
    });
    let point = position(form, &mut errors);
    let address = bounded(form, "address_string", ADDRESS_MAX, &mut errors);
    if point.is_none()
        && address.is_none()
        && !errors.iter().any(|e| e.description.starts_with("lat"))
    {
        errors.push(bad(
            "lat/long",
            "a position (lat and long) or an address_string is required",
        ));
    }
    let description = match bounded(form, "description", DESCRIPTION_MAX, &mut errors) {
        Some(d) => Some(d),
        None if field(form, "description").is_none() => {
            errors.push(bad("description", "required"));
            None
        }
        None => None,
    };
    let media_url = media_url(form, &mut errors);
    let (name, phone, email) = contact(form, &mut errors);
    match (service_code, description) {
        (Some(service_code), Some(description)) if errors.is_empty() => Ok(ValidRequest {
            service_code,
            subcategory,
            point,
            address,
            description,
            media_url,
            name,
            phone,
            email,
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).into(), (*v).into()))
            .collect()
    }

    fn run(pairs: &[(&str, &str)]) -> Result<ValidRequest, Vec<Error>> {
        check(
            &form(pairs),
            |c| c == "sanitation",
            |s| (s == "sanitation.overflow").then(|| "sanitation".to_owned()),
        )
    }

    #[test]
    fn a_whole_request_passes_with_its_contact_in_chinese_order() {
        let r = run(&[
            ("service_code", "sanitation"),
            ("lat", "28.68"),
            ("long", "115.89"),
            ("description", "垃圾满溢"),
            ("first_name", "三"),
            ("last_name", "张"),
            ("phone", "138 1234 1234"),
            ("email", "z@example.cn"),
            ("attribute[subcategory]", "sanitation.overflow"),
            ("media_url", "https://img.example.cn/a.jpg"),
        ])
        .unwrap();
        assert_eq!(r.name.as_deref(), Some("张三"));
        assert_eq!(r.phone.as_deref(), Some("13812341234"));
        assert_eq!(r.subcategory.as_deref(), Some("sanitation.overflow"));
        assert!(r.point.is_some());
    }

    #[test]
    fn every_wrong_field_is_named_at_once() {
        let e = run(&[
            ("service_code", "nope"),
            ("lat", "28.68"),
            ("description", &"字".repeat(DESCRIPTION_MAX + 1)),
            ("phone", "12"),
            ("media_url", "javascript:alert(1)"),
        ])
        .unwrap_err();
        let text: Vec<_> = e.iter().map(|e| e.description.as_str()).collect();
        assert_eq!(e[0].code, 404);
        for f in [
            "service_code",
            "lat/long",
            "description",
            "phone",
            "media_url",
        ] {
            assert!(text.iter().any(|t| t.starts_with(f)), "{f} in {text:?}");
        }
    }

    #[test]
    fn an_address_alone_is_a_place_and_nothing_at_all_is_not() {
        let r = run(&[
            ("service_code", "sanitation"),
            ("address_string", "八一大道 1 号"),
            ("description", "x"),
        ])
        .unwrap();
        assert_eq!(
            (r.point, r.address.as_deref()),
            (None, Some("八一大道 1 号"))
        );
        let e = run(&[("service_code", "sanitation"), ("description", "x")]).unwrap_err();
        assert_eq!(e.len(), 1);
        assert!(e[0].description.contains("address_string"));
        let e = run(&[
            ("service_code", "sanitation"),
            ("lat", "91"),
            ("long", "0"),
            ("description", "x"),
        ])
        .unwrap_err();
        assert!(e[0].description.starts_with("lat/long"));
    }

    #[test]
    fn a_subcategory_must_belong_to_the_service() {
        let e = run(&[
            ("service_code", "sanitation"),
            ("address_string", "a"),
            ("description", "x"),
            ("attribute[subcategory]", "roads.pothole"),
        ])
        .unwrap_err();
        assert!(e[0].description.starts_with("attribute[subcategory]"));
    }
}
