//! Text helpers for search: [`fold_for_search`] makes "Ústí nad Orlicí" and "usti nad orlici" equal.

/// Folds text for accent- and case-insensitive search: lower-cases, strips Czech diacritics (á č ď é ě í
/// ň ó ř š ť ú ů ý ž), Slovak ones (ä ĺ ľ ô ŕ) and a few common German and Polish ones, collapses every
/// run of whitespace (incl. no-break spaces) into one space and trims.
///
/// Apply it to both the stored text and the query; then a prefix or substring test on the results is a
/// search that ignores accents: `fold_for_search("Ústí nad Orlicí")` is `"usti nad orlici"`, which starts
/// with `fold_for_search("usti nad O")`.
#[must_use]
pub fn fold_for_search(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut pending_space = false;
    for c in input.chars().flat_map(char::to_lowercase) {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        match fold_char(c) {
            Some(folded) => out.push_str(folded),
            None => out.push(c),
        }
    }
    out
}

/// The ASCII replacement of a lower-case accented letter, if it has one.
pub(crate) fn fold_char(c: char) -> Option<&'static str> {
    Some(match c {
        'á' | 'ä' | 'à' | 'â' | 'ą' => "a",
        'č' | 'ć' | 'ç' => "c",
        'ď' => "d",
        'é' | 'ě' | 'ë' | 'è' | 'ê' | 'ę' => "e",
        'í' | 'ï' | 'î' => "i",
        'ľ' | 'ĺ' | 'ł' => "l",
        'ň' | 'ń' => "n",
        'ó' | 'ö' | 'ô' | 'ő' => "o",
        'ř' | 'ŕ' => "r",
        'š' | 'ś' => "s",
        'ť' => "t",
        'ú' | 'ů' | 'ü' | 'ű' => "u",
        'ý' => "y",
        'ž' | 'ź' | 'ż' => "z",
        'ß' => "ss",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::fold_for_search;

    #[test]
    fn strips_czech_diacritics_and_case() {
        assert_eq!(fold_for_search("Ústí nad Orlicí"), "usti nad orlici");
        assert_eq!(fold_for_search("ÁČĎÉĚÍŇÓŘŠŤÚŮÝŽ"), "acdeeinorstuuyz");
        assert_eq!(fold_for_search("áčďéěíňóřšťúůýž"), "acdeeinorstuuyz");
        assert_eq!(
            fold_for_search("Příliš žluťoučký kůň úpěl ďábelské ódy"),
            "prilis zlutoucky kun upel dabelske ody"
        );
    }

    #[test]
    fn strips_slovak_and_neighbouring_diacritics() {
        assert_eq!(
            fold_for_search("Ľubomír Kráľ, Ĺ ŕ ô ä ö ü"),
            "lubomir kral, l r o a o u"
        );
        assert_eq!(fold_for_search("Łódź Straße"), "lodz strasse");
    }

    #[test]
    fn collapses_whitespace_and_trims() {
        assert_eq!(
            fold_for_search("  Moravský \u{a0}\u{202f} Beroun\t\n"),
            "moravsky beroun"
        );
        assert_eq!(fold_for_search(""), "");
        assert_eq!(fold_for_search(" \u{a0} "), "");
    }

    #[test]
    fn folded_query_is_a_prefix_of_folded_name() {
        let name = fold_for_search("Ústí nad Orlicí");
        assert!(name.starts_with(&fold_for_search("usti nad o")));
        assert!(name.starts_with(&fold_for_search("ÚSTÍ  NAD")));
        assert!(fold_for_search("Děčín").contains(&fold_for_search("decin")));
    }

    #[test]
    fn leaves_other_characters_alone() {
        assert_eq!(
            fold_for_search("Kola pro Afriku, z.ú. 7U – 2024"),
            "kola pro afriku, z.u. 7u – 2024"
        );
    }
}
