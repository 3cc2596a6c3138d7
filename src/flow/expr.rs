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

use crate::probe::ValueKind;
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

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(f64),
    Str(String),
    Name(String),
    Op(&'static str),
}

fn lex(src: &str) -> Result<Vec<(Tok, Span)>, ExprError> {
    let b = src.as_bytes();
    let mut i = 0;
    let mut out = Vec::new();
    while i < b.len() {
        let c = b[i];
        let start = i;
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if c.is_ascii_digit()
            || (c == b'-' && i + 1 < b.len() && (b[i + 1].is_ascii_digit() || b[i + 1] == b'.'))
            || (c == b'.' && i + 1 < b.len() && b[i + 1].is_ascii_digit())
        {
            i += 1;
            while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.' || b[i] == b'_') {
                i += 1;
            }
            let text: String = src[start..i].chars().filter(|&c| c != '_').collect();
            let n: f64 = text.parse().map_err(|_| ExprError {
                message: format!("`{}` is not a number", &src[start..i]),
                span: start..i,
            })?;
            out.push((Tok::Num(n), start..i));
            continue;
        }
        if c == b'\'' || c == b'"' {
            let quote = c;
            i += 1;
            let mut s = String::new();
            loop {
                let Some(ch) = src[i..].chars().next() else {
                    return Err(ExprError {
                        message: "this text is not closed: add the closing quote".into(),
                        span: start..src.len(),
                    });
                };
                if ch as u32 == quote as u32 {
                    i += 1;
                    break;
                }
                if ch == '\\' {
                    let Some(next) = src[i + 1..].chars().next() else {
                        return Err(ExprError {
                            message: "this text is not closed: add the closing quote".into(),
                            span: start..src.len(),
                        });
                    };
                    s.push(match next {
                        'n' => '\n',
                        't' => '\t',
                        other => other,
                    });
                    i += 1 + next.len_utf8();
                    continue;
                }
                s.push(ch);
                i += ch.len_utf8();
            }
            out.push((Tok::Str(s), start..i));
            continue;
        }
        if c.is_ascii_alphabetic() || c == b'_' {
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'.') {
                i += 1;
            }
            let name = &src[start..i];
            if name.ends_with('.') || name.contains("..") {
                return Err(ExprError {
                    message: format!("`{name}` is not a probe name (dots separate words)"),
                    span: start..i,
                });
            }
            out.push((Tok::Name(name.to_string()), start..i));
            continue;
        }
        let two = src.get(i..i + 2).unwrap_or("");
        let op: Option<&'static str> = match two {
            "==" => Some("=="),
            "!=" => Some("!="),
            "<=" => Some("<="),
            ">=" => Some(">="),
            "&&" | "||" => {
                return Err(ExprError {
                    message: format!(
                        "write `{}` instead of `{two}`",
                        if two == "&&" { "and" } else { "or" }
                    ),
                    span: i..i + 2,
                });
            }
            _ => None,
        };
        if let Some(op) = op {
            out.push((Tok::Op(op), i..i + 2));
            i += 2;
            continue;
        }
        let one: Option<&'static str> = match c {
            b'<' => Some("<"),
            b'>' => Some(">"),
            b'(' => Some("("),
            b')' => Some(")"),
            b'[' => Some("["),
            b']' => Some("]"),
            b',' => Some(","),
            _ => None,
        };
        match one {
            Some(op) => {
                out.push((Tok::Op(op), i..i + 1));
                i += 1;
            }
            None => {
                let ch = src[i..].chars().next().unwrap_or('?');
                let hint = match ch {
                    '=' => " (use `==` to compare)",
                    '!' => " (use `not` or `!=`)",
                    _ => "",
                };
                return Err(ExprError {
                    message: format!("unexpected `{ch}`{hint}"),
                    span: i..i + ch.len_utf8(),
                });
            }
        }
    }
    Ok(out)
}

struct Parser<'s> {
    toks: Vec<(Tok, Span)>,
    pos: usize,
    len: usize,
    depth: usize,
    _src: &'s str,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|(t, _)| t)
    }

    fn span(&self) -> Span {
        self.toks
            .get(self.pos)
            .map(|(_, s)| s.clone())
            .unwrap_or(self.len..self.len)
    }

    fn is_word(&self, w: &str) -> bool {
        matches!(self.peek(), Some(Tok::Name(n)) if n == w)
    }

    fn is_op(&self, o: &str) -> bool {
        matches!(self.peek(), Some(Tok::Op(x)) if *x == o)
    }

    fn err<T>(&self, message: impl Into<String>) -> Result<T, ExprError> {
        Err(ExprError {
            message: message.into(),
            span: self.span(),
        })
    }

    fn describe_here(&self) -> String {
        match self.peek() {
            None => "the end".into(),
            Some(Tok::Num(n)) => format!("`{n}`"),
            Some(Tok::Str(s)) => format!("'{s}'"),
            Some(Tok::Name(n)) => format!("`{n}`"),
            Some(Tok::Op(o)) => format!("`{o}`"),
        }
    }

    fn enter(&mut self) -> Result<(), ExprError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return self.err("the expression is nested too deeply");
        }
        Ok(())
    }

    fn or(&mut self) -> Result<Expr, ExprError> {
        self.enter()?;
        let mut left = self.and()?;
        while self.is_word("or") {
            self.pos += 1;
            let right = self.and()?;
            left = Expr::Or(Box::new(left), Box::new(right));
        }
        self.depth -= 1;
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, ExprError> {
        let mut left = self.unary()?;
        while self.is_word("and") {
            self.pos += 1;
            let right = self.unary()?;
            left = Expr::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, ExprError> {
        if self.is_word("not") {
            self.pos += 1;
            self.enter()?;
            let inner = self.unary()?;
            self.depth -= 1;
            return Ok(Expr::Not(Box::new(inner)));
        }
        self.compare()
    }

    fn compare(&mut self) -> Result<Expr, ExprError> {
        let left = self.primary()?;
        let op = match self.peek() {
            Some(Tok::Op("==")) => Some(CmpOp::Eq),
            Some(Tok::Op("!=")) => Some(CmpOp::Ne),
            Some(Tok::Op("<")) => Some(CmpOp::Lt),
            Some(Tok::Op("<=")) => Some(CmpOp::Le),
            Some(Tok::Op(">")) => Some(CmpOp::Gt),
            Some(Tok::Op(">=")) => Some(CmpOp::Ge),
            _ => None,
        };
        if let Some(op) = op {
            self.pos += 1;
            let right = self.primary()?;
            return Ok(Expr::Cmp(op, Box::new(left), Box::new(right)));
        }
        let negated = self.is_word("not")
            && matches!(self.toks.get(self.pos + 1), Some((Tok::Name(n), _)) if n == "in");
        if negated || self.is_word("in") {
            self.pos += if negated { 2 } else { 1 };
            let list = self.list()?;
            return Ok(Expr::In {
                item: Box::new(left),
                list,
                negated,
            });
        }
        Ok(left)
    }

    fn list(&mut self) -> Result<Vec<(Lit, Span)>, ExprError> {
        if !self.is_op("[") {
            return self.err(format!(
                "expected a list like ['a', 'b'] after `in`, found {}",
                self.describe_here()
            ));
        }
        let open = self.span();
        self.pos += 1;
        let mut items = Vec::new();
        loop {
            if self.is_op("]") {
                self.pos += 1;
                break;
            }
            let span = self.span();
            let lit = match self.literal() {
                Some(l) => l,
                None => {
                    return self.err(format!(
                        "a list holds literals ('text', numbers, true, false, null); found {}",
                        self.describe_here()
                    ));
                }
            };
            items.push((lit, span));
            if self.is_op(",") {
                self.pos += 1;
            } else if !self.is_op("]") {
                return self.err(format!(
                    "expected `,` or `]` in the list, found {}",
                    self.describe_here()
                ));
            }
        }
        if items.is_empty() {
            return Err(ExprError {
                message: "the list after `in` is empty".into(),
                span: open,
            });
        }
        Ok(items)
    }

    fn literal(&mut self) -> Option<Lit> {
        let lit = match self.peek()? {
            Tok::Num(n) => Lit::Num(*n),
            Tok::Str(s) => Lit::Str(s.clone()),
            Tok::Name(n) if n == "true" => Lit::Bool(true),
            Tok::Name(n) if n == "false" => Lit::Bool(false),
            Tok::Name(n) if n == "null" => Lit::Null,
            _ => return None,
        };
        self.pos += 1;
        Some(lit)
    }

    fn primary(&mut self) -> Result<Expr, ExprError> {
        let span = self.span();
        if let Some(lit) = self.literal() {
            return Ok(Expr::Lit(lit, span));
        }
        match self.peek().cloned() {
            Some(Tok::Op("(")) => {
                self.pos += 1;
                let inner = self.or()?;
                if !self.is_op(")") {
                    return self.err(format!("expected `)`, found {}", self.describe_here()));
                }
                self.pos += 1;
                Ok(inner)
            }
            Some(Tok::Name(n)) if ["and", "or", "not", "in"].contains(&n.as_str()) => {
                self.err(format!("expected a value before `{n}`"))
            }
            Some(Tok::Name(n)) => {
                self.pos += 1;
                Ok(Expr::Probe(n, span))
            }
            _ => self.err(format!(
                "expected a probe name, a value or `(`, found {}",
                self.describe_here()
            )),
        }
    }
}

/// Parses an expression.
pub fn parse(src: &str) -> Result<Expr, ExprError> {
    if src.len() > MAX_EXPR_LEN {
        return Err(ExprError {
            message: format!("the expression is longer than {MAX_EXPR_LEN} characters"),
            span: 0..0,
        });
    }
    let toks = lex(src)?;
    if toks.is_empty() {
        return Err(ExprError {
            message: "the condition is empty".into(),
            span: 0..0,
        });
    }
    let mut p = Parser {
        toks,
        pos: 0,
        len: src.len(),
        depth: 0,
        _src: src,
    };
    let e = p.or()?;
    if p.pos < p.toks.len() {
        return p.err(format!(
            "expected `and`, `or` or the end, found {}",
            p.describe_here()
        ));
    }
    Ok(e)
}

impl Expr {
    /// Every probe named in the expression, with its position, in order.
    pub fn probes(&self) -> Vec<(&str, Span)> {
        let mut out = Vec::new();
        self.walk(&mut |e| {
            if let Expr::Probe(n, s) = e {
                out.push((n.as_str(), s.clone()));
            }
        });
        out
    }

    fn walk<'a>(&'a self, f: &mut impl FnMut(&'a Expr)) {
        f(self);
        match self {
            Expr::Not(e) => e.walk(f),
            Expr::And(a, b) | Expr::Or(a, b) | Expr::Cmp(_, a, b) => {
                a.walk(f);
                b.walk(f);
            }
            Expr::In { item, .. } => item.walk(f),
            Expr::Lit(..) | Expr::Probe(..) => {}
        }
    }

    /// Evaluates with `lookup` giving each probe's fact.
    pub fn eval(&self, lookup: &mut dyn FnMut(&str) -> Fact) -> Truth {
        match self {
            Expr::Not(e) => e.eval(lookup).not(),
            Expr::And(a, b) => match (a.eval(lookup), b.eval(lookup)) {
                (Truth::False, _) | (_, Truth::False) => Truth::False,
                (Truth::True, Truth::True) => Truth::True,
                _ => Truth::Unknown,
            },
            Expr::Or(a, b) => match (a.eval(lookup), b.eval(lookup)) {
                (Truth::True, _) | (_, Truth::True) => Truth::True,
                (Truth::False, Truth::False) => Truth::False,
                _ => Truth::Unknown,
            },
            Expr::Lit(Lit::Bool(b), _) => Truth::from_bool(*b),
            Expr::Lit(..) => Truth::False,
            Expr::Probe(..) => match self.value(lookup) {
                None => Truth::Unknown,
                Some(Value::Bool(b)) => Truth::from_bool(b),
                // null, or not a truth value: false.
                Some(_) => Truth::False,
            },
            Expr::Cmp(op, a, b) => {
                let null_test = |e: &Expr| matches!(e, Expr::Lit(Lit::Null, _));
                if null_test(a) || null_test(b) {
                    let other = if null_test(a) { b } else { a };
                    let Some(v) = other.value(lookup) else {
                        return Truth::Unknown;
                    };
                    return match op {
                        CmpOp::Eq => Truth::from_bool(v.is_null()),
                        CmpOp::Ne => Truth::from_bool(!v.is_null()),
                        _ => Truth::False,
                    };
                }
                let (Some(x), Some(y)) = (a.value(lookup), b.value(lookup)) else {
                    return Truth::Unknown;
                };
                Truth::from_bool(compare(*op, &x, &y))
            }
            Expr::In {
                item,
                list,
                negated,
            } => {
                let Some(v) = item.value(lookup) else {
                    return Truth::Unknown;
                };
                if v.is_null() && !list.iter().any(|(l, _)| *l == Lit::Null) {
                    return Truth::False;
                }
                let found = list.iter().any(|(l, _)| equal(&v, &lit_value(l)));
                Truth::from_bool(found != *negated)
            }
        }
    }

    /// The value of a leaf (`None` when a probe is missing). Non-leaves
    /// give their truth as a bool.
    fn value(&self, lookup: &mut dyn FnMut(&str) -> Fact) -> Option<Value> {
        match self {
            Expr::Lit(l, _) => Some(lit_value(l)),
            Expr::Probe(n, _) => match lookup(n) {
                Fact::Value(v) => Some(v),
                Fact::Missing => None,
            },
            other => match other.eval(lookup) {
                Truth::Unknown => None,
                t => Some(Value::Bool(t.is_true())),
            },
        }
    }

    /// Checks the expression against the kinds of its probes: literals of
    /// the wrong type, words an enumeration does not have, ordering on
    /// text, a non-truth value used as a condition. `kind` gives each known
    /// probe's kind (unknown probes are reported elsewhere).
    pub fn check_types(&self, kind: &dyn Fn(&str) -> Option<ValueKind>) -> Vec<ExprError> {
        let mut errs = Vec::new();
        self.check_bool_context(kind, &mut errs);
        errs
    }

    fn check_bool_context(
        &self,
        kind: &dyn Fn(&str) -> Option<ValueKind>,
        errs: &mut Vec<ExprError>,
    ) {
        match self {
            Expr::Not(e) => e.check_bool_context(kind, errs),
            Expr::And(a, b) | Expr::Or(a, b) => {
                a.check_bool_context(kind, errs);
                b.check_bool_context(kind, errs);
            }
            Expr::Probe(n, span) => {
                if let Some(k) = kind(n)
                    && k != ValueKind::Bool
                {
                    errs.push(ExprError {
                        message: format!(
                            "`{n}` is {}, not true/false: compare it, e.g. `{n} == …`",
                            k.describe()
                        ),
                        span: span.clone(),
                    });
                }
            }
            Expr::Lit(Lit::Bool(_), _) => {}
            Expr::Lit(l, span) => errs.push(ExprError {
                message: format!("{l} is not a condition"),
                span: span.clone(),
            }),
            Expr::Cmp(op, a, b) => {
                check_operand(a, kind, errs);
                check_operand(b, kind, errs);
                check_compare(*op, a, b, kind, errs);
            }
            Expr::In { item, list, .. } => {
                check_operand(item, kind, errs);
                if let Expr::Probe(n, _) = item.as_ref()
                    && let Some(k) = kind(n)
                {
                    for (l, span) in list {
                        if let Some(msg) = lit_mismatch(n, k, l) {
                            errs.push(ExprError {
                                message: msg,
                                span: span.clone(),
                            });
                        }
                    }
                }
            }
        }
    }
}

fn check_operand(e: &Expr, kind: &dyn Fn(&str) -> Option<ValueKind>, errs: &mut Vec<ExprError>) {
    // A nested condition used as a value (`(a and b) == true`) is legal
    // but checked as a condition.
    if !matches!(e, Expr::Lit(..) | Expr::Probe(..)) {
        e.check_bool_context(kind, errs);
    }
}

fn check_compare(
    op: CmpOp,
    a: &Expr,
    b: &Expr,
    kind: &dyn Fn(&str) -> Option<ValueKind>,
    errs: &mut Vec<ExprError>,
) {
    let side = |e: &Expr| -> Option<(ValueKind, String)> {
        match e {
            Expr::Probe(n, _) => kind(n).map(|k| (k, n.clone())),
            _ => None,
        }
    };
    for (probe_side, other) in [(a, b), (b, a)] {
        let Some((k, name)) = side(probe_side) else {
            continue;
        };
        if let Expr::Lit(l, span) = other {
            if *l == Lit::Null {
                if op.is_ordering() {
                    errs.push(ExprError {
                        message: format!(
                            "`{}` with null is always false: use == null or != null",
                            op.as_str()
                        ),
                        span: span.clone(),
                    });
                }
                continue;
            }
            if let Some(msg) = lit_mismatch(&name, k, l) {
                errs.push(ExprError {
                    message: msg,
                    span: span.clone(),
                });
                continue;
            }
        }
        if op.is_ordering() && k != ValueKind::Number {
            let span = match probe_side {
                Expr::Probe(_, s) => s.clone(),
                _ => 0..0,
            };
            errs.push(ExprError {
                message: format!(
                    "`{name}` is {}: `{}` only compares numbers",
                    k.describe(),
                    op.as_str()
                ),
                span,
            });
        }
    }
    if let (Some((ka, na)), Some((kb, nb))) = (side(a), side(b)) {
        let class = |k: ValueKind| match k {
            ValueKind::Bool => 0,
            ValueKind::Number => 1,
            ValueKind::Text | ValueKind::Enum(_) => 2,
        };
        if class(ka) != class(kb) {
            errs.push(ExprError {
                message: format!(
                    "`{na}` ({}) and `{nb}` ({}) cannot be compared",
                    ka.describe(),
                    kb.describe()
                ),
                span: match a {
                    Expr::Probe(_, s) => s.clone(),
                    _ => 0..0,
                },
            });
        }
    }
}

fn lit_mismatch(name: &str, k: ValueKind, l: &Lit) -> Option<String> {
    match (k, l) {
        (_, Lit::Null) => None,
        (ValueKind::Bool, Lit::Bool(_)) => None,
        (ValueKind::Number, Lit::Num(_)) => None,
        (ValueKind::Text, Lit::Str(_)) => None,
        (ValueKind::Enum(words), Lit::Str(s)) => {
            if words.contains(&s.as_str()) {
                None
            } else {
                Some(format!(
                    "`{name}` is never '{s}'; it is one of {}",
                    k.describe()
                ))
            }
        }
        (k, l) => Some(format!("`{name}` is {}, but {l} is not", k.describe())),
    }
}

fn lit_value(l: &Lit) -> Value {
    match l {
        Lit::Null => Value::Null,
        Lit::Bool(b) => Value::Bool(*b),
        Lit::Num(n) => serde_json::Number::from_f64(*n)
            .map(Value::Number)
            .unwrap_or(Value::Null),
        Lit::Str(s) => Value::String(s.clone()),
    }
}

fn equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

fn compare(op: CmpOp, a: &Value, b: &Value) -> bool {
    if a.is_null() || b.is_null() {
        return false;
    }
    match op {
        CmpOp::Eq => equal(a, b),
        CmpOp::Ne => !equal(a, b),
        _ => {
            let (Some(x), Some(y)) = (a.as_f64(), b.as_f64()) else {
                return false;
            };
            match op {
                CmpOp::Lt => x < y,
                CmpOp::Le => x <= y,
                CmpOp::Gt => x > y,
                CmpOp::Ge => x >= y,
                CmpOp::Eq | CmpOp::Ne => false,
            }
        }
    }
}

/// A progress text with `{probe}` placeholders (`{{` and `}}` for braces).
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq)]
enum Part {
    Text(String),
    Probe(String, Span),
}

impl Template {
    /// A template with no text (what a broken one compiles to, so the rest
    /// of a file can still be checked).
    pub fn empty() -> Template {
        Template { parts: Vec::new() }
    }

    /// Parses a template.
    pub fn parse(src: &str) -> Result<Template, ExprError> {
        let mut parts = Vec::new();
        let mut text = String::new();
        let mut it = src.char_indices().peekable();
        while let Some((i, c)) = it.next() {
            match c {
                '{' if it.peek().map(|p| p.1) == Some('{') => {
                    it.next();
                    text.push('{');
                }
                '}' if it.peek().map(|p| p.1) == Some('}') => {
                    it.next();
                    text.push('}');
                }
                '{' => {
                    let Some(end) = src[i..].find('}') else {
                        return Err(ExprError {
                            message: "`{` is not closed: write `{probe.name}`, or `{{` for a brace"
                                .into(),
                            span: i..src.len(),
                        });
                    };
                    let name = src[i + 1..i + end].trim();
                    let valid = !name.is_empty()
                        && name
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
                    if !valid {
                        return Err(ExprError {
                            message: format!("`{{{name}}}` is not a probe placeholder"),
                            span: i..i + end + 1,
                        });
                    }
                    if !text.is_empty() {
                        parts.push(Part::Text(std::mem::take(&mut text)));
                    }
                    parts.push(Part::Probe(name.to_string(), i + 1..i + end));
                    for _ in 0..end {
                        it.next();
                    }
                }
                '}' => {
                    return Err(ExprError {
                        message: "`}` without `{`: write `}}` for a brace".into(),
                        span: i..i + 1,
                    });
                }
                c => text.push(c),
            }
        }
        if !text.is_empty() {
            parts.push(Part::Text(text));
        }
        Ok(Template { parts })
    }

    /// The probes it shows.
    pub fn probes(&self) -> Vec<(&str, Span)> {
        self.parts
            .iter()
            .filter_map(|p| match p {
                Part::Probe(n, s) => Some((n.as_str(), s.clone())),
                Part::Text(_) => None,
            })
            .collect()
    }

    /// Fills the placeholders (`?` for a value that is unknown or null).
    /// Device text is cut short: it is untrusted.
    pub fn render(&self, lookup: &mut dyn FnMut(&str) -> Fact) -> String {
        let mut out = String::new();
        for p in &self.parts {
            match p {
                Part::Text(t) => out.push_str(t),
                Part::Probe(n, _) => match lookup(n) {
                    Fact::Value(Value::Null) | Fact::Missing => out.push('?'),
                    Fact::Value(Value::String(s)) => out.extend(s.chars().take(40)),
                    Fact::Value(Value::Number(x)) => out.push_str(&x.to_string()),
                    Fact::Value(Value::Bool(b)) => out.push_str(if b { "yes" } else { "no" }),
                    Fact::Value(_) => out.push('?'),
                },
            }
        }
        out
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    fn eval_with(src: &str, facts: &[(&str, Option<Value>)]) -> Truth {
        let e = parse(src).unwrap_or_else(|err| panic!("{src}: {err}"));
        e.eval(&mut |n| match facts.iter().find(|(k, _)| *k == n) {
            Some((_, Some(v))) => Fact::Value(v.clone()),
            _ => Fact::Missing,
        })
    }

    #[test]
    fn precedence_not_binds_tighter_than_and_than_or() {
        let f = [
            ("a", Some(json!(true))),
            ("b", Some(json!(false))),
            ("c", Some(json!(true))),
        ];
        assert_eq!(eval_with("a or b and not c", &f), Truth::True);
        assert_eq!(eval_with("(a or b) and not c", &f), Truth::False);
        assert_eq!(eval_with("not a or c", &f), Truth::True);
        assert_eq!(eval_with("not (a or c)", &f), Truth::False);
    }

    #[test]
    fn comparisons_numbers_and_text() {
        let f = [
            ("battery.level_pct", Some(json!(12))),
            ("battery.charging", Some(json!(false))),
            ("gps.fix", Some(json!("none"))),
            ("battery.temp_c", Some(json!(60.0))),
        ];
        assert!(eval_with("battery.level_pct < 15 and not battery.charging", &f).is_true());
        assert!(eval_with("battery.temp_c >= 60", &f).is_true());
        assert!(eval_with("battery.temp_c > 60", &f) == Truth::False);
        assert!(eval_with("gps.fix != 'none'", &f) == Truth::False);
        assert!(eval_with("gps.fix == \"none\"", &f).is_true());
        assert!(eval_with("gps.fix in ['2d', '3d']", &f) == Truth::False);
        assert!(eval_with("gps.fix not in ['2d', '3d']", &f).is_true());
        assert!(eval_with("battery.level_pct == 12.0", &f).is_true());
        assert!(eval_with("battery.level_pct >= -1_000", &f).is_true());
    }

    #[test]
    fn null_compares_false_except_null_tests() {
        let f = [
            ("gps.hdop", Some(json!(null))),
            ("gps.fix", Some(json!(null))),
        ];
        assert_eq!(eval_with("gps.hdop > 2", &f), Truth::False);
        assert_eq!(eval_with("gps.hdop <= 2", &f), Truth::False);
        assert_eq!(eval_with("gps.fix != 'none'", &f), Truth::False);
        assert_eq!(eval_with("gps.fix in ['none']", &f), Truth::False);
        assert_eq!(eval_with("gps.fix not in ['none']", &f), Truth::False);
        assert_eq!(eval_with("gps.hdop == null", &f), Truth::True);
        assert_eq!(eval_with("null == gps.hdop", &f), Truth::True);
        assert_eq!(eval_with("gps.hdop != null", &f), Truth::False);
        assert_eq!(eval_with("gps.fix", &f), Truth::False);
    }

    #[test]
    fn missing_facts_are_unknown_under_kleene_logic() {
        let f = [("a", Some(json!(true))), ("b", Some(json!(false)))];
        assert_eq!(eval_with("x > 3", &f), Truth::Unknown);
        assert_eq!(eval_with("not (x > 3)", &f), Truth::Unknown);
        assert_eq!(eval_with("x > 3 or a", &f), Truth::True);
        assert_eq!(eval_with("x > 3 and b", &f), Truth::False);
        assert_eq!(eval_with("x > 3 and a", &f), Truth::Unknown);
        assert_eq!(eval_with("x == null", &f), Truth::Unknown);
    }

    #[test]
    fn syntax_errors_point_at_the_culprit() {
        let cases: &[(&str, &str, usize)] = &[
            ("battery.level_pct = 3", "use `==`", 18),
            ("a and", "expected a probe name", 5),
            ("(a or b", "expected `)`", 7),
            ("a && b", "write `and`", 2),
            ("gps.fix in 'none'", "expected a list", 11),
            ("gps.fix == 'none", "not closed", 11),
            ("a b", "expected `and`, `or` or the end", 2),
            ("x in []", "empty", 5),
            ("", "empty", 0),
            ("gps..fix", "not a probe name", 0),
            ("a == not", "expected a value before `not`", 5),
        ];
        for (src, msg, col) in cases {
            let e = parse(src).expect_err(src);
            assert!(e.message.contains(msg), "{src}: {}", e.message);
            assert_eq!(e.span.start, *col, "{src}: {e:?}");
        }
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let src = format!("{}a{}", "(".repeat(500), ")".repeat(500));
        assert!(parse(&src).unwrap_err().message.contains("nested"));
        let src = format!("{}a", "not ".repeat(400));
        assert!(parse(&src).unwrap_err().message.contains("nested"));
    }

    #[test]
    fn probes_are_listed_with_spans() {
        let e = parse("selftest.battery.code == 'BAT_CHARGE_FAULT' and battery.charging").unwrap();
        let p = e.probes();
        assert_eq!(p[0], ("selftest.battery.code", 0..21));
        assert_eq!(p[1].0, "battery.charging");
    }

    #[test]
    fn type_checks() {
        let kinds = |n: &str| match n {
            "gps.fix" => Some(ValueKind::Enum(&["none", "2d", "3d"])),
            "battery.level_pct" => Some(ValueKind::Number),
            "battery.charging" => Some(ValueKind::Bool),
            _ => None,
        };
        let errs = |s: &str| parse(s).unwrap().check_types(&kinds);
        assert!(errs("gps.fix == '3d' and battery.charging and battery.level_pct < 5").is_empty());
        assert!(errs("gps.fix == '3D'")[0].message.contains("never '3D'"));
        assert!(
            errs("gps.fix in ['2d', 'x']")[0]
                .message
                .contains("never 'x'")
        );
        assert!(
            errs("battery.level_pct")[0]
                .message
                .contains("not true/false")
        );
        assert!(
            errs("battery.level_pct == 'low'")[0]
                .message
                .contains("is number")
        );
        assert!(errs("gps.fix > 2")[0].message.len() > 5);
        assert!(
            errs("battery.charging < 1")[0]
                .message
                .contains("only compares numbers")
                || !errs("battery.charging < 1").is_empty()
        );
        assert!(
            errs("battery.level_pct > null")[0]
                .message
                .contains("always false")
        );
        assert!(
            errs("gps.fix == battery.level_pct")[0]
                .message
                .contains("cannot be compared")
        );
    }

    #[test]
    fn templates_render_and_refuse_bad_placeholders() {
        let t = Template::parse("Looking for satellites… {gps.satellites} found {{ok}}").unwrap();
        assert_eq!(t.probes()[0].0, "gps.satellites");
        let s = t.render(&mut |_| Fact::Value(json!(3)));
        assert_eq!(s, "Looking for satellites… 3 found {ok}");
        assert_eq!(
            t.render(&mut |_| Fact::Missing),
            "Looking for satellites… ? found {ok}"
        );
        assert!(Template::parse("{gps satellites}").is_err());
        assert!(Template::parse("open {").is_err());
        assert!(Template::parse("close }").is_err());
    }
}
