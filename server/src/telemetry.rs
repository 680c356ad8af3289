//! Request ids, structured request logs and Prometheus metrics, in one middleware.

use crate::state::AppState;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{HttpResponse, get};
use rand::RngCore;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::{Mutex, PoisonError};
use std::time::Instant;
use tracing::Instrument;

use crate::auth::{ApiRole, Principal};
use crate::error::ApiError;

/// Header carrying the request id, taken from the caller when well-formed.
pub const REQUEST_ID: &str = "x-request-id";
/// Upper bounds of the latency histogram, in seconds.
const BUCKETS: [f64; 10] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0, 5.0];

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    total: u64,
    sum: f64,
}

/// Counters by (method, route, status) and latency by route.
#[derive(Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, String, u16), u64>>,
    latency: Mutex<BTreeMap<String, Histogram>>,
}

impl Metrics {
    fn record(&self, method: &str, route: &str, status: u16, seconds: f64) {
        *self
            .requests
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry((method.to_owned(), route.to_owned(), status))
            .or_default() += 1;
        let mut latency = self.latency.lock().unwrap_or_else(PoisonError::into_inner);
        let histogram = latency.entry(route.to_owned()).or_default();
        for (count, bound) in histogram.counts.iter_mut().zip(BUCKETS) {
            if seconds <= bound {
                *count += 1;
            }
        }
        histogram.total += 1;
        histogram.sum += seconds;
    }

    /// The Prometheus text exposition.
    pub fn render(&self) -> String {
        let mut out = String::from(
            "# HELP motcua_http_requests_total HTTP requests by method, route and status.\n# TYPE motcua_http_requests_total counter\n",
        );
        for ((method, route, status), n) in self.requests.lock().unwrap_or_else(PoisonError::into_inner).iter() {
            let _ = writeln!(
                out,
                "motcua_http_requests_total{{method=\"{method}\",route=\"{route}\",status=\"{status}\"}} {n}"
            );
        }
        out.push_str("# HELP motcua_http_request_duration_seconds Time to answer, by route.\n# TYPE motcua_http_request_duration_seconds histogram\n");
        for (route, h) in self.latency.lock().unwrap_or_else(PoisonError::into_inner).iter() {
            for (count, bound) in h.counts.iter().zip(BUCKETS) {
                let _ = writeln!(
                    out,
                    "motcua_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {count}"
                );
            }
            let _ = writeln!(
                out,
                "motcua_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
                h.total
            );
            let _ = writeln!(out, "motcua_http_request_duration_seconds_sum{{route=\"{route}\"}} {}", h.sum);
            let _ = writeln!(out, "motcua_http_request_duration_seconds_count{{route=\"{route}\"}} {}", h.total);
        }
        out
    }
}

fn request_id(req: &ServiceRequest) -> String {
    let given = req.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok());
    match given {
        Some(id)
            if !id.is_empty()
                && id.len() <= 64
                && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') =>
        {
            id.to_owned()
        }
        _ => {
            let mut bytes = [0u8; 8];
            rand::rng().fill_bytes(&mut bytes);
            crate::hex::lower_hex(&bytes)
        }
    }
}

/// Gives every request an id (echoed in `X-Request-Id`), a tracing span carrying it, a log
/// line when it ends and its place in the metrics. Routes are labelled by their pattern
/// (`/api/v1/dossiers/{code}`), never by the raw path, so labels stay few and hold no data.
pub async fn observe(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let id = request_id(&req);
    let method = req.method().to_string();
    let route = req.match_pattern().unwrap_or_else(|| "unmatched".to_owned());
    let state = crate::state::of(req.request()).ok();
    let span = tracing::info_span!("request", request_id = %id, %method, %route);
    let mut response = next.call(req).instrument(span.clone()).await?;
    let status = response.status().as_u16();
    let seconds = started.elapsed().as_secs_f64();
    span.in_scope(|| tracing::info!(status, elapsed_ms = seconds * 1000.0, "answered"));
    if let Some(state) = state {
        state.metrics.record(&method, &route, status, seconds);
    }
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(HeaderName::from_static(REQUEST_ID), value);
    }
    Ok(response)
}

/// Prometheus metrics of this instance (admin token: a scraper is given one): requests,
/// latency, and the background work (leadership, deadline scans, alerts raised).
#[utoipa::path(get, path = "/metrics", tag = "service", responses((status = 200, description = "Prometheus text exposition", body = String, content_type = "text/plain"), (status = 401, description = "missing, unknown, expired or revoked token", body = crate::error::Problem, content_type = "application/problem+json"), (status = 403, description = "the token's role or agency does not allow this", body = crate::error::Problem, content_type = "application/problem+json")), security(("bearer" = [])))]
#[get("/metrics")]
pub async fn metrics(principal: Principal, state: actix_web::web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    principal.require(&[ApiRole::Admin])?;
    let mut text = state.metrics.render();
    text.push_str(&state.background.render());
    Ok(HttpResponse::Ok().content_type("text/plain; version=0.0.4").body(text))
}
