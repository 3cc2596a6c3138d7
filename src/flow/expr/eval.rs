//! Evaluating an expression (three-valued), the probes it reads, and its
//! type check against the probe catalogue.

use super::{CmpOp, Expr, ExprError, Fact, Lit, Span, Truth};
use crate::probe::ValueKind;
use serde_json::Value;

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
