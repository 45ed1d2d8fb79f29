//! The names of the ESF+ common indicators, once: the Czech wording of Regulation (EU) 2021/1057, Annex I
//! (with the names seen in official Czech use where they differ), and the English one. The indicator
//! codebook and the participant indicators computed from records both take their names from here. Only
//! EECO01, EECR01 and EECR04 were seen in real use; an admin may still correct a name in the codebook.

/// An indicator's code with its Czech and English name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndicatorName {
    pub code: &'static str,
    pub cs: &'static str,
    pub en: &'static str,
}

const fn n(code: &'static str, cs: &'static str, en: &'static str) -> IndicatorName {
    IndicatorName { code, cs, en }
}

pub const EECO01: IndicatorName = n(
    "EECO01",
    "Celkový počet účastníků",
    "Total number of participants",
);
pub const EECO02: IndicatorName = n(
    "EECO02",
    "Nezaměstnaní, včetně dlouhodobě nezaměstnaných",
    "Unemployed, including long-term unemployed",
);
pub const EECO03: IndicatorName = n("EECO03", "Dlouhodobě nezaměstnaní", "Long-term unemployed");
pub const EECO04: IndicatorName = n("EECO04", "Neaktivní osoby", "Inactive");
pub const EECO05: IndicatorName = n(
    "EECO05",
    "Zaměstnaní, včetně osob samostatně výdělečně činných",
    "Employed, including self-employed",
);
pub const EECO06: IndicatorName = n(
    "EECO06",
    "Děti mladší 18 let",
    "Children below 18 years of age",
);
pub const EECO07: IndicatorName = n(
    "EECO07",
    "Mladí lidé ve věku 18–29 let",
    "Young people between 18 and 29 years of age",
);
pub const EECO08: IndicatorName = n(
    "EECO08",
    "Účastníci ve věku 55 let a více",
    "Participants of 55 years of age and above",
);
pub const EECO09: IndicatorName = n(
    "EECO09",
    "Osoby s nižším sekundárním nebo nižším vzděláním (ISCED 0–2)",
    "With lower secondary education or less (ISCED 0 to 2)",
);
pub const EECO10: IndicatorName = n(
    "EECO10",
    "Osoby s vyšším sekundárním (ISCED 3) nebo postsekundárním (ISCED 4) vzděláním",
    "With upper secondary (ISCED 3) or post-secondary education (ISCED 4)",
);
pub const EECO11: IndicatorName = n(
    "EECO11",
    "Osoby s terciárním vzděláním (ISCED 5–8)",
    "With tertiary education (ISCED 5 to 8)",
);
pub const EECO12: IndicatorName = n(
    "EECO12",
    "Účastníci se zdravotním postižením",
    "Participants with disabilities",
);
pub const EECO13: IndicatorName = n(
    "EECO13",
    "Státní příslušníci třetích zemí",
    "Third-country nationals",
);
pub const EECO14: IndicatorName = n(
    "EECO14",
    "Účastníci cizího původu",
    "Participants with a foreign background",
);
pub const EECO15: IndicatorName = n(
    "EECO15",
    "Menšiny (včetně marginalizovaných komunit, jako jsou Romové)",
    "Minorities (including marginalised communities such as the Roma)",
);
pub const EECO16: IndicatorName = n(
    "EECO16",
    "Osoby bez domova nebo osoby vyloučené z přístupu k bydlení",
    "Homeless or affected by housing exclusion",
);
pub const EECO17: IndicatorName = n(
    "EECO17",
    "Účastníci z venkovských oblastí",
    "Participants from rural areas",
);
pub const EECO18: IndicatorName = n("EECO18", "Počet podpořených orgánů veřejné správy nebo veřejných služeb na celostátní, regionální nebo místní úrovni", "Number of supported public administrations or public services at national, regional or local level");
pub const EECO19: IndicatorName = n("EECO19", "Počet podporovaných malých a středních podniků", "Number of micro, small and medium-sized enterprises (including cooperative enterprises and social enterprises) supported");
pub const EECR01: IndicatorName = n(
    "EECR01",
    "Účastníci, kteří po ukončení své účasti hledají zaměstnání",
    "Participants engaged in job searching upon leaving",
);
pub const EECR02: IndicatorName = n(
    "EECR02",
    "Účastníci, kteří jsou po ukončení své účasti zapojeni do vzdělávání nebo odborné přípravy",
    "Participants in education or training upon leaving",
);
pub const EECR03: IndicatorName = n(
    "EECR03",
    "Účastníci, kteří po ukončení své účasti získali kvalifikaci",
    "Participants gaining a qualification upon leaving",
);
pub const EECR04: IndicatorName = n("EECR04", "Účastníci, kteří jsou po ukončení své účasti zaměstnaní, včetně osob samostatně výdělečně činných", "Participants in employment, including self-employment, upon leaving");
pub const EECR05: IndicatorName = n("EECR05", "Účastníci, kteří jsou šest měsíců po ukončení své účasti zaměstnaní, včetně osob samostatně výdělečně činných", "Participants in employment, including self-employment, six months after leaving");
pub const EECR06: IndicatorName = n(
    "EECR06",
    "Účastníci, jejichž postavení na trhu práce se šest měsíců po ukončení účasti zlepšilo",
    "Participants with an improved labour market situation six months after leaving",
);
/// The national indicator of OPZ 2014–2020 (`6 00 00`).
pub const NCI_60000: IndicatorName = n(
    "60000",
    "Celkový počet účastníků (OPZ 2014–2020)",
    "Total number of participants (OPZ 2014-2020)",
);

/// Every name of this table, in codebook order.
pub const ALL: [IndicatorName; 26] = [
    EECO01, EECO02, EECO03, EECO04, EECO05, EECO06, EECO07, EECO08, EECO09, EECO10, EECO11, EECO12,
    EECO13, EECO14, EECO15, EECO16, EECO17, EECO18, EECO19, EECR01, EECR02, EECR03, EECR04, EECR05,
    EECR06, NCI_60000,
];

/// The Czech name of the indicator `code`, if this table has it.
#[must_use]
pub fn czech_name(code: &str) -> Option<&'static str> {
    ALL.iter().find(|i| i.code == code).map(|i| i.cs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_names_present() {
        for (i, a) in ALL.iter().enumerate() {
            assert!(!a.cs.is_empty() && !a.en.is_empty(), "{}", a.code);
            assert!(
                ALL[i + 1..].iter().all(|b| b.code != a.code),
                "{} twice",
                a.code
            );
        }
        assert_eq!(
            czech_name("EECO08"),
            Some("Účastníci ve věku 55 let a více")
        );
    }
}
