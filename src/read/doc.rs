//! Word 97-2003 binary documents (.doc): the OLE compound file, the FIB, the piece table
//! and the character runs ([MS-DOC]). Legacy TCVN3/VNI text sits in 8-bit pieces (or,
//! after some converters, in the U+00xx / U+F0xx range of 16-bit pieces).
//!
//! Every offset and length read from the file is checked against the bytes it points
//! into; a file that does not add up is a [`Error::Corrupt`], never a panic.

use std::io::{Cursor, Read};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use super::legacy::{FontKind, Runs, cp1252_char, surface_byte};
use crate::decode::{Encoding, Source};
use crate::{Error, Result};

/// Reads a .doc file's text (main text, notes, headers, text boxes), detects its encoding
/// (font names as the first clue) and decodes it.
pub(crate) fn read_doc(path: &Path, bytes: &[u8], forced: Option<Encoding>) -> Result<Source> {
    let runs = extract(bytes).map_err(|e| match e {
        DocError::Corrupt(reason) => Error::Corrupt {
            path: path.to_path_buf(),
            format: "doc",
            reason,
        },
        DocError::Unsupported(what) => Error::Unsupported {
            path: path.to_path_buf(),
            what,
        },
    })?;
    Ok(runs.finish(forced))
}

#[derive(Debug)]
enum DocError {
    Corrupt(String),
    Unsupported(String),
}

fn corrupt<T>(reason: impl Into<String>) -> Result<T, DocError> {
    Err(DocError::Corrupt(reason.into()))
}

/// Pulls the document's text out of a .doc as [`Runs`].
fn extract(bytes: &[u8]) -> Result<Runs, DocError> {
    let (word, table) = open_streams(bytes)?;
    let fib = Fib::parse(&word)?;
    let table = match fib.table_stream {
        Some(name) => match table.into_iter().find(|(n, _)| *n == name) {
            Some((_, data)) => data,
            None => return corrupt(format!("the {name} stream is missing")),
        },
        None => Vec::new(),
    };
    let pieces = match fib.clx {
        Some((fc, lcb)) => {
            let clx = slice(&table, fc, lcb).ok_or_else(|| {
                DocError::Corrupt("the piece table lies outside the table stream".into())
            })?;
            parse_clx(clx)?
        }
        None => vec![Piece {
            cp_start: 0,
            cp_end: fib.fc_mac.saturating_sub(fib.fc_min),
            fc: fib.fc_min,
            compressed: true,
        }],
    };
    let fonts = fib
        .sttbf_ffn
        .and_then(|(fc, lcb)| slice(&table, fc, lcb))
        .map(parse_fonts)
        .unwrap_or_default();
    let chpx = fib
        .plcf_bte_chpx
        .and_then(|(fc, lcb)| slice(&table, fc, lcb))
        .map(|plc| parse_chpx(plc, &word))
        .unwrap_or_default();
    let paras = fib
        .plcf_bte_papx
        .and_then(|(fc, lcb)| slice(&table, fc, lcb))
        .map(|plc| parse_papx(plc, &word))
        .unwrap_or_default();
    let styles = fib
        .stshf
        .and_then(|(fc, lcb)| slice(&table, fc, lcb))
        .map(parse_styles)
        .unwrap_or_default();
    let mut out = Walker::new(&fonts, &chpx, &paras, &styles);
    // Each piece's text is stored once; a piece table that claims more (pieces sharing
    // bytes) would make a small file expand without bound.
    let stored: u64 = pieces
        .iter()
        .map(|p| u64::from(p.cp_end - p.cp_start) * if p.compressed { 1 } else { 2 })
        .sum();
    if stored > word.len() as u64 {
        return corrupt("the piece table claims more text than the file holds");
    }
    // The stories follow each other in character positions: main text, footnotes,
    // headers and footers, macros, comments, endnotes, text boxes, header text boxes.
    // All the visible ones are read, in that order (headers included: on paper they
    // carry the issuer's name as often as a page number); macros and comments are not.
    let mut from = 0u32;
    for (story, &len) in fib.ccp.iter().enumerate() {
        let to = from.saturating_add(len);
        if len > 0 && !matches!(story, 3 | 4) {
            if from > 0 {
                out.break_line();
            }
            walk(&word, &pieces, from, to, &mut out)?;
        }
        from = to;
    }
    Ok(out.finish())
}

/// Feeds the characters `from..to` (character positions) to `out`, piece by piece.
fn walk(
    word: &[u8],
    pieces: &[Piece],
    from: u32,
    to: u32,
    out: &mut Walker<'_>,
) -> Result<(), DocError> {
    for piece in pieces {
        let (start, end) = (piece.cp_start.max(from), piece.cp_end.min(to));
        if start >= end {
            continue;
        }
        let skip = (start - piece.cp_start) as usize;
        let n = (end - start) as usize;
        let width = if piece.compressed { 1 } else { 2 };
        let at = piece.fc as usize + skip * width;
        let Some(text) = word.get(at..).and_then(|t| t.get(..n * width)) else {
            return corrupt("a text piece lies past the end of the WordDocument stream");
        };
        let fc = at as u32;
        if piece.compressed {
            for (i, &b) in text.iter().enumerate() {
                out.unit(fc.wrapping_add(i as u32), Unit::Byte(b));
            }
        } else {
            for (i, pair) in text.chunks_exact(2).enumerate() {
                let unit = u16::from_le_bytes([pair[0], pair[1]]);
                out.unit(fc.wrapping_add(2 * i as u32), Unit::Wide(unit));
            }
        }
    }
    Ok(())
}

/// Opens the compound file and reads the WordDocument stream and both table streams.
/// The `cfb` crate validates what it reads, but a panic inside it on a hostile file must
/// not take a batch down, so it runs under `catch_unwind`.
#[allow(clippy::type_complexity)]
fn open_streams(bytes: &[u8]) -> Result<(Vec<u8>, Vec<(&'static str, Vec<u8>)>), DocError> {
    let limit = bytes.len() as u64;
    let run = || -> Result<_, DocError> {
        let mut file = cfb::CompoundFile::open(Cursor::new(bytes))
            .map_err(|e| DocError::Corrupt(format!("not a valid OLE compound file ({e})")))?;
        let mut read = |name: &str| -> Result<Option<Vec<u8>>, DocError> {
            if !file.is_stream(name) {
                return Ok(None);
            }
            let stream = file
                .open_stream(name)
                .map_err(|e| DocError::Corrupt(format!("cannot open the {name} stream ({e})")))?;
            let mut data = Vec::new();
            stream
                .take(limit)
                .read_to_end(&mut data)
                .map_err(|e| DocError::Corrupt(format!("cannot read the {name} stream ({e})")))?;
            Ok(Some(data))
        };
        let Some(word) = read("/WordDocument")? else {
            return Err(DocError::Unsupported(
                "OLE compound file without a WordDocument stream (not a Word document)".into(),
            ));
        };
        let mut tables = Vec::new();
        for name in ["0Table", "1Table"] {
            if let Some(data) = read(&format!("/{name}"))? {
                tables.push((name, data));
            }
        }
        Ok((word, tables))
    };
    match catch_unwind(AssertUnwindSafe(run)) {
        Ok(result) => result,
        Err(_) => corrupt("the compound file structure is damaged"),
    }
}

/// The bytes `lcb` long at `fc`, if they lie inside `data`.
fn slice(data: &[u8], fc: u32, lcb: u32) -> Option<&[u8]> {
    data.get(fc as usize..)?.get(..lcb as usize)
}

fn u16_at(data: &[u8], at: usize) -> Option<u16> {
    let b = data.get(at..at.checked_add(2)?)?;
    Some(u16::from_le_bytes([b[0], b[1]]))
}

fn u32_at(data: &[u8], at: usize) -> Option<u32> {
    let b = data.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// What we need from the File Information Block.
#[derive(Debug)]
struct Fib {
    /// `0Table` or `1Table` (FibBase.fWhichTblStm); `None` for Word 6/95 files.
    table_stream: Option<&'static str>,
    /// Characters per story (FibRgLw97 ccpText, ccpFtn, ccpHdd, ccpMcr, ccpAtn, ccpEdn,
    /// ccpTxbx, ccpHdrTxbx), in the order the stories follow each other.
    ccp: [u32; 8],
    /// fcClx/lcbClx: the piece table. `None`: the text is one 8-bit run fcMin..fcMac.
    clx: Option<(u32, u32)>,
    fc_min: u32,
    fc_mac: u32,
    /// fcSttbfFfn/lcbSttbfFfn: the font table.
    sttbf_ffn: Option<(u32, u32)>,
    /// fcPlcfBteChpx/lcbPlcfBteChpx: where the character properties are.
    plcf_bte_chpx: Option<(u32, u32)>,
    /// fcPlcfBtePapx/lcbPlcfBtePapx: where the paragraph properties (styles) are.
    plcf_bte_papx: Option<(u32, u32)>,
    /// fcStshf/lcbStshf: the style sheet.
    stshf: Option<(u32, u32)>,
}

const FIB_MAGIC: u16 = 0xA5EC;
const F_COMPLEX: u16 = 0x0004;
const F_ENCRYPTED: u16 = 0x0100;
const F_WHICH_TBL_STM: u16 = 0x0200;
/// nFib of Word 97; Word 6 and 95 wrote 101-105 and a different FIB.
const NFIB_WORD97: u16 = 0x00C1;

impl Fib {
    fn parse(word: &[u8]) -> Result<Fib, DocError> {
        let too_short = || DocError::Corrupt("the FIB is truncated".into());
        let magic = u16_at(word, 0).ok_or_else(too_short)?;
        if magic != FIB_MAGIC {
            return corrupt(format!("bad FIB magic {magic:#06x} (expected 0xa5ec)"));
        }
        let n_fib = u16_at(word, 2).ok_or_else(too_short)?;
        let flags = u16_at(word, 0x0A).ok_or_else(too_short)?;
        if flags & F_ENCRYPTED != 0 {
            return Err(DocError::Unsupported(
                "encrypted (password-protected) Word document".into(),
            ));
        }
        let fc_min = u32_at(word, 0x18).ok_or_else(too_short)?;
        let fc_mac = u32_at(word, 0x1C).ok_or_else(too_short)?;
        if n_fib < NFIB_WORD97 - 2 {
            // Word 6/95: text is fcMin..fcMac unless the file was fast-saved.
            if flags & F_COMPLEX != 0 {
                return Err(DocError::Unsupported(
                    "fast-saved Word 6/95 document (save it again in Word 97 or later)".into(),
                ));
            }
            if fc_mac < fc_min || fc_mac as usize > word.len() {
                return corrupt("the text range in the FIB lies outside the file");
            }
            return Ok(Fib {
                table_stream: None,
                ccp: [fc_mac - fc_min, 0, 0, 0, 0, 0, 0, 0],
                clx: None,
                fc_min,
                fc_mac,
                sttbf_ffn: None,
                plcf_bte_chpx: None,
                plcf_bte_papx: None,
                stshf: None,
            });
        }
        // FibBase is 32 bytes; then csw + fibRgW, cslw + fibRgLw, cbRgFcLcb + fibRgFcLcb.
        let csw = u16_at(word, 32).ok_or_else(too_short)? as usize;
        let lw = 34 + csw * 2;
        let cslw = u16_at(word, lw).ok_or_else(too_short)? as usize;
        let rg_lw = lw + 2;
        if cslw < 4 {
            return corrupt("the FIB has no text length");
        }
        let mut ccp = [0u32; 8];
        for (i, c) in ccp.iter_mut().enumerate() {
            if 3 + i < cslw {
                *c = u32_at(word, rg_lw + 4 * (3 + i)).ok_or_else(too_short)?;
            }
        }
        let fc = rg_lw + cslw * 4;
        let cb_rg_fc_lcb = u16_at(word, fc).ok_or_else(too_short)? as usize;
        let rg_fc = fc + 2;
        let pair = |index: usize| -> Option<(u32, u32)> {
            if index >= cb_rg_fc_lcb {
                return None;
            }
            let at = rg_fc + index * 8;
            let (fc, lcb) = (u32_at(word, at)?, u32_at(word, at + 4)?);
            (lcb > 0).then_some((fc, lcb))
        };
        let clx = pair(33);
        if clx.is_none() {
            return corrupt("the FIB has no piece table");
        }
        Ok(Fib {
            table_stream: Some(if flags & F_WHICH_TBL_STM != 0 {
                "1Table"
            } else {
                "0Table"
            }),
            ccp,
            clx,
            fc_min,
            fc_mac,
            sttbf_ffn: pair(15),
            plcf_bte_chpx: pair(12),
            plcf_bte_papx: pair(13),
            stshf: pair(1),
        })
    }
}

/// One entry of the piece table: characters `cp_start..cp_end` stored at `fc`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Piece {
    cp_start: u32,
    cp_end: u32,
    /// Byte offset into the WordDocument stream.
    fc: u32,
    /// 8-bit (CP1252 surface) text rather than UTF-16.
    compressed: bool,
}

/// Parses the Clx: skips the Prc entries, then reads the Pcdt's PlcPcd.
fn parse_clx(clx: &[u8]) -> Result<Vec<Piece>, DocError> {
    let mut at = 0usize;
    loop {
        match clx.get(at) {
            Some(0x01) => {
                let Some(cb) = u16_at(clx, at + 1) else {
                    return corrupt("truncated formatting entry in the piece table");
                };
                at += 3 + cb as usize;
            }
            Some(0x02) => break,
            Some(other) => {
                return corrupt(format!("unexpected entry {other:#04x} in the piece table"));
            }
            None => return corrupt("the piece table has no pieces"),
        }
    }
    let Some(lcb) = u32_at(clx, at + 1) else {
        return corrupt("truncated piece table");
    };
    let Some(plc) = clx.get(at + 5..).and_then(|p| p.get(..lcb as usize)) else {
        return corrupt("the piece table is longer than its container");
    };
    if plc.len() < 4 || (plc.len() - 4) % 12 != 0 {
        return corrupt(format!("piece table of odd length {}", plc.len()));
    }
    let n = (plc.len() - 4) / 12;
    let mut pieces = Vec::with_capacity(n);
    for i in 0..n {
        let cp_start = u32_at(plc, 4 * i).unwrap_or(0);
        let cp_end = u32_at(plc, 4 * (i + 1)).unwrap_or(0);
        let pcd = 4 * (n + 1) + 8 * i;
        let fc_compressed = u32_at(plc, pcd + 2).unwrap_or(0);
        if cp_end < cp_start {
            return corrupt("piece table positions go backwards");
        }
        let compressed = fc_compressed & 0x4000_0000 != 0;
        let fc = fc_compressed & 0x3FFF_FFFF;
        pieces.push(Piece {
            cp_start,
            cp_end,
            fc: if compressed { fc / 2 } else { fc },
            compressed,
        });
    }
    Ok(pieces)
}

/// Font names from the SttbfFfn, by index (ftc).
fn parse_fonts(sttb: &[u8]) -> Vec<String> {
    let mut names = Vec::new();
    let Some(first) = u16_at(sttb, 0) else {
        return names;
    };
    let (count, mut at) = if first == 0xFFFF {
        (u16_at(sttb, 2).unwrap_or(0) as usize, 6)
    } else {
        (first as usize, 4)
    };
    for _ in 0..count {
        let Some(&cb) = sttb.get(at) else { break };
        let Some(ffn) = sttb.get(at + 1..).and_then(|f| f.get(..cb as usize)) else {
            break;
        };
        at += 1 + cb as usize;
        // ffid, wWeight (2), chs, ixchSzAlt, panose (10), fs (24): 39 bytes, then the
        // zero-terminated UTF-16 name.
        let name: Vec<u16> = ffn
            .get(39..)
            .unwrap_or(&[])
            .chunks_exact(2)
            .map(|p| u16::from_le_bytes([p[0], p[1]]))
            .take_while(|&u| u != 0)
            .collect();
        names.push(String::from_utf16_lossy(&name));
    }
    names
}

/// Character properties that matter here, for a range of file offsets.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Chp {
    /// The font index (sprmCRgFtc0, else sprmCRgFtc2), when the run sets it.
    font: Option<u16>,
    /// Deleted with revision marks (sprmCFRMarkDel) or hidden (sprmCFVanish).
    skip: bool,
    /// The character style (sprmCIstd).
    istd: Option<u16>,
}

/// `(fc_start, fc_end, properties)`, sorted by `fc_start`.
type ChpRuns = Vec<(u32, u32, Chp)>;

/// Walks a PlcBte (Chpx or Papx) and its 512-byte FKP pages: calls `entry` with each run's
/// `(fc_start, fc_end, page, offset_byte)`, where `offset_byte` is the first byte of the
/// run's `bx_size`-byte entry after the FC array (its offset in words within the page).
/// Every read is bounded: a truncated page or table ends the walk, never a panic.
fn walk_fkp(plc: &[u8], word: &[u8], bx_size: usize, mut entry: impl FnMut(u32, u32, &[u8], u8)) {
    if plc.len() < 4 {
        return;
    }
    let n = (plc.len() - 4) / 8;
    for i in 0..n {
        let Some(pn) = u32_at(plc, 4 * (n + 1) + 4 * i) else {
            break;
        };
        let pn = (pn & 0x003F_FFFF) as usize;
        let Some(page) = word.get(pn * 512..).and_then(|p| p.get(..512)) else {
            continue;
        };
        let count = page[511] as usize;
        for r in 0..count {
            let (Some(start), Some(end)) = (u32_at(page, 4 * r), u32_at(page, 4 * (r + 1))) else {
                break;
            };
            let Some(&offset) = page.get(4 * (count + 1) + bx_size * r) else {
                break;
            };
            entry(start, end, page, offset);
        }
    }
}

/// Reads the character runs through the PlcBteChpx and its ChpxFkp pages.
fn parse_chpx(plc: &[u8], word: &[u8]) -> ChpRuns {
    let mut runs = Vec::new();
    walk_fkp(plc, word, 1, |start, end, page, word_offset| {
        let mut chp = Chp::default();
        if word_offset != 0 {
            let at = word_offset as usize * 2;
            if let Some(&cb) = page.get(at)
                && let Some(grpprl) = page.get(at + 1..).and_then(|g| g.get(..cb as usize))
            {
                chp = parse_grpprl(grpprl);
            }
        }
        if end > start {
            runs.push((start, end, chp));
        }
    });
    runs.sort_by_key(|r| r.0);
    runs
}

/// Reads the sprms of a Chpx.
fn parse_grpprl(grpprl: &[u8]) -> Chp {
    let mut chp = Chp::default();
    let mut ftc2 = None;
    let mut at = 0;
    while let Some(sprm) = u16_at(grpprl, at) {
        at += 2;
        let operand_len = match sprm >> 13 {
            0 | 1 => 1,
            2 | 4 | 5 => 2,
            3 => 4,
            7 => 3,
            _ => match grpprl.get(at) {
                Some(&n) => 1 + n as usize,
                None => break,
            },
        };
        let operand = grpprl.get(at..).and_then(|o| o.get(..operand_len));
        match (sprm, operand) {
            (0x4A4F, Some(o)) => chp.font = Some(u16::from_le_bytes([o[0], o[1]])),
            (0x4A51, Some(o)) => ftc2 = Some(u16::from_le_bytes([o[0], o[1]])),
            (0x4A30, Some(o)) => chp.istd = Some(u16::from_le_bytes([o[0], o[1]])),
            (0x0800 | 0x083C, Some(o)) if o[0] == 1 || o[0] == 0x81 => chp.skip = true,
            _ => {}
        }
        at += operand_len;
    }
    chp.font = chp.font.or(ftc2);
    chp
}

/// `(fc_start, fc_end, paragraph style)`, sorted by `fc_start`.
type ParaRuns = Vec<(u32, u32, u16)>;

/// Reads the paragraph styles through the PlcBtePapx and its PapxFkp pages.
fn parse_papx(plc: &[u8], word: &[u8]) -> ParaRuns {
    let mut runs = Vec::new();
    // BX: bOffset (1 byte, in words) + PHE (12 bytes).
    walk_fkp(plc, word, 13, |start, end, page, b_offset| {
        let at = b_offset as usize * 2;
        // PapxInFkp: cb; 0 means the next byte counts words. Then istd first.
        let istd = match page.get(at) {
            Some(0) => u16_at(page, at + 2),
            Some(_) => u16_at(page, at + 1),
            None => None,
        };
        if let Some(istd) = istd.filter(|_| b_offset != 0 && end > start) {
            runs.push((start, end, istd));
        }
    });
    runs.sort_by_key(|r| r.0);
    runs
}

/// The font each style sets, resolved through its base styles, by istd; plus the
/// document's default font.
#[derive(Debug, Default)]
struct Styles {
    fonts: Vec<Option<u16>>,
    default_font: Option<u16>,
}

impl Styles {
    fn font(&self, istd: u16) -> Option<u16> {
        self.fonts.get(istd as usize).copied().flatten()
    }
}

/// Reads the STSH: each style's character properties and base style.
fn parse_styles(stsh: &[u8]) -> Styles {
    let mut styles = Styles::default();
    let Some(cb_stshi) = u16_at(stsh, 0) else {
        return styles;
    };
    let stshi = 2usize;
    let cstd = u16_at(stsh, stshi).unwrap_or(0) as usize;
    let cb_base = u16_at(stsh, stshi + 2).unwrap_or(10) as usize;
    styles.default_font = u16_at(stsh, stshi + 12).filter(|_| cb_stshi >= 14);
    // (own font, base istd) per style.
    let mut own: Vec<(Option<u16>, u16)> = Vec::with_capacity(cstd.min(4096));
    let mut at = stshi + cb_stshi as usize;
    for _ in 0..cstd.min(4096) {
        let Some(cb_std) = u16_at(stsh, at) else {
            break;
        };
        let std_start = at + 2;
        at = std_start + cb_std as usize;
        let Some(std) = stsh.get(std_start..).and_then(|s| s.get(..cb_std as usize)) else {
            break;
        };
        if std.len() < 10 {
            own.push((None, 0x0FFF));
            continue;
        }
        let word2 = u16_at(std, 2).unwrap_or(0);
        let (stk, base) = (word2 & 0x000F, word2 >> 4);
        let cupx = (u16_at(std, 4).unwrap_or(0) & 0x000F) as usize;
        // xstzName: cch, cch UTF-16 units, a terminating zero.
        let cch = u16_at(std, cb_base).unwrap_or(0) as usize;
        let mut upx = cb_base + 2 + 2 * cch + 2;
        let mut font = None;
        for u in 0..cupx {
            let Some(cb_upx) = u16_at(std, upx) else {
                break;
            };
            let body = std.get(upx + 2..).and_then(|b| b.get(..cb_upx as usize));
            // Paragraph styles: UpxPapx then UpxChpx; character styles: UpxChpx.
            let is_chpx = (stk == 1 && u == 1) || (stk == 2 && u == 0);
            if let (true, Some(grpprl)) = (is_chpx, body) {
                font = parse_grpprl(grpprl).font;
            }
            upx += 2 + cb_upx as usize + (cb_upx as usize & 1);
        }
        own.push((font, base));
    }
    // Resolve inherited fonts (bounded: base chains are short, cycles are cut).
    styles.fonts = (0..own.len())
        .map(|istd| {
            let mut i = istd;
            for _ in 0..16 {
                let (font, base) = own[i];
                if font.is_some() {
                    return font;
                }
                if base as usize >= own.len() {
                    break;
                }
                i = base as usize;
            }
            None
        })
        .collect();
    styles
}

/// One stored character.
#[derive(Debug, Clone, Copy)]
enum Unit {
    /// From an 8-bit piece.
    Byte(u8),
    /// From a 16-bit piece.
    Wide(u16),
}

/// A paragraph's characters, held until its end so that a 16-bit paragraph can be judged
/// as a whole: legacy bytes shown through CP1252, or real Unicode.
struct Walker<'a> {
    fonts: Vec<FontKind>,
    font_names: &'a [String],
    chpx: &'a ChpRuns,
    /// Where the last lookup landed (runs are mostly met in order).
    chpx_at: usize,
    paras: &'a ParaRuns,
    paras_at: usize,
    styles: &'a Styles,
    /// Field nesting: `true` once past the separator (in the shown result).
    fields: Vec<bool>,
    para: Vec<(Unit, Option<u16>)>,
    runs: Runs,
    font_counts: Vec<usize>,
}

impl<'a> Walker<'a> {
    fn new(
        font_names: &'a [String],
        chpx: &'a ChpRuns,
        paras: &'a ParaRuns,
        styles: &'a Styles,
    ) -> Self {
        Walker {
            fonts: font_names.iter().map(|n| FontKind::of(n)).collect(),
            font_names,
            chpx,
            chpx_at: 0,
            paras,
            paras_at: 0,
            styles,
            fields: Vec::new(),
            para: Vec::new(),
            runs: Runs::default(),
            font_counts: vec![0; font_names.len()],
        }
    }

    fn chp(&mut self, fc: u32) -> Chp {
        let runs = self.chpx;
        if let Some(&(s, e, chp)) = runs.get(self.chpx_at)
            && s <= fc
            && fc < e
        {
            return chp;
        }
        let i = runs.partition_point(|r| r.0 <= fc);
        if i > 0 && fc < runs[i - 1].1 {
            self.chpx_at = i - 1;
            return runs[i - 1].2;
        }
        Chp::default()
    }

    /// The paragraph style at `fc`.
    fn para_style(&mut self, fc: u32) -> Option<u16> {
        let runs = self.paras;
        if let Some(&(s, e, istd)) = runs.get(self.paras_at)
            && s <= fc
            && fc < e
        {
            return Some(istd);
        }
        let i = runs.partition_point(|r| r.0 <= fc);
        if i > 0 && fc < runs[i - 1].1 {
            self.paras_at = i - 1;
            return Some(runs[i - 1].2);
        }
        None
    }

    fn unit(&mut self, fc: u32, unit: Unit) {
        let code = match unit {
            Unit::Byte(b) => b as u16,
            Unit::Wide(w) => w,
        };
        let mut chp = self.chp(fc);
        // The font: set on the run, else by its character style, else by the
        // paragraph's style, else the document default.
        if chp.font.is_none() {
            chp.font = chp
                .istd
                .and_then(|istd| self.styles.font(istd))
                .or_else(|| self.para_style(fc).and_then(|istd| self.styles.font(istd)))
                .or(self.styles.default_font);
        }
        match code {
            0x13 => {
                self.fields.push(false);
                return;
            }
            0x14 => {
                if let Some(top) = self.fields.last_mut() {
                    *top = true;
                }
                return;
            }
            0x15 => {
                self.fields.pop();
                return;
            }
            _ => {}
        }
        if chp.skip || self.fields.iter().any(|&shown| !shown) {
            return;
        }
        match code {
            0x0D | 0x07 | 0x0B | 0x0C | 0x0E => {
                self.flush();
                self.runs.push_newline();
            }
            0x09 => self.para.push((Unit::Byte(b'\t'), chp.font)),
            0x1E => self.para.push((Unit::Byte(b'-'), chp.font)),
            0x00..=0x1F => {}
            _ => self.para.push((unit, chp.font)),
        }
    }

    /// Ends the current paragraph and any open field (between stories).
    fn break_line(&mut self) {
        self.fields.clear();
        self.flush();
        self.runs.push_newline();
    }

    fn kind(&self, font: Option<u16>) -> Option<FontKind> {
        font.and_then(|f| self.fonts.get(f as usize).copied())
    }

    /// Emits the held paragraph.
    fn flush(&mut self) {
        let para = std::mem::take(&mut self.para);
        // A 16-bit paragraph is legacy text when every non-ASCII character in it has a
        // CP1252 byte behind it (or sits in a legacy font); one real Vietnamese letter
        // outside that range (ư, ạ, đ, …) makes it Unicode.
        let mut has_legacy = false;
        let mut wide_unicode = false;
        for &(unit, font) in &para {
            let kind = self.kind(font);
            match unit {
                Unit::Byte(b) => has_legacy |= b >= 0x80,
                Unit::Wide(w) if w >= 0x80 => {
                    let legacy_font = kind.is_some_and(|k| k.encoding().is_some());
                    let c = char::from_u32(w as u32).unwrap_or('\u{FFFD}');
                    if legacy_font && surface_byte(c).is_some() {
                        has_legacy = true;
                    } else if surface_byte(c).is_none() {
                        wide_unicode = true;
                    } else {
                        has_legacy = true;
                    }
                }
                Unit::Wide(_) => {}
            }
        }
        let wide_legacy = !wide_unicode;
        for (unit, font) in para {
            let kind = self.kind(font);
            if let (Some(f), Some(k)) = (font, kind)
                && k.encoding().is_some()
                && let Some(count) = self.font_counts.get_mut(f as usize)
            {
                *count += 1;
            }
            let kind = kind.unwrap_or(FontKind::Other);
            match unit {
                Unit::Byte(b) if has_legacy || b < 0x80 => {
                    self.runs.push_byte(b, cp1252_char(b), kind)
                }
                Unit::Byte(b) => self.runs.push_char(cp1252_char(b)),
                Unit::Wide(w) => {
                    let c = char::from_u32(w as u32).unwrap_or('\u{FFFD}');
                    match surface_byte(c) {
                        Some(b) if wide_legacy && has_legacy => self.runs.push_byte(b, c, kind),
                        _ if c == '\t' => self.runs.push_tab(),
                        _ => self.runs.push_char(c),
                    }
                }
            }
        }
    }

    fn finish(mut self) -> Runs {
        self.flush();
        let counted: usize = self.font_counts.iter().sum();
        for (i, name) in self.font_names.iter().enumerate() {
            let kind = self.fonts[i];
            if counted > 0 {
                let n = self.font_counts[i];
                if n > 0 {
                    self.runs.note_font(name, kind, n);
                }
            } else if kind.encoding().is_some() {
                // No run says its font: the font table alone is the clue.
                self.runs.note_font(name, kind, 1);
            }
        }
        self.runs
    }
}

#[cfg(test)]
pub(super) fn extract_for_test(bytes: &[u8]) -> Runs {
    extract(bytes).unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cp1252_round_trips_through_surface_byte() {
        for b in 0..=255u8 {
            assert_eq!(surface_byte(cp1252_char(b)), Some(b), "{b:#04x}");
        }
    }

    #[test]
    fn clx_with_a_prc_and_two_pieces() {
        let mut clx = vec![0x01, 0x02, 0x00, 0xAA, 0xBB, 0x02];
        let mut plc = Vec::new();
        for cp in [0u32, 5, 9] {
            plc.extend_from_slice(&cp.to_le_bytes());
        }
        for fc in [0x4000_0000u32 | 2048, 4096] {
            plc.extend_from_slice(&0u16.to_le_bytes());
            plc.extend_from_slice(&fc.to_le_bytes());
            plc.extend_from_slice(&0u16.to_le_bytes());
        }
        clx.extend_from_slice(&(plc.len() as u32).to_le_bytes());
        clx.extend_from_slice(&plc);
        let pieces = parse_clx(&clx).unwrap();
        assert_eq!(
            pieces,
            vec![
                Piece {
                    cp_start: 0,
                    cp_end: 5,
                    fc: 1024,
                    compressed: true
                },
                Piece {
                    cp_start: 5,
                    cp_end: 9,
                    fc: 4096,
                    compressed: false
                },
            ]
        );
        for len in 0..clx.len() {
            let _ = parse_clx(&clx[..len]);
        }
    }

    use crate::read::legacy::Run;

    /// Feeds `text` as a 16-bit piece in font 0 (`font`) and returns the runs.
    fn wide(text: &str, font: &str) -> Vec<Run> {
        let names = vec![font.to_string()];
        let chpx: ChpRuns = vec![(
            0,
            1 << 20,
            Chp {
                font: Some(0),
                ..Chp::default()
            },
        )];
        let (paras, styles) = (ParaRuns::new(), Styles::default());
        let mut w = Walker::new(&names, &chpx, &paras, &styles);
        for (i, u) in text.encode_utf16().enumerate() {
            w.unit(2 * i as u32, Unit::Wide(u));
        }
        w.finish().runs().to_vec()
    }

    fn legacy(bytes: &[u8], surface: &str, font: Option<Encoding>) -> Run {
        Run::Legacy {
            bytes: bytes.to_vec(),
            upper: false,
            font,
            surface: surface.into(),
        }
    }

    #[test]
    fn wide_paragraphs_are_legacy_or_unicode_as_a_whole() {
        // TCVN3 bytes shown through CP1252, in a 16-bit piece: legacy bytes.
        assert_eq!(
            wide("Céng hßa\r", "Times New Roman"),
            vec![legacy(b"C\xe9ng h\xdfa\n", "Céng hßa\n", None)]
        );
        // Real Unicode Vietnamese, even with Latin-1 letters (ò, à) in it: kept.
        assert_eq!(
            wide("Cộng hòa\r", "Times New Roman"),
            vec![Run::Text("Cộng hòa\n".into())]
        );
        // Symbol-font code points and CP1252 punctuation carry bytes too.
        assert_eq!(
            wide("\u{F0E9}\u{2013}", ".VnTime"),
            vec![legacy(
                b"\xe9\x96",
                "\u{F0E9}\u{2013}",
                Some(Encoding::Tcvn3)
            )]
        );
    }

    #[test]
    fn fields_show_their_result_and_deleted_text_is_skipped() {
        let names = vec![".VnTime".to_string()];
        let deleted = Chp {
            skip: true,
            ..Chp::default()
        };
        let chpx: ChpRuns = vec![(100, 104, deleted)];
        let (paras, styles) = (ParaRuns::new(), Styles::default());
        let mut w = Walker::new(&names, &chpx, &paras, &styles);
        for (i, &b) in b"a\x13 PAGE \x14"
            .iter()
            .chain(b"7\x15b\x01\x07")
            .enumerate()
        {
            w.unit(i as u32, Unit::Byte(b));
        }
        for (i, &b) in b"gone".iter().enumerate() {
            w.unit(100 + i as u32, Unit::Byte(b));
        }
        w.unit(200, Unit::Byte(b'c'));
        assert_eq!(w.finish().runs(), &[legacy(b"a7b\nc", "a7b\nc", None)]);
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(extract(b"").is_err());
        assert!(extract(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]).is_err());
        assert!(Fib::parse(&[0xEC, 0xA5]).is_err());
    }

    /// A compound file with the given streams.
    fn compound(streams: &[(&str, &[u8])]) -> Vec<u8> {
        use std::io::Write;
        let mut file = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
        for (name, data) in streams {
            file.create_stream(name).unwrap().write_all(data).unwrap();
        }
        file.into_inner().into_inner()
    }

    /// A minimal Word 97 file: FIB, the text pieces at 0x400 and on, a Clx in 1Table.
    fn word97(pieces: &[(&[u8], bool)]) -> Vec<u8> {
        let mut word = vec![0u8; 0x400];
        word[0..2].copy_from_slice(&FIB_MAGIC.to_le_bytes());
        word[2..4].copy_from_slice(&NFIB_WORD97.to_le_bytes());
        word[0x0A..0x0C].copy_from_slice(&(F_WHICH_TBL_STM | F_COMPLEX).to_le_bytes());
        word[32..34].copy_from_slice(&14u16.to_le_bytes()); // csw
        let lw = 34 + 28;
        word[lw..lw + 2].copy_from_slice(&22u16.to_le_bytes()); // cslw
        let rg_fc = lw + 2 + 88;
        word[rg_fc..rg_fc + 2].copy_from_slice(&93u16.to_le_bytes()); // cbRgFcLcb
        let (mut cps, mut pcds, mut cp) = (vec![0u32], Vec::new(), 0u32);
        for (text, wide) in pieces {
            let fc = word.len() as u32;
            word.extend_from_slice(text);
            cp += if *wide {
                text.len() as u32 / 2
            } else {
                text.len() as u32
            };
            cps.push(cp);
            pcds.push(if *wide { fc } else { 0x4000_0000 | (fc * 2) });
        }
        word[lw + 2 + 12..lw + 2 + 16].copy_from_slice(&cp.to_le_bytes()); // ccpText
        let mut plc = Vec::new();
        for c in &cps {
            plc.extend_from_slice(&c.to_le_bytes());
        }
        for fc in &pcds {
            plc.extend_from_slice(&[0, 0]);
            plc.extend_from_slice(&fc.to_le_bytes());
            plc.extend_from_slice(&[0, 0]);
        }
        let mut clx = vec![0x02];
        clx.extend_from_slice(&(plc.len() as u32).to_le_bytes());
        clx.extend_from_slice(&plc);
        let at = rg_fc + 2 + 33 * 8; // fcClx, lcbClx
        word[at + 4..at + 8].copy_from_slice(&(clx.len() as u32).to_le_bytes());
        compound(&[("/WordDocument", &word), ("/1Table", &clx)])
    }

    #[test]
    fn word97_pieces_of_both_widths() {
        let wide: Vec<u8> = "Céng hßa\r"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let unicode: Vec<u8> = "Cộng\x07"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let doc = word97(&[(b"S\xe8: 1\r", false), (&wide, true), (&unicode, true)]);
        let runs = extract(&doc).unwrap();
        assert_eq!(
            runs.runs(),
            &[
                legacy(b"S\xe8: 1\nC\xe9ng h\xdfa\n", "Sè: 1\nCéng hßa\n", None),
                Run::Text("Cộng\n".into()),
            ]
        );
    }

    #[test]
    fn word97_damaged_copies_never_panic() {
        let doc = word97(&[(b"S\xe8: 1\r\x13 PAGE \x14 1\x15\r", false)]);
        assert!(extract(&doc).is_ok());
        for cut in (0..doc.len()).step_by(97) {
            let _ = extract(&doc[..cut]);
        }
        // Overwrite every byte of the WordDocument and table data in turn.
        for at in (0..doc.len()).step_by(3) {
            let mut copy = doc.clone();
            copy[at] ^= 0xA5;
            let _ = extract(&copy);
        }
    }

    #[test]
    fn word6_text_is_read_between_fc_min_and_fc_mac() {
        let mut word = vec![0u8; 0x300];
        word[0..2].copy_from_slice(&FIB_MAGIC.to_le_bytes());
        word[2..4].copy_from_slice(&101u16.to_le_bytes());
        word[0x18..0x1C].copy_from_slice(&0x200u32.to_le_bytes());
        word[0x1C..0x20].copy_from_slice(&0x207u32.to_le_bytes());
        word[0x200..0x207].copy_from_slice(b"H\xb5 N\xe9i\r");
        let runs = extract(&compound(&[("/WordDocument", &word)])).unwrap();
        assert_eq!(runs.runs(), &[legacy(b"H\xb5 N\xe9i\n", "Hµ Néi\n", None)]);
        word[0x0A] = F_COMPLEX as u8;
        assert!(matches!(
            extract(&compound(&[("/WordDocument", &word)])),
            Err(DocError::Unsupported(_))
        ));
    }

    #[test]
    fn encrypted_documents_are_refused_by_name() {
        let mut doc = word97(&[(b"x\r", false)]);
        // Set fEncrypted in the FIB inside the compound file.
        let fib = doc
            .windows(4)
            .position(|w| w == [0xEC, 0xA5, 0xC1, 0x00])
            .unwrap();
        doc[fib + 0x0B] |= (F_ENCRYPTED >> 8) as u8;
        assert!(matches!(extract(&doc), Err(DocError::Unsupported(_))));
    }
}
