//! Fuzzes the ofac_advanced reader with arbitrary bytes: it must return an error or entities, never
//! panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let _ = interdict_lists::ofac_advanced::read_reader(data, Path::new("fuzz"), &mut |_| Ok(()));
});
