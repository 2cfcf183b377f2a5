//! A case list's query (`domain::case::view::ListParams`, from `/api/v1/cases?…` and the
//! `/cases` page) checked field by field into the store's `Filter`.

use super::ListQuery;
use crate::domain::calendar::district_tz;
pub use crate::domain::case::view::ListParams;
use crate::domain::case::{Colour, Status, Tier};
use crate::error::AppError;
use crate::i18n::Msg;
use crate::ssr::store::case_list::{Filter, MAX_PAGE};
use chrono::{NaiveDate, TimeZone};

/// The longest search text: a sentence of a description, or a tracking code.
pub const KEYWORD_MAX: usize = 100;

fn bad(field: &str) -> AppError {
    AppError::validation(field, Msg::ErrBadRequest)
}

/// A present, non-blank value checked by `f`; a value `f` refuses names its field.
fn checked<T>(
    v: &Option<String>,
    field: &str,
    f: impl Fn(&str) -> Option<T>,
) -> Result<Option<T>, AppError> {
    match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => f(s).map(Some).ok_or_else(|| bad(field)),
    }
}

fn day_start_ms(d: NaiveDate) -> i64 {
    district_tz()
        .from_local_datetime(&d.and_hms_opt(0, 0, 0).expect("midnight"))
        .single()
        .expect("fixed offset")
        .timestamp_millis()
}

impl ListParams {
    /// The checked query; `per_page` defaults to `default_per_page`.
    pub fn parse(&self, default_per_page: i64) -> Result<ListQuery, AppError> {
        let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        let number =
            |max: i64| move |s: &str| s.parse::<i64>().ok().filter(|n| (1..=max).contains(n));
        Ok(ListQuery {
            filter: Filter {
                colour: checked(&self.colour, "colour", Colour::parse)?,
                tier: checked(&self.tier, "tier", Tier::parse)?,
                status: checked(&self.status, "status", Status::parse)?,
                category: checked(&self.category, "category", |s| Some(s.to_owned()))?,
                from_ms: checked(&self.from, "from", date)?.map(day_start_ms),
                to_ms: checked(&self.to, "to", date)?
                    .and_then(|d| d.succ_opt())
                    .map(day_start_ms),
                supervised: checked(&self.supervised, "supervised", |s| match s {
                    "true" | "1" => Some(true),
                    "false" | "0" => Some(false),
                    _ => None,
                })?,
                keyword: checked(&self.q, "q", |s| {
                    (s.chars().count() <= KEYWORD_MAX).then(|| s.to_owned())
                })?,
                page: checked(&self.page, "page", number(MAX_PAGE))?.unwrap_or(1),
                per_page: checked(&self.per_page, "per_page", number(200))?
                    .unwrap_or(default_per_page),
                ..Filter::default()
            },
            area: checked(&self.area, "area", |s| Some(s.to_owned()))?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(pairs: &[(&str, &str)]) -> ListParams {
        let mut l = ListParams::default();
        for (k, v) in pairs {
            let v = Some((*v).to_owned());
            match *k {
                "q" => l.q = v,
                "from" => l.from = v,
                "to" => l.to = v,
                "category" => l.category = v,
                "page" => l.page = v,
                _ => unreachable!(),
            }
        }
        l
    }

    #[test]
    fn search_and_dates_are_checked_by_field() {
        let q = p(&[
            ("q", " 垃圾桶 "),
            ("from", "2026-11-01"),
            ("to", "2026-11-30"),
            ("category", "sanitation"),
        ])
        .parse(50)
        .unwrap();
        assert_eq!(q.filter.keyword.as_deref(), Some("垃圾桶"));
        assert_eq!(q.filter.category.as_deref(), Some("sanitation"));
        assert_eq!(
            q.filter.to_ms.unwrap() - q.filter.from_ms.unwrap(),
            30 * 86_400_000,
            "to is inclusive"
        );
        assert_eq!(q.filter.per_page, 50);
        let field = |e: AppError| match e {
            AppError::Validation { field, .. } => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            field(p(&[("from", "11/01/2026")]).parse(50).unwrap_err()),
            "from"
        );
        assert_eq!(
            field(p(&[("q", &"长".repeat(101))]).parse(50).unwrap_err()),
            "q"
        );
        assert_eq!(field(p(&[("page", "0")]).parse(50).unwrap_err()), "page");
        assert!(
            p(&[("q", "   ")])
                .parse(50)
                .unwrap()
                .filter
                .keyword
                .is_none()
        );
    }
}
