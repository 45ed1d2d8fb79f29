//! The texts of the interface in each language (issue 15, point 4), kept in `app/locales/<code>.txt`
//! (one `key = text` per line, `#` for comments, `{name}` for a value filled in), compiled into both the
//! server and the browser. A page asks for a text by its key in the language of the request
//! ([`t`]); a test fails when a key is in one language and not in the other, or when the code asks for
//! a key no file has.

use crate::domain::Lang;
use std::collections::HashMap;
use std::sync::LazyLock;

const CS: &str = include_str!("../locales/cs.txt");
const EN: &str = include_str!("../locales/en.txt");

static TEXTS: LazyLock<[HashMap<&'static str, &'static str>; 2]> =
    LazyLock::new(|| [parse(CS), parse(EN)]);

/// The `key = text` lines of a locale file.
fn parse(file: &'static str) -> HashMap<&'static str, &'static str> {
    file.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.trim(), v.trim()))
        .collect()
}

fn table(lang: Lang) -> &'static HashMap<&'static str, &'static str> {
    match lang {
        Lang::Cs => &TEXTS[0],
        Lang::En => &TEXTS[1],
    }
}

/// The text of `key` in `lang` (the key itself when missing, which the tests forbid).
#[must_use]
pub fn text(lang: Lang, key: &'static str) -> &'static str {
    table(lang).get(key).copied().unwrap_or(key)
}

/// The text of `key` with its `{name}` places filled in.
#[must_use]
pub fn fill(lang: Lang, key: &'static str, values: &[(&str, &str)]) -> String {
    let mut out = text(lang, key).to_owned();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// The language of the page being rendered (provided by the app from the user's choice or the browser's
/// `Accept-Language`).
#[must_use]
pub fn lang() -> Lang {
    leptos::prelude::use_context::<Lang>().unwrap_or_default()
}

/// The language of this request: on the server the signed-in user's choice, else the best of the
/// browser's `Accept-Language`; in the browser the `lang` of the page the server rendered.
#[must_use]
pub fn request_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        let parts = leptos::prelude::use_context::<axum::http::request::Parts>();
        let chosen = parts.as_ref().and_then(|p| {
            p.extensions
                .get::<crate::api::SignedIn>()
                .and_then(|s| s.0.as_ref().map(|v| v.lang))
        });
        chosen
            .or_else(|| {
                parts
                    .as_ref()
                    .and_then(|p| p.headers.get(axum::http::header::ACCEPT_LANGUAGE))
                    .and_then(|h| h.to_str().ok())
                    .map(Lang::from_accept_language)
            })
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        leptos::prelude::document()
            .document_element()
            .and_then(|e| e.get_attribute("lang"))
            .and_then(|c| Lang::from_code(&c))
            .unwrap_or_default()
    }
}

/// The text of `key` in the language of the page.
#[must_use]
pub fn t(key: &'static str) -> &'static str {
    text(lang(), key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn keys(file: &'static str) -> BTreeSet<&'static str> {
        parse(file).into_keys().collect()
    }

    #[test]
    fn every_key_is_in_every_language() {
        let (cs, en) = (keys(CS), keys(EN));
        let only_cs: Vec<_> = cs.difference(&en).collect();
        let only_en: Vec<_> = en.difference(&cs).collect();
        assert!(
            only_cs.is_empty() && only_en.is_empty(),
            "only in cs.txt: {only_cs:?}; only in en.txt: {only_en:?}"
        );
        for l in Lang::ALL {
            for (k, v) in table(l) {
                assert!(!v.is_empty(), "{k} is empty in {}", l.code());
            }
        }
    }

    #[test]
    fn every_key_the_code_asks_for_exists() {
        // Read from disk like the sources below, so that both are of the same moment.
        let file = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/locales/cs.txt"))
            .unwrap_or_default();
        let cs: BTreeSet<String> = file
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .filter_map(|l| l.split_once('=').map(|(k, _)| k.trim().to_owned()))
            .collect();
        assert!(cs.contains("app.name"), "the Czech locale file is read");
        let mut missing = Vec::new();
        // The interface's code: pages, components and the shell.
        let root = std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/src"));
        let mut dirs = vec![
            root.join("pages"),
            root.join("components"),
            root.join("shell.rs"),
        ];
        while let Some(dir) = dirs.pop() {
            let entries: Vec<std::path::PathBuf> = if dir.is_file() {
                vec![dir.clone()]
            } else {
                std::fs::read_dir(&dir)
                    .into_iter()
                    .flatten()
                    .flatten()
                    .map(|e| e.path())
                    .collect()
            };
            for path in entries {
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let source = std::fs::read_to_string(&path).unwrap_or_default();
                    for call in ["t(\"", "text(lang, \"", "fill(lang, \"", "fill(lang(), \""] {
                        for (i, _) in source.match_indices(call) {
                            // Only the function itself, not a call whose name ends in t (`expect`).
                            let before = source[..i].chars().next_back().unwrap_or(' ');
                            if before.is_alphanumeric() || before == '_' || before == '.' {
                                continue;
                            }
                            let rest = &source[i + call.len()..];
                            let key = rest.split('"').next().unwrap_or_default();
                            if !cs.contains(key) {
                                missing.push(format!("{}: {key}", path.display()));
                            }
                        }
                    }
                }
            }
        }
        assert!(
            missing.is_empty(),
            "keys asked for but not in the locale files: {missing:?}"
        );
    }

    #[test]
    fn values_are_filled_in() {
        assert_eq!(
            fill(Lang::En, "account.language_saved", &[("name", "English")]),
            "Interface language set: English."
        );
    }
}
