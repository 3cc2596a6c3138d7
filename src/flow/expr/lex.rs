//! Splitting an expression into tokens, each with its byte span.

use super::{ExprError, Span};

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    Num(f64),
    Str(String),
    Name(String),
    Op(&'static str),
}

pub(super) fn lex(src: &str) -> Result<Vec<(Tok, Span)>, ExprError> {
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
