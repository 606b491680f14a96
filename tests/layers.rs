//! The layers ARCHITECTURE.md promises, read from the code's own imports.
//!
//! Every `use crate::…`, `crate::…::` path and `super::…` path under `src/` is
//! resolved to the module file it names. The test fails on
//! - an import that points up the layer table below (a lower layer naming a
//!   higher one, or one module of a layer naming its peer),
//! - a cycle between two files (outside the console, whose Elm-shaped state,
//!   panes and keymap are one component layer),
//! - the read side naming the write side (`store::read` → `store::services`),
//! - SQL outside the store.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Lowest first. A module may import from its own top module and from any
/// lower layer, never from a peer or a higher one.
const LAYERS: &[&[&str]] = &[
    &["rules", "privilege"],
    &["i18n", "sign", "files"],
    &["store"],
    &["docs", "intake", "explain"],
    &["demo"],
    &["tui"],
    &["cli"],
];

fn layer_of(module: &str) -> usize {
    let top = module.split("::").next().unwrap_or(module);
    LAYERS
        .iter()
        .position(|l| l.contains(&top))
        .unwrap_or_else(|| {
            panic!("module {top} is in no layer: add it to LAYERS and ARCHITECTURE.md")
        })
}

/// Module path (`store::read::queue`) → its source text, comments removed.
fn modules() -> BTreeMap<String, String> {
    fn walk(dir: &Path, out: &mut BTreeMap<String, String>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let rel = p.strip_prefix("src").unwrap().with_extension("");
                let mut parts: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                if parts.last().is_some_and(|l| l == "mod") {
                    parts.pop();
                }
                let name = parts.join("::");
                if name == "main" || name == "lib" {
                    continue;
                }
                let text = std::fs::read_to_string(&p).unwrap();
                out.insert(name, strip_comments(&text));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(Path::new("src"), &mut out);
    out
}

/// The text without `//` comments (doc comments included) — string
/// literals are kept, which is what the SQL check reads.
fn strip_comments(text: &str) -> String {
    text.lines()
        .map(|l| match l.trim_start().starts_with("//") {
            true => "",
            false => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `a::{b, c::{d, e}}` → `a::b`, `a::c::d`, `a::c::e`.
fn expand(tree: &str) -> Vec<String> {
    let tree: String = tree.chars().filter(|c| !c.is_whitespace()).collect();
    let mut out = Vec::new();
    fn rec(prefix: &str, t: &str, out: &mut Vec<String>) {
        let Some(open) = t.find('{') else {
            out.push(format!("{prefix}{t}"));
            return;
        };
        let head = &t[..open];
        let body = &t[open + 1..t.rfind('}').unwrap_or(t.len())];
        let (mut depth, mut start) = (0, 0);
        let bytes = body.as_bytes();
        for (i, b) in bytes.iter().enumerate() {
            match b {
                b'{' => depth += 1,
                b'}' => depth -= 1,
                b',' if depth == 0 => {
                    rec(&format!("{prefix}{head}"), &body[start..i], out);
                    start = i + 1;
                }
                _ => {}
            }
        }
        if start < body.len() {
            rec(&format!("{prefix}{head}"), &body[start..], out);
        }
    }
    rec("", &tree, &mut out);
    out
}

/// Every module path a file names (`crate::x::y`, `super::x`), resolved
/// against `me`.
fn named_paths(me: &str, text: &str) -> Vec<String> {
    let mut paths = Vec::new();
    // `use` trees, possibly over several lines: a `use` that starts its line
    // (after `pub`, `pub(crate)`…), never the word inside a string ("use
    // RFC 3339").
    let mut rest = text;
    while let Some(i) = rest.find("use ") {
        let line = rest[..i].rsplit('\n').next().unwrap_or("").trim();
        rest = &rest[i + 4..];
        if !(line.is_empty() || line == "pub" || line.starts_with("pub(") && line.ends_with(')')) {
            continue;
        }
        if let Some(end) = rest.find(';') {
            paths.extend(expand(&rest[..end]));
        }
    }
    // Paths in expressions and types.
    for word in text.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':')) {
        if word.starts_with("crate::") || word.starts_with("super::") {
            paths.push(word.to_string());
        }
    }
    // `super` of `a::b` is `a`, whether its file is a/b.rs or a/b/mod.rs.
    let mut base: Vec<&str> = me.split("::").collect();
    base.pop();
    paths
        .into_iter()
        .filter_map(|p| {
            let p = p.split(" as ").next().unwrap_or(&p).to_string();
            if let Some(r) = p.strip_prefix("crate::") {
                Some(r.to_string())
            } else if let Some(mut r) = p.strip_prefix("super::") {
                let mut b = base.clone();
                while let Some(rr) = r.strip_prefix("super::") {
                    b.pop();
                    r = rr;
                }
                b.push(r);
                Some(b.join("::"))
            } else {
                None
            }
        })
        .collect()
}

/// The longest module that is a prefix of `path`.
fn resolve<'a>(path: &str, modules: &'a BTreeMap<String, String>) -> Option<&'a str> {
    let segs: Vec<&str> = path.split("::").collect();
    (1..=segs.len())
        .rev()
        .map(|n| segs[..n].join("::"))
        .find_map(|c| modules.get_key_value(&c).map(|(k, _)| k.as_str()))
}

/// Edges between files: `from` names `to`.
fn edges() -> BTreeMap<String, BTreeSet<String>> {
    let mods = modules();
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (me, text) in &mods {
        for p in named_paths(me, text) {
            if let Some(to) = resolve(&p, &mods)
                && to != me
                && !me.starts_with(&format!("{to}::"))
            {
                out.entry(me.clone()).or_default().insert(to.to_string());
            }
        }
    }
    out
}

#[test]
fn no_import_points_up_a_layer() {
    let mut wrong = Vec::new();
    for (from, tos) in edges() {
        let top = from.split("::").next().unwrap();
        for to in tos {
            let to_top = to.split("::").next().unwrap();
            if to_top == top {
                continue;
            }
            if layer_of(&to) >= layer_of(&from) {
                wrong.push(format!("{from} → {to}"));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports that point up or sideways (see ARCHITECTURE.md, \"The layers\"):\n  {}",
        wrong.join("\n  ")
    );
}

#[test]
fn the_read_side_never_names_the_write_side() {
    let wrong: Vec<String> = edges()
        .into_iter()
        .filter(|(from, _)| from.starts_with("store::read"))
        .flat_map(|(from, tos)| {
            tos.into_iter()
                .filter(|t| t == "store::services")
                .map(move |t| format!("{from} → {t}"))
        })
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn no_two_files_import_each_other_round_a_cycle() {
    // The console's files are one node: its state, panes and keymap refer to
    // each other by design (one Elm-shaped component layer).
    let node = |m: &str| match m.starts_with("tui") {
        true => "tui".to_string(),
        false => m.to_string(),
    };
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, tos) in edges() {
        for to in tos {
            let (a, b) = (node(&from), node(&to));
            if a != b {
                graph.entry(a).or_default().insert(b);
            }
        }
    }
    // Depth-first search for a back edge, reporting the cycle it closes.
    fn visit(
        n: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        stack: &mut Vec<String>,
        done: &mut BTreeSet<String>,
        cycles: &mut Vec<String>,
    ) {
        if let Some(i) = stack.iter().position(|s| s == n) {
            let mut c = stack[i..].to_vec();
            c.push(n.to_string());
            cycles.push(c.join(" → "));
            return;
        }
        if done.contains(n) {
            return;
        }
        stack.push(n.to_string());
        for m in graph.get(n).into_iter().flatten() {
            visit(m, graph, stack, done, cycles);
        }
        stack.pop();
        done.insert(n.to_string());
    }
    let mut cycles = Vec::new();
    let mut done = BTreeSet::new();
    for n in graph.keys() {
        visit(n, &graph, &mut Vec::new(), &mut done, &mut cycles);
    }
    assert!(
        cycles.is_empty(),
        "import cycles:\n  {}",
        cycles.join("\n  ")
    );
}

#[test]
fn no_sql_outside_the_store() {
    const SQL: [&str; 6] = [
        "SELECT ",
        "INSERT ",
        "UPDATE ",
        "DELETE ",
        "query_row(",
        "prepare",
    ];
    let mut wrong = Vec::new();
    for (module, text) in modules() {
        if module == "store" || module.starts_with("store::") {
            continue;
        }
        for (i, line) in text.lines().enumerate() {
            if SQL.iter().any(|s| line.contains(s)) {
                wrong.push(format!("{module}:{}: {}", i + 1, line.trim()));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "SQL outside the store (move it behind a named function of store::read \
         or a service):\n  {}",
        wrong.join("\n  ")
    );
}

#[test]
fn the_layer_table_sees_real_imports() {
    // A parser that found nothing would pass the tests above vacuously.
    let e = edges();
    assert!(e["cli"].contains("tui"), "{:?}", e["cli"]);
    assert!(e["store::services"].contains("store::events"));
    assert!(e["tui::state"].iter().any(|t| t.starts_with("store")));
    assert_eq!(expand("a::{b, c::{d, e}}"), ["a::b", "a::c::d", "a::c::e"]);
}

#[test]
fn architecture_md_names_every_source_file() {
    let arch = std::fs::read_to_string("ARCHITECTURE.md").unwrap();
    let mut missing = Vec::new();
    for module in modules().keys() {
        let file = match std::path::Path::new("src")
            .join(module.replace("::", "/"))
            .join("mod.rs")
            .exists()
        {
            true => "mod.rs".to_string(),
            false => format!("{}.rs", module.rsplit("::").next().unwrap()),
        };
        if !arch.contains(&file) {
            missing.push(format!("{module} ({file})"));
        }
    }
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md (\"The shape\") does not name: {}",
        missing.join(", ")
    );
}
