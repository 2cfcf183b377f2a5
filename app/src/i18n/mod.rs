//! One translation table for all product text: zh-CN first, English second.
//! Components never hold literals; they ask `t(lang, Msg::…)`.

mod messages;

pub use messages::Msg;
use serde::{Deserialize, Serialize};

/// The cookie that keeps the visitor's language choice.
pub const LANG_COOKIE: &str = "gridgov_lang";

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// The value of the HTML `lang` attribute.
    pub fn html_code(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// The short code used in the cookie and in `/lang/{code}`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "zh" | "zh-CN" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }

    /// The language from a `Cookie` header; Chinese unless the visitor chose English.
    pub fn from_cookie_header(header: &str) -> Lang {
        header
            .split(';')
            .filter_map(|kv| kv.trim().split_once('='))
            .find(|(k, _)| *k == LANG_COOKIE)
            .and_then(|(_, v)| Lang::parse(v))
            .unwrap_or_default()
    }

    /// For API clients: English only when `Accept-Language` prefers it over Chinese.
    pub fn from_accept_language(header: &str) -> Lang {
        let first = header
            .split(',')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if first.starts_with("en") {
            Lang::En
        } else {
            Lang::Zh
        }
    }
}

pub fn t(lang: Lang, msg: Msg) -> &'static str {
    match lang {
        Lang::Zh => msg.zh(),
        Lang::En => msg.en(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_travels_as_its_name_and_comes_back() {
        assert_eq!(
            serde_json::to_string(&Msg::ErrNotFound).unwrap(),
            "\"ErrNotFound\""
        );
        for &m in Msg::ALL {
            let json = serde_json::to_value(m).unwrap();
            assert_eq!(json, serde_json::Value::String(m.key().to_string()));
            assert_eq!(serde_json::from_value::<Msg>(json).unwrap(), m);
        }
        let unknown = serde_json::from_str::<Msg>("\"NoSuchMessage\"").unwrap_err();
        assert!(unknown.to_string().contains("NoSuchMessage"), "{unknown}");
        assert!(serde_json::from_str::<Msg>("3").is_err());
    }

    #[test]
    fn chinese_by_default() {
        assert_eq!(Lang::from_cookie_header(""), Lang::Zh);
        assert_eq!(Lang::from_cookie_header("a=b; gridgov_lang=en"), Lang::En);
        assert_eq!(Lang::from_cookie_header("gridgov_lang=fr"), Lang::Zh);
        assert_eq!(Lang::from_accept_language("en-US,en;q=0.9"), Lang::En);
        assert_eq!(
            Lang::from_accept_language("zh-CN,zh;q=0.9,en;q=0.8"),
            Lang::Zh
        );
    }

    #[test]
    fn every_message_has_both_languages() {
        for m in Msg::ALL {
            assert!(!m.zh().is_empty() && !m.en().is_empty(), "{m:?}");
        }
    }
}
