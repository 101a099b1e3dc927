//! (in progress: being written)
use crate::{ListError, ListInfo, Sink};
use std::path::Path;
pub fn read(path: &Path, _sink: &mut Sink<'_>) -> Result<ListInfo, ListError> {
    Err(ListError::UnknownFormat {
        path: path.to_path_buf(),
        detail: "reader not written yet".into(),
    })
}
