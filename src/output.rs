//! Text for people, JSON for tools.

use serde_json::json;

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

/// Prints a command's result as JSON or text; false on error.
pub fn report(
    result: Result<serde_json::Value, String>,
    text: impl Fn(&serde_json::Value) -> String,
    format: Format,
) -> bool {
    match (result, format) {
        (Ok(value), Format::Json) => print_json(&value),
        (Ok(value), Format::Text) => println!("{}", text(&value)),
        (Err(message), Format::Json) => {
            print_json(&json!({"error": message}));
            return false;
        }
        (Err(message), Format::Text) => {
            eprintln!("error: {message}");
            return false;
        }
    }
    true
}
