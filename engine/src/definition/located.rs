//! A YAML document as a tree that remembers where each value was written.
//!
//! Schema violations come back as JSON pointers; this tree maps a pointer to the line and
//! column of the value (or the key) it names, so every diagnostic points into the file.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;
use std::fmt;

/// Deepest nesting of mappings and sequences a definition may have.
pub const MAX_DEPTH: usize = 24;
/// Times one anchor may be repeated by aliases. A definition shares a block a few times; a
/// hostile one repeating a 100 kB anchor thousands of times would build hundreds of megabytes
/// before anything else could refuse it.
pub const MAX_ALIAS_EXPANSIONS: usize = 64;

/// A source position, 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Position {
    /// Line, from 1.
    pub line: u32,
    /// Column, from 1.
    pub column: u32,
}

impl Position {
    fn of(location: &serde_saphyr::Location) -> Self {
        Position {
            line: u32::try_from(location.line()).unwrap_or(u32::MAX).max(1),
            column: u32::try_from(location.column()).unwrap_or(u32::MAX).max(1),
        }
    }
}

/// One YAML value with its position.
#[derive(Debug, Clone)]
pub struct Node {
    /// Where the value starts.
    pub at: Position,
    /// The value.
    pub value: NodeValue,
}

/// The shape of a YAML value.
#[derive(Debug, Clone)]
pub enum NodeValue {
    /// `~`, `null` or nothing.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// A string.
    Str(String),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping; keys keep their own positions.
    Map(Vec<(Key, Node)>),
}

/// A mapping key with its position.
#[derive(Debug, Clone)]
pub struct Key {
    /// Where the key is written.
    pub at: Position,
    /// The key text.
    pub name: String,
}

impl Node {
    /// Parses a YAML document. The error carries the location saphyr reports.
    pub fn parse(text: &str) -> Result<Node, serde_saphyr::Error> {
        // Definitions nest a dozen levels at most; a hostile file nesting hundreds would run
        // the recursive descent out of stack before the parser's own default limit.
        let mut budget = serde_saphyr::Budget::default();
        budget.max_depth = MAX_DEPTH;
        let mut options = serde_saphyr::Options::default();
        options.budget = Some(budget);
        options.alias_limits.max_alias_expansions_per_anchor = MAX_ALIAS_EXPANSIONS;
        // One rule for `yes`/`no`/`on`/`off`: text, as YAML 1.2 reads them and so the editors
        // checking a definition against procedure.schema.json; only `true`/`false` are booleans.
        options.strict_booleans = true;
        let spanned: Spanned<Bare> = serde_saphyr::from_str_with_options(text, options)?;
        Ok(Node { at: Position::of(&spanned.referenced), value: spanned.value.0 })
    }

    /// The JSON value of this node, for schema validation and typed deserialisation.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value;
        match &self.value {
            NodeValue::Null => Value::Null,
            NodeValue::Bool(b) => Value::Bool(*b),
            NodeValue::Int(i) => Value::from(*i),
            NodeValue::Float(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
            NodeValue::Str(s) => Value::String(s.clone()),
            NodeValue::Seq(items) => Value::Array(items.iter().map(Node::to_json).collect()),
            NodeValue::Map(entries) => {
                Value::Object(entries.iter().map(|(k, v)| (k.name.clone(), v.to_json())).collect())
            }
        }
    }

    /// The child named by one JSON-pointer token.
    pub fn child(&self, token: &str) -> Option<&Node> {
        match &self.value {
            NodeValue::Map(entries) => entries.iter().find(|(k, _)| k.name == token).map(|(_, v)| v),
            NodeValue::Seq(items) => token.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => None,
        }
    }

    /// The position of the key `token` in this mapping, if there is one.
    pub fn key_position(&self, token: &str) -> Option<Position> {
        match &self.value {
            NodeValue::Map(entries) => entries.iter().find(|(k, _)| k.name == token).map(|(k, _)| k.at),
            _ => None,
        }
    }

    /// The position of the deepest node along a JSON pointer (`/steps/2/role`).
    pub fn locate(&self, pointer: &str) -> Position {
        let mut node = self;
        for token in pointer_tokens(pointer) {
            match node.child(&token) {
                Some(next) => node = next,
                None => return node.at,
            }
        }
        node.at
    }

    /// The string value, if this node is a string.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            NodeValue::Str(s) => Some(s),
            _ => None,
        }
    }
}

/// Splits a JSON pointer into unescaped tokens.
pub fn pointer_tokens(pointer: &str) -> impl Iterator<Item = String> + '_ {
    pointer.split('/').skip(1).map(|t| t.replace("~1", "/").replace("~0", "~"))
}

/// A value whose children are spanned; the wrapper exists so the root can be spanned too.
struct Bare(NodeValue);

impl<'de> Deserialize<'de> for Bare {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(BareVisitor)
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = Spanned::<Bare>::deserialize(deserializer)?;
        Ok(Node { at: Position::of(&spanned.referenced), value: spanned.value.0 })
    }
}

struct BareVisitor;

impl<'de> Visitor<'de> for BareVisitor {
    type Value = Bare;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Bare, E> {
        Ok(Bare(NodeValue::Null))
    }
    fn visit_none<E: de::Error>(self) -> Result<Bare, E> {
        Ok(Bare(NodeValue::Null))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Bare, D::Error> {
        Bare::deserialize(d)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Bare, E> {
        Ok(Bare(NodeValue::Bool(v)))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Bare, E> {
        Ok(Bare(NodeValue::Int(v)))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Bare, E> {
        Ok(Bare(i64::try_from(v).map_or(NodeValue::Float(v as f64), NodeValue::Int)))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Bare, E> {
        Ok(Bare(NodeValue::Float(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Bare, E> {
        Ok(Bare(NodeValue::Str(v.to_owned())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Bare, E> {
        Ok(Bare(NodeValue::Str(v)))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Bare, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Node>()? {
            items.push(item);
        }
        Ok(Bare(NodeValue::Seq(items)))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Bare, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Spanned<KeyText>>()? {
            let value = map.next_value::<Node>()?;
            entries.push((Key { at: Position::of(&key.referenced), name: key.value.0 }, value));
        }
        Ok(Bare(NodeValue::Map(entries)))
    }
}

/// A mapping key rendered as text: YAML allows `1:` or `true:` as keys, JSON needs strings.
struct KeyText(String);

impl<'de> Deserialize<'de> for KeyText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let bare = Bare::deserialize(deserializer)?;
        Ok(KeyText(match bare.0 {
            NodeValue::Str(s) => s,
            NodeValue::Int(i) => i.to_string(),
            NodeValue::Float(f) => f.to_string(),
            NodeValue::Bool(b) => b.to_string(),
            NodeValue::Null => "null".to_owned(),
            NodeValue::Seq(_) | NodeValue::Map(_) => {
                return Err(de::Error::custom("a mapping key must be a scalar"));
            }
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_of_nested_values_and_keys() {
        let text = "code: \"1.004227\"\nsteps:\n  - id: a\n    role: reception\n  - { id: b, role: x }\n";
        let node = Node::parse(text).unwrap();
        assert_eq!(node.locate("/code"), Position { line: 1, column: 7 });
        assert_eq!(node.locate("/steps/0/role").line, 4);
        assert_eq!(node.locate("/steps/1/role").line, 5);
        assert_eq!(node.child("steps").unwrap().key_position("nope"), None);
        assert_eq!(node.key_position("steps"), Some(Position { line: 2, column: 1 }));
        assert_eq!(node.to_json()["steps"][1]["role"], "x");
    }

    #[test]
    fn scalar_types_follow_yaml_core_schema() {
        let node = Node::parse("a: 1\nb: 1.5\nc: true\nd: ~\ne: 2026-01-01\nf: \"1\"\n").unwrap();
        let json = node.to_json();
        assert_eq!(json["a"], 1);
        assert_eq!(json["b"], 1.5);
        assert_eq!(json["c"], true);
        assert!(json["d"].is_null());
        assert_eq!(json["e"], "2026-01-01");
        assert_eq!(json["f"], "1");
    }

    #[test]
    fn yes_and_no_are_text_as_yaml_1_2_and_editors_read_them() {
        let json = Node::parse("a: yes\nb: no\nc: on\nd: off\ne: y\nf: True\ng: false\n").unwrap().to_json();
        for key in ["a", "b", "c", "d", "e"] {
            assert!(json[key].is_string(), "`{key}`: {}", json[key]);
        }
        assert_eq!((json["f"].clone(), json["g"].clone()), (serde_json::json!(true), serde_json::json!(false)));
    }

    #[test]
    fn an_anchor_repeated_beyond_the_limit_is_refused_with_its_place() {
        let repeated = |n: usize| format!("s: &s \"xyz\"\nt: [{}]\n", vec!["*s"; n].join(", "));
        let node = Node::parse(&repeated(MAX_ALIAS_EXPANSIONS)).unwrap();
        assert_eq!(node.to_json()["t"].as_array().map(Vec::len), Some(MAX_ALIAS_EXPANSIONS));
        let error = Node::parse(&repeated(MAX_ALIAS_EXPANSIONS + 1)).unwrap_err();
        assert!(error.location().is_some_and(|at| at.line() == 2), "{error}");
    }
}
