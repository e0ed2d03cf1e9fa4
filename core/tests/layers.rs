//! The core's modules form layers without cycles (DESIGN.md, module map): a leaf layer (time
//! and calendar, ids, the fixed-point value and helpers, the shared error kind, zone names,
//! the vocabulary macro), the domains
//! (lifecycle, catalog, scaling, purchase, group, network, imds, snapshot), then configuration
//! and the simulator on top. A module may use a module of a lower layer, or of its own layer
//! as long as no cycle forms; it never uses one above it.
//!
//! Read from the source: every `crate::<module>` path outside comments, in every file of the
//! library that is not a test module (`tests.rs`, `tests/`). This test fails when a change makes
//! a lower layer import from a higher one or closes a cycle.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

const LAYERS: [&[&str]; 3] = [
    &["error", "fixed", "id", "time", "value", "vocab", "zone"],
    &[
        "catalog",
        "group",
        "imds",
        "lifecycle",
        "network",
        "purchase",
        "scaling",
        "snapshot",
    ],
    &["config", "sim"],
];

fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

/// `crate::x` paths of one file, comments left out.
fn uses(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let tail = &rest[at + "crate::".len()..];
            let name: String = tail
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                .collect();
            if !name.is_empty() {
                found.insert(name);
            }
            rest = tail;
        }
    }
    found
}

fn walk(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "tests") {
                walk(&path, files);
            }
        } else if path.extension().is_some_and(|e| e == "rs")
            && path.file_name().is_some_and(|n| n != "tests.rs")
        {
            files.push(path);
        }
    }
}

/// The module graph: each top-level module and the modules it uses.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    walk(&src, &mut files);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let rel = file.strip_prefix(&src).unwrap();
        let top = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let top = top.trim_end_matches(".rs").to_string();
        if top == "lib" {
            continue;
        }
        let text = fs::read_to_string(&file).unwrap();
        let entry = graph.entry(top.clone()).or_default();
        for used in uses(&text) {
            if used != top && used != "test_prelude" {
                entry.insert(used);
            }
        }
    }
    graph
}

#[test]
fn every_module_has_a_layer_and_uses_none_above_it() {
    let graph = graph();
    let mut wrong = Vec::new();
    for (module, used) in &graph {
        let Some(mine) = layer(module) else {
            wrong.push(format!("{module} has no layer: add it to LAYERS"));
            continue;
        };
        for u in used {
            match layer(u) {
                Some(theirs) if theirs > mine => {
                    wrong.push(format!("{module} (layer {mine}) uses {u} (layer {theirs})"));
                }
                None => wrong.push(format!("{module} uses {u}, which has no layer")),
                _ => {}
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

// Depth-first search; a module met again while still on the path closes a cycle.
fn visit(
    m: &str,
    graph: &BTreeMap<String, BTreeSet<String>>,
    path: &mut Vec<String>,
    done: &mut BTreeSet<String>,
) -> Option<Vec<String>> {
    if let Some(at) = path.iter().position(|p| p == m) {
        let mut cycle = path[at..].to_vec();
        cycle.push(m.to_string());
        return Some(cycle);
    }
    if done.contains(m) {
        return None;
    }
    path.push(m.to_string());
    for u in graph.get(m).into_iter().flatten() {
        if let Some(c) = visit(u, graph, path, done) {
            return Some(c);
        }
    }
    path.pop();
    done.insert(m.to_string());
    None
}

#[test]
fn the_module_graph_has_no_cycle() {
    let graph = graph();
    let mut done = BTreeSet::new();
    for m in graph.keys() {
        if let Some(cycle) = visit(m, &graph, &mut Vec::new(), &mut done) {
            panic!("a cycle: {}", cycle.join(" -> "));
        }
    }
}

#[test]
fn the_check_sees_a_use_and_ignores_comments() {
    let text = "use crate::group::Group;\n// crate::sim is only mentioned\nlet x = crate::time::Instant::ZERO; // crate::config";
    let found: Vec<_> = uses(text).into_iter().collect();
    assert_eq!(found, ["group", "time"]);
}
