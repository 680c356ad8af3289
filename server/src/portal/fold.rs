//! Vietnamese text as a search compares it: lower case, without tone marks or other
//! diacritics, `đ` read as `d`, so that "dang ky ket hon" finds "Đăng ký kết hôn" and "dat"
//! finds "đất" — as citizens type on a phone without a Vietnamese keyboard.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// `text` folded: decomposed (NFD), combining marks dropped, `đ`/`Đ` as `d`, lower case.
pub fn fold(text: &str) -> String {
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| if matches!(c, 'đ' | 'Đ') { 'd' } else { c })
        .flat_map(char::to_lowercase)
        .collect()
}

/// The words of `text` folded, split at anything that is not a letter or a digit.
pub fn words(text: &str) -> Vec<String> {
    fold(text).split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_owned).collect()
}

/// Whether a text of `words` matches `query`: every query word is one of them (the last may be
/// the start of one, as it is typed). No query matches nothing.
pub fn matches(query: &[String], words: &[String]) -> bool {
    let Some(last) = query.len().checked_sub(1) else { return false };
    query.iter().enumerate().all(|(i, q)| words.iter().any(|w| w == q || (i == last && w.starts_with(q.as_str()))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tone_marks_and_d_bar_fold_away() {
        assert_eq!(fold("Đăng ký kết hôn"), "dang ky ket hon");
        assert_eq!(fold("ĐẤT ĐAI"), "dat dai");
        assert_eq!(fold("Giấy chứng nhận quyền sử dụng đất"), "giay chung nhan quyen su dung dat");
        // Precomposed and decomposed input fold alike.
        assert_eq!(fold("ho\u{0302}\u{0300}"), fold("hồ"));
    }

    #[test]
    fn every_query_word_must_be_a_word_of_the_text() {
        let text = words("Đăng ký kết hôn");
        assert!(matches(&words("dang ky ket hon"), &text));
        assert!(matches(&words("kết hôn"), &text));
        assert!(matches(&words("ket h"), &text), "the last word as it is typed");
        assert!(!matches(&words("k hon"), &text), "only the last word may be a start");
        assert!(!matches(&words("khai sinh"), &text));
        assert!(!matches(&[], &text));
    }
}
