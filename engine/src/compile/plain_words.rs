//! A document's `required_when` rule in the words of the notice board: `form.to_khai.truong_hop
//! == "mang_thai_ho"` becomes `Nộp khi “Trường hợp” là “Mang thai hộ”`, the fields and choices
//! named by the titles of the form's JSON Schema. Only the shapes conditions are written in
//! are read — fields, their negation, `==` / `!=` against a text, a number or a truth value,
//! `&&`, `||` and parentheses; anything else has no plain words, and the definition's
//! `condition_text` says it instead.

use super::forms::resolve;
use crate::procedure::Form;
use serde_json::Value;

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Path(Vec<String>),
    Text(String),
    Number(String),
    Truth(bool),
    Not,
    And,
    Or,
    Equal,
    NotEqual,
    Open,
    Close,
}

fn tokens(text: &str) -> Option<Vec<Token>> {
    let mut out = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match c {
            ' ' | '\t' | '\n' | '\r' => i += 1,
            '(' => (out.push(Token::Open), i += 1).1,
            ')' => (out.push(Token::Close), i += 1).1,
            '&' if next == Some('&') => (out.push(Token::And), i += 2).1,
            '|' if next == Some('|') => (out.push(Token::Or), i += 2).1,
            '=' if next == Some('=') => (out.push(Token::Equal), i += 2).1,
            '!' if next == Some('=') => (out.push(Token::NotEqual), i += 2).1,
            '!' => (out.push(Token::Not), i += 1).1,
            '"' | '\'' => {
                let end = chars[i + 1..].iter().position(|&d| d == c)? + i + 1;
                out.push(Token::Text(chars[i + 1..end].iter().collect()));
                i = end + 1;
            }
            c if c.is_ascii_digit() => {
                let end =
                    chars[i..].iter().position(|d| !(d.is_ascii_digit() || *d == '.')).map_or(chars.len(), |n| n + i);
                out.push(Token::Number(chars[i..end].iter().collect()));
                i = end;
            }
            c if c.is_ascii_alphabetic() || c == '_' => {
                let end = chars[i..]
                    .iter()
                    .position(|d| !(d.is_ascii_alphanumeric() || *d == '_' || *d == '.'))
                    .map_or(chars.len(), |n| n + i);
                let word: String = chars[i..end].iter().collect();
                out.push(match word.as_str() {
                    "true" => Token::Truth(true),
                    "false" => Token::Truth(false),
                    _ => {
                        let path: Vec<String> = word.split('.').map(str::to_owned).collect();
                        if path.len() < 3 || path[0] != "form" || path.iter().any(String::is_empty) {
                            return None;
                        }
                        Token::Path(path[1..].to_vec())
                    }
                });
                i = end;
            }
            _ => return None,
        }
    }
    Some(out)
}

/// A condition read back.
#[derive(Debug)]
enum Condition {
    /// A field is true (`negated`: is false).
    Field {
        path: Vec<String>,
        negated: bool,
    },
    /// A field compared with a value.
    Compare {
        path: Vec<String>,
        equal: bool,
        value: Token,
    },
    Not(Box<Condition>),
    And(Vec<Condition>),
    Or(Vec<Condition>),
}

/// Deepest nesting of `(` and `!` read, and longest rule: past them, no plain words (rhai has
/// its own limits; this reader must never be the one that overflows the stack).
const MAX_DEPTH: usize = 32;
const MAX_RULE: usize = 2_000;

struct Parser {
    tokens: Vec<Token>,
    at: usize,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn take(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.at).cloned();
        self.at += 1;
        token
    }

    fn or(&mut self) -> Option<Condition> {
        let mut parts = vec![self.and()?];
        while self.peek() == Some(&Token::Or) {
            self.at += 1;
            parts.push(self.and()?);
        }
        Some(if parts.len() == 1 { parts.remove(0) } else { Condition::Or(parts) })
    }

    fn and(&mut self) -> Option<Condition> {
        let mut parts = vec![self.unary()?];
        while self.peek() == Some(&Token::And) {
            self.at += 1;
            parts.push(self.unary()?);
        }
        Some(if parts.len() == 1 { parts.remove(0) } else { Condition::And(parts) })
    }

    fn unary(&mut self) -> Option<Condition> {
        self.depth += 1;
        let read = if self.depth > MAX_DEPTH { None } else { self.operand() };
        self.depth -= 1;
        read
    }

    fn operand(&mut self) -> Option<Condition> {
        match self.take()? {
            Token::Not => Some(match self.unary()? {
                Condition::Field { path, negated } => Condition::Field { path, negated: !negated },
                other => Condition::Not(Box::new(other)),
            }),
            Token::Open => {
                let inner = self.or()?;
                (self.take()? == Token::Close).then_some(inner)
            }
            Token::Path(path) => match self.peek() {
                Some(Token::Equal | Token::NotEqual) => {
                    let equal = self.take()? == Token::Equal;
                    match self.take()? {
                        value @ (Token::Text(_) | Token::Number(_) | Token::Truth(_)) => {
                            Some(Condition::Compare { path, equal, value })
                        }
                        _ => None,
                    }
                }
                _ => Some(Condition::Field { path, negated: false }),
            },
            _ => None,
        }
    }
}

/// The schema of the field at `path` (form id first) among `forms`.
fn field<'f>(forms: &'f [Form], path: &[String]) -> Option<(&'f Value, &'f Value)> {
    let (form_id, fields) = path.split_first()?;
    let root = forms.iter().find(|f| &f.id == form_id)?.schema.as_ref();
    let mut node = resolve(root, root);
    for name in fields {
        node = resolve(root, node.get("properties")?.get(name)?);
    }
    Some((root, node))
}

fn title(forms: &[Form], path: &[String]) -> Option<String> {
    let (_, node) = field(forms, path)?;
    Some(format!("“{}”", node.get("title")?.as_str()?))
}

/// How the form shows `value` of the field at `path`: its choice's title, else the value.
fn label(forms: &[Form], path: &[String], value: &Token) -> Option<String> {
    let (root, node) = field(forms, path)?;
    let wanted = match value {
        Token::Text(text) => Value::String(text.clone()),
        Token::Number(n) => serde_json::from_str(n).ok()?,
        Token::Truth(b) => return Some(if *b { "có" } else { "không" }.to_owned()),
        _ => return None,
    };
    let node = match node.get("items") {
        Some(items) if node.get("type") == Some(&Value::String("array".into())) => resolve(root, items),
        _ => node,
    };
    let named = node.get("oneOf").and_then(Value::as_array).into_iter().flatten().find_map(|choice| {
        (choice.get("const") == Some(&wanted)).then(|| choice.get("title").and_then(Value::as_str)).flatten()
    });
    Some(match (named, &wanted) {
        (Some(title), _) => format!("“{title}”"),
        (None, Value::String(text)) => format!("“{text}”"),
        (None, other) => other.to_string(),
    })
}

fn words(forms: &[Form], condition: &Condition, nested: bool) -> Option<String> {
    Some(match condition {
        Condition::Field { path, negated } => {
            format!("{} là {}", title(forms, path)?, if *negated { "không" } else { "có" })
        }
        Condition::Compare { path, equal, value: Token::Truth(truth) } => {
            format!("{} là {}", title(forms, path)?, if *truth == *equal { "có" } else { "không" })
        }
        Condition::Compare { path, equal, value } => {
            let verb = if *equal { "là" } else { "không phải là" };
            format!("{} {verb} {}", title(forms, path)?, label(forms, path, value)?)
        }
        Condition::Not(inner) => format!("không phải trường hợp {}", words(forms, inner, true)?),
        Condition::And(parts) | Condition::Or(parts) => {
            let joiner = if matches!(condition, Condition::And(_)) { " và " } else { " hoặc " };
            let said = parts.iter().map(|p| words(forms, p, true)).collect::<Option<Vec<_>>>()?.join(joiner);
            if nested && parts.len() > 1 { format!("({said})") } else { said }
        }
    })
}

/// `rule` (a `required_when` condition over `forms`) in plain words, `Nộp khi …`; none when
/// it is not one of the shapes read here or names a field without a title.
pub(crate) fn plain_words(rule: &str, forms: &[Form]) -> Option<String> {
    if rule.len() > MAX_RULE {
        return None;
    }
    let mut parser = Parser { tokens: tokens(rule)?, at: 0, depth: 0 };
    let condition = parser.or()?;
    if parser.at != parser.tokens.len() {
        return None;
    }
    Some(format!("Nộp khi {}", words(forms, &condition, false)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::sync::Arc;

    fn forms() -> Vec<Form> {
        let schema = json!({
            "type": "object",
            "$defs": { "nguoi": { "type": "object", "properties": { "loai": { "title": "Loại người yêu cầu",
                "oneOf": [{"const": "ca_nhan", "title": "Cá nhân"}, {"const": "co_quan_to_chuc", "title": "Cơ quan, tổ chức"}] } } } },
            "properties": {
                "truong_hop": { "title": "Trường hợp đăng ký", "type": "string",
                    "oneOf": [{"const": "thong_thuong", "title": "Thông thường"}, {"const": "mang_thai_ho", "title": "Sinh con theo phương pháp mang thai hộ"}] },
                "co_giay_chung_sinh": { "title": "Có giấy chứng sinh", "type": "boolean" },
                "so_con": { "title": "Số con", "type": "integer" },
                "nguoi_yeu_cau": { "$ref": "#/$defs/nguoi" }
            }
        });
        let validator = Arc::new(jsonschema::validator_for(&schema).expect("a schema"));
        vec![Form {
            id: "to_khai".into(),
            title: "Tờ khai".into(),
            schema_ref: "inline".into(),
            schema: Arc::new(schema),
            validator,
        }]
    }

    #[test]
    fn conditions_read_as_the_notice_board_writes_them() {
        let f = forms();
        assert_eq!(
            plain_words(r#"form.to_khai.truong_hop == "mang_thai_ho""#, &f).as_deref(),
            Some("Nộp khi “Trường hợp đăng ký” là “Sinh con theo phương pháp mang thai hộ”")
        );
        assert_eq!(
            plain_words("!form.to_khai.co_giay_chung_sinh && form.to_khai.truong_hop != 'mang_thai_ho'", &f).as_deref(),
            Some(
                "Nộp khi “Có giấy chứng sinh” là không và “Trường hợp đăng ký” không phải là “Sinh con theo phương pháp mang thai hộ”"
            )
        );
        assert_eq!(
            plain_words(r#"form.to_khai.nguoi_yeu_cau.loai == "ca_nhan" || (form.to_khai.so_con == 2 && form.to_khai.co_giay_chung_sinh)"#, &f).as_deref(),
            Some("Nộp khi “Loại người yêu cầu” là “Cá nhân” hoặc (“Số con” là 2 và “Có giấy chứng sinh” là có)")
        );
    }

    #[test]
    fn what_it_cannot_read_has_no_plain_words() {
        let f = forms();
        for rule in [
            "form.to_khai.so_con > 2",
            "form.to_khai.khong_co == true",
            "len(form.to_khai.truong_hop) == 0",
            "form.to_khai.truong_hop == ",
            "(form.to_khai.co_giay_chung_sinh",
            "applicant.name == \"x\"",
            &"(".repeat(200_000),
            &format!("{}form.to_khai.co_giay_chung_sinh", "!".repeat(5_000)),
        ] {
            assert_eq!(plain_words(rule, &f), None, "{rule}");
        }
    }
}
