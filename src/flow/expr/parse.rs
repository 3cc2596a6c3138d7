//! The hand-written recursive-descent parser (the grammar is in the
//! module's documentation).

use super::lex::{Tok, lex};
use super::{CmpOp, Expr, ExprError, Lit, MAX_DEPTH, MAX_EXPR_LEN, Span};

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
