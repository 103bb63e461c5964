//! Word lists: the verbs that open an action, the head nouns of actors, and the
//! abbreviations of `reference/vectors/abbreviations.tsv`.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

/// Verbs (and adverbs) that open an action clause, lower case, syllables separated by
/// single spaces. Longer entries first is not needed: matching checks every entry.
pub(crate) const VERBS: &[&str] = &[
    "thực hiện",
    "triển khai",
    "xây dựng",
    "chuẩn bị",
    "thành lập",
    "hướng dẫn",
    "theo dõi",
    "đôn đốc",
    "giám sát",
    "kiểm tra",
    "rà soát",
    "tăng cường",
    "tập trung",
    "chỉ đạo",
    "lãnh đạo",
    "tổng hợp",
    "báo cáo",
    "trình",
    "tham mưu",
    "phối hợp",
    "chủ trì",
    "nghiên cứu",
    "quy định",
    "ban hành",
    "quyết định",
    "tuyên truyền",
    "phổ biến",
    "bố trí",
    "đảm bảo",
    "bảo đảm",
    "tiếp tục",
    "khẩn trương",
    "chủ động",
    "thường xuyên",
    "kịp thời",
    "nâng cao",
    "đẩy mạnh",
    "cụ thể hóa",
    "cụ thể hoá",
    "quản lý",
    "lập",
    "nộp",
    "gửi",
    "xem xét",
    "giải quyết",
    "xử lý",
    "thi hành",
    "hoàn thành",
    "hoàn thiện",
    "hoàn chỉnh",
    "tạo điều kiện",
    "nắm",
    "đề xuất",
    "cung cấp",
    "công bố",
    "tính toán",
    "vận động",
    "ký",
    "giữ gìn",
    "bảo quản",
    "báo",
    "thanh toán",
    "sử dụng",
    "làm",
    "tiến hành",
    "tổ chức",
    "quán triệt",
    "sớm",
    "quan tâm",
    "nghiêm túc",
    "nghiêm chỉnh",
    "chấp hành",
    "tuân thủ",
    "duy trì",
    "phát huy",
    "phát hiện",
    "chấn chỉnh",
    "đánh giá",
    "sơ kết",
    "tổng kết",
    "cập nhật",
    "thẩm định",
    "phê duyệt",
    "cấp",
    "kiểm soát",
    "bồi thường",
    "hoàn trả",
    "trả",
    "thu",
    "chi",
    "mở",
    "đăng ký",
    "thông báo",
    "thống kê",
    "tiếp nhận",
    "bàn giao",
    "thanh lý",
    "quyết toán",
    "kiểm kê",
    "soạn thảo",
    "dự thảo",
    "chọn",
    "lựa chọn",
    "phân công",
    "sắp xếp",
    "bồi dưỡng",
    "đào tạo",
    "tuyển dụng",
    "điều động",
    "chịu trách nhiệm",
    "có trách nhiệm",
    "có nhiệm vụ",
    "có ý kiến",
    "tham gia",
    "ưu tiên",
    "huy động",
    "phân bổ",
    "đầu tư",
    "rèn luyện",
    "học tập",
    "gương mẫu",
    "liên hệ",
    "giữ",
    "bảo vệ",
    "đóng",
    "dừng",
    "tạm dừng",
    "khắc phục",
    "cho thôi việc",
    "dành",
    "mua",
    "bán",
    "in",
    "giao",
    "định hướng",
    "tăng",
    "giảm",
    "phấn đấu",
    "khuyến khích",
    "hỗ trợ",
    "phòng",
    "chống",
    "ngăn chặn",
    "trực",
    "công khai",
    "niêm yết",
    "ghi",
    "lưu",
    "ứng dụng",
    "kết hợp",
    "duyệt",
    "sắp",
    "chuyển",
    "cử",
    "tiếp",
    "đối chiếu",
    "xác nhận",
    "xác định",
    "khai thác",
    "áp dụng",
    "củng cố",
    "kiện toàn",
    "tranh thủ",
    "đầu mối",
    "làm việc",
    "họp",
    "giúp",
    "viết",
    "nhận",
    "thông tin",
    "tích cực",
    "chủ động",
    "khẩn",
    "thúc đẩy",
    "rút kinh nghiệm",
    "mời",
    "nhân rộng",
    "phát triển",
    "nhanh chóng",
    "ra quyết định",
    "hủy bỏ",
    "huỷ bỏ",
    "khen thưởng",
    "làm đơn",
    "tháo gỡ",
    "tự",
    "có kế hoạch",
    "có giấy",
    "có văn bản",
    "cần",
    "lồng ghép",
    "vận hành",
    "đóng cửa",
    "giải đáp",
    "dứt khoát",
    "sửa đổi",
    "bổ sung",
    "đề nghị",
    "thanh tra",
    "trung thành",
    "thực hịên",
];

/// Head words of actors (bodies, offices, classes of persons), lower case.
const HEADS: &[&str] = &[
    "sở",
    "bộ",
    "ban",
    "ủy",
    "uỷ",
    "ubnd",
    "hđnd",
    "ub",
    "cục",
    "văn phòng",
    "công an",
    "chủ tịch",
    "giám đốc",
    "thủ trưởng",
    "trưởng",
    "cán bộ",
    "công chức",
    "viên chức",
    "cơ quan",
    "đơn vị",
    "địa phương",
    "ngành",
    "doanh nghiệp",
    "công ty",
    "người",
    "hội đồng",
    "mặt trận",
    "đoàn",
    "hội",
    "trường",
    "viện",
    "kho bạc",
    "ngân hàng",
    "chính phủ",
    "thủ tướng",
    "kế toán",
    "chủ nhiệm",
    "chủ đầu tư",
    "thành viên",
    "đồng chí",
    "xã",
    "phường",
    "quận",
    "huyện",
    "tỉnh",
    "thành phố",
    "tổ",
    "phòng",
    "lãnh đạo",
    "chánh",
    "vụ",
    "đài",
    "báo",
    "nhân viên",
    "cc",
    "bql",
    "mttq",
    "tổng cục",
    "bch",
    "bộ chỉ huy",
    "lái xe",
    "chủ sở hữu",
    "tổ chức",
    "đảng",
    "cấp ủy",
    "cấp uỷ",
    "ngành",
    "cấp",
    "hđnd",
    "bcđ",
    "tòa án",
    "viện kiểm sát",
    "thanh tra",
    "kiểm toán",
    "chi nhánh",
    "trung tâm",
    "học viện",
    "tập thể",
    "cá nhân",
    "hộ",
    "nhân dân",
    "chủ hộ",
    "chủ rừng",
    "công dân",
    "đại biểu",
    "bí thư",
    "thường trực",
    "kbnn",
    "ngân sách",
];

/// Words that cannot open an actor.
const NOT_ACTOR_START: &[&str] = &[
    "việc",
    "công tác",
    "nội dung",
    "kết quả",
    "tình hình",
    "trường hợp",
    "đối tượng",
    "hồ sơ",
    "thời gian",
    "thời hạn",
    "tiêu chuẩn",
    "mục tiêu",
    "nhiệm vụ",
    "quyền",
    "kinh phí",
    "số",
    "tỷ lệ",
    "các văn bản",
    "văn bản",
    "quy trình",
    "thủ tục",
    "chương trình",
    "kế hoạch",
    "quyết định",
    "nghị định",
    "thông tư",
    "chỉ thị",
    "điều",
    "khoản",
    "mức",
    "tiền",
    "phiếu",
    "hình thức",
    "chế độ",
    "theo",
    "trong",
    "nếu",
    "khi",
    "sau",
    "tại",
    "để",
    "nhằm",
    "với",
    "về",
    "qua",
    "ngoài",
    "căn cứ",
    "xét",
    "trên",
    "tổng số",
    "tổng mức",
    "giá",
    "thuế",
    "thu nhập",
    "doanh thu",
    "chi phí",
    "lệ phí",
    "phí",
    "năm",
    "tháng",
    "ngày",
    "những",
    "bộ phận tiếp nhận",
    "quy chế",
    "tạo",
    "chức năng",
    "tài sản",
    "sửa chữa",
    "vi phạm",
    "cách",
    "tuyệt đối",
    "đây",
    "điểm",
    "cơ sở",
    "nguồn",
    "trụ sở",
    "xe",
    "hội nghị",
    "cuộc",
    "phiếu",
    "rõ",
    "văn phòng phẩm",
    "mô hình",
    "cơ chế",
    "bước đầu",
    "một bộ phận",
    "đặc biệt",
];

/// Simple lower-case mappings of U+0000..U+2000 (Latin, Greek, Cyrillic, Vietnamese),
/// `u32::MAX` where a character maps to several or its mapping depends on context (Σ).
static LOWER: LazyLock<Vec<u32>> = LazyLock::new(|| {
    (0..0x2000u32)
        .map(|u| {
            let Some(c) = char::from_u32(u) else {
                return u;
            };
            let mut l = c.to_lowercase();
            match (l.next(), l.next()) {
                _ if c == 'Σ' => u32::MAX,
                (Some(x), None) => u32::from(x),
                _ => u32::MAX,
            }
        })
        .collect()
});

/// The single-character lower case of `c`, if it has one that needs no context.
fn lower_char(c: char) -> Option<char> {
    if c.is_ascii() {
        return Some(c.to_ascii_lowercase());
    }
    match LOWER.get(c as usize) {
        Some(&u) if u != u32::MAX => char::from_u32(u),
        Some(_) => None,
        None => {
            let mut l = c.to_lowercase();
            match (l.next(), l.next()) {
                (Some(x), None) => Some(x),
                _ => None,
            }
        }
    }
}

/// Appends `s.to_lowercase()` to `out`, with a table for the common characters.
pub(crate) fn lower_into(s: &str, out: &mut String) {
    let mark = out.len();
    for c in s.chars() {
        match lower_char(c) {
            Some(x) => out.push(x),
            None if c == 'Σ' => {
                out.truncate(mark);
                out.push_str(&s.to_lowercase());
                return;
            }
            None => out.extend(c.to_lowercase()),
        }
    }
}

/// `s.to_lowercase()`, borrowed when `s` is in lower case already.
pub(crate) fn lower_cow(s: &str) -> Cow<'_, str> {
    let unchanged = if s.is_ascii() {
        !s.bytes().any(|b| b.is_ascii_uppercase())
    } else {
        let table = &*LOWER;
        s.chars().all(|c| match table.get(c as usize) {
            Some(&u) => u == u32::from(c),
            None => lower_char(c) == Some(c),
        })
    };
    if unchanged {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(lower(s))
    }
}

/// `s.to_lowercase()`, faster.
pub(crate) fn lower(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    lower_into(s, &mut out);
    out
}

/// The lower case of `c` with the same byte length, so that offsets found in a text
/// lowered this way index the original: `c` itself when its lower case has another
/// byte length or is more than one character ("İ" and the like stay as they are).
pub(crate) fn lower_char_same_len(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    match LOWER.get(c as usize).and_then(|&u| char::from_u32(u)) {
        Some(x) if x.len_utf8() == c.len_utf8() => x,
        Some(_) => c,
        None => {
            let mut l = c.to_lowercase();
            match (l.next(), l.next()) {
                (Some(x), None) if x.len_utf8() == c.len_utf8() => x,
                _ => c,
            }
        }
    }
}

/// Whether [`lower`] and [`lower_char_same_len`] agree on `c` (so that they agree on any
/// text of such characters, and a word's lower case can be sliced out of the text's).
pub(crate) fn lowers_alike(c: char, same_len: char) -> bool {
    c.is_ascii() || lower_char(c) == Some(same_len)
}

/// [`lower_char_same_len`] of U+0000..U+2000, with bit 31 set where [`lowers_alike`]
/// does not hold.
static SAME_LEN_LOWER: LazyLock<Vec<u32>> = LazyLock::new(|| {
    (0..0x2000u32)
        .map(|u| {
            char::from_u32(u).map_or(u, |c| {
                let l = lower_char_same_len(c);
                u32::from(l) | u32::from(!lowers_alike(c, l)) << 31
            })
        })
        .collect()
});

/// [`lower_char_same_len`] of `c` and [`lowers_alike`] of the two, with a table for
/// the common characters.
pub(crate) fn lower_char_same_len_alike(c: char) -> (char, bool) {
    if let Some(&k) = SAME_LEN_LOWER.get(c as usize)
        && let Some(l) = char::from_u32(k & !(1 << 31))
    {
        return (l, k >> 31 == 0);
    }
    let l = lower_char_same_len(c);
    (l, lowers_alike(c, l))
}

const ALNUM: u8 = 1;
const ALPHA: u8 = 2;
const LOWERCASE: u8 = 4;

fn class_of(c: char) -> u8 {
    u8::from(c.is_alphanumeric())
        | u8::from(c.is_alphabetic()) << 1
        | u8::from(c.is_lowercase()) << 2
}

/// [`class_of`] of U+0000..U+2000.
static CLASS: LazyLock<Vec<u8>> = LazyLock::new(|| {
    (0..0x2000u32)
        .map(|u| char::from_u32(u).map_or(0, class_of))
        .collect()
});

/// Whether `c` is alphanumeric (bit [`ALNUM`]), alphabetic ([`ALPHA`]), lower case
/// ([`LOWERCASE`]).
fn class(c: char) -> u8 {
    match CLASS.get(c as usize) {
        Some(&k) => k,
        None => class_of(c),
    }
}

/// Whether `c` belongs to a word's core: a letter, a digit, `&` or `-`.
#[inline]
fn in_core(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || c == '&' || c == '-'
    } else {
        class(c) & ALNUM != 0
    }
}

/// The core of a word: punctuation around it trimmed.
// (inlined: it runs for most words of every clause, and the call cost about as much as
// the look at both ends that usually settles it)
#[inline]
pub(crate) fn word_core(w: &str) -> &str {
    // most words need no trimming: look at both ends first, decoding a character only
    // when its byte is not ASCII
    let bytes = w.as_bytes();
    let (Some(&a), Some(&z)) = (bytes.first(), bytes.last()) else {
        return w;
    };
    let first_kept = if a.is_ascii() {
        in_core(char::from(a))
    } else {
        w.chars().next().is_some_and(in_core)
    };
    let last_kept = first_kept
        && if z.is_ascii() {
            in_core(char::from(z))
        } else {
            w.chars().next_back().is_some_and(in_core)
        };
    if last_kept {
        return w;
    }
    w.trim_matches(|c: char| !in_core(c))
}

fn phrase_at<S: AsRef<str>>(words: &[S], i: usize, phrase: &str) -> bool {
    let mut n = 0;
    for (k, p) in phrase.split(' ').enumerate() {
        if words.get(i + k).map(AsRef::as_ref) != Some(p) {
            return false;
        }
        n += 1;
    }
    n > 0
}

/// A fast hash for short words, FxHash-style: eight bytes at a time, each folded in
/// with a rotate, an xor and a multiply. The keys are the fixed word lists; a lookup
/// compares the words themselves, so the hash only decides how fast, never what is
/// found.
#[derive(Default)]
struct WordHasher(u64);

/// The multiplier of FxHash (odd, with its bits spread).
const WORD_HASH_K: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl WordHasher {
    #[inline]
    fn add(&mut self, x: u64) {
        self.0 = (self.0.rotate_left(5) ^ x).wrapping_mul(WORD_HASH_K);
    }
}

impl std::hash::Hasher for WordHasher {
    fn finish(&self) -> u64 {
        // (the table takes its bucket from the low bits, which a multiply mixes least)
        self.0 ^ (self.0 >> 29)
    }

    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().expect("eight bytes")));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let x = rest.iter().rev().fold(0u64, |x, &b| x << 8 | u64::from(b));
            self.add(x);
        }
    }

    #[inline]
    fn write_u8(&mut self, b: u8) {
        self.add(u64::from(b));
    }
}

type WordHash = std::hash::BuildHasherDefault<WordHasher>;

/// A word list indexed by first word, so "which entries start at word i" is one lookup
/// instead of a scan of the whole list (the lists are consulted at every word).
struct PhraseIndex {
    /// First word → (phrase, its words).
    by_first: HashMap<&'static str, Vec<(&'static str, Vec<&'static str>)>, WordHash>,
}

impl PhraseIndex {
    fn new(phrases: &[&'static str]) -> PhraseIndex {
        let mut by_first: HashMap<&'static str, Vec<(&'static str, Vec<&'static str>)>, WordHash> =
            HashMap::default();
        for &phrase in phrases {
            let words: Vec<&'static str> = phrase.split(' ').collect();
            if let Some(&first) = words.first() {
                by_first.entry(first).or_default().push((phrase, words));
            }
        }
        PhraseIndex { by_first }
    }

    /// The entries that start at word `i` of `words`.
    fn at<'a, S: AsRef<str>>(
        &'a self,
        words: &'a [S],
        i: usize,
    ) -> impl Iterator<Item = &'static str> + 'a {
        self.entries_at(words, i).map(|(phrase, _)| phrase)
    }

    /// The entries that start at word `i` of `words`, with their length in words.
    fn entries_at<'a, S: AsRef<str>>(
        &'a self,
        words: &'a [S],
        i: usize,
    ) -> impl Iterator<Item = (&'static str, usize)> + 'a {
        words
            .get(i)
            .and_then(|w| self.by_first.get(w.as_ref()))
            .into_iter()
            .flatten()
            .filter(move |(_, parts)| {
                parts
                    .iter()
                    .enumerate()
                    .all(|(k, p)| words.get(i + k).is_some_and(|w| w.as_ref() == *p))
            })
            .map(|(phrase, parts)| (*phrase, parts.len()))
    }
}

static VERB_INDEX: LazyLock<PhraseIndex> = LazyLock::new(|| PhraseIndex::new(VERBS));
static HEAD_INDEX: LazyLock<PhraseIndex> = LazyLock::new(|| PhraseIndex::new(HEADS));
static NOT_ACTOR_INDEX: LazyLock<PhraseIndex> = LazyLock::new(|| PhraseIndex::new(NOT_ACTOR_START));

/// Length in words of the verb entry that starts at word `i` of `words`, if any.
pub(crate) fn verb_at<S: AsRef<str>>(words: &[S], i: usize) -> Option<usize> {
    VERB_INDEX.entries_at(words, i).map(|(_, n)| n).max()
}

/// Whether `s` can be an actor: a short noun phrase with a head word, not a verb phrase.
pub(crate) fn is_actor(s: &str) -> bool {
    is_actor_lowered(s, None)
}

/// [`is_actor`], with `lower`, when given, `s` in lower case with the same byte offsets
/// and the same result as [`lower`] on any piece: the words' lower case is sliced out of
/// it instead of being made word by word.
pub(crate) fn is_actor_lowered(s: &str, lower: Option<&str>) -> bool {
    // "(nếu có)", "(Thường trực Ban …)": asides do not decide
    let plain;
    let whole = s;
    // (both are ASCII: a look at the bytes, once)
    let parens = s.bytes().any(|b| b == b'(' || b == b')');
    let lower = lower.filter(|_| !parens);
    let s = if parens {
        let mut p = String::with_capacity(s.len());
        let mut depth = 0;
        for c in s.chars() {
            match c {
                '(' => depth += 1,
                ')' => depth -= 1,
                _ if depth <= 0 => p.push(c),
                _ => {}
            }
        }
        plain = p;
        plain.as_str()
    } else {
        s
    };
    // (every test but the last says no, so the cheap ones go first)
    let first = s.split_whitespace().next().unwrap_or("");
    if first.contains('/')
        || first.starts_with(|c: char| c.is_ascii_digit()) && !first.contains('%')
    {
        return false;
    }
    if s.trim_start().starts_with(['“', '"', '(', '\'']) {
        return false;
    }
    if capitals_only(s, 12) {
        return false; // a heading in capitals
    }
    // more than 45 words cannot be one
    let mut words: Vec<Cow<'_, str>> = Vec::with_capacity(16);
    for w in s.split_whitespace() {
        let core = word_core(w);
        if core.is_empty() {
            continue;
        }
        if words.len() == 45 {
            return false;
        }
        words.push(match lower {
            Some(l) => {
                let at = core.as_ptr() as usize - whole.as_ptr() as usize;
                Cow::Borrowed(&l[at..at + core.len()])
            }
            None => lower_cow(core),
        });
    }
    if words.is_empty() {
        return false;
    }
    let det = usize::from(matches!(&*words[0], "các" | "những" | "mọi" | "tất"));
    let det = if words[0] == "tất" { 2 } else { det };
    if NOT_ACTOR_INDEX.at(&words, det).next().is_some() {
        return false;
    }
    if verb_at(&words, 0).is_some()
        && !["tổ chức", "lãnh đạo", "thường trực"]
            .iter()
            .any(|p| phrase_at(&words, 0, p))
    {
        return false;
    }
    let passive = |i: usize| {
        words[i] == "được"
            && !(i > 0 && matches!(&*words[i - 1], "người" | "chức" | "quan" | "vị" | "nhân"))
    };
    let bi = |i: usize| {
        words[i] == "bị"
            && !(i > 0
                && matches!(
                    &*words[i - 1],
                    "dự" | "thiết" | "chuẩn" | "trang" | "phương"
                ))
    };
    if (0..words.len()).any(|i| {
        passive(i)
            || bi(i)
            || matches!(
                &*words[i],
                "đã" | "đang"
                    | "sẽ"
                    | "là"
                    | "nếu"
                    | "khi"
                    | "còn"
                    | "luôn"
                    | "chưa"
                    | "nhằm"
                    | "như"
                    | "thì"
                    | "gồm"
            )
    }) {
        return false;
    }
    (0..words.len()).any(|i| {
        HEAD_INDEX.at(&words, i).any(|h| {
            // short heads that are also common syllables count when written as a name
            // (the i-th piece of the text, empty words included, as it was always read)
            if !h.contains(' ') && WEAK_HEADS.contains(&h) {
                let capital = s
                    .split_whitespace()
                    .nth(i)
                    .is_some_and(|w| w.chars().next().is_some_and(char::is_uppercase));
                let after_det = i > 0 && matches!(&*words[i - 1], "các" | "mỗi" | "từng" | "những");
                return capital || after_det || i == 0;
            }
            true
        })
    })
}

/// More than `min` letters and none of them lower case.
pub(crate) fn capitals_only(s: &str, min: usize) -> bool {
    let mut letters = 0;
    for c in s.chars() {
        let k = class(c);
        if k & ALPHA != 0 {
            if k & LOWERCASE != 0 {
                return false;
            }
            letters += 1;
        }
    }
    letters > min
}

const WEAK_HEADS: &[&str] = &[
    "bộ",
    "ban",
    "sở",
    "vụ",
    "cục",
    "hội",
    "đoàn",
    "tổ",
    "phòng",
    "trường",
    "viện",
    "đài",
    "báo",
    "cấp",
    "hộ",
    "trưởng",
    "người",
    "tỉnh",
    "huyện",
    "xã",
    "phường",
    "quận",
    "ngành",
    "đảng",
    "chánh",
];

/// Abbreviation → expansion, from the reference table (first sense only).
static ABBREVIATIONS: LazyLock<HashMap<&'static str, String>> = LazyLock::new(|| {
    let tsv = include_str!("../../../fixtures/vectors/abbreviations.tsv");
    let mut map = HashMap::new();
    for line in tsv.lines().skip(1) {
        let mut cols = line.split('\t');
        let (Some(abbr), Some(exp), Some(ctx)) = (cols.next(), cols.next(), cols.next()) else {
            continue;
        };
        if abbr.ends_with('.')
            || abbr.contains('/')
            || ctx.starts_with("type code")
            || ctx.starts_with("prose") && !ctx.contains("state")
        {
            continue;
        }
        if !(ctx.starts_with("state") || ctx.starts_with("Party") || ctx.starts_with("mass")) {
            continue;
        }
        let exp = exp.split(", or").next().unwrap_or(exp);
        let exp = exp.split(" or ").next().unwrap_or(exp);
        let exp = exp.split(';').next().unwrap_or(exp);
        let exp = match exp.find(" (") {
            Some(k) => &exp[..k],
            None => exp,
        };
        map.entry(abbr).or_insert_with(|| exp.trim().to_string());
    }
    map
});

/// The actor with its abbreviations (UBND, HĐND, MTTQ, TU …) written out, or `None` when
/// it has none.
pub(crate) fn expand(actor: &str) -> Option<String> {
    // (built at the first abbreviation: most actors have none)
    let mut out: Option<String> = None;
    let mut last = 0;
    for (i, w) in word_spans(actor) {
        // The core opens with the word's first alphanumeric character, which has to be
        // a capital or a digit like the rest: most words are dismissed by it, before
        // the core is cut.
        if !w
            .chars()
            .find(|c| c.is_alphanumeric())
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
        {
            continue;
        }
        let core = w.trim_matches(|c: char| !c.is_alphanumeric());
        // where the core starts in `w` (a non-empty core: only what is trimmed is before it)
        let core_at = i + (core.as_ptr() as usize - w.as_ptr() as usize);
        if core.chars().count() >= 2
            && core.chars().all(|c| c.is_uppercase() || c.is_ascii_digit())
            && let Some(exp) = ABBREVIATIONS.get(core)
        {
            let out = out.get_or_insert_with(|| String::with_capacity(actor.len() + 16));
            out.push_str(&actor[last..core_at]);
            out.push_str(exp);
            last = core_at + core.len();
        }
    }
    let mut out = out?;
    out.push_str(&actor[last..]);
    Some(out)
}

fn word_spans(s: &str) -> impl Iterator<Item = (usize, &str)> {
    s.split_whitespace()
        .map(move |w| (w.as_ptr() as usize - s.as_ptr() as usize, w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_len_lower_table_agrees() {
        for c in (0..0x3000u32).filter_map(char::from_u32) {
            let l = lower_char_same_len(c);
            assert_eq!(
                lower_char_same_len_alike(c),
                (l, lowers_alike(c, l)),
                "{c:?}"
            );
        }
    }

    #[test]
    fn expands_abbreviations() {
        assert_eq!(
            expand("UBND các huyện").as_deref(),
            Some("Ủy ban nhân dân các huyện")
        );
        assert_eq!(
            expand("HĐND, Ủy ban MTTQ thành phố").as_deref(),
            Some("Hội đồng nhân dân, Ủy ban Mặt trận Tổ quốc thành phố")
        );
        assert_eq!(expand("Sở Tài chính"), None);
    }

    #[test]
    fn actors() {
        assert!(is_actor("Sở Nông nghiệp & Phát triển nông thôn"));
        assert!(is_actor(
            "các đồng chí thành viên Ban Chỉ đạo bầu cử thành phố"
        ));
        assert!(!is_actor("Việc tuyển dụng công chức cấp xã"));
        assert!(!is_actor("thực hiện kế hoạch"));
    }
}
