//! What one instance counts for `/metrics` (Prometheus / OpenMetrics text): requests and
//! their latency per route, reports filed per source (the intake rate), case steps per
//! action. Each instance keeps its own counters — a fleet is summed by the scraper — and
//! nothing here holds a person's data: routes are templates (`/cases/{id}`), never paths.

use prometheus_client::encoding::{EncodeLabelSet, text::encode};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

/// A request as counted: its method, its route's template and its status class.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    pub method: String,
    pub route: String,
    /// `2xx` … `5xx`.
    pub status: String,
}

/// A request's latency is kept per method and route.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteLabels {
    pub method: String,
    pub route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct SourceLabel {
    source: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ActionLabel {
    action: String,
}

/// Seconds: from a cached page (a few ms) to a slow export (seconds).
const LATENCY_BUCKETS: [f64; 12] = [
    0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

fn latency_histogram() -> Histogram {
    Histogram::new(LATENCY_BUCKETS)
}

/// The counters of one instance, written to by the HTTP layer and the services.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram, fn() -> Histogram>,
    reports: Family<SourceLabel, Counter>,
    steps: Family<ActionLabel, Counter>,
}

impl Default for Metrics {
    fn default() -> Metrics {
        let mut registry = Registry::with_prefix("gridgov");
        let requests = Family::<RequestLabels, Counter>::default();
        let latency = Family::<RouteLabels, Histogram, fn() -> Histogram>::new_with_constructor(
            latency_histogram,
        );
        let reports = Family::<SourceLabel, Counter>::default();
        let steps = Family::<ActionLabel, Counter>::default();
        registry.register(
            "http_requests",
            "Requests answered, by method, route template and status class",
            requests.clone(),
        );
        registry.register(
            "http_request_duration_seconds",
            "Time to answer a request, by method and route template",
            latency.clone(),
        );
        registry.register(
            "reports",
            "Cases filed, by source (the intake rate is its rate)",
            reports.clone(),
        );
        registry.register("case_steps", "Case steps taken, by action", steps.clone());
        Metrics {
            registry,
            requests,
            latency,
            reports,
            steps,
        }
    }
}

impl Metrics {
    /// One answered request. A method outside HTTP's own is counted as `OTHER`: a client
    /// may send any word there, and each would otherwise be a new series kept for good.
    pub fn request(&self, method: &str, route: &str, status: u16, seconds: f64) {
        const KNOWN: [&str; 7] = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
        let method = KNOWN.into_iter().find(|m| *m == method).unwrap_or("OTHER");
        let class = match status {
            100..=199 => "1xx",
            200..=299 => "2xx",
            300..=399 => "3xx",
            400..=499 => "4xx",
            _ => "5xx",
        };
        self.requests
            .get_or_create(&RequestLabels {
                method: method.to_owned(),
                route: route.to_owned(),
                status: class.to_owned(),
            })
            .inc();
        self.latency
            .get_or_create(&RouteLabels {
                method: method.to_owned(),
                route: route.to_owned(),
            })
            .observe(seconds);
    }

    /// `n` cases filed from `source` (after their transaction committed).
    pub fn filed(&self, source: crate::domain::case::Source, n: u64) {
        self.reports
            .get_or_create(&SourceLabel {
                source: source.as_str().to_owned(),
            })
            .inc_by(n);
    }

    /// One case step taken (after its transaction committed).
    pub fn step(&self, action: &str) {
        self.steps
            .get_or_create(&ActionLabel {
                action: action.to_owned(),
            })
            .inc();
    }

    /// The counters in OpenMetrics text, without the closing `# EOF` (the caller adds
    /// what is read at scrape time, then the end).
    pub fn encode_counters(&self) -> String {
        let mut out = String::new();
        if encode(&mut out, &self.registry).is_err() {
            tracing::error!("metrics: the counters could not be written");
        }
        out.strip_suffix("# EOF\n")
            .map(str::to_owned)
            .unwrap_or(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::case::Source;

    #[test]
    fn counts_by_route_template_and_status_class() {
        let m = Metrics::default();
        m.request("GET", "/cases/{id}", 200, 0.004);
        m.request("GET", "/cases/{id}", 204, 0.3);
        m.request("POST", "/api/v1/public/reports", 503, 0.02);
        m.filed(Source::ResidentQr, 2);
        m.step("resolve");
        m.request("BREW", "other", 405, 0.001);
        m.request("X-ANY-WORD", "other", 405, 0.001);
        let text = m.encode_counters();
        assert!(
            text.contains(
                r#"gridgov_http_requests_total{method="OTHER",route="other",status="4xx"} 2"#
            ),
            "{text}"
        );
        assert!(!text.contains("BREW"), "{text}");
        assert!(
            text.contains(
                r#"gridgov_http_requests_total{method="GET",route="/cases/{id}",status="2xx"} 2"#
            ),
            "{text}"
        );
        assert!(text.contains(r#"status="5xx"} 1"#), "{text}");
        assert!(
            text.contains(
                r#"gridgov_http_request_duration_seconds_bucket{le="0.005",method="GET",route="/cases/{id}"} 1"#
            ),
            "{text}"
        );
        assert!(
            text.contains(
                r#"gridgov_http_request_duration_seconds_count{method="GET",route="/cases/{id}"} 2"#
            ),
            "{text}"
        );
        assert!(
            text.contains(r#"gridgov_reports_total{source="resident_qr"} 2"#),
            "{text}"
        );
        assert!(
            text.contains(r#"gridgov_case_steps_total{action="resolve"} 1"#),
            "{text}"
        );
        assert!(!text.contains("# EOF"), "the caller ends the text");
    }
}
