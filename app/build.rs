//! Generates `crate::i18n` (the `Locale` enum and the `td_string!` family of macros) from the
//! translations in `locales/{language}/{namespace}.json`; a key used in code but missing in
//! English fails the build, and `model::language`'s test fails when any language lacks a key.
use std::{error::Error, path::PathBuf};

use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};

/// Every namespace, one file per language each.
const NAMESPACES: [&str; 14] = [
    "common",
    "taxonomy",
    "home",
    "search",
    "events",
    "tickets",
    "accounts",
    "social",
    "notifications",
    "organizations",
    "curation",
    "admin",
    "recs",
    "mail",
];

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?).join("i18n");
    let config = Config::new("en")?
        .add_locale("de")?
        .add_locale("pt-PT")?
        .add_namespaces(NAMESPACES)?
        .parse_options(ParseOptions::default().interpolate_display(true));
    let translations = TranslationsInfos::parse(config)?;
    translations.emit_diagnostics();
    translations.rerun_if_locales_changed();
    translations.generate_i18n_module(out)?;
    Ok(())
}
