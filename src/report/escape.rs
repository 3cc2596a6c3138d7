//! Escaping for every string that came from a device or a person before it is
//! put into HTML, Markdown or a terminal. Device data is untrusted: a device
//! named `<script>` or a log message with terminal escape codes must render as
//! text, never as markup or control sequences.

use std::fmt::Write as _;

/// Replaces characters that can change how text *looks* rather than what it
/// says: C0/C1 control characters (terminal escape sequences start with ESC)
/// and Unicode bidirectional overrides ("Trojan Source"). They are shown as
/// `\u{…}` so a technician still sees that they were there. Newlines and tabs
/// are kept; callers that need one line use [`one_line`].
pub fn neutralise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if is_suspicious(c) {
            let _ = write!(out, "\\u{{{:04x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

fn is_suspicious(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}')
}

/// [`neutralise`], then newlines and tabs become single spaces (for table
/// cells and one-line summaries).
pub fn one_line(s: &str) -> String {
    neutralise(s)
        .chars()
        .map(|c| if c == '\n' || c == '\t' { ' ' } else { c })
        .collect()
}

/// Escapes text for HTML element content and quoted attribute values.
pub fn html(s: &str) -> String {
    let s = neutralise(s);
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Escapes text for inline Markdown (CommonMark/GFM), on one line: every
/// character that can start emphasis, code, a link, an image, raw HTML, an
/// entity, strikethrough or a table cell boundary is backslash-escaped, and
/// line breaks become spaces so nothing can start a heading or a list (the
/// renderers never put escaped text at the start of a line). `!` needs no
/// escape: an image needs `[`, which is escaped.
pub fn md(s: &str) -> String {
    let chars: Vec<char> = one_line(s).chars().collect();
    let mut out = String::with_capacity(chars.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        // An underscore inside a word (`check_power`) cannot start emphasis
        // in CommonMark; leaving it bare keeps pasted text readable.
        let intraword = c == '_'
            && i > 0
            && chars[i - 1].is_alphanumeric()
            && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
        if !intraword
            && matches!(
                c,
                '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&'
            )
        {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A fenced code block holding `body` verbatim. The fence is made of more
/// backticks than the longest run inside, so the body cannot close it.
pub fn md_code_block(info: &str, body: &str) -> String {
    let body = neutralise(body);
    let mut longest = 0;
    let mut run = 0;
    for c in body.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    let fence = "`".repeat((longest + 1).max(3));
    let mut out = String::with_capacity(body.len() + 16);
    out.push_str(&fence);
    out.push_str(info);
    out.push('\n');
    out.push_str(&body);
    if !body.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&fence);
    out.push('\n');
    out
}

/// JSON text made safe to embed in an HTML `<script type="application/json">`
/// element or an HTML comment: `<`, `>` and `&` only ever occur inside JSON
/// strings, where their `\u` escapes mean the same, so the result still parses
/// to the same value and cannot contain `</script>` or `-->`.
pub fn json_for_embedding(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escapes_markup_and_quotes() {
        assert_eq!(
            html(r#"<script>alert("x")</script> & 'y'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        );
    }

    #[test]
    fn control_characters_and_bidi_overrides_are_made_visible() {
        assert_eq!(neutralise("a\x1b[31mb"), "a\\u{001b}[31mb");
        assert_eq!(neutralise("x\u{202e}y"), "x\\u{202e}y");
        assert_eq!(neutralise("two\nlines\t"), "two\nlines\t");
        assert_eq!(one_line("two\r\nlines"), "two\\u{000d} lines");
    }

    #[test]
    fn markdown_neutralises_every_inline_construct() {
        let e = md("<img src=x onerror=alert(1)> **b** `c` [l](u) | ~~s~~ &lt; # h\n- item");
        assert_eq!(
            e,
            r"\<img src=x onerror=alert(1)\> \*\*b\*\* \`c\` \[l\](u) \| \~\~s\~\~ \&lt; # h - item"
        );
        assert_eq!(md("a|b"), "a\\|b");
        assert_eq!(md("check_power _x_"), "check_power \\_x\\_");
    }

    #[test]
    fn code_fence_is_longer_than_any_backtick_run_inside() {
        let block = md_code_block("", "x ````` y");
        assert!(block.starts_with("``````\n"));
        assert!(block.ends_with("\n``````\n"));
        assert_eq!(md_code_block("text", "plain"), "```text\nplain\n```\n");
    }

    #[test]
    fn embedded_json_cannot_close_its_container_and_still_parses() {
        let v = serde_json::json!({"name": "</script><!-- --> & co"});
        let e = json_for_embedding(&v.to_string());
        assert!(!e.contains("</script") && !e.contains("-->") && !e.contains('&'));
        let back: serde_json::Value = serde_json::from_str(&e).unwrap();
        assert_eq!(back, v);
    }
}
