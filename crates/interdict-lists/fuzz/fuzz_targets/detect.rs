//! Format detection must never panic, whatever the bytes: it either names a format or returns
//! an error (`Empty`, `UnknownFormat`, a zip or decompression error) that names the file.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

/// One scratch file per fuzzing process, rewritten for every input (in memory-backed
/// `/dev/shm` where there is one: it is several times faster than a disk).
fn scratch() -> &'static PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let shm = PathBuf::from("/dev/shm");
        let dir = if shm.is_dir() {
            shm
        } else {
            std::env::temp_dir()
        };
        dir.join(format!("interdict-fuzz-detect-{}", std::process::id()))
    })
}

fuzz_target!(|data: &[u8]| {
    let path = scratch();
    if std::fs::write(path, data).is_err() {
        return;
    }
    match interdict_lists::detect::detect(path) {
        Ok(format) => {
            // Whatever was recognised must round-trip through its name.
            assert_eq!(
                format.as_str().parse::<interdict_lists::Format>(),
                Ok(format)
            );
        }
        Err(e) => {
            let msg = e.to_string();
            assert!(!msg.is_empty());
        }
    }
});
