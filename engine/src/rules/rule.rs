//! One compiled rule, where it was written, and how it runs.

use super::limit::Limit;
use crate::definition::Position;
use rhai::{AST, Dynamic, Engine, EvalAltResult, Scope};
use std::sync::Arc;

/// What a rule computes, which fixes the type it must return.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleKind {
    /// Returns an array of reasons (strings) the application is not acceptable.
    Eligibility,
    /// Returns whether a document is required (`required_when`).
    Condition,
    /// Returns the fee in VND as an integer.
    Fee,
    /// Returns the committed processing time, in the procedure's unit.
    Time,
}

impl RuleKind {
    fn expected(self) -> &'static str {
        match self {
            RuleKind::Eligibility => "an array of strings (the reasons, empty when eligible)",
            RuleKind::Condition => "a boolean",
            RuleKind::Fee => "an integer number of VND",
            RuleKind::Time => "a number",
        }
    }
}

/// How the rule's text was written in YAML, which decides how rhai positions map to the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalarStyle {
    /// `key: text` — the script starts where the scalar does.
    Plain,
    /// `key: 'text'` or `key: "text"` — one column after the quote.
    Quoted,
    /// `key: |` — the script starts on the next line, at this indentation (0-based columns).
    Block {
        /// Columns of indentation stripped from each line.
        indent: u32,
    },
}

/// Where a rule was written.
#[derive(Debug, Clone)]
pub struct RuleSite {
    /// JSON pointer of the rule in the definition (`/documents/1/required_when`).
    pub pointer: String,
    /// Position of the YAML scalar.
    pub at: Position,
    /// Its style.
    pub style: ScalarStyle,
}

impl RuleSite {
    /// Maps a rhai position (1-based line and column inside the script) into the YAML file.
    pub fn map(&self, position: rhai::Position) -> Position {
        let (line, column) = (position.line().unwrap_or(1), position.position().unwrap_or(1));
        let line = u32::try_from(line).unwrap_or(1);
        let column = u32::try_from(column).unwrap_or(1);
        match self.style {
            ScalarStyle::Block { indent } => Position { line: self.at.line + line, column: indent + column },
            ScalarStyle::Quoted if line == 1 => Position { line: self.at.line, column: self.at.column + column },
            ScalarStyle::Plain if line == 1 => Position { line: self.at.line, column: self.at.column + column - 1 },
            ScalarStyle::Quoted | ScalarStyle::Plain => Position { line: self.at.line + line - 1, column },
        }
    }
}

/// A rule failure at run time.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RuleError {
    /// A sandbox limit or the time budget stopped the rule (runaway loop, huge string, deep
    /// recursion).
    #[error("rule `{pointer}` stopped by the sandbox: {limit}")]
    Limit {
        /// The rule's pointer.
        pointer: String,
        /// Where in the file the rule was when it stopped.
        at: Position,
        /// What limit.
        limit: Limit,
    },
    /// The rule raised an error (a type mismatch, a bad date, `throw`).
    #[error("rule `{pointer}` failed: {message}")]
    Runtime {
        /// The rule's pointer.
        pointer: String,
        /// Where in the file.
        at: Position,
        /// rhai's message.
        message: String,
    },
    /// The rule returned a value of the wrong type.
    #[error("rule `{pointer}` returned {found}, expected {expected}")]
    Type {
        /// The rule's pointer.
        pointer: String,
        /// Where the rule is.
        at: Position,
        /// The type it returned.
        found: String,
        /// The type expected.
        expected: &'static str,
    },
}

impl RuleError {
    /// Every code [`RuleError::code`] returns, for the catalogue of codes.
    pub const CODES: [&'static str; 3] = ["rule_limit", "rule_runtime", "rule_type"];

    /// Stable code.
    pub fn code(&self) -> &'static str {
        match self {
            RuleError::Limit { .. } => "rule_limit",
            RuleError::Runtime { .. } => "rule_runtime",
            RuleError::Type { .. } => "rule_type",
        }
    }

    /// Where in the definition file the failure happened.
    pub fn position(&self) -> Position {
        match self {
            RuleError::Limit { at, .. } | RuleError::Runtime { at, .. } | RuleError::Type { at, .. } => *at,
        }
    }
}

/// What a rule sees: built once per evaluation and shared by every rule of it.
pub struct RuleInput {
    scope: Scope<'static>,
}

/// Names a rule can read. Kept in one place: compile (strict variables) and run use the same.
const FORM: &str = "form";
const CHANNEL: &str = "channel";
const TODAY: &str = "today";
const DOCUMENTS: &str = "documents";

impl RuleInput {
    /// Converts the submission once: `form` (the forms' data by form id), `channel`,
    /// `today` (receipt date, YYYY-MM-DD, UTC+7) and `documents` (ids provided).
    pub fn new(form: &serde_json::Value, channel: &str, today: &str, documents: &[String]) -> Self {
        let mut scope = Scope::new();
        let form = rhai::serde::to_dynamic(form).unwrap_or(Dynamic::UNIT);
        scope.push_constant_dynamic(FORM, form);
        scope.push_constant(CHANNEL, channel.to_owned());
        scope.push_constant(TODAY, today.to_owned());
        let documents: rhai::Array = documents.iter().map(|d| Dynamic::from(d.clone())).collect();
        scope.push_constant(DOCUMENTS, documents);
        RuleInput { scope }
    }

    /// A scope declaring every input, for compiling in strict mode. Plain variables, not
    /// constants: the optimiser would fold a constant's placeholder value into the AST.
    pub fn declarations() -> Scope<'static> {
        let mut scope = Scope::new();
        for name in [FORM, CHANNEL, TODAY, DOCUMENTS] {
            scope.push_dynamic(name, Dynamic::UNIT);
        }
        scope
    }
}

/// A rule compiled to a rhai AST, with its origin for error locations.
#[derive(Clone)]
pub struct Rule {
    ast: Arc<AST>,
    kind: RuleKind,
    /// Where it was written.
    pub site: RuleSite,
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rule").field("kind", &self.kind).field("pointer", &self.site.pointer).finish()
    }
}

/// The innermost `{` of `text` that no `}` closes, outside strings and comments, as a rhai
/// position (1-based line and column).
fn unclosed_brace(text: &str) -> Option<rhai::Position> {
    let mut open: Vec<(usize, usize)> = Vec::new();
    let (mut line, mut column) = (1, 0);
    let mut chars = text.chars().peekable();
    let mut quote: Option<char> = None;
    let mut comment: Option<bool> = None; // Some(true): to the end of the line; Some(false): block
    while let Some(c) = chars.next() {
        column += 1;
        if c == '\n' {
            (line, column) = (line + 1, 0);
            if comment == Some(true) {
                comment = None;
            }
            continue;
        }
        match (quote, comment) {
            (Some(q), _) => {
                if c == '\\' {
                    chars.next();
                    column += 1;
                } else if c == q {
                    quote = None;
                }
            }
            (None, Some(false)) => {
                if c == '*' && chars.peek() == Some(&'/') {
                    chars.next();
                    column += 1;
                    comment = None;
                }
            }
            (None, Some(true)) => {}
            (None, None) => match c {
                '"' | '\'' | '`' => quote = Some(c),
                '/' if chars.peek() == Some(&'/') => comment = Some(true),
                '/' if chars.peek() == Some(&'*') => comment = Some(false),
                '{' => open.push((line, column)),
                '}' => {
                    open.pop();
                }
                _ => {}
            },
        }
    }
    let (line, column) = open.pop()?;
    Some(rhai::Position::new(u16::try_from(line).unwrap_or(u16::MAX), u16::try_from(column).unwrap_or(u16::MAX)))
}

impl Rule {
    /// Compiles `text`; a parse error comes back located in the YAML file.
    pub fn compile(engine: &Engine, kind: RuleKind, text: &str, site: RuleSite) -> Result<Rule, (Position, String)> {
        let scope = RuleInput::declarations();
        match engine.compile_with_scope(&scope, text) {
            Ok(ast) => Ok(Rule { ast: Arc::new(ast), kind, site }),
            // rhai meets a block left open only where the text ends, or at what follows it:
            // the mistake is the `{` itself.
            Err(error) => match unclosed_brace(text) {
                Some(open) => Err((site.map(open), format!("this `{{` is never closed ({})", error.err_type()))),
                None => Err((site.map(error.position()), error.err_type().to_string())),
            },
        }
    }

    /// The kind of value this rule computes.
    pub fn kind(&self) -> RuleKind {
        self.kind
    }

    fn run(&self, engine: &Engine, input: &mut RuleInput) -> Result<Dynamic, RuleError> {
        let mark = input.scope.len();
        let result = engine.eval_ast_with_scope::<Dynamic>(&mut input.scope, &self.ast);
        // Variables a rule declares must not leak into the next rule.
        input.scope.rewind(mark);
        result.map_err(|error| self.runtime_error(*error))
    }

    fn runtime_error(&self, error: EvalAltResult) -> RuleError {
        let at = self.site.map(error.position());
        let pointer = self.site.pointer.clone();
        let limit = match &error {
            EvalAltResult::ErrorTooManyOperations(_) => Some(Limit::Operations),
            // The token is the budget in milliseconds (see `Sandbox::engine_within`).
            EvalAltResult::ErrorTerminated(token, _) => {
                Some(Limit::Time { millis: token.as_int().ok().and_then(|m| u64::try_from(m).ok()).unwrap_or(0) })
            }
            EvalAltResult::ErrorDataTooLarge(what, _) if what.starts_with("Length of string") => {
                Some(Limit::StringSize)
            }
            EvalAltResult::ErrorDataTooLarge(..) => Some(Limit::CollectionSize),
            EvalAltResult::ErrorStackOverflow(_) => Some(Limit::CallDepth),
            EvalAltResult::ErrorTooManyVariables(_) => Some(Limit::Variables),
            _ => None,
        };
        if let Some(limit) = limit {
            return RuleError::Limit { pointer, at, limit };
        }
        let message = match error {
            EvalAltResult::ErrorRuntime(value, _) => value.to_string(),
            other => other.to_string(),
        };
        RuleError::Runtime { pointer, at, message }
    }

    fn wrong_type(&self, value: &Dynamic) -> RuleError {
        RuleError::Type {
            pointer: self.site.pointer.clone(),
            at: self.site.at,
            found: format!("`{}`", value.type_name()),
            expected: self.kind.expected(),
        }
    }

    /// Runs a condition rule.
    pub fn condition(&self, engine: &Engine, input: &mut RuleInput) -> Result<bool, RuleError> {
        let value = self.run(engine, input)?;
        value.as_bool().map_err(|_| self.wrong_type(&value))
    }

    /// Runs a fee rule: whole VND, never negative.
    pub fn amount(&self, engine: &Engine, input: &mut RuleInput) -> Result<i64, RuleError> {
        let value = self.run(engine, input)?;
        match value.as_int() {
            Ok(amount) if amount >= 0 => Ok(amount),
            _ => Err(self.wrong_type(&value)),
        }
    }

    /// Runs a numeric rule (processing time).
    pub fn number(&self, engine: &Engine, input: &mut RuleInput) -> Result<f64, RuleError> {
        let value = self.run(engine, input)?;
        #[allow(clippy::cast_precision_loss)] // times are small integers
        match (value.as_int(), value.as_float()) {
            (Ok(i), _) => Ok(i as f64),
            (_, Ok(f)) if f.is_finite() && f >= 0.0 => Ok(f),
            _ => Err(self.wrong_type(&value)),
        }
    }

    /// Runs an eligibility rule: the reasons the application is not acceptable.
    pub fn reasons(&self, engine: &Engine, input: &mut RuleInput) -> Result<Vec<String>, RuleError> {
        let value = self.run(engine, input)?;
        let Some(array) = value.read_lock::<rhai::Array>() else {
            return Err(self.wrong_type(&value));
        };
        array.iter().map(|reason| reason.clone().into_string().map_err(|_| self.wrong_type(reason))).collect()
    }
}
