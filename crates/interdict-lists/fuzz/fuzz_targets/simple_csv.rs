//! The simple CSV reader must never panic.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = interdict_lists::simple_csv::read_reader(data, Path::new("fuzz"), &mut |_| Ok(()));
});
