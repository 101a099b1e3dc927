//! The UK row-per-name CSV readers (OFSI ConList and FCDO UK Sanctions List) must never panic.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = interdict_lists::uk::read_conlist_csv_reader(data, Path::new("fuzz"), &mut |_| Ok(()));
    let _ =
        interdict_lists::uk::read_sanctions_list_csv_reader(data, Path::new("fuzz"), &mut |_| {
            Ok(())
        });
});
