//! Small helpers over hayro-syntax objects: numbers, matrices, and stream decoding within
//! one budget for the whole PDF.

use std::cell::Cell;
use std::io::Read;

use hayro_syntax::Filter;
use hayro_syntax::object::{Dict, Object, Stream};

/// The decoded bytes vanban may still inflate for one PDF (content, form, CMap and font
/// streams together). Once spent, further streams are skipped and the page says so.
#[derive(Debug)]
pub(crate) struct Budget {
    left: Cell<u64>,
    exhausted: Cell<bool>,
}

impl Budget {
    pub(crate) fn new(bytes: u64) -> Self {
        Budget {
            left: Cell::new(bytes),
            exhausted: Cell::new(false),
        }
    }

    /// Whether some stream was skipped for want of budget.
    pub(crate) fn exhausted(&self) -> bool {
        self.exhausted.get()
    }

    pub(crate) fn take(&self, n: u64) -> bool {
        match self.left.get().checked_sub(n) {
            Some(rest) => {
                self.left.set(rest);
                true
            }
            None => {
                self.left.set(0);
                self.exhausted.set(true);
                false
            }
        }
    }
}

/// A stream's decoded bytes, or `None` if it cannot be decoded or the budget is spent.
///
/// Plain Flate (the filter of nearly every content and font stream) is inflated here through
/// a reader that stops at the budget, so a small zip bomb never grows past it; a stream cut
/// short by damage keeps what inflated before the damage. Other filters go through
/// hayro-syntax, and their output is charged to the budget afterwards.
pub(crate) fn decode(stream: &Stream<'_>, budget: &Budget) -> Option<Vec<u8>> {
    let filters = stream.filters();
    let raw = stream.raw_data();
    let plain_flate = filters.as_slice() == [Filter::FlateDecode]
        && !stream.dict().contains_key(b"DecodeParms")
        && !stream.dict().contains_key(b"DP");
    let data = if filters.is_empty() {
        raw.into_owned()
    } else if plain_flate {
        let cap = budget.left.get();
        let mut out = inflate(&raw, cap, true);
        if out.is_empty() {
            out = inflate(&raw, cap, false);
        }
        out
    } else {
        stream.decoded().ok()?.into_owned()
    };
    budget.take(data.len() as u64).then_some(data)
}

/// Inflates zlib (or raw deflate) data, at most `cap + 1` bytes; keeps what came out before
/// an error.
fn inflate(raw: &[u8], cap: u64, zlib: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let limit = cap.saturating_add(1);
    let _ = if zlib {
        flate2::read::ZlibDecoder::new(raw)
            .take(limit)
            .read_to_end(&mut out)
    } else {
        flate2::read::DeflateDecoder::new(raw)
            .take(limit)
            .read_to_end(&mut out)
    };
    out
}

/// A number operand or dictionary value as `f32`.
pub(crate) fn number(object: &Object<'_>) -> Option<f32> {
    match object {
        Object::Number(n) => Some(n.as_f32()).filter(|v| v.is_finite()),
        _ => None,
    }
}

/// A 2D affine matrix `[a b c d e f]`, as PDF writes them.
pub(crate) type Matrix = [f32; 6];

/// The identity matrix.
pub(crate) const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `m × n`: first `m`, then `n`.
pub(crate) fn multiply(m: &Matrix, n: &Matrix) -> Matrix {
    [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]
}

/// The point `(x, y)` through `m`.
pub(crate) fn apply(m: &Matrix, x: f32, y: f32) -> (f32, f32) {
    (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])
}

/// A matrix from six number operands or array items; `None` unless all six are numbers.
pub(crate) fn matrix<'o>(items: impl IntoIterator<Item = &'o Object<'o>>) -> Option<Matrix> {
    let mut m = [0.0f32; 6];
    let mut n = 0;
    for item in items {
        if n == 6 {
            return None;
        }
        m[n] = number(item)?;
        n += 1;
    }
    (n == 6).then_some(m)
}

/// A dictionary's `Matrix`-like array entry (six numbers).
pub(crate) fn dict_matrix(dict: &Dict<'_>, key: &[u8]) -> Option<Matrix> {
    let items: Vec<f32> = dict
        .get::<hayro_syntax::object::Array<'_>>(key)?
        .iter::<f32>()
        .collect();
    let m: [f32; 6] = items.try_into().ok()?;
    m.iter().all(|v| v.is_finite()).then_some(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrices() {
        let scale = [2.0, 0.0, 0.0, 2.0, 0.0, 0.0];
        let shift = [1.0, 0.0, 0.0, 1.0, 10.0, 20.0];
        assert_eq!(apply(&multiply(&scale, &shift), 1.0, 1.0), (12.0, 22.0));
        assert_eq!(apply(&multiply(&shift, &scale), 1.0, 1.0), (22.0, 42.0));
    }

    #[test]
    fn inflate_stops_at_the_cap() {
        use std::io::Write;
        let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        enc.write_all(&vec![0u8; 1 << 20]).unwrap();
        let bomb = enc.finish().unwrap();
        assert_eq!(inflate(&bomb, 1000, true).len(), 1001);
    }
}
