//! "Did you mean …?" for a misspelt key, role, form or field: the closest known name, when it
//! is close enough to be the one meant.

use crate::codes::Role;

/// The candidate closest to `word` by edit distance, if at most a third of its length (and at
/// least one edit) away; ties go to the first.
pub fn closest<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let limit = (word.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .filter(|c| *c != word)
        .map(|c| (distance(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// ` — did you mean `x`?`, or nothing.
pub fn did_you_mean<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> String {
    closest(word, candidates).map(|c| format!("did you mean `{c}`? ")).unwrap_or_default()
}

/// The diagnostic of a step role that is not one of [`Role::ALL`]: its message and help. The
/// format check and the semantic pass both reach it, and say it alike (so it is reported once).
pub fn unknown_role(text: &str) -> (String, String) {
    let known: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
    let message = format!("unknown role `{text}`: expected one of {}", known.join(", "));
    let help = format!(
        "{}roles are the platform's, in English (lãnh đạo is `leader`)",
        did_you_mean(text, known.iter().copied())
    );
    (message, help)
}

/// Every property name the definition format declares, for suggestions on an unknown key.
pub fn format_keys() -> Vec<String> {
    fn collect(schema: &serde_json::Value, out: &mut Vec<String>) {
        match schema {
            serde_json::Value::Object(map) => {
                if let Some(serde_json::Value::Object(properties)) = map.get("properties") {
                    out.extend(properties.keys().cloned());
                }
                map.values().for_each(|v| collect(v, out));
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| collect(v, out)),
            _ => {}
        }
    }
    let mut keys = Vec::new();
    if let Ok(schema) = serde_json::from_str(super::PROCEDURE_SCHEMA) {
        collect(&schema, &mut keys);
    }
    keys.sort();
    keys.dedup();
    keys
}

/// Levenshtein distance over characters, with an adjacent swap counting as one edit.
fn distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1).min(rows[i][j - 1] + 1).min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_closest_name_is_suggested_only_when_close() {
        let keys = ["agency", "agency_name", "channels", "processing_time"];
        assert_eq!(closest("agnecy", keys), Some("agency"));
        assert_eq!(closest("chanels", keys), Some("channels"));
        assert_eq!(closest("procesing_time", keys), Some("processing_time"));
        assert_eq!(closest("fee_rule", keys), None);
        assert_eq!(closest("agency", keys), None, "the name itself is no suggestion");
        assert_eq!(did_you_mean("specialst", ["reception", "specialist"]), "did you mean `specialist`? ");
        assert_eq!(did_you_mean("lanh_dao", ["reception", "leader"]), "");
    }
}
