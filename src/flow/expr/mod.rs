//! The small expression language of flow conditions (`when`, `until`) and
//! progress templates (`"… {gps.satellites} found"`).
//!
//! ```text
//! expr    := or
//! or      := and ("or" and)*
//! and     := unary ("and" unary)*
//! unary   := "not" unary | compare
//! compare := primary (("==" | "!=" | "<" | "<=" | ">" | ">=") primary
//!                     | "not"? "in" "[" literal ("," literal)* ","? "]")?
//! primary := literal | probe | "(" expr ")"
//! literal := number | 'text' | "text" | true | false | null
//! probe   := name ("." name)*          e.g. selftest.battery.code
//! ```
//!
//! Evaluation is three-valued: a fact the device could not give (an error,
//! an unsupported method) is *unknown*, and `and`/`or`/`not` follow Kleene
//! logic, so `a or b` is true when `b` is true even if `a` is unknown. A
//! condition holds only when it is definitely true. A `null` value (the
//! device has nothing to report) makes every comparison false, except
//! `x == null` and `x != null`, which test for it.
//!
//! A hand-written parser: errors carry byte positions within the expression
//! so lint can point at the line and column in the flow file.
//!
//! Laid out as: `lex` (tokens), `parse` (the parser), `eval` (evaluation
//! and type checks), `template` (progress templates).

mod eval;
mod lex;
mod parse;
mod template;
#[cfg(test)]
mod tests;

pub use parse::parse;
pub use template::Template;

use serde_json::Value;
use std::fmt;
use std::ops::Range;

/// Longest expression accepted (flow files are human-written; this bounds
/// the parser's work on hostile input).
pub const MAX_EXPR_LEN: usize = 2000;
/// Deepest nesting accepted.
const MAX_DEPTH: usize = 64;

/// A literal value.
#[derive(Debug, Clone, PartialEq)]
pub enum Lit {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A number.
    Num(f64),
    /// Text.
    Str(String),
}

impl fmt::Display for Lit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Lit::Null => f.write_str("null"),
            Lit::Bool(b) => write!(f, "{b}"),
            Lit::Num(n) => write!(f, "{n}"),
            Lit::Str(s) => write!(f, "'{}'", s.replace('\\', "\\\\").replace('\'', "\\'")),
        }
    }
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl CmpOp {
    fn as_str(self) -> &'static str {
        match self {
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }

    fn is_ordering(self) -> bool {
        !matches!(self, CmpOp::Eq | CmpOp::Ne)
    }
}

/// A byte range within the expression text.
pub type Span = Range<usize>;

/// A parsed expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A literal.
    Lit(Lit, Span),
    /// A probe by name.
    Probe(String, Span),
    /// `not e`
    Not(Box<Expr>),
    /// `a and b`
    And(Box<Expr>, Box<Expr>),
    /// `a or b`
    Or(Box<Expr>, Box<Expr>),
    /// `a <op> b`
    Cmp(CmpOp, Box<Expr>, Box<Expr>),
    /// `a in [..]` / `a not in [..]`
    In {
        /// The value looked for.
        item: Box<Expr>,
        /// The list.
        list: Vec<(Lit, Span)>,
        /// `not in`.
        negated: bool,
    },
}

/// A syntax or type error in an expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExprError {
    /// What is wrong.
    pub message: String,
    /// Where, as bytes of the expression text.
    pub span: Span,
}

impl fmt::Display for ExprError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at column {})", self.message, self.span.start + 1)
    }
}

/// Three-valued truth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Truth {
    /// Definitely true.
    True,
    /// Definitely false.
    False,
    /// Could not be decided (a fact was unavailable).
    Unknown,
}

impl Truth {
    fn from_bool(b: bool) -> Self {
        if b { Truth::True } else { Truth::False }
    }

    fn not(self) -> Self {
        match self {
            Truth::True => Truth::False,
            Truth::False => Truth::True,
            Truth::Unknown => Truth::Unknown,
        }
    }

    /// Whether definitely true.
    pub fn is_true(self) -> bool {
        self == Truth::True
    }
}

/// What a lookup of a probe gives during evaluation.
#[derive(Debug, Clone, PartialEq)]
pub enum Fact {
    /// The value (possibly `null`).
    Value(Value),
    /// Unavailable (error, unsupported, not read).
    Missing,
}
