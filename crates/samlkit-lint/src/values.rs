//! Identity values as they were signed: how to show them so that nothing invisible hides, and
//! the character facts the value rules judge (whitespace, invisible characters, NFKC, scripts).
//!
//! Reports carry values exactly as the IdP signed them, never trimmed: a service provider that
//! compares exactly sees `"  admin@contoso.example\n\t"`, not `admin@contoso.example`. Text
//! output shows such values quoted with escapes; JSON keeps the exact string.

use std::collections::BTreeSet;

use unicode_normalization::UnicodeNormalization;
use unicode_script::{Script, UnicodeScript};

/// The XML whitespace characters, the only ones XML itself treats as space.
fn is_xml_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

/// The name of a character that shows as nothing, or as an ordinary space, although it is not
/// one: controls, zero-width and bidi formatting characters, the byte-order mark, and the
/// Unicode spaces other than U+0020.
pub fn invisible_name(c: char) -> Option<&'static str> {
    let name = match c {
        '\t' => "tab",
        '\n' => "line feed",
        '\r' => "carriage return",
        '\u{00A0}' => "no-break space",
        '\u{00AD}' => "soft hyphen",
        '\u{034F}' => "combining grapheme joiner",
        '\u{061C}' => "Arabic letter mark",
        '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}' => "Hangul filler",
        '\u{1680}' => "Ogham space mark",
        '\u{180E}' => "Mongolian vowel separator",
        '\u{2000}'..='\u{200A}' => "Unicode space",
        '\u{200B}' => "zero-width space",
        '\u{200C}' => "zero-width non-joiner",
        '\u{200D}' => "zero-width joiner",
        '\u{200E}' | '\u{200F}' => "bidi mark",
        '\u{2028}' => "line separator",
        '\u{2029}' => "paragraph separator",
        '\u{202A}'..='\u{202E}' => "bidi embedding or override",
        '\u{202F}' => "narrow no-break space",
        '\u{205F}' => "medium mathematical space",
        '\u{2060}'..='\u{2064}' => "word joiner or invisible operator",
        '\u{2066}'..='\u{2069}' => "bidi isolate",
        '\u{3000}' => "ideographic space",
        '\u{FE00}'..='\u{FE0F}' => "variation selector",
        '\u{FEFF}' => "byte-order mark (zero-width no-break space)",
        '\u{FFF9}'..='\u{FFFB}' => "interlinear annotation character",
        '\u{E0000}'..='\u{E007F}' => "tag character",
        c if c.is_control() => "control character",
        _ => return None,
    };
    Some(name)
}

/// `value` as text output shows it: unchanged when every character is visible and it has no
/// surrounding spaces, otherwise quoted, with `\n`, `\t`, `\r`, `\"`, `\\` and `\u{…}` for
/// every other invisible character, so that two values that print alike are alike.
pub fn visible(value: &str) -> String {
    let plain = !value.is_empty()
        && !value.starts_with(char::is_whitespace)
        && !value.ends_with(char::is_whitespace)
        && value.chars().all(|c| invisible_name(c).is_none());
    if plain {
        return value.to_string();
    }
    quoted(value)
}

/// `value` in double quotes with invisible characters escaped (see [`visible`]).
pub fn quoted(value: &str) -> String {
    if value
        .bytes()
        .all(|b| (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\')
    {
        // Printable ASCII without quotes or backslashes needs no escape.
        return format!("\"{value}\"");
    }
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if invisible_name(c).is_some() => out.push_str(&format!("\\u{{{:04X}}}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Whitespace before or after the value: XML whitespace, or any other Unicode space.
pub fn surrounding_whitespace(value: &str) -> bool {
    value.starts_with(char::is_whitespace) || value.ends_with(char::is_whitespace)
}

/// The invisible characters inside the value (ignoring XML whitespace at either end, which
/// [`surrounding_whitespace`] reports), each with its code point, in order and without repeats.
pub fn invisible_characters(value: &str) -> Vec<String> {
    if value.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        // Printable ASCII holds no invisible character.
        return Vec::new();
    }
    let inner = value.trim_matches(is_xml_space);
    let mut seen = BTreeSet::new();
    let mut found = Vec::new();
    for c in inner.chars() {
        if let Some(name) = invisible_name(c) {
            if seen.insert(c) {
                found.push(format!("U+{:04X} {name}", c as u32));
            }
        }
    }
    found
}

/// The value's NFKC form when it differs from the value (full-width letters, ligatures,
/// compatibility spaces): another system that normalises sees another string.
pub fn nfkc_if_different(value: &str) -> Option<String> {
    if value.is_ascii() {
        // Every ASCII character is its own NFKC form; most values are ASCII, and normalising
        // them is most of the cost of these checks.
        return None;
    }
    let normalised: String = value.nfkc().collect();
    (normalised != value).then_some(normalised)
}

/// The first word (split at whitespace) whose letters come from more than one script, with the
/// scripts' names: `аlice@contoso.example` with a Cyrillic `а` among Latin letters looks like
/// `alice@contoso.example` and is not. Words wholly in one script (a Cyrillic name next to a
/// Latin one) are fine, unless every letter is a look-alike of a Latin one (see
/// [`latin_look_alike`]).
pub fn mixed_script_word(value: &str) -> Option<(String, Vec<&'static str>)> {
    if value.is_ascii() {
        // ASCII letters are all Latin.
        return None;
    }
    for word in value.split(char::is_whitespace) {
        let scripts: BTreeSet<&'static str> = word
            .chars()
            .filter(|c| c.is_alphabetic())
            .map(|c| c.script())
            .filter(|s| !matches!(s, Script::Common | Script::Inherited | Script::Unknown))
            .map(|s| s.full_name())
            .collect();
        if scripts.len() > 1 {
            return Some((word.to_string(), scripts.into_iter().collect()));
        }
    }
    None
}

/// The Latin text a word spells when it is written wholly in Cyrillic or Greek letters that
/// look like Latin ones (`раураӏ` in Cyrillic reads as `paypal`): a confusable of a Latin
/// identifier although it mixes no scripts.
pub fn latin_look_alike(value: &str) -> Option<(String, String)> {
    if value.is_ascii() {
        // No Cyrillic or Greek letter in it.
        return None;
    }
    for word in value.split(char::is_whitespace) {
        let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
        if letters.is_empty()
            || !letters
                .iter()
                .all(|c| matches!(c.script(), Script::Cyrillic | Script::Greek))
        {
            continue;
        }
        let skeleton: Option<String> = word
            .chars()
            .map(|c| {
                if c.is_alphabetic() {
                    look_alike(c)
                } else {
                    Some(c)
                }
            })
            .collect();
        if let Some(skeleton) = skeleton {
            return Some((word.to_string(), skeleton));
        }
    }
    None
}

/// The Latin letter a Cyrillic or Greek letter is drawn like, where the two are confused.
fn look_alike(c: char) -> Option<char> {
    let latin = match c {
        'а' | 'α' => 'a',
        'е' => 'e',
        'о' | 'ο' => 'o',
        'р' | 'ρ' => 'p',
        'с' => 'c',
        'у' => 'y',
        'х' => 'x',
        'і' | 'ι' => 'i',
        'ј' => 'j',
        'ѕ' => 's',
        'һ' => 'h',
        'ԁ' => 'd',
        'ԛ' => 'q',
        'ԝ' => 'w',
        'ӏ' => 'l',
        'ν' => 'v',
        'А' | 'Α' => 'A',
        'В' | 'Β' => 'B',
        'Е' | 'Ε' => 'E',
        'К' | 'Κ' => 'K',
        'М' | 'Μ' => 'M',
        'Н' | 'Η' => 'H',
        'О' | 'Ο' => 'O',
        'Р' | 'Ρ' => 'P',
        'С' => 'C',
        'Т' | 'Τ' => 'T',
        'Х' | 'Χ' => 'X',
        'У' | 'Υ' => 'Y',
        'І' | 'Ι' => 'I',
        'Ј' => 'J',
        'Ѕ' => 'S',
        'Ζ' => 'Z',
        'Ν' => 'N',
        _ => return None,
    };
    Some(latin)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_values_print_as_they_are_and_odd_ones_quoted_with_escapes() {
        assert_eq!(visible("alice@contoso.example"), "alice@contoso.example");
        assert_eq!(
            visible("  admin@contoso.example\n\t"),
            "\"  admin@contoso.example\\n\\t\""
        );
        assert_eq!(visible("ad\u{200B}min"), "\"ad\\u{200B}min\"");
        assert_eq!(visible("\u{FEFF}admin"), "\"\\u{FEFF}admin\"");
        assert_eq!(visible(""), "\"\"");
    }

    #[test]
    fn character_facts() {
        assert!(surrounding_whitespace(" a"));
        assert!(surrounding_whitespace("a\u{3000}"));
        assert!(!surrounding_whitespace("a b"));
        assert_eq!(
            invisible_characters("ad\u{00A0}min\u{200B}\u{200B}"),
            ["U+00A0 no-break space", "U+200B zero-width space"]
        );
        assert!(invisible_characters(" alice \n").is_empty());
        assert_eq!(nfkc_if_different("\u{FF41}dmin").as_deref(), Some("admin"));
        assert_eq!(nfkc_if_different("admin"), None);
        let (word, scripts) = mixed_script_word("\u{0430}dmin@contoso.example").unwrap();
        assert_eq!(word, "\u{0430}dmin@contoso.example");
        assert_eq!(scripts, ["Cyrillic", "Latin"]);
        assert_eq!(mixed_script_word("Иван Petrov"), None);
        // A Cyrillic local part before a Latin domain mixes scripts in one word.
        assert!(mixed_script_word("асе@contoso.example").is_some());
        // Cyrillic р, а, у, р, а, palochka.
        let cyrillic = "\u{0440}\u{0430}\u{0443}\u{0440}\u{0430}\u{04CF}";
        assert_eq!(
            latin_look_alike(cyrillic),
            Some((cyrillic.to_string(), "paypal".to_string()))
        );
        assert_eq!(latin_look_alike("Иван"), None);
        assert_eq!(latin_look_alike("paypal"), None);
        assert_eq!(mixed_script_word("alice@contoso.example"), None);
    }
}
