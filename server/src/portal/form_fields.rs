//! A procedure's forms as HTML fields, generated from their JSON Schemas: titles as labels,
//! `required`, strings (dates, patterns, lengths), numbers (bounds), booleans, enums, lists of
//! texts, nested objects as groups. Each field is named by the JSON pointer of its value in the
//! submission's `form` (`/don_dang_ky/nguoi_nop/ho_ten`): the pointer the engine names in a
//! refusal, so its message is shown at the field it is about. The browser checks what HTML
//! can say; the engine checks everything again, with its own messages.

use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// One item of a form as the template writes it, in order.
pub enum Item {
    /// A group of fields (a nested object) opens, with its title.
    Open(String),
    /// The group closes.
    Close,
    /// A field.
    Field(Box<Field>),
    /// The button that adds a row to the list of groups at this pointer.
    More(String),
}

/// A field.
pub struct Field {
    /// Its name: the JSON pointer of its value.
    pub name: String,
    /// Its HTML id.
    pub id: String,
    /// Its label (the schema's title).
    pub label: String,
    /// `text`, `date`, `email`, `number`, `checkbox`, `select` or `lines`.
    pub kind: &'static str,
    /// Whether the schema requires it.
    pub required: bool,
    /// `pattern`, for the browser.
    pub pattern: Option<String>,
    /// `minLength` / `maxLength`.
    pub length: (Option<u64>, Option<u64>),
    /// `minimum` / `maximum`.
    pub range: (Option<String>, Option<String>),
    /// `step` of a number: 1 for integers, any for numbers.
    pub step: &'static str,
    /// The choices of an enum: value and label.
    pub options: Vec<(String, String)>,
    /// The value to show (what was sent).
    pub value: String,
    /// Whether a checkbox is ticked.
    pub checked: bool,
    /// The engine's message for this field, if it refused it.
    pub error: Option<String>,
    /// What the browser may fill it with (`name`, `tel`, …; `on` lets it choose).
    pub autocomplete: &'static str,
}

/// `schema` with a local `$ref` (`#/$defs/ben`) followed within `root`; the property's own
/// keywords (its `title`) stay with the property.
fn resolved<'a>(root: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str().and_then(|r| r.strip_prefix('#')).and_then(|pointer| root.pointer(pointer)) {
        Some(target) => target,
        None => schema,
    }
}

/// Whether `schema` (resolved) describes an object of named fields.
fn is_object(schema: &Value) -> bool {
    schema["type"] == "object" || schema.get("properties").is_some()
}

/// The keys of an object schema in the order a person fills them: the required ones as
/// `required` lists them, then the others by name.
fn ordered(schema: &Value) -> Vec<(String, bool)> {
    let properties = schema["properties"].as_object().cloned().unwrap_or_default();
    let required: Vec<String> =
        schema["required"].as_array().into_iter().flatten().filter_map(|r| r.as_str().map(str::to_owned)).collect();
    let mut keys: Vec<(String, bool)> =
        required.iter().filter(|k| properties.contains_key(*k)).map(|k| (k.clone(), true)).collect();
    keys.extend(properties.keys().filter(|k| !required.contains(k)).map(|k| (k.clone(), false)));
    keys
}

/// The label of an enum value: its `title` in a `oneOf` of `const`s when the schema gives one,
/// else the value itself.
fn options(schema: &Value) -> Vec<(String, String)> {
    if let Some(choices) = schema["oneOf"].as_array().filter(|c| c.iter().all(|c| c.get("const").is_some())) {
        return choices
            .iter()
            .map(|c| {
                let value = text(&c["const"]);
                let label = c["title"].as_str().map_or_else(|| value.clone(), str::to_owned);
                (value, label)
            })
            .collect();
    }
    schema["enum"].as_array().into_iter().flatten().map(|v| (text(v), text(v))).collect()
}

fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// How a form is drawn: its root schema (for `$ref`s), the engine's messages by pointer, and
/// the list that gets one blank row more (the applicant asked for it).
pub struct Drawing<'a> {
    /// The form's whole schema.
    pub root: &'a Value,
    /// Messages by the pointer of their field.
    pub errors: &'a BTreeMap<String, String>,
    /// The pointer of a list of groups to lengthen by one row.
    pub longer: Option<&'a str>,
}

/// The fields of the object schema `schema` at `pointer`, filled with `value`.
pub fn items(drawing: &Drawing<'_>, schema: &Value, pointer: &str, value: &Value, out: &mut Vec<Item>) {
    let schema = resolved(drawing.root, schema);
    for (key, required) in ordered(schema) {
        let declared = &schema["properties"][key.as_str()];
        let sub = resolved(drawing.root, declared);
        let name = format!("{pointer}/{key}");
        let label = declared["title"].as_str().or(sub["title"].as_str()).map_or_else(|| key.clone(), str::to_owned);
        let current = &value[key.as_str()];
        if is_object(sub) {
            out.push(Item::Open(label));
            items(drawing, sub, &name, current, out);
            out.push(Item::Close);
            continue;
        }
        let row = resolved(drawing.root, &sub["items"]);
        if sub["type"] == "array" && is_object(row) {
            // A list of groups (a karaoke's rooms): one group a row, as many as given (at least
            // the fewest allowed, and one), and a row more when asked.
            let given = current.as_array().map_or(0, Vec::len);
            let fewest = usize::try_from(sub["minItems"].as_u64().unwrap_or(1)).unwrap_or(1).max(1);
            let rows = given.max(fewest) + usize::from(drawing.longer == Some(name.as_str()));
            out.push(Item::Open(label.clone()));
            for i in 0..rows {
                out.push(Item::Open(format!("{label} — {}", i + 1)));
                items(drawing, row, &format!("{name}/{i}"), &current[i], out);
                out.push(Item::Close);
            }
            out.push(Item::More(name));
            out.push(Item::Close);
            continue;
        }
        out.push(Item::Field(Box::new(field(sub, &name, label, required, current, drawing.errors))));
    }
}

/// The field of the scalar (or list of texts) schema `sub` named `name`.
fn field(
    sub: &Value,
    name: &str,
    label: String,
    required: bool,
    current: &Value,
    errors: &BTreeMap<String, String>,
) -> Field {
    let number = |v: &Value| v.as_f64().map(|n| n.to_string());
    let kind = match (sub["type"].as_str(), sub["format"].as_str()) {
        _ if sub.get("enum").is_some() || sub.get("oneOf").is_some() => "select",
        (Some("boolean"), _) => "checkbox",
        (Some("integer" | "number"), _) => "number",
        (Some("array"), _) => "lines",
        (_, Some("date")) => "date",
        (_, Some("email")) => "email",
        // A long text (a description of the change) gets room to write.
        _ if sub["maxLength"].as_u64().is_some_and(|n| n > 300) => "lines",
        _ => "text",
    };
    let shown = match current {
        Value::Array(list) => list.iter().map(text).collect::<Vec<_>>().join("\n"),
        other => text(other),
    };
    Field {
        id: id_of(name),
        label,
        kind,
        required,
        pattern: sub["pattern"].as_str().map(|p| p.trim_start_matches('^').trim_end_matches('$').to_owned()),
        length: (sub["minLength"].as_u64(), sub["maxLength"].as_u64()),
        range: (number(&sub["minimum"]), number(&sub["maximum"])),
        step: if sub["type"] == "integer" { "1" } else { "any" },
        options: options(sub),
        checked: current == &Value::Bool(true),
        value: shown,
        error: errors.get(name).cloned(),
        autocomplete: "on",
        name: name.to_owned(),
    }
}

/// The HTML id of the field named by `pointer` (`/don_dang_ky/so_thua` → `don_dang_ky-so_thua`).
pub fn id_of(pointer: &str) -> String {
    pointer.trim_start_matches('/').replace('/', "-")
}

/// The form data a posted form holds for the object schema `schema` at `pointer` (`root` for
/// `$ref`s): each value typed as the schema says when it reads as that type, kept as text
/// otherwise (so that the engine names the field and says what is wrong), and left out when
/// empty (so that a required one is reported missing).
pub fn read(root: &Value, schema: &Value, pointer: &str, posted: &BTreeMap<String, String>) -> Value {
    let schema = resolved(root, schema);
    let mut object = Map::new();
    for (key, _) in ordered(schema) {
        let sub = resolved(root, &schema["properties"][key.as_str()]);
        let name = format!("{pointer}/{key}");
        if is_object(sub) {
            let nested = read(root, sub, &name, posted);
            if nested.as_object().is_some_and(|o| !o.is_empty()) {
                object.insert(key, nested);
            }
            continue;
        }
        let row = resolved(root, &sub["items"]);
        if sub["type"] == "array" && is_object(row) {
            // The rows posted, in order; a row left blank is no row.
            let prefix = format!("{name}/");
            let mut indices: Vec<usize> =
                posted.keys().filter_map(|k| k.strip_prefix(&prefix)?.split('/').next()?.parse().ok()).collect();
            indices.sort_unstable();
            indices.dedup();
            let rows: Vec<Value> = indices
                .into_iter()
                .map(|i| read(root, row, &format!("{name}/{i}"), posted))
                .filter(|row| row.as_object().is_some_and(|o| !o.is_empty()))
                .collect();
            if !rows.is_empty() {
                object.insert(key, Value::Array(rows));
            }
            continue;
        }
        if sub["type"] == "boolean" {
            // An unticked box sends nothing: false, unless the box was not on the page at all.
            let ticked = posted.get(&name).is_some_and(|v| v == "on" || v == "true");
            if ticked || posted.contains_key(&format!("{name}#shown")) {
                object.insert(key, Value::Bool(ticked));
            }
            continue;
        }
        let Some(raw) = posted.get(&name).map(|v| v.trim()).filter(|v| !v.is_empty()) else { continue };
        let value = match sub["type"].as_str() {
            Some("integer") => {
                vietnamese_integer(raw).parse::<i64>().map_or_else(|_| Value::String(raw.to_owned()), Value::from)
            }
            Some("number") => vietnamese_number(raw)
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
                .map_or_else(|| Value::String(raw.to_owned()), Value::Number),
            Some("array") => Value::Array(
                raw.lines().map(str::trim).filter(|l| !l.is_empty()).map(|l| Value::String(l.to_owned())).collect(),
            ),
            _ => Value::String(raw.to_owned()),
        };
        object.insert(key, value);
    }
    Value::Object(object)
}

/// Whether `text` is digits grouped by threes with dots, as Vietnamese writes thousands
/// (`1.500`, `12.000.000`).
fn grouped(text: &str) -> bool {
    let mut groups = text.split('.');
    let first = groups.next().unwrap_or_default();
    (1..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_digit())
        && text.contains('.')
        && groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
}

/// A whole number as typed: `1.500` is one thousand five hundred (the dot groups thousands),
/// never 1,5.
fn vietnamese_integer(raw: &str) -> String {
    if grouped(raw) { raw.replace('.', "") } else { raw.to_owned() }
}

/// A number as typed: with a comma, written the Vietnamese way (`1.234,5`: dots group
/// thousands, the comma is the decimal point); without one, as a browser's number field sends
/// it (`1234.5`).
fn vietnamese_number(raw: &str) -> String {
    if raw.contains(',') { raw.replace('.', "").replace(',', ".") } else { raw.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_typed_the_vietnamese_way_are_read_as_meant() {
        assert_eq!(vietnamese_integer("1.500"), "1500");
        assert_eq!(vietnamese_integer("12.000.000"), "12000000");
        assert_eq!(vietnamese_integer("1.5"), "1.5", "not grouped: left for the engine to refuse");
        assert_eq!(vietnamese_integer("1500"), "1500");
        assert_eq!(vietnamese_number("1.234,5"), "1234.5");
        assert_eq!(vietnamese_number("2,75"), "2.75");
        assert_eq!(vietnamese_number("2.75"), "2.75", "a browser's number field sends a dot");
    }
}
