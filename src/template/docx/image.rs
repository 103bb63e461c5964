//! Pictures from data: their bytes (a path the caller reads, or base64 in the data), their
//! kind and size in pixels and dots per inch, read from the file's header.

/// A picture's kind and size, from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Info {
    /// File extension in the package (`png`).
    pub(super) ext: &'static str,
    /// MIME type for `[Content_Types].xml`.
    pub(super) mime: &'static str,
    pub(super) width_px: u32,
    pub(super) height_px: u32,
    /// Horizontal and vertical resolution (72 when the file does not say).
    pub(super) dpi: (f64, f64),
}

/// Reads a PNG, JPEG or GIF header.
pub(super) fn info(bytes: &[u8]) -> Result<Info, String> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        png(bytes)
    } else if bytes.starts_with(&[0xff, 0xd8]) {
        jpeg(bytes)
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        let w = u16::from_le_bytes([
            bytes.get(6).copied().unwrap_or(0),
            bytes.get(7).copied().unwrap_or(0),
        ]);
        let h = u16::from_le_bytes([
            bytes.get(8).copied().unwrap_or(0),
            bytes.get(9).copied().unwrap_or(0),
        ]);
        sized("gif", "image/gif", u32::from(w), u32::from(h), (72.0, 72.0))
    } else {
        Err("not a PNG, JPEG or GIF picture".into())
    }
}

fn sized(
    ext: &'static str,
    mime: &'static str,
    w: u32,
    h: u32,
    dpi: (f64, f64),
) -> Result<Info, String> {
    if w == 0 || h == 0 {
        return Err(format!("a {ext} picture without a size"));
    }
    let dpi = (
        if dpi.0 >= 1.0 { dpi.0 } else { 72.0 },
        if dpi.1 >= 1.0 { dpi.1 } else { 72.0 },
    );
    Ok(Info {
        ext,
        mime,
        width_px: w,
        height_px: h,
        dpi,
    })
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn be16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

/// PNG: the size from IHDR, the resolution from pHYs (pixels per metre).
fn png(b: &[u8]) -> Result<Info, String> {
    let bad = || "a damaged PNG picture".to_string();
    let (w, h) = (be32(b, 16).ok_or_else(bad)?, be32(b, 20).ok_or_else(bad)?);
    let mut dpi = (72.0, 72.0);
    let mut at = 8;
    while let (Some(len), Some(kind)) = (be32(b, at), b.get(at + 4..at + 8)) {
        if kind == b"pHYs" && b.get(at + 16) == Some(&1) {
            let per_metre = |o| be32(b, at + 8 + o).map_or(0.0, |v| f64::from(v) * 0.0254);
            dpi = (per_metre(0).round(), per_metre(4).round());
        }
        if kind == b"IDAT" || kind == b"IEND" {
            break;
        }
        at = at.saturating_add(12).saturating_add(len as usize);
    }
    sized("png", "image/png", w, h, dpi)
}

/// JPEG: the size from the first SOF marker, the resolution from the JFIF header.
fn jpeg(b: &[u8]) -> Result<Info, String> {
    let mut dpi = (72.0, 72.0);
    let mut at = 2;
    while at + 4 <= b.len() {
        if b[at] != 0xff {
            at += 1;
            continue;
        }
        let marker = b[at + 1];
        if marker == 0xff || marker == 0x01 || (0xd0..=0xd7).contains(&marker) {
            at += if marker == 0xff { 1 } else { 2 };
            continue;
        }
        let len = usize::from(be16(b, at + 2).unwrap_or(0));
        if marker == 0xe0 && b.get(at + 4..at + 9) == Some(b"JFIF\0") {
            let unit = b.get(at + 11).copied().unwrap_or(0);
            let (x, y) = (
                f64::from(be16(b, at + 12).unwrap_or(0)),
                f64::from(be16(b, at + 14).unwrap_or(0)),
            );
            match unit {
                1 => dpi = (x, y),
                2 => dpi = ((x * 2.54).round(), (y * 2.54).round()),
                _ => {}
            }
        }
        let is_sof = matches!(marker, 0xc0..=0xcf) && !matches!(marker, 0xc4 | 0xc8 | 0xcc);
        if is_sof {
            let h = be16(b, at + 5).unwrap_or(0);
            let w = be16(b, at + 7).unwrap_or(0);
            return sized("jpeg", "image/jpeg", u32::from(w), u32::from(h), dpi);
        }
        at += 2 + len;
    }
    Err("a JPEG picture without a size".into())
}

/// The bytes of `text` read as base64 (standard or URL-safe alphabet, padding and line
/// breaks allowed), or None when it is not base64.
pub(super) fn base64(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for c in text.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' | b'\n' | b'\r' | b' ' | b'\t' => continue,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 3×2 PNG at 96 dpi (3780 pixels per metre), header only.
    fn png_header() -> Vec<u8> {
        let mut b = b"\x89PNG\r\n\x1a\n".to_vec();
        b.extend_from_slice(&13u32.to_be_bytes());
        b.extend_from_slice(b"IHDR");
        b.extend_from_slice(&3u32.to_be_bytes());
        b.extend_from_slice(&2u32.to_be_bytes());
        b.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
        b.extend_from_slice(&9u32.to_be_bytes());
        b.extend_from_slice(b"pHYs");
        b.extend_from_slice(&3780u32.to_be_bytes());
        b.extend_from_slice(&3780u32.to_be_bytes());
        b.extend_from_slice(&[1, 0, 0, 0, 0]);
        b
    }

    #[test]
    fn png_size_and_resolution() {
        let i = info(&png_header()).unwrap();
        assert_eq!(
            (i.ext, i.width_px, i.height_px, i.dpi),
            ("png", 3, 2, (96.0, 96.0))
        );
    }

    #[test]
    fn junk_is_not_a_picture() {
        assert!(info(b"hello").is_err());
        assert!(info(b"\x89PNG\r\n\x1a\n").is_err());
    }

    #[test]
    fn base64_reads_both_alphabets() {
        assert_eq!(base64("aGk=").unwrap(), b"hi");
        assert_eq!(base64("-_8").unwrap(), [0xfb, 0xff]);
        assert!(base64("a.b").is_none());
    }
}
