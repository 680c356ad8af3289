//! Request parts every route reads the same way: the query string, `If-Match`,
//! `Idempotency-Key`, a JSON body. Each answers a malformed part with the problem its convention names, so
//! handlers never parse headers themselves.

mod idempotency;
mod if_match;
mod json_body;
mod query;

pub use idempotency::{IdempotencyHeader, IdempotencyKey, MAX_IDEMPOTENCY_KEY};
pub use if_match::{IF_MATCH_PATTERN, IfMatch, IfMatchHeader};
pub use json_body::{JsonBody, MaybeJsonBody, is_json};
pub use query::Query;
