//! Language detection, answered as ISO 639-1 codes.

/// The ISO 639-1 code of the language `text` is written in, when it can be told with confidence.
///
/// Short inputs (a headline) are often ambiguous: the answer is `None` when whatlang does not
/// judge its guess reliable. Pass title and text together for the best result.
pub fn detect_language(text: &str) -> Option<&'static str> {
    let info = whatlang::detect(text)?;
    if !info.is_reliable() {
        return None;
    }
    iso639_1(info.lang())
}

/// Like [`detect_language`] but returns whatlang's best guess even when unreliable.
pub fn guess_language(text: &str) -> Option<&'static str> {
    iso639_1(whatlang::detect_lang(text)?)
}

/// Maps whatlang's ISO 639-3 languages to ISO 639-1 (from the ISO 639-2 registration authority's
/// code table). Languages without a two-letter code give `None`.
fn iso639_1(lang: whatlang::Lang) -> Option<&'static str> {
    use whatlang::Lang::*;
    Some(match lang {
        Epo => "eo",
        Eng => "en",
        Rus => "ru",
        Cmn => "zh",
        Spa => "es",
        Por => "pt",
        Ita => "it",
        Ben => "bn",
        Fra => "fr",
        Deu => "de",
        Ukr => "uk",
        Kat => "ka",
        Ara => "ar",
        Hin => "hi",
        Jpn => "ja",
        Heb => "he",
        Yid => "yi",
        Pol => "pl",
        Amh => "am",
        Jav => "jv",
        Kor => "ko",
        Nob => "nb",
        Dan => "da",
        Swe => "sv",
        Fin => "fi",
        Tur => "tr",
        Nld => "nl",
        Hun => "hu",
        Ces => "cs",
        Ell => "el",
        Bul => "bg",
        Bel => "be",
        Mar => "mr",
        Kan => "kn",
        Ron => "ro",
        Slv => "sl",
        Hrv => "hr",
        Srp => "sr",
        Mkd => "mk",
        Lit => "lt",
        Lav => "lv",
        Est => "et",
        Tam => "ta",
        Vie => "vi",
        Urd => "ur",
        Tha => "th",
        Guj => "gu",
        Uzb => "uz",
        Pan => "pa",
        Aze => "az",
        Ind => "id",
        Tel => "te",
        Pes => "fa",
        Mal => "ml",
        Ori => "or",
        Mya => "my",
        Nep => "ne",
        Sin => "si",
        Khm => "km",
        Tuk => "tk",
        Aka => "ak",
        Zul => "zu",
        Sna => "sn",
        Afr => "af",
        Lat => "la",
        Slk => "sk",
        Cat => "ca",
        Tgl => "tl",
        Hye => "hy",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_major_languages() {
        assert_eq!(
            detect_language("The central bank raised interest rates again on Thursday, surprising economists who had expected a pause."),
            Some("en")
        );
        assert_eq!(
            detect_language(
                "Die Bundesregierung hat am Donnerstag neue Maßnahmen gegen die steigenden Energiepreise beschlossen."
            ),
            Some("de")
        );
        assert_eq!(
            detect_language("Le gouvernement a annoncé jeudi de nouvelles mesures pour soutenir les ménages face à la hausse des prix."),
            Some("fr")
        );
    }

    #[test]
    fn empty_text_has_no_language() {
        assert_eq!(detect_language(""), None);
        assert_eq!(guess_language("   "), None);
    }
}
