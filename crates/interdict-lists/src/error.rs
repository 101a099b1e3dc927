//! Errors that name where in which file the problem is.

use std::fmt;
use std::path::{Path, PathBuf};

/// A position in an input file. Either part may be unknown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Position {
    /// 1-based line number.
    pub line: Option<u64>,
    /// 0-based byte offset into the (decompressed) content.
    pub byte: Option<u64>,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.byte) {
            (Some(l), Some(b)) => write!(f, "line {l}, byte {b}"),
            (Some(l), None) => write!(f, "line {l}"),
            (None, Some(b)) => write!(f, "byte {b}"),
            (None, None) => f.write_str("unknown position"),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ListError {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: the file is empty", path.display())]
    Empty { path: PathBuf },
    #[error("{}: unknown list format: {detail}", path.display())]
    UnknownFormat { path: PathBuf, detail: String },
    /// Malformed content: broken XML/CSV/JSON syntax, invalid UTF-8, truncation.
    #[error("{}: {pos}: {msg}", path.display())]
    Syntax {
        path: PathBuf,
        pos: Position,
        msg: String,
    },
    /// Well-formed content that does not fit the format (missing or invalid field).
    #[error("{}: {pos}: field {field}: {msg}", path.display())]
    Field {
        path: PathBuf,
        pos: Position,
        field: String,
        msg: String,
    },
    /// Returned by a sink to stop reading.
    #[error("stopped: {0}")]
    Stopped(String),
}

impl ListError {
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        ListError::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    /// A csv crate error with its line and byte position.
    pub fn csv(path: &Path, e: csv::Error) -> Self {
        let pos = e
            .position()
            .map(|p| Position {
                line: Some(p.line()),
                byte: Some(p.byte()),
            })
            .unwrap_or_default();
        match e.into_kind() {
            csv::ErrorKind::Io(io) => ListError::io(path, io),
            csv::ErrorKind::Utf8 { err, .. } => ListError::syntax(
                path,
                pos,
                format!("invalid UTF-8 in field {}", err.field() + 1),
            ),
            other => ListError::syntax(path, pos, format!("malformed CSV: {other:?}")),
        }
    }

    pub fn syntax(path: &Path, pos: Position, msg: impl Into<String>) -> Self {
        ListError::Syntax {
            path: path.to_path_buf(),
            pos,
            msg: msg.into(),
        }
    }

    pub fn field(
        path: &Path,
        pos: Position,
        field: impl Into<String>,
        msg: impl Into<String>,
    ) -> Self {
        ListError::Field {
            path: path.to_path_buf(),
            pos,
            field: field.into(),
            msg: msg.into(),
        }
    }
}
