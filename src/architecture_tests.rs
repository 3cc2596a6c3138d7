//! The arrows between modules, checked. `docs/architecture.md` keeps the
//! table of which top-level module may use which (its "may use" column);
//! this test reads every file under `src/` and fails, naming file and line,
//! when a module uses one the table does not allow, when a module is
//! missing from the table, or when anything below `commands/` prints.
//!
//! What counts as a use: a path through `crate::NAME`, `pawdiag::NAME` or
//! enough `super::` to reach the crate root, in code (comments and string
//! literals are skipped). Test code may use anything: `#[cfg(test)]` items
//! and files named `tests.rs`, `tests_*.rs` or `*_tests.rs`.

#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// What a module may use.
#[derive(Debug, Clone, PartialEq)]
enum Allowed {
    /// `everything` in the table.
    Everything,
    /// These modules (an empty set for `nothing`).
    Only(BTreeSet<String>),
}

/// The table in `docs/architecture.md`: module → what it may use.
fn parse_table(doc: &str) -> Result<BTreeMap<String, Allowed>, String> {
    let mut rows = BTreeMap::new();
    let mut in_table = false;
    for (i, line) in doc.lines().enumerate() {
        let cells: Vec<&str> = line
            .trim()
            .trim_matches('|')
            .split('|')
            .map(str::trim)
            .collect();
        if !line.trim_start().starts_with('|') {
            in_table = false;
            continue;
        }
        if cells.len() == 3 && cells[0] == "module" && cells[2] == "may use" {
            in_table = true;
            continue;
        }
        if !in_table
            || cells
                .iter()
                .all(|c| c.chars().all(|ch| ch == '-' || ch == ':'))
        {
            continue;
        }
        if cells.len() != 3 {
            return Err(format!(
                "docs/architecture.md:{}: a row needs 3 cells",
                i + 1
            ));
        }
        let allowed = match cells[2] {
            "everything" => Allowed::Everything,
            "nothing" => Allowed::Only(BTreeSet::new()),
            names => Allowed::Only(names_in(names).into_iter().collect()),
        };
        for name in names_in(cells[0]) {
            rows.insert(name, allowed.clone());
        }
    }
    if rows.is_empty() {
        return Err("docs/architecture.md has no `| module | its job | may use |` table".into());
    }
    Ok(rows)
}

/// Backticked module names in a table cell: `` `flow/` ``, `` `main.rs` ``.
fn names_in(cell: &str) -> Vec<String> {
    cell.split('`')
        .skip(1)
        .step_by(2)
        .map(|n| n.trim_end_matches('/').trim_end_matches(".rs").to_string())
        .collect()
}

/// Each line of Rust source with comments and string/char literals blanked,
/// so only code is searched.
fn code_lines(src: &str) -> Vec<String> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    let mut block = 0usize;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if block > 0 {
            if c == '*' && next == Some('/') {
                block -= 1;
                i += 2;
            } else if c == '/' && next == Some('*') {
                block += 1;
                i += 2;
            } else {
                out.push(if c == '\n' { '\n' } else { ' ' });
                i += 1;
            }
            continue;
        }
        match c {
            '/' if next == Some('/') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '/' if next == Some('*') => {
                block = 1;
                i += 2;
            }
            'r' if matches!(next, Some('"') | Some('#'))
                && !chars
                    .get(i.wrapping_sub(1))
                    .is_some_and(|p| p.is_alphanumeric() || *p == '_') =>
            {
                // A raw string: r"…", r#"…"#.
                let mut j = i + 1;
                let mut hashes = 0;
                while chars.get(j) == Some(&'#') {
                    hashes += 1;
                    j += 1;
                }
                if chars.get(j) != Some(&'"') {
                    out.push(c);
                    i += 1;
                    continue;
                }
                j += 1;
                while j < chars.len() {
                    if chars[j] == '"' && (0..hashes).all(|k| chars.get(j + 1 + k) == Some(&'#')) {
                        j += 1 + hashes;
                        break;
                    }
                    if chars[j] == '\n' {
                        out.push('\n');
                    }
                    j += 1;
                }
                out.push_str("\"\"");
                i = j;
            }
            '"' => {
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    if chars[i] == '\\' {
                        i += 1;
                    }
                    if chars.get(i) == Some(&'\n') {
                        out.push('\n');
                    }
                    i += 1;
                }
                out.push_str("\"\"");
                i += 1;
            }
            '\'' if next == Some('\\') => {
                // An escaped char literal: '\n', '\'', '\u{7f}'.
                i += 2;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                out.push_str("' '");
                i += 1;
            }
            '\'' if chars.get(i + 2) == Some(&'\'') => {
                out.push_str("' '");
                i += 3;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    out.split('\n').map(str::to_string).collect()
}

/// Blanks every `#[cfg(test)]` item (the attribute up to the `;` or the
/// closing brace of the item it stands on).
fn without_test_items(lines: &mut [String]) {
    let mut skipping = false;
    let mut depth = 0i32;
    let mut opened = false;
    for line in lines.iter_mut() {
        if !skipping && line.trim_start().starts_with("#[cfg(test)]") {
            skipping = true;
            depth = 0;
            opened = false;
        }
        if !skipping {
            continue;
        }
        let mut done = false;
        for ch in line.chars() {
            match ch {
                '{' => {
                    depth += 1;
                    opened = true;
                }
                '}' => depth -= 1,
                ';' if !opened && depth == 0 => done = true,
                _ => {}
            }
            if opened && depth == 0 {
                done = true;
            }
        }
        line.clear();
        if done {
            skipping = false;
        }
    }
}

/// A use of one top-level module by a file.
#[derive(Debug, PartialEq)]
struct Use {
    line: usize,
    module: String,
}

/// The top-level modules a file's code reaches (`path` relative to `src/`).
fn uses_in(path: &str, src: &str, tops: &BTreeSet<String>) -> Vec<Use> {
    let mut lines = code_lines(src);
    without_test_items(&mut lines);
    // The module path of the file: `flow/engine.rs` is flow::engine, and
    // `flow/mod.rs` is flow; `super::` that climbs past it reaches the root.
    let mut segments: Vec<&str> = path.trim_end_matches(".rs").split('/').collect();
    if segments.last() == Some(&"mod") {
        segments.pop();
    }
    let depth = segments.len();
    let mut found = Vec::new();
    for (n, line) in lines.iter().enumerate() {
        let words: Vec<&str> = line
            .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
            .collect();
        for word in words {
            let parts: Vec<&str> = word.split("::").collect();
            let supers = parts.iter().take_while(|p| **p == "super").count();
            let target = match parts.first() {
                Some(&"crate") | Some(&"pawdiag") => parts.get(1),
                // The binary's root names its modules without `crate::`.
                Some(_) if path == "main.rs" && parts.len() > 1 => parts.first(),
                Some(&"super") if supers >= depth => parts.get(supers),
                _ => None,
            };
            if let Some(t) = target.filter(|t| tops.contains(**t)) {
                found.push(Use {
                    line: n + 1,
                    module: t.to_string(),
                });
            }
        }
    }
    // Groups: `use crate::{link::Transport, sim};` names `link` and `sim`.
    for (n, line) in lines.iter().enumerate() {
        for root in ["crate::{", "pawdiag::{"] {
            for (at, _) in line.match_indices(root) {
                let open = at + root.len() - 1;
                for (line_no, head) in group_heads(&lines, n, open) {
                    if tops.contains(&head) {
                        found.push(Use {
                            line: line_no,
                            module: head,
                        });
                    }
                }
            }
        }
    }
    found.sort_by_key(|u| u.line);
    found
}

/// The first name of each item of the `{…}` group whose `{` is at byte
/// `open` of line `n`, with the line it is on.
fn group_heads(lines: &[String], n: usize, open: usize) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut expect = false;
    let mut word = String::new();
    for (i, line) in lines.iter().enumerate().skip(n) {
        let text = if i == n { &line[open..] } else { line.as_str() };
        for c in text.chars().chain(std::iter::once('\n')) {
            if c.is_alphanumeric() || c == '_' {
                if expect && depth == 1 {
                    word.push(c);
                }
                continue;
            }
            if !word.is_empty() {
                out.push((i + 1, std::mem::take(&mut word)));
                expect = false;
            }
            match c {
                '{' => {
                    depth += 1;
                    expect = depth == 1;
                }
                '}' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return out;
                    }
                }
                ',' if depth == 1 => expect = true,
                c if c.is_whitespace() => {}
                _ if depth == 1 => expect = false,
                _ => {}
            }
        }
    }
    out
}

/// Lines that print (below `commands/` nothing may).
fn prints_in(src: &str) -> Vec<usize> {
    let mut lines = code_lines(src);
    without_test_items(&mut lines);
    let macros = [
        "println!",
        "eprintln!",
        "print!",
        "eprint!",
        "dbg!",
        "stdout()",
        "stderr()",
    ];
    lines
        .iter()
        .enumerate()
        .filter(|(_, l)| {
            macros.iter().any(|m| {
                l.match_indices(m)
                    .any(|(at, _)| !l[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_'))
            })
        })
        .map(|(n, _)| n + 1)
        .collect()
}

/// Whether a file is test code as a whole.
fn is_test_file(path: &str) -> bool {
    let stem = path
        .rsplit('/')
        .next()
        .unwrap_or(path)
        .trim_end_matches(".rs");
    stem == "tests" || stem.starts_with("tests_") || stem.ends_with("_tests")
}

/// The top-level module a file belongs to (`None` for `lib.rs`).
fn module_of(path: &str) -> Option<String> {
    let first = path.split('/').next()?;
    match first {
        "lib.rs" => None,
        f => Some(f.trim_end_matches(".rs").to_string()),
    }
}

/// Every broken arrow in these files (`path` relative to `src/`), as
/// `src/PATH:LINE: …` sentences.
fn check(files: &[(String, String)], table: &BTreeMap<String, Allowed>) -> Vec<String> {
    let tops: BTreeSet<String> = files
        .iter()
        .filter(|(p, _)| !is_test_file(p))
        .filter_map(|(p, _)| module_of(p))
        .collect();
    let mut problems = Vec::new();
    for top in &tops {
        if !table.contains_key(top) {
            problems.push(format!(
                "src/{top}: the module `{top}` is not in docs/architecture.md's table"
            ));
        }
    }
    for name in table.keys() {
        if !tops.contains(name) {
            problems.push(format!(
                "docs/architecture.md: the table names `{name}`, which src/ does not have"
            ));
        }
    }
    for (path, src) in files {
        let Some(module) = module_of(path) else {
            continue;
        };
        if is_test_file(path) {
            continue;
        }
        if let Some(Allowed::Only(may)) = table.get(&module) {
            for u in uses_in(path, src, &tops) {
                if u.module != module && !may.contains(&u.module) {
                    problems.push(format!(
                        "src/{path}:{}: `{module}` uses `{}`, which docs/architecture.md does not allow",
                        u.line, u.module
                    ));
                }
            }
        }
        if module != "commands" && module != "main" {
            for line in prints_in(src) {
                problems.push(format!(
                    "src/{path}:{line}: `{module}` prints; only commands/ may"
                ));
            }
        }
    }
    problems
}

/// Arrows the table allows that no file draws: the table is the graph, so
/// a stale entry fails too.
fn stale(files: &[(String, String)], table: &BTreeMap<String, Allowed>) -> Vec<String> {
    let tops: BTreeSet<String> = files
        .iter()
        .filter(|(p, _)| !is_test_file(p))
        .filter_map(|(p, _)| module_of(p))
        .collect();
    let mut used: BTreeSet<(String, String)> = BTreeSet::new();
    for (path, src) in files {
        if let Some(module) = module_of(path).filter(|_| !is_test_file(path)) {
            for u in uses_in(path, src, &tops) {
                used.insert((module.clone(), u.module));
            }
        }
    }
    let mut problems = Vec::new();
    for (module, allowed) in table {
        if let Allowed::Only(may) = allowed {
            for m in may {
                if !used.contains(&(module.clone(), m.clone())) {
                    problems.push(format!(
                        "docs/architecture.md: `{module}` may use `{m}`, but nothing in it does"
                    ));
                }
            }
        }
    }
    problems
}

/// A cycle in the table (`a → b → a`), if there is one: arrows run one way.
fn cycle(table: &BTreeMap<String, Allowed>) -> Option<Vec<String>> {
    fn visit(
        m: &str,
        table: &BTreeMap<String, Allowed>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|p| p == m) {
            let mut c = path[at..].to_vec();
            c.push(m.to_string());
            return Some(c);
        }
        if done.contains(m) {
            return None;
        }
        path.push(m.to_string());
        if let Some(Allowed::Only(may)) = table.get(m) {
            for next in may {
                if let Some(c) = visit(next, table, path, done) {
                    return Some(c);
                }
            }
        }
        path.pop();
        done.insert(m.to_string());
        None
    }
    let mut done = BTreeSet::new();
    table
        .keys()
        .find_map(|m| visit(m, table, &mut Vec::new(), &mut done))
}

/// Every `.rs` file under `dir`, as (path relative to `root`, text).
fn read_tree(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            read_tree(root, &p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            let rel = p
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, std::fs::read_to_string(&p).unwrap()));
        }
    }
}

fn repo_table() -> BTreeMap<String, Allowed> {
    let doc = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/architecture.md");
    parse_table(&std::fs::read_to_string(doc).unwrap()).unwrap()
}

#[test]
fn arrows_run_one_way_as_docs_architecture_md_says() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    read_tree(&root, &root, &mut files);
    let table = repo_table();
    let mut problems = check(&files, &table);
    problems.extend(stale(&files, &table));
    if let Some(c) = cycle(&table) {
        problems.push(format!("docs/architecture.md: a cycle: {}", c.join(" → ")));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The repo's own table with two small modules, `link` and `sim`.
fn files(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(p, s)| (p.to_string(), s.to_string()))
        .collect()
}

fn small_table() -> BTreeMap<String, Allowed> {
    parse_table(
        "| module | its job | may use |\n|---|---|---|\n\
         | `link/` | lines | `interface` |\n| `interface/` | pure | nothing |\n\
         | `sim/` | firmware | `interface`, `link` |\n| `commands/` | glue | everything |\n",
    )
    .unwrap()
}

#[test]
fn a_wrong_use_is_named_with_its_file_and_line() {
    let src = files(&[
        ("interface/mod.rs", "//! pure\n"),
        ("sim/mod.rs", "use crate::link::Transport;\n"),
        (
            "link/address.rs",
            "//! addresses\nuse crate::interface::Model;\nuse crate::sim::spec::SimSpec;\n",
        ),
        (
            "commands/mod.rs",
            "use pawdiag::sim::SimSpec;\nfn f() { println!(\"hi\"); }\n",
        ),
    ]);
    assert_eq!(
        check(&src, &small_table()),
        vec!["src/link/address.rs:3: `link` uses `sim`, which docs/architecture.md does not allow"]
    );
}

#[test]
fn comments_strings_and_test_code_are_not_uses() {
    let src = files(&[
        ("interface/mod.rs", ""),
        ("sim/mod.rs", ""),
        ("commands/mod.rs", ""),
        (
            "link/mod.rs",
            "//! See [`crate::sim`].\nconst S: &str = \"crate::sim::x\";\nconst R: &str = r#\"crate::sim\"#;\n\
             fn f(c: char) -> bool { c == '{' }\n\
             #[cfg(test)]\nmod tests {\n    use crate::sim::SimSpec;\n    fn g() { let _ = '}'; }\n}\n\
             use crate::sim::Late;\n",
        ),
        ("link/tests.rs", "use crate::sim::SimSpec;\n"),
    ]);
    assert_eq!(
        check(&src, &small_table()),
        vec!["src/link/mod.rs:10: `link` uses `sim`, which docs/architecture.md does not allow"]
    );
}

#[test]
fn super_past_the_root_and_pawdiag_paths_count() {
    let src = files(&[
        ("interface/mod.rs", ""),
        ("sim/mod.rs", ""),
        ("commands/mod.rs", ""),
        (
            "link/ble/scan.rs",
            "use super::super::super::sim::x;\nuse super::super::error::E;\n",
        ),
        ("link/mod.rs", "fn f() { pawdiag::sim::go(); }\n"),
    ]);
    assert_eq!(
        check(&src, &small_table()),
        vec![
            "src/link/ble/scan.rs:1: `link` uses `sim`, which docs/architecture.md does not allow",
            "src/link/mod.rs:1: `link` uses `sim`, which docs/architecture.md does not allow",
        ]
    );
}

#[test]
fn printing_below_commands_and_modules_missing_from_the_table_fail() {
    let src = files(&[
        ("interface/mod.rs", "fn f() { eprintln!(\"x\"); }\n"),
        ("sim/mod.rs", "fn g() { let _ = std::io::stdout(); }\n"),
        ("link/mod.rs", "fn h() { my_println!(); }\n"),
        ("commands/mod.rs", "fn f() { println!(\"ok\"); }\n"),
        ("extra.rs", ""),
    ]);
    assert_eq!(
        check(&src, &small_table()),
        vec![
            "src/extra: the module `extra` is not in docs/architecture.md's table",
            "src/interface/mod.rs:1: `interface` prints; only commands/ may",
            "src/sim/mod.rs:1: `sim` prints; only commands/ may",
        ]
    );
}

#[test]
fn an_allowed_arrow_nobody_draws_is_stale() {
    let src = files(&[
        ("interface/mod.rs", ""),
        ("link/mod.rs", "use crate::interface::Model;\n"),
        ("sim/mod.rs", "use crate::interface::Model;\n"),
        ("commands/mod.rs", ""),
    ]);
    assert_eq!(
        stale(&src, &small_table()),
        vec!["docs/architecture.md: `sim` may use `link`, but nothing in it does"]
    );
}

#[test]
fn a_cycle_in_the_table_is_found() {
    assert_eq!(cycle(&small_table()), None);
    let looped = parse_table(
        "| module | its job | may use |\n|---|---|---|\n\
         | `link/` | lines | `interface` |\n| `interface/` | pure | `sim` |\n\
         | `sim/` | firmware | `link` |\n",
    )
    .unwrap();
    assert_eq!(
        cycle(&looped),
        Some(vec![
            "interface".into(),
            "sim".into(),
            "link".into(),
            "interface".into()
        ])
    );
}

#[test]
fn a_group_of_paths_names_each_module_on_its_line() {
    let src = files(&[
        ("interface/mod.rs", ""),
        ("sim/mod.rs", ""),
        ("commands/mod.rs", ""),
        (
            "link/mod.rs",
            "use crate::{\n    interface::Model,\n    sim::{SimSpec, faults},\n};\nuse crate::{self as root};\n",
        ),
    ]);
    assert_eq!(
        check(&src, &small_table()),
        vec!["src/link/mod.rs:3: `link` uses `sim`, which docs/architecture.md does not allow"]
    );
}
