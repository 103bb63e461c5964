//! Judging and repairing a page's text layer: how Vietnamese it is (the decoder's syllable
//! test), Cyrillic and Greek look-alikes inside Latin words, and the letters Word 2010's
//! ToUnicode bug leaves behind when the font cannot be checked.

/// How Vietnamese a text is: alphabetic words, words with a Vietnamese mark, and of those
/// the ones shaped like a Vietnamese syllable.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Score {
    /// Words of letters.
    pub(crate) words: usize,
    /// Words with a letter outside ASCII.
    pub(crate) marked: usize,
    /// Marked words that are well-formed Vietnamese syllables.
    pub(crate) valid: usize,
}

impl Score {
    /// Vietnamese syllables with marks per word: about 0.5-0.8 for Vietnamese, near 0 for
    /// text read by an engine that does not know the marks.
    pub(crate) fn rate(self) -> f32 {
        if self.words == 0 {
            0.0
        } else {
            self.valid as f32 / self.words as f32
        }
    }

    /// Whether the text reads as Vietnamese: enough marked syllables, and few marked words
    /// that no syllable can be (glyph ids read as letters: `7ӌ1+`).
    pub(crate) fn vietnamese(self) -> bool {
        if self.words < 8 {
            return self.marked == 0 || self.valid * 4 >= self.marked * 3;
        }
        self.valid * 10 >= self.words * 3 && self.valid * 4 >= self.marked * 3
    }
}

/// Scores a text.
pub(crate) fn score(text: &str) -> Score {
    let mut s = Score::default();
    for word in text.split(|c: char| !c.is_alphabetic()) {
        if word.is_empty() {
            continue;
        }
        s.words += 1;
        if !word.is_ascii() {
            s.marked += 1;
            if crate::decode::is_syllable(word) {
                s.valid += 1;
            }
        }
    }
    s
}

/// The Latin letter a Cyrillic or Greek letter is drawn like, if it has one.
fn latin_twin(c: char) -> Option<char> {
    Some(match c {
        'а' => 'a',
        'е' => 'e',
        'о' | 'ο' => 'o',
        'р' | 'ρ' => 'p',
        'с' => 'c',
        'у' => 'y',
        'х' | 'χ' => 'x',
        'і' | 'ι' => 'i',
        'ј' => 'j',
        'ѕ' => 's',
        'ԁ' => 'd',
        'һ' => 'h',
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
    })
}

fn is_latin(c: char) -> bool {
    c.is_ascii_alphabetic() || crate::decode::is_vietnamese_letter(c)
}

/// Replaces Cyrillic and Greek look-alikes inside words that also hold Latin letters;
/// returns how many were replaced.
pub(crate) fn homoglyphs(text: &mut String) -> usize {
    if text.is_ascii() {
        return 0;
    }
    let mut out = String::with_capacity(text.len());
    let mut count = 0;
    for (i, word) in split_keep(text) {
        let _ = i;
        let mixed = word.chars().any(is_latin) && word.chars().any(|c| latin_twin(c).is_some());
        if mixed {
            for c in word.chars() {
                match latin_twin(c) {
                    Some(l) => {
                        out.push(l);
                        count += 1;
                    }
                    None => out.push(c),
                }
            }
        } else {
            out.push_str(word);
        }
    }
    if count > 0 {
        *text = out;
    }
    count
}

/// The text cut into alternating runs of letters and of everything else.
fn split_keep(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut alpha: Option<bool> = None;
    for (i, c) in text.char_indices() {
        let a = c.is_alphabetic();
        if alpha.is_some_and(|x| x != a) {
            out.push((start, &text[start..i]));
            start = i;
        }
        alpha = Some(a);
    }
    if start < text.len() {
        out.push((start, &text[start..]));
    }
    out
}

/// `ƣ`/`Ƣ` (Latin letter gha: never Vietnamese) for `ư`/`Ư`, the letters Word 2010's
/// ToUnicode bug writes; used only where the font itself could not be checked. Returns how
/// many were replaced.
pub(crate) fn gha(text: &mut String) -> usize {
    let count = text.matches(['ƣ', 'Ƣ']).count();
    if count > 0 {
        *text = text.replace('ƣ', "ư").replace('Ƣ', "Ư");
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_or_not() {
        let good = score(
            "Ủy ban nhân dân tỉnh Lào Cai nhận được phản ánh của các doanh nghiệp về những khó khăn",
        );
        assert!(good.vietnamese(), "{good:?}");
        let unmarked = score(
            "BO CONG THIJoNG CUC HOA CHAT so quyet dinh xu phat vi pham hanh chinh doi voi cong ty",
        );
        assert!(!unmarked.vietnamese(), "{unmarked:?}");
        let glyph_ids = score(
            "UBND 7ӌ1+ LÀO CAI &Ӝ1* HOÀ XÃ +Ӝ, &+Ӫ 1*+Ƭ$ 9,ӊ7 1$0 ĈӝF OұS 7ӵ GR +ҥQK SK~F Vӕ",
        );
        assert!(!glyph_ids.vietnamese(), "{glyph_ids:?}");
    }

    #[test]
    fn homoglyphs_in_latin_words_only() {
        let mut t = String::from("Cộng hоà (Cyrillic о) and Москва");
        assert_eq!(homoglyphs(&mut t), 1);
        assert_eq!(t, "Cộng hoà (Cyrillic о) and Москва");
    }

    #[test]
    fn gha_is_u_horn() {
        let mut t = String::from("Bộ Công Thƣơng, TRƢỜNG");
        assert_eq!(gha(&mut t), 2);
        assert_eq!(t, "Bộ Công Thương, TRƯỜNG");
    }
}
