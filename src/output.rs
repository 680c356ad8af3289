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
        (Err(message), format) => {
            print_error(&message, format);
            return false;
        }
    }
    true
}

/// Prints a command's error: `{"error": …}` on stdout for tools, `error: …` on stderr for people.
pub fn print_error(message: &str, format: Format) {
    match format {
        Format::Json => print_json(&json!({"error": message})),
        Format::Text => eprintln!("error: {message}"),
    }
}
