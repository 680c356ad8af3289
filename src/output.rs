//! Text for people, JSON for tools.

/// How commands write their results.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Human text.
    Text,
    /// JSON on stdout.
    Json,
}

/// Prints a JSON value on stdout.
pub fn print_json(value: &serde_json::Value) {
    println!("{value}");
}
