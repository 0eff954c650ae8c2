//! Amounts and integers in words, in Russian and English.
//!
//! Russian follows the conventions of business documents: the integer part in
//! words with the right gender and plural form (`одна тысяча`, `две тысячи`,
//! `пять тысяч`; `один рубль`, `два рубля`, `пять рублей`), the fractional part
//! as two digits followed by the minor unit (`05 копеек`), the first letter
//! capitalised. English writes the integer part in words and the cents as two
//! digits: `One thousand two hundred thirty-four euros and 05 cents`.

use rust_decimal::{Decimal, RoundingStrategy};

use crate::error::Error;
use crate::model::Currency;

/// Grammatical gender of a Russian noun counted by a numeral.
///
/// It selects `один`/`одна`/`одно` and `два`/`две`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Gender {
    /// Masculine: `один рубль`, `два доллара`.
    Masculine,
    /// Feminine: `одна копейка`, `две тысячи`.
    Feminine,
    /// Neuter: `одно место`, `два места`.
    Neuter,
}

/// The largest integer part [`amount_ru`] and [`amount_en`] accept:
/// 999 999 999 999 999 (just under a quadrillion).
pub const MAX_WORDS: u64 = 999_999_999_999_999;

const RU_UNITS_M: [&str; 20] = [
    "ноль",
    "один",
    "два",
    "три",
    "четыре",
    "пять",
    "шесть",
    "семь",
    "восемь",
    "девять",
    "десять",
    "одиннадцать",
    "двенадцать",
    "тринадцать",
    "четырнадцать",
    "пятнадцать",
    "шестнадцать",
    "семнадцать",
    "восемнадцать",
    "девятнадцать",
];
const RU_TENS: [&str; 10] = [
    "",
    "",
    "двадцать",
    "тридцать",
    "сорок",
    "пятьдесят",
    "шестьдесят",
    "семьдесят",
    "восемьдесят",
    "девяносто",
];
const RU_HUNDREDS: [&str; 10] = [
    "",
    "сто",
    "двести",
    "триста",
    "четыреста",
    "пятьсот",
    "шестьсот",
    "семьсот",
    "восемьсот",
    "девятьсот",
];

/// Scales above thousands: (one, few, many), all masculine.
const RU_SCALES: [(&str, &str, &str, Gender); 4] = [
    ("тысяча", "тысячи", "тысяч", Gender::Feminine),
    ("миллион", "миллиона", "миллионов", Gender::Masculine),
    ("миллиард", "миллиарда", "миллиардов", Gender::Masculine),
    ("триллион", "триллиона", "триллионов", Gender::Masculine),
];

/// Picks the Russian plural form for `n`: `one` for 1, 21, 101…, `few` for
/// 2–4, 22–24…, `many` for 0, 5–20, 25–30, 111–114….
///
/// ```
/// use voronka_docs::words::ru_plural;
/// assert_eq!(ru_plural(1, "рубль", "рубля", "рублей"), "рубль");
/// assert_eq!(ru_plural(12, "рубль", "рубля", "рублей"), "рублей");
/// assert_eq!(ru_plural(23, "рубль", "рубля", "рублей"), "рубля");
/// ```
pub fn ru_plural<'a>(n: u64, one: &'a str, few: &'a str, many: &'a str) -> &'a str {
    let n100 = n % 100;
    let n10 = n % 10;
    if (11..=14).contains(&n100) {
        many
    } else if n10 == 1 {
        one
    } else if (2..=4).contains(&n10) {
        few
    } else {
        many
    }
}

/// Words for 1..=999 pushed into `out`, in the given gender.
fn ru_triple(n: u64, gender: Gender, out: &mut Vec<&'static str>) {
    let h = (n / 100) as usize;
    let rest = n % 100;
    if h > 0 {
        out.push(RU_HUNDREDS[h]);
    }
    let (t, u) = if rest < 20 {
        (0, rest as usize)
    } else {
        ((rest / 10) as usize, (rest % 10) as usize)
    };
    if t > 0 {
        out.push(RU_TENS[t]);
    }
    if u > 0 {
        out.push(match (u, gender) {
            (1, Gender::Feminine) => "одна",
            (1, Gender::Neuter) => "одно",
            (2, Gender::Feminine) => "две",
            _ => RU_UNITS_M[u],
        });
    }
}

/// An integer in Russian words, lower case, agreeing with a noun of the
/// given gender (`одна`, `две` for feminine nouns).
///
/// ```
/// use voronka_docs::words::{Gender, integer_ru};
/// assert_eq!(integer_ru(2001, Gender::Feminine).unwrap(), "две тысячи одна");
/// assert_eq!(integer_ru(0, Gender::Masculine).unwrap(), "ноль");
/// ```
///
/// # Errors
/// [`Error::AmountOutOfRange`] above [`MAX_WORDS`].
pub fn integer_ru(n: u64, gender: Gender) -> Result<String, Error> {
    if n > MAX_WORDS {
        return Err(Error::AmountOutOfRange {
            amount: n.to_string(),
        });
    }
    if n == 0 {
        return Ok(RU_UNITS_M[0].to_owned());
    }
    let mut out = Vec::new();
    let groups = [
        (n / 1_000_000_000_000) % 1000,
        (n / 1_000_000_000) % 1000,
        (n / 1_000_000) % 1000,
        (n / 1000) % 1000,
    ];
    for (i, &g) in groups.iter().enumerate() {
        if g == 0 {
            continue;
        }
        let (one, few, many, g_gender) = RU_SCALES[3 - i];
        ru_triple(g, g_gender, &mut out);
        out.push(ru_plural(g, one, few, many));
    }
    let last = n % 1000;
    if last > 0 {
        ru_triple(last, gender, &mut out);
    }
    Ok(out.join(" "))
}

const EN_UNITS: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const EN_TENS: [&str; 10] = [
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];
const EN_SCALES: [&str; 4] = ["thousand", "million", "billion", "trillion"];

fn en_triple(n: u64, out: &mut Vec<String>) {
    let h = (n / 100) as usize;
    let rest = n % 100;
    if h > 0 {
        out.push(format!("{} hundred", EN_UNITS[h]));
    }
    if rest >= 20 {
        let (t, u) = ((rest / 10) as usize, (rest % 10) as usize);
        if u > 0 {
            out.push(format!("{}-{}", EN_TENS[t], EN_UNITS[u]));
        } else {
            out.push(EN_TENS[t].to_owned());
        }
    } else if rest > 0 {
        out.push(EN_UNITS[rest as usize].to_owned());
    }
}

/// An integer in English words, lower case, in the short scale, without
/// "and": `one thousand two hundred thirty-four`.
///
/// ```
/// use voronka_docs::words::integer_en;
/// assert_eq!(integer_en(2001).unwrap(), "two thousand one");
/// assert_eq!(integer_en(45).unwrap(), "forty-five");
/// ```
///
/// # Errors
/// [`Error::AmountOutOfRange`] above [`MAX_WORDS`].
pub fn integer_en(n: u64) -> Result<String, Error> {
    if n > MAX_WORDS {
        return Err(Error::AmountOutOfRange {
            amount: n.to_string(),
        });
    }
    if n == 0 {
        return Ok(EN_UNITS[0].to_owned());
    }
    let mut out = Vec::new();
    let groups = [
        (n / 1_000_000_000_000) % 1000,
        (n / 1_000_000_000) % 1000,
        (n / 1_000_000) % 1000,
        (n / 1000) % 1000,
    ];
    for (i, &g) in groups.iter().enumerate() {
        if g == 0 {
            continue;
        }
        en_triple(g, &mut out);
        out.push(EN_SCALES[3 - i].to_owned());
    }
    let last = n % 1000;
    if last > 0 {
        en_triple(last, &mut out);
    }
    Ok(out.join(" "))
}

/// Splits a non-negative amount into its integer part and its minor units
/// (two digits, rounded half away from zero).
fn split(amount: Decimal) -> Result<(u64, u64), Error> {
    let out_of_range = || Error::AmountOutOfRange {
        amount: amount.to_string(),
    };
    if amount.is_sign_negative() && !amount.is_zero() {
        return Err(out_of_range());
    }
    let rounded = amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    let whole = rounded.trunc();
    let cents = ((rounded - whole) * Decimal::ONE_HUNDRED).trunc();
    let whole: u64 = whole.try_into().map_err(|_| out_of_range())?;
    let cents: u64 = cents.try_into().map_err(|_| out_of_range())?;
    if whole > MAX_WORDS {
        return Err(out_of_range());
    }
    Ok((whole, cents))
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A money amount in Russian words, as written under a total:
/// `Одна тысяча двести рублей 05 копеек`.
///
/// The amount is rounded to two decimals (half away from zero) first.
///
/// ```
/// use rust_decimal::Decimal;
/// use voronka_docs::{Currency, words::amount_ru};
/// let amount: Decimal = "21.01".parse().unwrap();
/// assert_eq!(amount_ru(amount, Currency::Rub).unwrap(), "Двадцать один рубль 01 копейка");
/// ```
///
/// # Errors
/// [`Error::AmountOutOfRange`] for a negative amount or one above [`MAX_WORDS`].
pub fn amount_ru(amount: Decimal, currency: Currency) -> Result<String, Error> {
    let (whole, cents) = split(amount)?;
    let (major, major_gender, minor): (&str, Gender, &str) = match currency {
        Currency::Rub => (
            ru_plural(whole, "рубль", "рубля", "рублей"),
            Gender::Masculine,
            ru_plural(cents, "копейка", "копейки", "копеек"),
        ),
        Currency::Eur => (
            "евро",
            Gender::Masculine,
            ru_plural(cents, "цент", "цента", "центов"),
        ),
        Currency::Usd => (
            ru_plural(whole, "доллар США", "доллара США", "долларов США"),
            Gender::Masculine,
            ru_plural(cents, "цент", "цента", "центов"),
        ),
        Currency::Cny => (
            ru_plural(whole, "китайский юань", "китайских юаня", "китайских юаней"),
            Gender::Masculine,
            ru_plural(cents, "фэнь", "фэня", "фэней"),
        ),
    };
    let words = integer_ru(whole, major_gender)?;
    Ok(capitalize(&format!("{words} {major} {cents:02} {minor}")))
}

/// A money amount in English words, as written under a total:
/// `One thousand two hundred euros and 05 cents`.
///
/// ```
/// use rust_decimal::Decimal;
/// use voronka_docs::{Currency, words::amount_en};
/// let amount: Decimal = "1.5".parse().unwrap();
/// assert_eq!(amount_en(amount, Currency::Usd).unwrap(), "One US dollar and 50 cents");
/// ```
///
/// # Errors
/// [`Error::AmountOutOfRange`] for a negative amount or one above [`MAX_WORDS`].
pub fn amount_en(amount: Decimal, currency: Currency) -> Result<String, Error> {
    let (whole, cents) = split(amount)?;
    let one = whole == 1;
    let (major, minor) = match currency {
        Currency::Rub => (
            if one {
                "Russian rouble"
            } else {
                "Russian roubles"
            },
            if cents == 1 { "kopeck" } else { "kopecks" },
        ),
        Currency::Eur => (
            if one { "euro" } else { "euros" },
            if cents == 1 { "cent" } else { "cents" },
        ),
        Currency::Usd => (
            if one { "US dollar" } else { "US dollars" },
            if cents == 1 { "cent" } else { "cents" },
        ),
        Currency::Cny => ("Chinese yuan", "fen"),
    };
    let words = integer_en(whole)?;
    Ok(capitalize(&format!(
        "{words} {major} and {cents:02} {minor}"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        s.parse().expect("decimal")
    }

    #[test]
    fn russian_integers() {
        let m = Gender::Masculine;
        let f = Gender::Feminine;
        let cases = [
            (0, m, "ноль"),
            (1, m, "один"),
            (1, f, "одна"),
            (1, Gender::Neuter, "одно"),
            (2, m, "два"),
            (2, f, "две"),
            (5, m, "пять"),
            (11, m, "одиннадцать"),
            (19, m, "девятнадцать"),
            (20, m, "двадцать"),
            (21, m, "двадцать один"),
            (40, m, "сорок"),
            (99, m, "девяносто девять"),
            (100, m, "сто"),
            (101, m, "сто один"),
            (111, m, "сто одиннадцать"),
            (200, m, "двести"),
            (999, m, "девятьсот девяносто девять"),
            (1000, m, "одна тысяча"),
            (1001, m, "одна тысяча один"),
            (2000, m, "две тысячи"),
            (2001, f, "две тысячи одна"),
            (4000, m, "четыре тысячи"),
            (5000, m, "пять тысяч"),
            (11_000, m, "одиннадцать тысяч"),
            (12_000, m, "двенадцать тысяч"),
            (21_000, m, "двадцать одна тысяча"),
            (22_000, m, "двадцать две тысячи"),
            (111_000, m, "сто одиннадцать тысяч"),
            (1_000_000, m, "один миллион"),
            (2_000_000, m, "два миллиона"),
            (5_000_000, m, "пять миллионов"),
            (21_000_000, m, "двадцать один миллион"),
            (
                1_234_567,
                m,
                "один миллион двести тридцать четыре тысячи пятьсот шестьдесят семь",
            ),
            (
                2_002_002_002,
                f,
                "два миллиарда два миллиона две тысячи две",
            ),
            (1_000_000_000_000, m, "один триллион"),
            (
                MAX_WORDS,
                m,
                "девятьсот девяносто девять триллионов девятьсот девяносто девять миллиардов \
                 девятьсот девяносто девять миллионов девятьсот девяносто девять тысяч \
                 девятьсот девяносто девять",
            ),
        ];
        for (n, g, want) in cases {
            assert_eq!(integer_ru(n, g).as_deref(), Ok(want), "{n}");
        }
        assert_eq!(
            integer_ru(MAX_WORDS + 1, m).map_err(|e| e.code()),
            Err(5004)
        );
    }

    #[test]
    fn english_integers() {
        let cases = [
            (0, "zero"),
            (1, "one"),
            (2, "two"),
            (5, "five"),
            (11, "eleven"),
            (21, "twenty-one"),
            (100, "one hundred"),
            (101, "one hundred one"),
            (1000, "one thousand"),
            (2001, "two thousand one"),
            (10_010, "ten thousand ten"),
            (1_000_000, "one million"),
            (
                1_234_567,
                "one million two hundred thirty-four thousand five hundred sixty-seven",
            ),
            (3_000_000_090, "three billion ninety"),
            (1_000_000_000_000, "one trillion"),
        ];
        for (n, want) in cases {
            assert_eq!(integer_en(n).as_deref(), Ok(want), "{n}");
        }
        assert_eq!(integer_en(MAX_WORDS + 1).map_err(|e| e.code()), Err(5004));
    }

    #[test]
    fn russian_amounts() {
        let rub = Currency::Rub;
        let cases = [
            ("0", rub, "Ноль рублей 00 копеек"),
            ("1", rub, "Один рубль 00 копеек"),
            ("2", rub, "Два рубля 00 копеек"),
            ("5", rub, "Пять рублей 00 копеек"),
            ("11", rub, "Одиннадцать рублей 00 копеек"),
            ("21", rub, "Двадцать один рубль 00 копеек"),
            ("22.22", rub, "Двадцать два рубля 22 копейки"),
            ("101.01", rub, "Сто один рубль 01 копейка"),
            ("111.11", rub, "Сто одиннадцать рублей 11 копеек"),
            ("1000", rub, "Одна тысяча рублей 00 копеек"),
            ("2001.02", rub, "Две тысячи один рубль 02 копейки"),
            ("1000000", rub, "Один миллион рублей 00 копеек"),
            (
                "1234567.89",
                rub,
                "Один миллион двести тридцать четыре тысячи пятьсот шестьдесят семь рублей 89 копеек",
            ),
            ("0.005", rub, "Ноль рублей 01 копейка"),
            ("0.994", rub, "Ноль рублей 99 копеек"),
            ("0.995", rub, "Один рубль 00 копеек"),
            ("1", Currency::Eur, "Один евро 00 центов"),
            ("2.01", Currency::Eur, "Два евро 01 цент"),
            (
                "14820",
                Currency::Eur,
                "Четырнадцать тысяч восемьсот двадцать евро 00 центов",
            ),
            ("1", Currency::Usd, "Один доллар США 00 центов"),
            ("3.03", Currency::Usd, "Три доллара США 03 цента"),
            ("25", Currency::Usd, "Двадцать пять долларов США 00 центов"),
            ("21", Currency::Cny, "Двадцать один китайский юань 00 фэней"),
        ];
        for (amount, cur, want) in cases {
            assert_eq!(
                amount_ru(dec(amount), cur).as_deref(),
                Ok(want),
                "{amount} {cur:?}"
            );
        }
    }

    #[test]
    fn english_amounts() {
        let cases = [
            ("0", Currency::Usd, "Zero US dollars and 00 cents"),
            ("1", Currency::Usd, "One US dollar and 00 cents"),
            ("1.01", Currency::Eur, "One euro and 01 cent"),
            ("2", Currency::Eur, "Two euros and 00 cents"),
            ("11.5", Currency::Eur, "Eleven euros and 50 cents"),
            (
                "21",
                Currency::Rub,
                "Twenty-one Russian roubles and 00 kopecks",
            ),
            (
                "101.99",
                Currency::Rub,
                "One hundred one Russian roubles and 99 kopecks",
            ),
            (
                "2001",
                Currency::Usd,
                "Two thousand one US dollars and 00 cents",
            ),
            (
                "1000000",
                Currency::Usd,
                "One million US dollars and 00 cents",
            ),
            (
                "1234567.89",
                Currency::Eur,
                "One million two hundred thirty-four thousand five hundred sixty-seven euros and 89 cents",
            ),
            ("8", Currency::Cny, "Eight Chinese yuan and 00 fen"),
        ];
        for (amount, cur, want) in cases {
            assert_eq!(
                amount_en(dec(amount), cur).as_deref(),
                Ok(want),
                "{amount} {cur:?}"
            );
        }
    }

    #[test]
    fn rejects_negative_and_huge_amounts() {
        for amount in [
            "-0.01",
            "-5",
            "1000000000000000",
            "79228162514264337593543950335",
        ] {
            let e = amount_ru(dec(amount), Currency::Rub).expect_err(amount);
            assert_eq!((e.code(), e.name()), (5004, "amount_out_of_range"));
            assert!(amount_en(dec(amount), Currency::Rub).is_err(), "{amount}");
        }
        assert!(amount_ru(dec("999999999999999.99"), Currency::Rub).is_ok());
        assert!(amount_ru(dec("-0"), Currency::Rub).is_ok());
    }

    #[test]
    fn plural_forms() {
        let f = |n| ru_plural(n, "one", "few", "many");
        for (n, want) in [
            (0, "many"),
            (1, "one"),
            (2, "few"),
            (4, "few"),
            (5, "many"),
            (11, "many"),
            (12, "many"),
            (14, "many"),
            (21, "one"),
            (22, "few"),
            (25, "many"),
            (101, "one"),
            (111, "many"),
            (112, "many"),
            (1001, "one"),
        ] {
            assert_eq!(f(n), want, "{n}");
        }
    }
}
