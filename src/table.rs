//! Tables that fit a width: every table pawdiag prints goes through [`fit`],
//! which wraps the widest text columns (keeping words whole where it can)
//! until the whole table is no wider than the terminal, rather than letting
//! the terminal wrap whole lines. tabled's own `Width::wrap` breaks codes
//! at hyphens and leaves spaces at line starts, so cells are wrapped here. Pure: the caller decides the width
//! (`COLUMNS`, the terminal's, or 100 when piped) and prints the result.

use tabled::Table;
use tabled::settings::object::Columns;
use tabled::settings::{Format, Modify};

/// The width used when output is not a terminal and `COLUMNS` is not set.
pub const PIPED_WIDTH: usize = 100;

/// The narrowest width honoured: below it tables are unreadable anyway.
pub const MIN_WIDTH: usize = 40;

/// Narrowest a column is wrapped to before the next-widest gives way.
const MIN_COLUMN: usize = 8;

/// Shrinks `table` to at most `width` columns. If the columns that can
/// wrap at spaces make enough room without cutting a word, only they wrap
/// (widest first), so names, codes and numbers stay whole; otherwise the
/// widest columns shrink, wrapping at spaces and cutting only words longer
/// than the column.
pub fn fit(table: &mut Table, width: usize) {
    let width = width.max(MIN_WIDTH);
    let total = table.total_width();
    if total <= width {
        return;
    }
    let natural = column_widths(table);
    let words = longest_words(table);
    let mut widths = natural.clone();
    let mut excess = total - width;
    // Wrapping at spaces: down to the longest word.
    while excess > 0 {
        let next = (0..widths.len())
            .filter(|&c| widths[c] > words[c].max(MIN_COLUMN))
            .max_by_key(|&c| (widths[c], c));
        let Some(c) = next else { break };
        widths[c] -= 1;
        excess -= 1;
    }
    // Not enough: cutting words is needed anyway, so cut where the table is
    // widest rather than also wrapping what could have stayed whole.
    if excess > 0 {
        widths = natural.clone();
        excess = total - width;
    }
    while excess > 0 {
        let next = (0..widths.len())
            .filter(|&c| widths[c] > MIN_COLUMN)
            .max_by_key(|&c| (widths[c], c));
        let Some(c) = next else { break };
        widths[c] -= 1;
        excess -= 1;
    }
    for (c, &w) in widths.iter().enumerate() {
        if w < natural[c] {
            table.with(
                Modify::new(Columns::one(c)).with(Format::content(move |s| wrap_to(s, w, ""))),
            );
        }
    }
}

/// The widest line of each column's cells, in characters.
fn column_widths(table: &Table) -> Vec<usize> {
    per_column(table, |cell| cell.lines().map(|l| l.chars().count()).max())
}

/// The longest word (run without spaces) in each column's cells.
fn longest_words(table: &Table) -> Vec<usize> {
    per_column(table, |cell| {
        cell.split([' ', '\n']).map(|w| w.chars().count()).max()
    })
}

/// The largest `measure` of the cells of each column.
fn per_column(table: &Table, measure: impl Fn(&str) -> Option<usize>) -> Vec<usize> {
    let rows: &Vec<Vec<_>> = table.get_records();
    let cols = rows.first().map_or(0, Vec::len);
    (0..cols)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .filter_map(|cell| measure(cell.as_ref()))
                .max()
                .unwrap_or(0)
        })
        .collect()
}

/// The width a table gets from `COLUMNS` (when it is a positive number),
/// else from the terminal, else [`PIPED_WIDTH`].
pub fn width_from(columns: Option<&str>, terminal: Option<usize>) -> usize {
    columns
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&c| c > 0)
        .or(terminal)
        .unwrap_or(PIPED_WIDTH)
        .max(MIN_WIDTH)
}

/// Wraps text at spaces into lines of at most `width` characters (never
/// narrower than [`MIN_WIDTH`]); `indent` starts every line after the
/// first. Existing line breaks and leading spaces are kept.
pub fn wrap_words(text: &str, width: usize, indent: &str) -> String {
    wrap_to(text, width.max(MIN_WIDTH), indent)
}

/// [`wrap_words`] at exactly `width`; a word longer than a line is cut.
fn wrap_to(text: &str, width: usize, indent: &str) -> String {
    let width = width.max(1);
    let mut out: Vec<String> = Vec::new();
    for para in text.split('\n') {
        let lead = &para[..para.len() - para.trim_start_matches(' ').len()];
        let mut line = lead.to_string();
        let mut fresh = true;
        for word in para[lead.len()..].split(' ') {
            // Runs of spaces (aligned labels) stay, except at a line break.
            if word.is_empty() {
                if !fresh {
                    line.push(' ');
                }
                continue;
            }
            let mut word: Vec<char> = word.chars().collect();
            loop {
                let len = line.chars().count();
                let sep = usize::from(!fresh);
                if !fresh && len + sep + word.len() > width {
                    out.push(std::mem::take(&mut line));
                    line.push_str(indent);
                    fresh = true;
                    continue;
                }
                let room = width.saturating_sub(line.chars().count() + sep).max(1);
                if !fresh {
                    line.push(' ');
                }
                fresh = false;
                if word.len() <= room {
                    line.extend(word.iter());
                    break;
                }
                // Longer than a whole line: cut it.
                let rest = word.split_off(room);
                line.extend(word.iter());
                word = rest;
                out.push(std::mem::take(&mut line));
                line.push_str(indent);
                fresh = true;
            }
        }
        out.push(line);
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use tabled::builder::Builder;
    use tabled::settings::Style;

    fn widest_line(s: &str) -> usize {
        s.lines().map(|l| l.chars().count()).max().unwrap_or(0)
    }

    #[test]
    fn a_wide_table_wraps_its_text_column_and_keeps_codes_whole() {
        let mut b = Builder::default();
        b.push_record(["Code", "What it simulates"]);
        b.push_record([
            "PT-GPS-ANT",
            "the satellite antenna is open circuit, so the receiver hears nothing at all and no fix is ever found",
        ]);
        let mut t = b.build();
        t.with(Style::rounded());
        fit(&mut t, 60);
        let s = t.to_string();
        assert!(widest_line(&s) <= 60, "{s}");
        assert!(s.contains("PT-GPS-ANT"), "{s}");
        assert!(s.contains("satellite antenna"), "{s}");
    }

    #[test]
    fn a_narrow_table_is_left_alone() {
        let mut t = Builder::from_iter([["a", "b"]]).build();
        let before = t.to_string();
        fit(&mut t, 80);
        assert_eq!(t.to_string(), before);
    }

    #[test]
    fn words_wrap_at_spaces_with_an_indent() {
        let t = wrap_words(&"word ".repeat(30), 40, "  ");
        assert!(t.lines().all(|l| l.chars().count() <= 40), "{t}");
        assert!(
            t.lines().nth(1).is_some_and(|l| l.starts_with("  word")),
            "{t}"
        );
        assert_eq!(wrap_words("a\nb", 40, ""), "a\nb");
        assert_eq!(wrap_words("   1. x", 40, ""), "   1. x");
        assert_eq!(wrap_words("tech:     x", 40, ""), "tech:     x");
        assert_eq!(wrap_to("abcdefgh ij", 4, ""), "abcd\nefgh\nij");
        assert_eq!(
            wrap_to("GPS self-test code GPS_ANT_OPEN", 19, ""),
            "GPS self-test code\nGPS_ANT_OPEN"
        );
    }

    #[test]
    fn width_comes_from_columns_then_terminal_then_100() {
        assert_eq!(width_from(Some("80"), Some(120)), 80);
        assert_eq!(width_from(Some("junk"), Some(120)), 120);
        assert_eq!(width_from(Some("0"), None), PIPED_WIDTH);
        assert_eq!(width_from(None, None), PIPED_WIDTH);
        assert_eq!(width_from(Some("10"), None), MIN_WIDTH);
    }
}
