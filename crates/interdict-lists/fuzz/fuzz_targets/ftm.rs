//! The FtM JSON lines reader (entities and deltas) must never panic.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = interdict_lists::ftm::read_reader(data, Path::new("fuzz"), &mut |_| Ok(()));
    let _ = interdict_lists::ftm::read_delta_reader(data, Path::new("fuzz"));
});
