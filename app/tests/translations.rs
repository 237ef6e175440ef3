//! Every language has every key, with the same placeholders: a string missing in German or
//! Portuguese would otherwise show in English without anyone noticing.
use std::{
    collections::{BTreeMap, BTreeSet},
    fs,
    path::Path,
};

use serde_json::Value;

const LANGUAGES: [&str; 3] = ["en", "de", "pt-PT"];
/// Plural forms differ between languages (`_one`/`_other`, Portuguese's `_many`): a key counts
/// once with any of them.
const PLURAL_SUFFIXES: [&str; 6] = ["_zero", "_one", "_two", "_few", "_many", "_other"];

/// Each key of a namespace file (`a.b.c`), with the placeholders (`{{ name }}`) of its text.
fn flatten(prefix: &str, value: &Value, out: &mut BTreeMap<String, BTreeSet<String>>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, v, out);
            }
        }
        Value::String(text) => {
            let base = PLURAL_SUFFIXES
                .iter()
                .find_map(|s| prefix.strip_suffix(s))
                .unwrap_or(prefix);
            assert!(!text.trim().is_empty(), "{prefix} is empty");
            let names = placeholders(text);
            out.entry(base.to_owned()).or_default().extend(names);
        }
        other => panic!("{prefix}: only objects and strings are used, found {other}"),
    }
}

fn placeholders(text: &str) -> BTreeSet<String> {
    text.split("{{")
        .skip(1)
        .filter_map(|rest| rest.split_once("}}"))
        .map(|(name, _)| {
            name.trim()
                .split(',')
                .next()
                .unwrap_or("")
                .trim()
                .to_owned()
        })
        .collect()
}

fn keys(language: &str, namespace: &str) -> BTreeMap<String, BTreeSet<String>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("locales")
        .join(language)
        .join(format!("{namespace}.json"));
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let value: Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out = BTreeMap::new();
    flatten("", &value, &mut out);
    out
}

fn namespaces() -> BTreeSet<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("locales")
        .join("en");
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn every_language_has_every_key_with_the_same_placeholders() {
    let mut problems = Vec::new();
    for namespace in namespaces() {
        let english = keys("en", &namespace);
        for language in &LANGUAGES[1..] {
            let other = keys(language, &namespace);
            for (key, names) in &english {
                match other.get(key) {
                    None => problems.push(format!("{language}/{namespace}: {key} is missing")),
                    Some(theirs) if theirs != names => problems.push(format!(
                        "{language}/{namespace}: {key} has {theirs:?}, English has {names:?}"
                    )),
                    Some(_) => {}
                }
            }
            for key in other.keys().filter(|k| !english.contains_key(*k)) {
                problems.push(format!(
                    "{language}/{namespace}: {key} is not an English key"
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_language_has_the_same_namespace_files() {
    for language in &LANGUAGES[1..] {
        for namespace in namespaces() {
            let path = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("locales")
                .join(language)
                .join(format!("{namespace}.json"));
            assert!(path.exists(), "{} is missing", path.display());
        }
    }
}

#[test]
fn the_check_finds_a_missing_key_and_a_changed_placeholder() {
    let mut english = BTreeMap::new();
    flatten(
        "",
        &serde_json::json!({"a": {"b": "Hi {{ name }}"}, "n_one": "1", "n_other": "{{ count }}"}),
        &mut english,
    );
    let mut german = BTreeMap::new();
    flatten(
        "",
        &serde_json::json!({"a": {"b": "Hallo {{ nom }}"}}),
        &mut german,
    );
    assert_eq!(english.keys().collect::<Vec<_>>(), ["a.b", "n"]);
    assert_ne!(english.get("a.b"), german.get("a.b"));
    assert!(!german.contains_key("n"));
}
