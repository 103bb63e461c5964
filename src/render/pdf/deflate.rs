//! Stream compression: one zlib compressor (zlib-rs through flate2) reused for every
//! stream of a PDF.

/// Compression level of streams. zlib-rs at level 1 is three times faster than at 6 and
/// the ke-hoach fixture's PDF grows only from 37 to 43 KB (the budget is 60).
const LEVEL: u8 = 1;

/// A zlib compressor reused for every stream of a PDF (zlib-rs through flate2).
pub(super) struct Deflater(flate2::Compress);

impl Deflater {
    pub(super) fn new() -> Deflater {
        Deflater(flate2::Compress::new(
            flate2::Compression::new(u32::from(LEVEL)),
            true,
        ))
    }

    /// `input` compressed as one zlib stream.
    pub(super) fn zlib(&mut self, input: &[u8]) -> Vec<u8> {
        self.0.reset();
        let mut out = Vec::with_capacity(input.len() / 2 + 64);
        loop {
            let before = self.0.total_in() as usize;
            let status = self.0.compress_vec(
                &input[before.min(input.len())..],
                &mut out,
                flate2::FlushCompress::Finish,
            );
            match status {
                Ok(flate2::Status::StreamEnd) => return out,
                Ok(_) => out.reserve(out.capacity().max(64)),
                // Only on a bug in the compressor: store the data uncompressed instead.
                Err(_) => return zlib_once(input),
            }
        }
    }
}

/// One-shot compression with a fresh compressor, should the reused one ever fail.
fn zlib_once(input: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(1));
    match e.write_all(input) {
        Ok(()) => e.finish().unwrap_or_default(),
        Err(_) => Vec::new(),
    }
}
