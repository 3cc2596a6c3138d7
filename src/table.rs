//! Tables that fit a width: every table pawdiag prints goes through [`fit`],
//! which wraps the widest text columns (keeping words whole where it can)
//! until the whole table is no wider than the terminal, rather than letting
//! the terminal wrap whole lines. Pure: the caller decides the width
//! (`COLUMNS`, the terminal's, or 100 when piped) and prints the result.

use tabled::Table;
use tabled::settings::object::Segment;
use tabled::settings::peaker::PriorityMax;
use tabled::settings::{Format, Modify, Width};

/// The width used when output is not a terminal and `COLUMNS` is not set.
pub const PIPED_WIDTH: usize = 100;

/// The narrowest width honoured: below it tables are unreadable anyway.
pub const MIN_WIDTH: usize = 40;

/// Shrinks `table` to at most `width` columns by wrapping cell text, widest
/// column first, so short columns (codes, numbers) stay on one line.
pub fn fit(table: &mut Table, width: usize) {
    let width = width.max(MIN_WIDTH);
    if table.total_width() > width {
        table.with(
            Width::wrap(width)
                .keep_words(true)
                .priority(PriorityMax::new(true)),
        );
        // Wrapping at a space leaves it at the start of the next line.
        table.with(Modify::new(Segment::all()).with(Format::content(|s| {
            s.lines()
                .map(|l| l.strip_prefix(' ').unwrap_or(l))
                .collect::<Vec<_>>()
                .join("\n")
        })));
    }
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
    fn width_comes_from_columns_then_terminal_then_100() {
        assert_eq!(width_from(Some("80"), Some(120)), 80);
        assert_eq!(width_from(Some("junk"), Some(120)), 120);
        assert_eq!(width_from(Some("0"), None), PIPED_WIDTH);
        assert_eq!(width_from(None, None), PIPED_WIDTH);
        assert_eq!(width_from(Some("10"), None), MIN_WIDTH);
    }
}
