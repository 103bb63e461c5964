//! The zip container of a Word form: read once (size-capped), written once per record.
//!
//! A filled document is the form's package with some parts replaced and a few added
//! (pictures, relationships). Every other entry is copied as the form stores it: its
//! compressed bytes are not inflated or deflated again, so its content stays byte for byte
//! and costs a copy. The writer is a plain zip writer (local headers, central directory,
//! end record; no zip64: a form is capped far below 4 GiB).

use std::io::{Read, Write};

/// The most uncompressed bytes read from one part; a larger part is refused (zip bombs).
pub(super) const MAX_PART_BYTES: u64 = 64 * 1024 * 1024;

/// The most uncompressed bytes read from all the parts of one form together.
pub(super) const MAX_UNPACKED_BYTES: u64 = 128 * 1024 * 1024;

/// Deflate level of the parts written per record: zlib-rs's fastest, as `render::docx`.
const DEFLATE_LEVEL: u32 = 1;

/// One entry of the form's zip, ready to be copied into every output.
#[derive(Debug, Clone)]
pub(super) struct Entry {
    /// Name in the zip (`word/document.xml`).
    pub(super) name: String,
    /// Deflated (8) or stored (0).
    method: u16,
    /// MS-DOS time and date of the entry, kept.
    time: u16,
    date: u16,
    crc: u32,
    size: u32,
    /// The entry's data as stored in the form (compressed when `method` is 8).
    data: std::ops::Range<usize>,
}

/// The form's zip: its bytes and its entries, in the form's order.
#[derive(Debug)]
pub(super) struct Package {
    pub(super) bytes: Vec<u8>,
    pub(super) entries: Vec<Entry>,
}

impl Package {
    /// Reads the directory of `bytes`. Only stored and deflated entries are accepted (Word
    /// writes nothing else); encrypted ones are refused.
    pub(super) fn read(bytes: Vec<u8>) -> Result<Package, String> {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&bytes[..]))
            .map_err(|e| format!("not a readable zip archive ({e})"))?;
        let mut entries = Vec::with_capacity(archive.len());
        for i in 0..archive.len() {
            let file = archive
                .by_index_raw(i)
                .map_err(|e| format!("entry {}: {e}", i + 1))?;
            let method = match file.compression() {
                zip::CompressionMethod::Stored => 0,
                zip::CompressionMethod::Deflated => 8,
                other => {
                    return Err(format!("{}: unsupported compression {other}", file.name()));
                }
            };
            if file.encrypted() {
                return Err(format!("{}: encrypted", file.name()));
            }
            let start = usize::try_from(file.data_start()).map_err(|e| e.to_string())?;
            let len = usize::try_from(file.compressed_size()).map_err(|e| e.to_string())?;
            let end = start
                .checked_add(len)
                .filter(|end| *end <= bytes.len())
                .ok_or_else(|| format!("{}: data past the end of the file", file.name()))?;
            let size =
                u32::try_from(file.size()).map_err(|_| format!("{}: over 4 GiB", file.name()))?;
            let (time, date) = file
                .last_modified()
                .map_or((0, 0x21), |d| (d.timepart(), d.datepart()));
            entries.push(Entry {
                name: file.name().to_string(),
                method,
                time,
                date,
                crc: file.crc32(),
                size,
                data: start..end,
            });
        }
        Ok(Package { bytes, entries })
    }

    /// The entry called `name`.
    pub(super) fn entry(&self, name: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.name == name)
    }

    /// The uncompressed bytes of `entry`, refused past `budget` or [`MAX_PART_BYTES`]
    /// (whatever the entry claims), and checked against its CRC.
    pub(super) fn inflate(&self, entry: &Entry, budget: u64) -> Result<Vec<u8>, String> {
        let cap = MAX_PART_BYTES.min(budget);
        if u64::from(entry.size) > cap {
            return Err(format!(
                "{} unpacks to {} bytes, over the limit of {cap}",
                entry.name, entry.size
            ));
        }
        let data = &self.bytes[entry.data.clone()];
        let mut out = Vec::with_capacity(entry.size as usize);
        match entry.method {
            0 => out.extend_from_slice(data),
            _ => {
                flate2::read::DeflateDecoder::new(data)
                    .take(cap + 1)
                    .read_to_end(&mut out)
                    .map_err(|e| format!("{}: {e}", entry.name))?;
            }
        }
        if out.len() as u64 > cap {
            return Err(format!(
                "{} unpacks to over {cap} bytes (more than it claims)",
                entry.name
            ));
        }
        let mut crc = flate2::Crc::new();
        crc.update(&out);
        if crc.sum() != entry.crc {
            return Err(format!(
                "{}: checksum mismatch (a damaged file)",
                entry.name
            ));
        }
        Ok(out)
    }
}

/// What a filled document holds in place of an entry of the form, or beside them.
pub(super) enum Content<'a> {
    /// The form's entry, copied as stored.
    Form(&'a Entry),
    /// New bytes for a part (deflated when written).
    New(&'a str, &'a [u8]),
}

/// Writes a zip holding `contents` in order.
pub(super) fn write(form: &Package, contents: &[Content<'_>]) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(form.bytes.len() + 64 * 1024);
    let mut central = Vec::with_capacity(contents.len() * 80);
    for content in contents {
        let offset = u32::try_from(out.len()).map_err(|_| "document over 4 GiB".to_string())?;
        let (entry, compressed);
        let data: &[u8] = match content {
            Content::Form(e) => {
                entry = Entry::clone(e);
                &form.bytes[e.data.clone()]
            }
            Content::New(name, bytes) => {
                let mut crc = flate2::Crc::new();
                crc.update(bytes);
                let mut z = flate2::write::DeflateEncoder::new(
                    Vec::with_capacity(bytes.len() / 4 + 64),
                    flate2::Compression::new(DEFLATE_LEVEL),
                );
                z.write_all(bytes).map_err(|e| e.to_string())?;
                compressed = z.finish().map_err(|e| e.to_string())?;
                entry = Entry {
                    name: (*name).to_string(),
                    method: 8,
                    time: 0,
                    date: 0x21,
                    crc: crc.sum(),
                    size: u32::try_from(bytes.len()).map_err(|_| format!("{name}: over 4 GiB"))?,
                    data: 0..compressed.len(),
                };
                &compressed
            }
        };
        let csize = u32::try_from(data.len()).map_err(|_| "entry over 4 GiB".to_string())?;
        header(&mut out, 0x0403_4b50, &entry, csize, None);
        out.extend_from_slice(data);
        header(&mut central, 0x0201_4b50, &entry, csize, Some(offset));
    }
    let count = u16::try_from(contents.len()).map_err(|_| "too many parts".to_string())?;
    let central_start = u32::try_from(out.len()).map_err(|_| "document over 4 GiB".to_string())?;
    let central_len =
        u32::try_from(central.len()).map_err(|_| "directory over 4 GiB".to_string())?;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&central_len.to_le_bytes());
    out.extend_from_slice(&central_start.to_le_bytes());
    out.extend_from_slice(&[0; 2]);
    Ok(out)
}

/// A local file header (`offset` None) or a central directory header.
fn header(out: &mut Vec<u8>, signature: u32, e: &Entry, csize: u32, offset: Option<u32>) {
    let name = e.name.as_bytes();
    out.extend_from_slice(&signature.to_le_bytes());
    if offset.is_some() {
        out.extend_from_slice(&20u16.to_le_bytes()); // version made by
    }
    out.extend_from_slice(&20u16.to_le_bytes()); // version needed
    // Bit 11: the name is UTF-8.
    out.extend_from_slice(&(1u16 << 11).to_le_bytes());
    out.extend_from_slice(&e.method.to_le_bytes());
    out.extend_from_slice(&e.time.to_le_bytes());
    out.extend_from_slice(&e.date.to_le_bytes());
    out.extend_from_slice(&e.crc.to_le_bytes());
    out.extend_from_slice(&csize.to_le_bytes());
    out.extend_from_slice(&e.size.to_le_bytes());
    out.extend_from_slice(&(name.len() as u16).to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes()); // extra field
    if let Some(offset) = offset {
        out.extend_from_slice(&0u16.to_le_bytes()); // comment
        out.extend_from_slice(&0u16.to_le_bytes()); // disk
        out.extend_from_slice(&0u16.to_le_bytes()); // internal attributes
        out.extend_from_slice(&0u32.to_le_bytes()); // external attributes
        out.extend_from_slice(&offset.to_le_bytes());
    }
    out.extend_from_slice(name);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (name, bytes) in parts {
            w.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            w.write_all(bytes).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn copies_entries_and_replaces_parts() {
        let form = Package::read(zip_of(&[("a.xml", b"<a/>"), ("b.xml", b"<b/>")])).unwrap();
        let a = form.entry("a.xml").unwrap();
        let out = write(
            &form,
            &[Content::Form(a), Content::New("b.xml", b"<b>new</b>")],
        )
        .unwrap();
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(out)).unwrap();
        let mut read = |name: &str| {
            let mut s = String::new();
            z.by_name(name).unwrap().read_to_string(&mut s).unwrap();
            s
        };
        assert_eq!(read("a.xml"), "<a/>");
        assert_eq!(read("b.xml"), "<b>new</b>");
    }

    #[test]
    fn a_part_larger_than_it_claims_is_refused() {
        let form = Package::read(zip_of(&[("a.xml", &[b'x'; 5000])])).unwrap();
        let e = form.entry("a.xml").unwrap();
        assert!(form.inflate(e, 100).unwrap_err().contains("over the limit"));
        assert_eq!(form.inflate(e, 10_000).unwrap().len(), 5000);
    }
}
