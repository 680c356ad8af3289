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

/// How well `query` matches a text of `words`: `None` unless every query word is one of them
/// (the last may be the start of one, as it is typed); otherwise how many words matched.
pub fn score(query: &[String], words: &[String]) -> Option<usize> {
    let last = query.len().checked_sub(1)?;
    query
        .iter()
        .enumerate()
        .all(|(i, q)| words.iter().any(|w| w == q || (i == last && w.starts_with(q.as_str()))))
        .then_some(query.len())
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
        assert_eq!(score(&words("dang ky ket hon"), &text), Some(4));
        assert_eq!(score(&words("kết hôn"), &text), Some(2));
        assert_eq!(score(&words("ket h"), &text), Some(2), "the last word as it is typed");
        assert_eq!(score(&words("k hon"), &text), None, "only the last word may be a start");
        assert_eq!(score(&words("khai sinh"), &text), None);
        assert_eq!(score(&[], &text), None);
    }
}
