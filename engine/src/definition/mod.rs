//! The raw definition format: YAML as written by administrators, before compilation.

pub mod located;
pub mod spec;

pub use located::{Node, Position};
pub use spec::{Channel, DocumentKind, OnlineLevel, ProcedureSpec};
