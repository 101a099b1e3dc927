//! The EU FSF XML reader must never panic: any bytes give entities or an error naming the input.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = interdict_lists::eu::read_reader(data, Path::new("fuzz"), &mut |_| Ok(()));
});
