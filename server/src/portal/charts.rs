//! Charts drawn by the server as SVG, so that they show and print with no script and no
//! internet. Each is an image with a title for screen readers; the page puts its numbers in a
//! table beside it.

use crate::html::escape;
use std::fmt::Write;

/// Width of every chart, in SVG units (it scales to its box).
const WIDTH: f64 = 640.0;
/// Height of one bar's row.
const ROW: f64 = 30.0;
/// Width of the labels' column of a bar chart.
const LABELS: f64 = 210.0;
/// Width kept for the value written after a bar.
const VALUE: f64 = 110.0;
/// Longest label drawn; the table beside has it whole.
const MAX_LABEL: usize = 30;

/// A colour and what it means, with a contrast of at least 4.5:1 on white.
#[derive(Debug, Clone, Copy)]
pub enum Tone {
    /// Good: early, within due, online.
    Good,
    /// Neutral: on time, counted.
    Plain,
    /// Bad: late, past due.
    Bad,
    /// In between: paused, partial.
    Middle,
    /// Neither: information only, by post.
    Quiet,
}

impl Tone {
    fn colour(self) -> &'static str {
        match self {
            Tone::Good => "#1d6b32",
            Tone::Plain => "#0b4f9c",
            Tone::Bad => "#a11111",
            Tone::Middle => "#8a4b00",
            Tone::Quiet => "#4a4a4a",
        }
    }
}

/// One bar: its label, its value and how the value is written.
pub struct Bar {
    /// What it counts.
    pub label: String,
    /// How long it is drawn (a count, or a percentage).
    pub value: f64,
    /// What is written after it (`12`, `25,0 %`).
    pub text: String,
    /// Its colour.
    pub tone: Tone,
}

fn shortened(label: &str) -> String {
    if label.chars().count() <= MAX_LABEL {
        return label.to_owned();
    }
    let mut short: String = label.chars().take(MAX_LABEL - 1).collect();
    short.push('…');
    short
}

fn open(out: &mut String, title: &str, height: f64) {
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" class="chart" font-family="Arial, sans-serif" font-size="13"><title>{}</title>"#,
        escape(title)
    );
}

/// A horizontal bar chart, bars scaled to `max` (the largest value when none).
pub fn bars(title: &str, bars: &[Bar], max: Option<f64>) -> String {
    let mut out = String::new();
    let height = ROW * bars.len().max(1) as f64 + 8.0;
    open(&mut out, title, height);
    let max = max.unwrap_or_else(|| bars.iter().map(|b| b.value).fold(0.0, f64::max));
    let area = WIDTH - LABELS - VALUE;
    for (i, bar) in bars.iter().enumerate() {
        let y = ROW * i as f64 + 4.0;
        let length = if max > 0.0 { (bar.value / max).clamp(0.0, 1.0) * area } else { 0.0 };
        let _ = write!(
            out,
            r##"<text x="{x}" y="{ty}" text-anchor="end" fill="#1a1a1a">{label}</text><rect x="{LABELS}" y="{y}" width="{length:.1}" height="{h}" fill="{fill}"/><text x="{vx:.1}" y="{ty}" fill="#1a1a1a">{text}</text>"##,
            x = LABELS - 8.0,
            ty = y + ROW / 2.0 + 1.0,
            label = escape(&shortened(&bar.label)),
            h = ROW - 10.0,
            fill = bar.tone.colour(),
            vx = LABELS + length + 6.0,
            text = escape(&bar.text),
        );
    }
    out.push_str("</svg>");
    out
}

/// A series of a column chart: its name and colour.
pub struct Series {
    /// Its name, in the legend.
    pub name: &'static str,
    /// Its colour.
    pub tone: Tone,
}

/// Columns side by side for each of `groups` (a label and one value per series), with a
/// legend.
pub fn columns(title: &str, series: &[Series], groups: &[(String, Vec<i64>)]) -> String {
    let mut out = String::new();
    let (plot_top, plot_height, legend) = (28.0, 180.0, 24.0);
    let height = plot_top + plot_height + 24.0 + legend;
    open(&mut out, title, height);
    let max = groups.iter().flat_map(|(_, values)| values.iter().copied()).max().unwrap_or(0).max(1) as f64;
    let _ = write!(out, r##"<text x="0" y="14" fill="#4a4a4a">Cao nhất: {}</text>"##, max as i64);
    let slot = WIDTH / groups.len().max(1) as f64;
    let width = (slot * 0.8 / series.len().max(1) as f64).min(28.0);
    let base = plot_top + plot_height;
    let _ = write!(out, r##"<line x1="0" y1="{base}" x2="{WIDTH}" y2="{base}" stroke="#767676"/>"##);
    for (g, (label, values)) in groups.iter().enumerate() {
        let left = slot * g as f64 + (slot - width * series.len() as f64) / 2.0;
        for (s, (value, one)) in values.iter().zip(series).enumerate() {
            let h = *value as f64 / max * plot_height;
            let _ = write!(
                out,
                r#"<rect x="{x:.1}" y="{y:.1}" width="{width:.1}" height="{h:.1}" fill="{fill}"/>"#,
                x = left + width * s as f64,
                y = base - h,
                fill = one.tone.colour(),
            );
        }
        // Every label when they fit, else every other one.
        if groups.len() <= 12 || g % 2 == 0 {
            let _ = write!(
                out,
                r##"<text x="{x:.1}" y="{y}" text-anchor="middle" font-size="11" fill="#1a1a1a">{label}</text>"##,
                x = slot * g as f64 + slot / 2.0,
                y = base + 16.0,
                label = escape(label),
            );
        }
    }
    let mut x = 0.0;
    for one in series {
        let y = height - 8.0;
        let _ = write!(
            out,
            r##"<rect x="{x}" y="{ry}" width="12" height="12" fill="{fill}"/><text x="{tx}" y="{y}" fill="#1a1a1a">{name}</text>"##,
            ry = y - 11.0,
            fill = one.tone.colour(),
            tx = x + 16.0,
            name = escape(one.name),
        );
        x += 24.0 + 8.0 * one.name.chars().count() as f64;
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_escaped_and_bars_scaled_to_the_largest() {
        let svg = bars(
            "Tiếp nhận",
            &[
                Bar { label: "<b>Trực tuyến</b>".to_owned(), value: 10.0, text: "10".to_owned(), tone: Tone::Good },
                Bar { label: "Trực tiếp".to_owned(), value: 5.0, text: "5".to_owned(), tone: Tone::Plain },
            ],
            None,
        );
        assert!(svg.contains("&lt;b&gt;Trực tuyến&lt;/b&gt;") && !svg.contains("<b>"));
        assert!(svg.contains(r#"width="320.0""#) && svg.contains(r#"width="160.0""#), "{svg}");
        assert!(svg.contains("<title>Tiếp nhận</title>"));
    }

    #[test]
    fn a_long_label_is_cut_and_an_empty_chart_draws_nothing_wrong() {
        assert_eq!(shortened(&"a".repeat(40)).chars().count(), MAX_LABEL);
        let svg = bars("Trống", &[Bar { label: "x".into(), value: 0.0, text: "0".into(), tone: Tone::Quiet }], None);
        assert!(svg.contains(r#"width="0.0""#));
        let svg = columns("Xu hướng", &[Series { name: "Tiếp nhận", tone: Tone::Plain }], &[]);
        assert!(svg.ends_with("</svg>"));
    }
}
