//! Request parts every route reads the same way: the query string, `If-Match`,
//! `Idempotency-Key`. Each answers a malformed part with the problem its convention names, so
//! handlers never parse headers themselves.

mod idempotency;
mod if_match;
mod query;

pub use idempotency::{IdempotencyKey, MAX_IDEMPOTENCY_KEY};
pub use if_match::IfMatch;
pub use query::Query;
