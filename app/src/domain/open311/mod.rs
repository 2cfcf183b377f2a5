//! Open311 GeoReport v2 (wiki.open311.org/GeoReport_v2) with mySociety's service request
//! updates: the wire types, how our statuses read in it, and the checks of a posted
//! request. Pure: the service layer (`ssr::services::open311`) stores and loads; `xml`
//! writes any of these as the specification's XML.
//!
//! A service is a top-level category; its subcategories are the one attribute
//! (`subcategory`, a single-value list). A request's id is our tracking code (查询码).

pub mod request;
pub mod xml;

use crate::domain::case::{InvalidReason, Status};
use serde::{Deserialize, Serialize};

/// The response format, from the resource's extension (`services.xml`, `requests.json`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Xml,
    Json,
}

impl Format {
    /// `requests.json` → (`requests`, Json); a resource without a known extension is None.
    pub fn split(resource: &str) -> Option<(&str, Format)> {
        let (name, ext) = resource.rsplit_once('.')?;
        let format = match ext {
            "xml" => Format::Xml,
            "json" => Format::Json,
            _ => return None,
        };
        Some((name, format))
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Xml => "text/xml; charset=utf-8",
            Format::Json => "application/json; charset=utf-8",
        }
    }
}

/// One entry of `services.{fmt}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ssr", schema(as = Open311Service))]
pub struct Service {
    pub service_code: String,
    pub service_name: String,
    pub description: String,
    /// True when the service has attributes (`services/{code}.{fmt}`).
    pub metadata: bool,
    /// Always `realtime`: a posted request gets its id at once.
    #[serde(rename = "type")]
    pub kind: String,
    pub keywords: String,
    pub group: String,
}

/// `services/{code}.{fmt}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ssr", schema(as = Open311ServiceDefinition))]
pub struct ServiceDefinition {
    pub service_code: String,
    pub attributes: Vec<Attribute>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ssr", schema(as = Open311Attribute))]
pub struct Attribute {
    pub variable: bool,
    pub code: String,
    pub datatype: String,
    pub required: bool,
    pub datatype_description: String,
    pub order: u32,
    pub description: String,
    pub values: Vec<AttributeValue>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ssr", schema(as = Open311AttributeValue))]
pub struct AttributeValue {
    pub key: String,
    pub name: String,
}

/// The one attribute a service may have: its subcategories (小类).
pub const SUBCATEGORY_ATTRIBUTE: &str = "subcategory";

/// The answer to a posted request (and to `tokens/{token}`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ssr", schema(as = Open311Receipt))]
pub struct Receipt {
    pub service_request_id: String,
    pub token: String,
    pub service_notice: String,
    pub account_id: Option<String>,
}

/// One entry of `requests.{fmt}`: what may be published, never who reported it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ssr", schema(as = Open311ServiceRequest))]
pub struct ServiceRequest {
    pub service_request_id: String,
    /// `open` or `closed`.
    pub status: String,
    pub status_notes: String,
    pub service_name: String,
    pub service_code: String,
    pub description: String,
    pub agency_responsible: String,
    pub service_notice: String,
    pub requested_datetime: String,
    pub updated_datetime: String,
    pub expected_datetime: Option<String>,
    pub address: String,
    pub address_id: Option<String>,
    pub zipcode: Option<String>,
    pub lat: f64,
    pub long: f64,
    pub media_url: String,
}

/// One entry of `servicerequestupdates.{fmt}` (mySociety's extension).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ssr", schema(as = Open311RequestUpdate))]
pub struct RequestUpdate {
    pub update_id: String,
    pub service_request_id: String,
    /// Upper case, from mySociety's extended states (`OPEN`, `INVESTIGATING`, `FIXED` …).
    pub status: String,
    pub updated_datetime: String,
    pub description: String,
    pub media_url: String,
}

/// An API key as administrators see it (never the key itself).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct KeyView {
    pub id: i64,
    pub name: String,
    /// Requests posted per minute.
    pub rate_limit: i64,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub created_by: String,
    pub revoked_at: Option<chrono::DateTime<chrono::Utc>>,
    pub last_used_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// An error entry: the HTTP status as `code` and a sentence.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ssr", schema(as = Open311Error))]
pub struct Error {
    pub code: u16,
    pub description: String,
}

impl Error {
    pub fn new(code: u16, description: impl Into<String>) -> Error {
        Error {
            code,
            description: description.into(),
        }
    }
}

/// GeoReport's two states: a case is closed once its result is in (resolved or closed)
/// or when it was not taken up (invalid, merged into another).
pub fn is_closed(status: Status) -> bool {
    matches!(
        status,
        Status::Resolved | Status::Closed | Status::Invalid | Status::Merged
    )
}

pub fn open_or_closed(status: Status) -> &'static str {
    if is_closed(status) { "closed" } else { "open" }
}

/// The SQL statuses of `status=closed` (the rest is `open`): keep with [`is_closed`].
pub const CLOSED_SQL: &str = "('resolved', 'closed', 'invalid', 'merged')";

/// The reporter-facing sentence for a case in this state (`status_notes`).
pub fn notes(status: Status, invalid: Option<InvalidReason>) -> crate::i18n::Msg {
    use crate::i18n::Msg;
    match status {
        Status::Reported => Msg::SaysReport,
        Status::Returned | Status::Triaged | Status::InGrid => Msg::SaysTriage,
        Status::Dispatched => Msg::SaysDispatch,
        Status::Handling => Msg::SaysAcknowledge,
        Status::Verifying => Msg::SaysResolveVerify,
        Status::Resolved | Status::Closed => Msg::SaysResolve,
        Status::Deferred => Msg::SaysDeferred,
        Status::Merged => Msg::SaysDuplicate,
        Status::Invalid => match invalid {
            Some(InvalidReason::Duplicate) => Msg::SaysDuplicate,
            Some(InvalidReason::NotOurRemit) => Msg::SaysNotOurRemit,
            Some(InvalidReason::CannotLocate) => Msg::SaysCannotLocate,
            Some(InvalidReason::Malicious) => Msg::SaysMalicious,
            _ => Msg::SaysNotAProblem,
        },
    }
}

/// mySociety's extended state for one of ours.
pub fn extended_status(status: Status, invalid: Option<InvalidReason>) -> &'static str {
    match status {
        Status::Reported => "OPEN",
        Status::Returned | Status::Triaged | Status::InGrid => "INVESTIGATING",
        Status::Dispatched | Status::Deferred => "ACTION_SCHEDULED",
        Status::Handling | Status::Verifying => "IN_PROGRESS",
        Status::Resolved | Status::Closed => "FIXED",
        Status::Merged => "DUPLICATE",
        Status::Invalid => match invalid {
            Some(InvalidReason::Duplicate) => "DUPLICATE",
            Some(InvalidReason::NotOurRemit) => "NOT_COUNCILS_RESPONSIBILITY",
            _ => "NO_FURTHER_ACTION",
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_come_from_the_extension() {
        assert_eq!(
            Format::split("requests.xml"),
            Some(("requests", Format::Xml))
        );
        assert_eq!(
            Format::split("ABCD2345.json"),
            Some(("ABCD2345", Format::Json))
        );
        assert_eq!(Format::split("requests.html"), None);
        assert_eq!(Format::split("requests"), None);
    }

    #[test]
    fn every_status_is_open_or_closed_and_has_an_extended_state() {
        for s in Status::ALL {
            let closed = CLOSED_SQL.contains(&format!("'{}'", s.as_str()));
            assert_eq!(is_closed(*s), closed, "{s:?}");
            assert!(!extended_status(*s, None).is_empty());
        }
        assert_eq!(
            extended_status(Status::Invalid, Some(InvalidReason::NotOurRemit)),
            "NOT_COUNCILS_RESPONSIBILITY"
        );
        assert_eq!(open_or_closed(Status::Verifying), "open");
    }
}
