//! Opening list files: transparent decompression and error positions.
//!
//! Compression is recognised by magic bytes, not by file name: gzip (`1f 8b`), bzip2 (`BZh`)
//! and zip (`PK\x03\x04`). A zip must hold exactly one list file (directories and
//! `__MACOSX` entries are ignored); spreadsheets (.xlsx, which are zips too) are opened by
//! the UK reader with calamine, not here.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use crate::error::{ListError, Position};

/// Compression wrapper detected on a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    None,
    Gzip,
    Bzip2,
    Zip,
}

/// Reads the first bytes of a file to tell its compression.
pub fn sniff_compression(path: &Path) -> Result<Compression, ListError> {
    let mut f = File::open(path).map_err(|e| ListError::io(path, e))?;
    let mut magic = [0u8; 4];
    let n = read_up_to(&mut f, &mut magic).map_err(|e| ListError::io(path, e))?;
    Ok(match &magic[..n] {
        [0x1f, 0x8b, ..] => Compression::Gzip,
        [b'B', b'Z', b'h', ..] => Compression::Bzip2,
        [b'P', b'K', 3, 4] => Compression::Zip,
        _ => Compression::None,
    })
}

fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// The names of the members of a zip file (files only).
pub fn zip_members(path: &Path) -> Result<Vec<String>, ListError> {
    let f = File::open(path).map_err(|e| ListError::io(path, e))?;
    let z = zip::ZipArchive::new(f).map_err(|e| {
        ListError::syntax(path, Position::default(), format!("bad zip archive: {e}"))
    })?;
    Ok(z.file_names()
        .filter(|n| !n.ends_with('/') && !n.starts_with("__MACOSX"))
        .map(String::from)
        .collect())
}

/// Opens a file for reading its decompressed content as bytes.
pub fn open(path: &Path) -> Result<Box<dyn BufRead + Send>, ListError> {
    const BUF: usize = 256 * 1024;
    let compression = sniff_compression(path)?;
    let f = File::open(path).map_err(|e| ListError::io(path, e))?;
    Ok(match compression {
        Compression::None => Box::new(BufReader::with_capacity(BUF, f)),
        Compression::Gzip => Box::new(BufReader::with_capacity(
            BUF,
            flate2::read::MultiGzDecoder::new(BufReader::new(f)),
        )),
        Compression::Bzip2 => Box::new(BufReader::with_capacity(
            BUF,
            bzip2::read::MultiBzDecoder::new(BufReader::with_capacity(BUF, f)),
        )),
        Compression::Zip => {
            let mut z = zip::ZipArchive::new(f).map_err(|e| {
                ListError::syntax(path, Position::default(), format!("bad zip archive: {e}"))
            })?;
            let members = zip_members(path)?;
            let [member] = members.as_slice() else {
                return Err(ListError::UnknownFormat {
                    path: path.to_path_buf(),
                    detail: format!(
                        "a zip must hold exactly one list file, this one holds {}: {}",
                        members.len(),
                        members.join(", ")
                    ),
                });
            };
            // zip's member reader borrows the archive, so unpack the one member into memory.
            // Official zipped lists are a few tens of MB at most.
            let mut entry = z.by_name(member).map_err(|e| {
                ListError::syntax(
                    path,
                    Position::default(),
                    format!("bad zip member {member}: {e}"),
                )
            })?;
            let mut buf = Vec::with_capacity(entry.size().min(1 << 30) as usize);
            entry
                .read_to_end(&mut buf)
                .map_err(|e| ListError::io(path, e))?;
            Box::new(io::Cursor::new(buf))
        }
    })
}

/// Reads the first `n` bytes of decompressed content (for format detection).
pub fn peek(path: &Path, n: usize) -> Result<Vec<u8>, ListError> {
    let mut r = open(path)?;
    let mut buf = vec![0u8; n];
    let k = read_up_to(&mut r, &mut buf).map_err(|e| ListError::io(path, e))?;
    buf.truncate(k);
    Ok(buf)
}

/// 1-based line number of a byte offset in the decompressed content, computed by reading the
/// file again (only on the error path, so parsers need not count lines as they go).
pub fn line_of(path: &Path, byte: u64) -> Option<u64> {
    let mut r = open(path).ok()?;
    let mut remaining = byte;
    let mut line = 1u64;
    let mut buf = vec![0u8; 64 * 1024];
    while remaining > 0 {
        let k = r.read(&mut buf).ok()?;
        if k == 0 {
            break;
        }
        let take = (k as u64).min(remaining) as usize;
        line += buf[..take].iter().filter(|b| **b == b'\n').count() as u64;
        remaining -= take as u64;
    }
    Some(line)
}

/// Position of a byte offset, with its line number looked up.
pub fn position(path: &Path, byte: u64) -> Position {
    Position {
        line: line_of(path, byte),
        byte: Some(byte),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn tmp(name: &str, bytes: &[u8]) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("interdict-input-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }

    #[test]
    fn decompresses_by_content() {
        let text = b"line one\nline two\n";
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(text).unwrap();
        let p = tmp("list.dat", &gz.finish().unwrap());
        assert_eq!(sniff_compression(&p).unwrap(), Compression::Gzip);
        let mut s = String::new();
        open(&p).unwrap().read_to_string(&mut s).unwrap();
        assert_eq!(s.as_bytes(), text);

        let mut bz = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::default());
        bz.write_all(text).unwrap();
        let p = tmp("list2.dat", &bz.finish().unwrap());
        assert_eq!(peek(&p, 4).unwrap(), b"line");
        assert_eq!(line_of(&p, 10), Some(2));
    }

    #[test]
    fn zip_with_one_member() {
        let mut buf = io::Cursor::new(Vec::new());
        {
            let mut z = zip::ZipWriter::new(&mut buf);
            z.start_file("sdn.xml", zip::write::SimpleFileOptions::default())
                .unwrap();
            z.write_all(b"<sdnList/>").unwrap();
            z.finish().unwrap();
        }
        let p = tmp("list.zip", buf.get_ref());
        assert_eq!(peek(&p, 100).unwrap(), b"<sdnList/>");
    }

    #[test]
    fn missing_file_names_path() {
        let err = open(Path::new("/nonexistent/list.xml")).err().unwrap();
        assert!(err.to_string().contains("/nonexistent/list.xml"));
    }
}
