//! Where a rule's text sits in the YAML file: the style of its scalar and the position rhai's
//! line 1, column 1 maps to, so rule errors point into the definition.

use crate::definition::Position;
use crate::rules::ScalarStyle;

/// How the scalar at `at` was written, read from the source text, and where it starts.
///
/// The YAML parser places a block scalar (`|`) at its first content line, while rule positions
/// count script lines from the indicator's line (leading blank lines belong to the script): such
/// a scalar is moved to its indicator.
pub(crate) fn scalar_style(text: &str, at: Position) -> (Position, ScalarStyle) {
    let lines: Vec<&str> = text.lines().collect();
    let line_index = at.line.saturating_sub(1) as usize;
    let Some(line) = lines.get(line_index) else { return (at, ScalarStyle::Plain) };
    let before: String = line.chars().take(at.column.saturating_sub(1) as usize).collect();
    let rest: String = line.chars().skip(at.column.saturating_sub(1) as usize).collect();
    match rest.chars().next() {
        Some('|' | '>') => {
            let indent = lines[line_index + 1..]
                .iter()
                .find(|l| !l.trim().is_empty())
                .map_or(0, |l| l.len() - l.trim_start().len());
            (at, ScalarStyle::Block { indent: u32::try_from(indent).unwrap_or(0) })
        }
        Some('"' | '\'') => (at, ScalarStyle::Quoted),
        _ if before.trim().is_empty() => {
            let header = lines[..line_index].iter().enumerate().rev().find(|(_, l)| !l.trim().is_empty());
            match header.and_then(|(i, l)| Some((i, block_indicator(l)?))) {
                Some((i, column)) => {
                    let line = u32::try_from(i + 1).unwrap_or(at.line);
                    (Position { line, column }, ScalarStyle::Block { indent: at.column.saturating_sub(1) })
                }
                None => (at, ScalarStyle::Plain),
            }
        }
        _ => (at, ScalarStyle::Plain),
    }
}

/// The 1-based column of a block scalar indicator (`|`, `>-`, `|2`…) ending a line, if any.
fn block_indicator(line: &str) -> Option<u32> {
    let code = line.split(" #").next().unwrap_or(line).trim_end();
    let token = code.rsplit(char::is_whitespace).next().unwrap_or(code);
    let mut chars = token.chars();
    let is_indicator = matches!(chars.next(), Some('|' | '>')) && chars.all(|c| matches!(c, '-' | '+' | '0'..='9'));
    let start = code.chars().count() - token.chars().count();
    is_indicator.then(|| u32::try_from(start + 1).unwrap_or(1))
}
