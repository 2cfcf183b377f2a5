//! The OpenAPI 3.1 description of Open311's JSON resources, at
//! `/open311/v2/openapi.json`. The resources are answered by `open311`'s few routes (a
//! resource's name carries its format, `requests.json`, which axum cannot route on); each
//! is described here once, with the wire types of `app::domain::open311`. A test calls
//! every described resource and checks that nothing else is answered.

use app::domain::open311::{
    Error, Receipt, RequestUpdate, Service, ServiceDefinition, ServiceRequest,
};
use utoipa::{IntoParams, OpenApi, ToSchema};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "gridgov Open311 GeoReport v2 (JSON)",
        description = "The GeoReport v2 resources in JSON; each also answers in XML with the `.xml` extension, as the specification requires. Reads are public (600 per ten minutes per address); posts need an `api_key` issued by the district's administrators. Errors are the specification's list of `{code, description}`, `code` being the HTTP status.",
        license(name = "MIT"),
    ),
    servers((url = "/open311/v2")),
    paths(
        discovery, services, service_definition, post_request, get_requests, get_request,
        token, get_updates, post_update
    ),
    components(schemas(Discovery, Endpoint, RequestForm, UpdateForm)),
)]
struct Open311Api;

/// The description as JSON (built once per router).
pub fn json() -> String {
    Open311Api::openapi()
        .to_json()
        .expect("the description serialises")
}

/// What `discovery.json` answers (see `open311::discovery`).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct Discovery {
    changeset: String,
    contact: String,
    key_service: String,
    endpoints: Vec<Endpoint>,
}

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct Endpoint {
    specification: String,
    url: String,
    changeset: String,
    #[schema(rename = "type")]
    kind: String,
    formats: Vec<String>,
}

#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
struct Jurisdiction {
    /// The district's code; another answers 404.
    jurisdiction_id: Option<String>,
}

#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
struct RequestsQuery {
    /// A comma list of ids (查询码); overrides every other filter.
    service_request_id: Option<String>,
    service_code: Option<String>,
    /// ISO 8601; default 90 days before `end_date`; at most 90 days apart.
    start_date: Option<chrono::DateTime<chrono::FixedOffset>>,
    /// ISO 8601; default now.
    end_date: Option<chrono::DateTime<chrono::FixedOffset>>,
    #[param(pattern = "^(open|closed)$")]
    status: Option<String>,
    jurisdiction_id: Option<String>,
}

#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
struct UpdatesQuery {
    /// ISO 8601; default one day before `end_date`; at most 90 days apart.
    start_date: Option<chrono::DateTime<chrono::FixedOffset>>,
    /// ISO 8601; default now.
    end_date: Option<chrono::DateTime<chrono::FixedOffset>>,
    jurisdiction_id: Option<String>,
}

/// A posted service request (form-encoded). Every wrong field is listed at once.
#[derive(ToSchema)]
#[allow(dead_code)]
struct RequestForm {
    api_key: String,
    jurisdiction_id: Option<String>,
    service_code: String,
    /// The service's one attribute: a subcategory's code (`services/{code}.json`).
    #[schema(rename = "attribute[subcategory]")]
    subcategory: Option<String>,
    /// WGS-84, with `long`; or `address_string`.
    #[schema(minimum = -90, maximum = 90)]
    lat: Option<f64>,
    #[schema(minimum = -180, maximum = 180)]
    long: Option<f64>,
    /// One building of the district's building list, when there is no position.
    #[schema(max_length = 200)]
    address_string: Option<String>,
    #[schema(min_length = 1, max_length = 4000)]
    description: String,
    /// Stored as given, never fetched.
    #[schema(max_length = 500)]
    media_url: Option<String>,
    #[schema(max_length = 50)]
    first_name: Option<String>,
    #[schema(max_length = 50)]
    last_name: Option<String>,
    /// A mainland mobile or landline number (sealed).
    phone: Option<String>,
    /// Sealed like the phone.
    #[schema(max_length = 254)]
    email: Option<String>,
}

/// A comment on a request filed with the same key (form-encoded).
#[derive(ToSchema)]
#[allow(dead_code)]
struct UpdateForm {
    api_key: String,
    jurisdiction_id: Option<String>,
    service_request_id: String,
    #[schema(min_length = 1, max_length = 2000)]
    description: String,
    /// The integrator's own id: a second post with it is answered, not stored again.
    #[schema(max_length = 100)]
    update_id: Option<String>,
}

/// The district's Open311 endpoint, its formats and how to get a key
#[utoipa::path(get, path = "/discovery.json", tag = "open311",
    responses((status = 200, description = "discovery", body = Discovery),
        (status = 429, description = "too many reads from this address", body = Vec<Error>)))]
#[allow(dead_code)]
fn discovery() {}

/// One service per top-level category; `description` is its 立案标准
#[utoipa::path(get, path = "/services.json", tag = "open311", params(Jurisdiction),
    responses((status = 200, description = "services", body = Vec<Service>),
        (status = 404, description = "another jurisdiction", body = Vec<Error>),
        (status = 429, description = "too many reads from this address", body = Vec<Error>)))]
#[allow(dead_code)]
fn services() {}

/// A service's attributes: its subcategories, as one single-value list
#[utoipa::path(get, path = "/services/{service_code}.json", tag = "open311",
    params(("service_code" = String, Path)),
    responses((status = 200, description = "the definition", body = ServiceDefinition),
        (status = 404, description = "no such service", body = Vec<Error>),
        (status = 429, description = "too many reads from this address", body = Vec<Error>)))]
#[allow(dead_code)]
fn service_definition() {}

/// File a service request (needs an API key)
///
/// The grid is found from `lat`/`long`, or from the building `address_string` names.
#[utoipa::path(post, path = "/requests.json", tag = "open311",
    request_body(content = RequestForm, content_type = "application/x-www-form-urlencoded"),
    responses((status = 201, description = "the id (our 查询码) and a token", body = Vec<Receipt>),
        (status = 400, description = "every wrong field", body = Vec<Error>),
        (status = 403, description = "no, an unknown or a revoked key", body = Vec<Error>),
        (status = 404, description = "no such service, or another jurisdiction", body = Vec<Error>),
        (status = 429, description = "the key's rate is spent", body = Vec<Error>)))]
#[allow(dead_code)]
fn post_request() {}

/// Published requests, newest first (at most 1,000)
///
/// Only residents' and grid workers' reports; no personal data.
#[utoipa::path(get, path = "/requests.json", tag = "open311", params(RequestsQuery),
    responses((status = 200, description = "requests", body = Vec<ServiceRequest>),
        (status = 400, description = "a wrong filter", body = Vec<Error>),
        (status = 404, description = "another jurisdiction", body = Vec<Error>),
        (status = 429, description = "too many reads from this address", body = Vec<Error>)))]
#[allow(dead_code)]
fn get_requests() {}

/// One published request by its id
#[utoipa::path(get, path = "/requests/{service_request_id}.json", tag = "open311",
    params(("service_request_id" = String, Path), Jurisdiction),
    responses((status = 200, description = "the request (a list of one)", body = Vec<ServiceRequest>),
        (status = 400, description = "a malformed id list", body = Vec<Error>),
        (status = 404, description = "no such published request", body = Vec<Error>),
        (status = 429, description = "too many reads from this address", body = Vec<Error>)))]
#[allow(dead_code)]
fn get_request() {}

/// The id a token was given
#[utoipa::path(get, path = "/tokens/{token}.json", tag = "open311",
    params(("token" = String, Path)),
    responses((status = 200, description = "the id (a list of one)", body = Vec<Receipt>),
        (status = 404, description = "no such token", body = Vec<Error>),
        (status = 429, description = "too many reads from this address", body = Vec<Error>)))]
#[allow(dead_code)]
fn token() {}

/// Published steps of published requests (mySociety's extension)
#[utoipa::path(get, path = "/servicerequestupdates.json", tag = "open311", params(UpdatesQuery),
    responses((status = 200, description = "updates, oldest first", body = Vec<RequestUpdate>),
        (status = 400, description = "a wrong filter", body = Vec<Error>),
        (status = 404, description = "another jurisdiction", body = Vec<Error>),
        (status = 429, description = "too many reads from this address", body = Vec<Error>)))]
#[allow(dead_code)]
fn get_updates() {}

/// An integrator's comment on a request it filed; staff see it as 外部平台留言
#[utoipa::path(post, path = "/servicerequestupdates.json", tag = "open311",
    request_body(content = UpdateForm, content_type = "application/x-www-form-urlencoded"),
    responses((status = 201, description = "the update (a list of one)", body = Vec<RequestUpdate>),
        (status = 400, description = "every wrong field", body = Vec<Error>),
        (status = 403, description = "no, an unknown or a revoked key, or another key's request", body = Vec<Error>),
        (status = 404, description = "no such request, or another jurisdiction", body = Vec<Error>),
        (status = 429, description = "the key's rate is spent", body = Vec<Error>)))]
#[allow(dead_code)]
fn post_update() {}
