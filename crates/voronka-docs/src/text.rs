//! Text entered in one language or in two, and the typography applied to it.

use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::model::Language;

/// A text as the user entered it: one string for every language, or a
/// Russian and an English form.
///
/// In JSON it is either a string (`"Королёв"`) or an object
/// (`{"ru": "Королёв", "en": "Korolev"}`, either key may be left out).
/// A Russian document prints the Russian form, an English one the English
/// form, each falling back to the other when it is missing; a bilingual one
/// prints `ru / en` when both are given and differ. The text itself is never
/// translated or changed, except that some spaces become non-breaking ones
/// (see [`typography`]).
#[derive(Clone, PartialEq, Eq, Hash)]
pub enum Text {
    /// The same text for every language.
    Plain(String),
    /// A Russian and an English form (at least one of them).
    Localized {
        /// The Russian form.
        ru: Option<String>,
        /// The English form.
        en: Option<String>,
    },
}

impl Default for Text {
    fn default() -> Self {
        Self::Plain(String::new())
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Plain(s) => fmt::Debug::fmt(s, f),
            Self::Localized { ru, en } => f
                .debug_struct("Text")
                .field("ru", ru)
                .field("en", en)
                .finish(),
        }
    }
}

fn filled(s: Option<&String>) -> Option<&str> {
    s.map(|s| s.trim()).filter(|s| !s.is_empty())
}

impl Text {
    /// A text with a Russian and an English form.
    pub fn localized(ru: impl Into<String>, en: impl Into<String>) -> Self {
        Self::Localized {
            ru: Some(ru.into()),
            en: Some(en.into()),
        }
    }

    /// The Russian form, else the English one (trimmed).
    pub fn ru(&self) -> &str {
        match self {
            Self::Plain(s) => s.trim(),
            Self::Localized { ru, en } => filled(ru.as_ref()).or(filled(en.as_ref())).unwrap_or(""),
        }
    }

    /// The English form, else the Russian one (trimmed).
    pub fn en(&self) -> &str {
        match self {
            Self::Plain(s) => s.trim(),
            Self::Localized { ru, en } => filled(en.as_ref()).or(filled(ru.as_ref())).unwrap_or(""),
        }
    }

    /// Whether there is no text in either language.
    pub fn is_blank(&self) -> bool {
        self.ru().is_empty()
    }

    /// The text a document in `lang` prints, as entered (see [`typography`]
    /// for the spaces made non-breaking when rendered).
    pub fn for_language(&self, lang: Language) -> String {
        match lang {
            Language::Ru => self.ru().to_owned(),
            Language::En => self.en().to_owned(),
            _ => {
                let (ru, en) = (self.ru(), self.en());
                if ru == en {
                    ru.to_owned()
                } else {
                    format!("{ru} / {en}")
                }
            }
        }
    }

    /// Whether either form, compared without case and surrounding spaces,
    /// is one of `names`.
    pub(crate) fn is_one_of(&self, names: &[&str]) -> bool {
        [self.ru(), self.en()].iter().any(|form| {
            let form = form.to_lowercase();
            names.iter().any(|n| *n == form)
        })
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Self {
        Self::Plain(s.to_owned())
    }
}

impl From<String> for Text {
    fn from(s: String) -> Self {
        Self::Plain(s)
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        matches!(self, Self::Plain(s) if s == other)
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self == *other
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match self {
            Self::Plain(t) => s.serialize_str(t),
            Self::Localized { ru, en } => {
                let mut m = s.serialize_map(None)?;
                if let Some(ru) = ru {
                    m.serialize_entry("ru", ru)?;
                }
                if let Some(en) = en {
                    m.serialize_entry("en", en)?;
                }
                m.end()
            }
        }
    }
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Text;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(r#"a string or an object {"ru": "…", "en": "…"}"#)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
        Ok(Text::Plain(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Text, E> {
        Ok(Text::Plain(v))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Text, A::Error> {
        let (mut ru, mut en) = (None, None);
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "ru" => ru = map.next_value::<Option<String>>()?,
                "en" => en = map.next_value::<Option<String>>()?,
                other => return Err(de::Error::unknown_field(other, &["ru", "en"])),
            }
        }
        if ru.is_none() && en.is_none() {
            return Err(de::Error::custom(r#"a text needs "ru" or "en""#));
        }
        Ok(Text::Localized { ru, en })
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(TextVisitor)
    }
}

const NBSP: char = '\u{a0}';

/// Words after which the next space is non-breaking: abbreviations of
/// addresses and of documents (`д. 12`, `ул. Лесная`, `склад 3`, `№ 5`).
const GLUE_AFTER: [&str; 41] = [
    "д.",
    "г.",
    "ул.",
    "пр.",
    "пр-т",
    "просп.",
    "пер.",
    "ш.",
    "обл.",
    "р-н",
    "стр.",
    "корп.",
    "к.",
    "оф.",
    "кв.",
    "пом.",
    "эт.",
    "лит.",
    "мкр.",
    "пос.",
    "с.",
    "п.",
    "пп.",
    "ст.",
    "т.",
    "склад",
    "офис",
    "дом",
    "корпус",
    "строение",
    "этаж",
    "помещение",
    "№",
    "No.",
    "Nos.",
    "тел.",
    "Tel.",
    "art.",
    "арт.",
    "ИНН",
    "Ø",
];

/// Units after a number that stay on the number's line (`20 000 шт.`, `50 %`).
const UNITS: [&str; 24] = [
    "%", "шт.", "мм", "см", "м", "м³", "кг", "г", "т", "мл", "л", "руб.", "₽", "коп.", "€", "$",
    "mm", "cm", "kg", "ml", "pcs", "дней", "days", "мест",
];

fn is_digit_group(word: &str) -> bool {
    let digits = word.trim_end_matches([',', '.', ';', ')']);
    let int = digits.split([',', '.']).next().unwrap_or("");
    int.len() == 3 && int.chars().all(|c| c.is_ascii_digit())
}

fn ends_with_digit(word: &str) -> bool {
    word.chars().last().is_some_and(|c| c.is_ascii_digit())
}

fn is_initial(word: &str) -> bool {
    let mut c = word.chars();
    matches!((c.next(), c.next(), c.next()), (Some(a), Some('.'), None) if a.is_uppercase())
}

/// The text with the spaces that should not break made non-breaking, as a
/// typesetter would: after address and document abbreviations (`д. 12`,
/// `склад 3`, `№ 5`), inside numbers grouped by thousands (`20 000`), between
/// a number and its unit (`12 шт.`, `50 %`), around initials (`Смирнова А. В.`)
/// and before a dash (`Москва — Берлин`). Nothing else changes.
///
/// ```
/// use voronka_docs::typography;
/// assert_eq!(typography("ул. Лесная, д. 12, склад 3"), "ул.\u{a0}Лесная, д.\u{a0}12, склад\u{a0}3");
/// assert_eq!(typography("20 000 шт."), "20\u{a0}000\u{a0}шт.");
/// ```
pub fn typography(s: &str) -> String {
    if !s.contains(' ') {
        return s.to_owned();
    }
    let words: Vec<&str> = s.split(' ').collect();
    let mut out = String::with_capacity(s.len());
    for (i, w) in words.iter().enumerate() {
        out.push_str(w);
        let Some(next) = words.get(i + 1) else { break };
        let glue = (!w.is_empty() && !next.is_empty())
            && (GLUE_AFTER
                .iter()
                .any(|g| w.eq_ignore_ascii_case(g) || w == g)
                || (ends_with_digit(w)
                    && w.chars().all(|c| c.is_ascii_digit())
                    && is_digit_group(next))
                || (ends_with_digit(w)
                    && UNITS
                        .iter()
                        .any(|u| next.trim_end_matches([',', ';', ')']) == *u))
                || is_initial(next)
                || (is_initial(w) && next.chars().next().is_some_and(char::is_uppercase))
                || *next == "—");
        out.push(if glue { NBSP } else { ' ' });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glues_what_should_not_break() {
        let n = |s: &str| s.replace('~', "\u{a0}");
        assert_eq!(
            typography("141074, Московская обл., г. Королёв, ул. Индустриальная, д. 12"),
            n("141074, Московская обл., г.~Королёв, ул.~Индустриальная, д.~12")
        );
        assert_eq!(
            typography("Пискарёвский пр-т, д. 150, склад 3"),
            n("Пискарёвский пр-т, д.~150, склад~3")
        );
        assert_eq!(
            typography("20 000 шт. по 9,90 руб."),
            n("20~000~шт. по 9,90~руб.")
        );
        assert_eq!(typography("125 000,50 руб."), n("125~000,50~руб."));
        assert_eq!(typography("Смирнова А. В."), n("Смирнова~А.~В."));
        assert_eq!(typography("50 % предоплата"), n("50~% предоплата"));
        assert_eq!(typography("Москва — Берлин"), n("Москва~— Берлин"));
        assert_eq!(typography("Крышка, Ø 90 мм"), n("Крышка, Ø~90~мм"));
        // Four-digit groups (an IBAN) and plain words are left alone.
        assert_eq!(typography("DE12 2005 0550"), "DE12 2005 0550");
        assert_eq!(
            typography("Hafenstraße 25, 20457 Hamburg"),
            "Hafenstraße 25, 20457 Hamburg"
        );
        assert_eq!(typography(""), "");
    }

    /// Only spaces change: whatever the text, turning the no-break spaces back into
    /// spaces gives it back, so data stays as entered.
    #[test]
    fn only_spaces_change() {
        let pieces = [
            "д.",
            "12",
            "склад",
            "3",
            "20",
            "000",
            "шт.",
            "№",
            "А.",
            "В.",
            "Смирнова",
            "—",
            "%",
            "",
            " ",
            "Ø",
            "x",
            "\u{a0}",
            "1,5",
            "000,50",
            "ул.",
            "г",
            "Z.",
            "é",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..5_000 {
            let mut s = String::new();
            for _ in 0..(seed % 9) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                s.push_str(pieces[(seed % pieces.len() as u64) as usize]);
                s.push(if seed.is_multiple_of(3) { ' ' } else { ',' });
            }
            let out = typography(&s);
            assert_eq!(out.chars().count(), s.chars().count(), "{s:?}");
            let back: String = out
                .chars()
                .zip(s.chars())
                .map(|(o, i)| if o == NBSP && i == ' ' { ' ' } else { o })
                .collect();
            assert_eq!(back, s, "{s:?} became {out:?}");
        }
    }

    #[test]
    fn texts_pick_their_language() {
        let t: Text = serde_json::from_str(r#"{"ru": "Королёв", "en": "Korolev"}"#).expect("text");
        assert_eq!(t.for_language(Language::Ru), "Королёв");
        assert_eq!(t.for_language(Language::En), "Korolev");
        assert_eq!(t.for_language(Language::Both), "Королёв / Korolev");
        let t: Text = serde_json::from_str(r#"{"ru": "Королёв"}"#).expect("text");
        assert_eq!(t.for_language(Language::En), "Королёв");
        let t: Text = serde_json::from_str(r#""Hamburg""#).expect("text");
        assert_eq!(t.for_language(Language::Both), "Hamburg");
        assert!(serde_json::from_str::<Text>(r#"{"de": "x"}"#).is_err());
        assert!(serde_json::from_str::<Text>("{}").is_err());
        assert!(serde_json::from_str::<Text>("12").is_err());
    }
}
