//! Unit tests for decoding: the vector tables, the samples of text.md, detection,
//! diagnostics and a never-panic property.

use super::*;
use proptest::prelude::*;

const TCVN3_TSV: &str = include_str!("../../fixtures/vectors/tcvn3.tsv");
const VNI_TSV: &str = include_str!("../../fixtures/vectors/vni.tsv");

fn hex(s: &str) -> Vec<u8> {
    s.split_whitespace()
        .map(|h| u8::from_str_radix(h, 16).unwrap())
        .collect()
}

fn rows(tsv: &str) -> impl Iterator<Item = Vec<&str>> {
    tsv.lines()
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(|l| l.split('\t').collect())
}

/// Decodes without the TCVN3 heading-case repair.
fn raw(bytes: &[u8], enc: Encoding) -> String {
    let mut s = String::new();
    let mut d = Diags::new();
    decode_into(bytes, enc, &mut s, &mut d);
    assert!(d.finish().is_empty(), "diagnostics for {bytes:02X?}");
    s
}

fn lower(s: &str) -> String {
    s.to_lowercase()
}

#[test]
fn tcvn3_vectors_round_trip() {
    let mut n = 0;
    for row in rows(TCVN3_TSV) {
        let (letter, abc, vn1) = (row[0], hex(row[2]), hex(row[4]));
        assert_eq!(
            encode(letter, Encoding::Tcvn3).unwrap(),
            abc,
            "encode {letter}"
        );
        // Toned capitals share the small letter's byte: they decode to the small letter.
        let toned_capital = letter != lower(letter) && abc.len() == 1 && abc[0] >= 0xB5;
        let expected = if toned_capital {
            lower(letter)
        } else {
            letter.to_string()
        };
        assert_eq!(raw(&abc, Encoding::Tcvn3), expected, "decode ABC {letter}");
        if vn1[0] >= 0x80 {
            assert_eq!(raw(&vn1, Encoding::Tcvn3), letter, "decode VN1 {letter}");
        }
        n += 1;
    }
    assert_eq!(n, 134);
}

#[test]
fn tcvn3_combining_bytes_compose() {
    assert_eq!(raw(b"a\xB0", Encoding::Tcvn3), "à");
    assert_eq!(raw(b"\xA9\xB3", Encoding::Tcvn3), "ấ");
    assert_eq!(raw(b"E\xB4", Encoding::Tcvn3), "Ẹ");
    // A loose mark after a consonant stays a combining mark (NFC).
    assert_eq!(raw(b"x\xB0", Encoding::Tcvn3), "x\u{300}");
    assert_eq!(raw(b"\xB0", Encoding::Tcvn3), "\u{300}");
}

#[test]
fn vni_vectors_round_trip() {
    let mut n = 0;
    for row in rows(VNI_TSV) {
        let (letter, bytes) = (row[0], hex(row[2]));
        assert_eq!(
            encode(letter, Encoding::Vni).unwrap(),
            bytes,
            "encode {letter}"
        );
        assert_eq!(raw(&bytes, Encoding::Vni), letter, "decode {letter}");
        n += 1;
    }
    assert_eq!(n, 134);
}

#[test]
fn vni_variants_are_accepted() {
    for (bytes, letter) in [
        (&b"i\xF8"[..], "ì"),
        (b"i\xF9", "í"),
        (b"y\xEF", "ỵ"),
        (b"Y\xCF", "Ỵ"),
        (b"I\xD8", "Ì"),
        (b"a\xFA", "ẳ"),
    ] {
        assert_eq!(raw(bytes, Encoding::Vni), letter);
    }
    // A stray mark byte becomes the combining marks the font would draw.
    assert_eq!(raw(b"x\xF8", Encoding::Vni), "x\u{300}");
    assert_eq!(raw(b"u\xE2", Encoding::Vni), "û");
}

#[test]
fn tcvn3_sample_from_2004_0328ndcp() {
    // text.md §4.4, the surface as Word shows it (CP1252).
    let cases = [
        ("Sè: 28 /2003/N§-CP", "Số: 28 /2003/NĐ-CP"),
        (
            "Céng hoµ x· héi chñ nghÜa viÖt nam",
            "Cộng hoà xã hội chủ nghĩa việt nam",
        ),
        ("§éc lËp - Tù do - H¹nh phóc", "Độc lập - Tự do - Hạnh phúc"),
        (
            "Hµ Néi, ngµy 31 th¸ng 3 n¨m 2003",
            "Hà Nội, ngày 31 tháng 3 năm 2003",
        ),
        (
            "CéNG HßA X· HéI CHñ NGHÜA VIÖT NAM",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        ),
        ("§¶NG CéNG S¶N VIÖT NAM", "ĐẢNG CỘNG SẢN VIỆT NAM"),
        ("Uû ban nh©n d©n", "Uỷ ban nhân dân"),
        ("Bé tr\u{AD}ëng", "Bộ trưởng"),
    ];
    for (surface, expected) in cases {
        let bytes = cp1252_surface_to_bytes(surface).unwrap();
        assert_eq!(decode_as(&bytes, Encoding::Tcvn3).0, expected);
    }
    let all: Vec<&str> = cases.iter().map(|c| c.0).collect();
    let surface = all.join("\n");
    let src = decode(surface.as_bytes(), None);
    assert_eq!(src.encoding, Encoding::Tcvn3, "{}", src.clue);
    assert!(src.clue.contains("cp1252 surface"), "{}", src.clue);
    assert_eq!(src.text.lines().next(), Some("Số: 28 /2003/NĐ-CP"));
    let bytes = cp1252_surface_to_bytes(&surface).unwrap();
    let src = decode(&bytes, None);
    assert_eq!(src.encoding, Encoding::Tcvn3, "{}", src.clue);
    assert!(src.confidence > 0.7, "{}", src.confidence);
}

#[test]
fn vni_sample_from_2008_23_qd_991() {
    // text.md §5.4.
    let cases = [
        ("TÆNH BÌNH PHÖÔÙC", "TỈNH BÌNH PHƯỚC"),
        (
            "Ñoäc laäp - Töï do - Haïnh phuùc",
            "Độc lập - Tự do - Hạnh phúc",
        ),
        ("Soá: 991/QÑ-UBND", "Số: 991/QĐ-UBND"),
        (
            "Ñoàng Xoaøi, ngaøy 14 thaùng5 naêm 2008",
            "Đồng Xoài, ngày 14 tháng5 năm 2008",
        ),
        (
            "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam",
            "Cộng hòa xã hội chủ nghĩa Việt Nam",
        ),
        (
            "COÄNG HOØA XAÕ HOÄI CHUÛ NGHÓA VIEÄT NAM",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        ),
        ("UÛy ban nhaân daân", "Ủy ban nhân dân"),
    ];
    for (surface, expected) in cases {
        let bytes = cp1252_surface_to_bytes(surface).unwrap();
        assert_eq!(decode_as(&bytes, Encoding::Vni).0, expected);
    }
    let surface = cases.map(|c| c.0).join("\n");
    let src = decode(surface.as_bytes(), None);
    assert_eq!(src.encoding, Encoding::Vni, "{}", src.clue);
    let src = decode(&cp1252_surface_to_bytes(&surface).unwrap(), None);
    assert_eq!(src.encoding, Encoding::Vni, "{}", src.clue);
    assert_eq!(src.text.lines().next(), Some("TỈNH BÌNH PHƯỚC"));
}

#[test]
fn cp1258_combining_bytes_come_out_nfc() {
    for (bytes, text) in [
        (&b"e\xEC"[..], "é"),
        (b"\xEA\xEC", "ế"),
        (b"\xF5\xCC", "ờ"),
        (b"C\xF4\xF2ng ho\xCCa", "Cộng hòa"),
        (b"\xDD\xDE", "Ữ"),
        (b"a\xF2", "ạ"),
        (b"\xD2", "\u{309}"),
    ] {
        assert_eq!(raw(bytes, Encoding::Windows1258), text);
    }
    assert_eq!(encode("ế", Encoding::Windows1258).unwrap(), b"\xEA\xEC");
    assert_eq!(
        encode("Cộng", Encoding::Windows1258).unwrap(),
        b"C\xF4\xF2ng"
    );
}

#[test]
fn every_letter_round_trips_in_every_encoding() {
    for row in rows(TCVN3_TSV) {
        let letter = row[0];
        for enc in [
            Encoding::Windows1258,
            Encoding::Vni,
            Encoding::Viscii,
            Encoding::Utf8,
            Encoding::Utf16Le,
            Encoding::Utf16Be,
        ] {
            let bytes = encode(letter, enc).unwrap();
            assert_eq!(decode_as(&bytes, enc).0, letter, "{letter} in {enc}");
        }
    }
}

#[test]
fn tables_match_iconv() {
    let iconv = |from: &str, b: u8| -> String {
        let mut child = std::process::Command::new("iconv")
            .args(["-f", from, "-t", "UTF-8"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("iconv is needed for this test (glibc's iconv; apt-get install libc-bin)");
        use std::io::Write;
        child.stdin.take().unwrap().write_all(&[b]).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "iconv -f {from} failed on byte {b:02X}"
        );
        String::from_utf8(out.stdout).unwrap()
    };
    for b in 0x80..=0xFFu8 {
        assert_eq!(
            iconv("TCVN5712-1", b),
            tables::TCVN3_HIGH[usize::from(b - 0x80)].to_string(),
            "tcvn3 {b:02X}"
        );
    }
    for b in 0..=0xFFu8 {
        assert_eq!(
            iconv("VISCII", b),
            tables::VISCII[usize::from(b)].to_string(),
            "viscii {b:02X}"
        );
    }
}

#[test]
fn unmapped_bytes_are_reported_not_dropped() {
    let (text, d) = decode_as(b"a\x01b", Encoding::Tcvn3);
    assert_eq!(text, "a\u{1}b");
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].span, Some(1..2));
    let (text, d) = decode_as(b"x\x81y", Encoding::Windows1258);
    assert_eq!(text, "x\u{81}y");
    assert_eq!(
        (d[0].code, d[0].span.clone()),
        ("unmapped-byte", Some(1..2))
    );
    let (text, d) = decode_as(b"ok\xFF\xFEz", Encoding::Utf8);
    assert_eq!(text, "ok\u{FFFD}\u{FFFD}z");
    assert_eq!(
        d.iter().map(|d| d.span.clone()).collect::<Vec<_>>(),
        [Some(2..3), Some(3..4)]
    );
    let (text, d) = decode_as(b"\xFF\xFEa\x00\x00\xD8", Encoding::Utf16Le);
    assert_eq!(text, "a\u{FFFD}");
    assert_eq!(d.len(), 1);
    // VISCII's capitals in C0 are letters, other controls are not.
    let (text, d) = decode_as(b"\x02\x03", Encoding::Viscii);
    assert_eq!(text, "Ẳ\u{3}");
    assert_eq!(d.len(), 1);
}

#[test]
fn diagnostics_are_bounded() {
    let (text, d) = decode_as(&[0x01; 1000], Encoding::Vni);
    assert_eq!(text.len(), 1000);
    assert_eq!(d.len(), MAX_DIAGNOSTICS + 1);
    assert!(d.last().unwrap().message.contains("1000 problems"));
}

#[test]
fn detection_of_unicode() {
    let check = |bytes: &[u8], enc: Encoding| {
        let found = detect(bytes, None);
        assert_eq!(found.encoding, enc, "{bytes:02X?}: {}", found.clue);
        found
    };
    assert!(check(b"Quyet dinh so 12", Encoding::Utf8).confidence > 0.9);
    check(
        "Cộng hòa xã hội chủ nghĩa Việt Nam".as_bytes(),
        Encoding::Utf8,
    );
    check("\u{FEFF}Cộng hòa".as_bytes(), Encoding::Utf8);
    check(
        &encode("Cộng hòa", Encoding::Utf16Le).unwrap(),
        Encoding::Utf16Le,
    );
    check(
        &encode("Cộng hòa", Encoding::Utf16Be).unwrap(),
        Encoding::Utf16Be,
    );
    let bomless: Vec<u8> = "Cộng hòa xã hội"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    check(&bomless, Encoding::Utf16Le);
    // French, German, Spanish and English in UTF-8 are never read as legacy surfaces.
    for s in [
        "Le ministère a décidé où et quand l'été prochain, déjà à Paris, à côté du château.",
        "Größere Änderungen für die Straße müssen wir später prüfen, schön und über alles.",
        "El año pasado la información llegó tarde; también él y la señora están aquí.",
        "The café served crème brûlée and naïve résumé writers a piñata — “quoted”.",
        "Hà Nội là thủ đô",
        "à là cà",
    ] {
        check(s.as_bytes(), Encoding::Utf8);
    }
}

#[test]
fn detection_of_legacy_bytes() {
    let text = "Cộng hòa xã hội chủ nghĩa Việt Nam\nĐộc lập - Tự do - Hạnh phúc\n\
        Quyết định về việc ban hành kế hoạch của Ủy ban nhân dân tỉnh năm 2021";
    for enc in [
        Encoding::Tcvn3,
        Encoding::Vni,
        Encoding::Windows1258,
        Encoding::Viscii,
    ] {
        let bytes = encode(&text.replace('Ủ', "U\u{309}").replace("U\u{309}", "Ủ"), enc).unwrap();
        let found = detect(&bytes, None);
        assert_eq!(found.encoding, enc, "{}", found.clue);
        assert!(
            found.confidence > 0.7,
            "{enc}: {} {}",
            found.confidence,
            found.clue
        );
        // A font hint that the text contradicts is overruled.
        let other = if enc == Encoding::Tcvn3 {
            Encoding::Vni
        } else {
            Encoding::Tcvn3
        };
        let found = detect(&bytes, Some(other));
        assert_eq!(found.encoding, enc, "{}", found.clue);
        assert!(found.clue.contains("contradicted"), "{}", found.clue);
        let found = detect(&bytes, Some(enc));
        assert!(found.clue.contains("font hint, checked"), "{}", found.clue);
    }
}

#[test]
fn detection_of_foreign_8bit_text() {
    let french = "Le ministère a décidé où et quand l'été prochain. Les fonctionnaires \
        étrangers doivent justifier leur présence auprès de la préfecture avant février; \
        déjà les journaux parlent de réformes générales et de difficultés économiques.";
    let bytes: Vec<u8> = cp1252_surface_to_bytes(french).unwrap();
    let found = detect(&bytes, None);
    assert!(
        !matches!(found.encoding, Encoding::Tcvn3 | Encoding::Vni),
        "{:?} {}",
        found.encoding,
        found.clue
    );
}

#[test]
fn cp1252_surface_keeps_c1_code_points_as_bytes() {
    assert_eq!(
        cp1252_surface_to_bytes("x\u{81}\u{9D}y€"),
        Some(b"x\x81\x9Dy\x80".to_vec())
    );
    assert_eq!(cp1252_surface_to_bytes("Cộng"), None);
    // 0x81 is the VN1 capital Ả in TCVN3.
    assert_eq!(decode_as(b"\x81", Encoding::Tcvn3).0, "Ả");
}

#[test]
fn forced_legacy_on_a_cp1252_surface_decodes_the_bytes_behind_it() {
    let src = decode("Céng hßa x· héi".as_bytes(), Some(Encoding::Tcvn3));
    assert_eq!(src.text, "Cộng hòa xã hội");
    assert_eq!(src.clue, "user, cp1252 surface");
    let src = decode("Céng".as_bytes(), Some(Encoding::Utf8));
    assert_eq!(src.text, "Céng");
}

#[test]
fn font_hint_on_unicode_text_is_not_trusted() {
    let found = detect("Cộng hòa xã hội".as_bytes(), Some(Encoding::Tcvn3));
    assert_eq!(found.encoding, Encoding::Utf8);
    assert!(found.clue.contains("not borne out"), "{}", found.clue);
}

#[test]
fn lazy_tables_build() {
    legacy::force_tables();
    assert!(detect::syllable_ok("nghiêng"));
}

proptest! {
    #[test]
    fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let src = decode(&bytes, None);
        prop_assert!(src.confidence >= 0.0 && src.confidence <= 1.0);
        for enc in Encoding::ALL {
            let src = decode(&bytes, Some(enc));
            prop_assert!(src.diagnostics.len() <= MAX_DIAGNOSTICS + 2);
            let _ = detect(&bytes, Some(enc));
        }
    }

    #[test]
    fn never_panics_on_text(text in "\\PC{0,200}") {
        let src = decode(text.as_bytes(), None);
        prop_assert!(src.confidence >= 0.0 && src.confidence <= 1.0);
        let _ = decode(text.as_bytes(), Some(Encoding::Vni));
    }

    #[test]
    fn legacy_round_trip(text in "[a-zA-Z0-9 ,.ăâêôơưđĐàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ\n]{0,60}") {
        for enc in [Encoding::Tcvn3, Encoding::Vni, Encoding::Windows1258, Encoding::Viscii] {
            let bytes = encode(&text, enc).unwrap();
            let mut s = String::new();
            let mut d = Diags::new();
            decode_into(&bytes, enc, &mut s, &mut d);
            prop_assert_eq!(&s, &text, "{}", enc);
        }
    }
}
