//! Times the OFAC Advanced XML reader on a file (default: the shared 2025-11-19 SDN file).
//!
//! ```text
//! cargo build --release -p interdict-lists --example ofac_advanced_bench
//! /usr/bin/time -v target/release/examples/ofac_advanced_bench [FILE]
//! ```
//!
//! Pass a bzip2 file to include decompression, an unpacked one to time parsing alone. Further
//! arguments are entity ids (`ofac-47814`) to print as JSON.

use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let path = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../../shared/data/lists/ofac/sdn_advanced-2025-11-19.xml.bz2"
            ))
        });
    let show: Vec<String> = std::env::args().skip(2).collect();
    let started = Instant::now();
    let (mut names, mut ids) = (0usize, 0usize);
    let result = interdict_lists::ofac_advanced::read(&path, &mut |e| {
        names += e.names.len();
        ids += e.identifiers.len();
        if show.contains(&e.id) {
            println!("{}", serde_json::to_string_pretty(&e).unwrap_or_default());
        }
        Ok(())
    });
    match result {
        Ok(info) => println!(
            "{}: {} entities, {names} names, {ids} identifiers, issued {:?}, in {:.2?}",
            path.display(),
            info.entities,
            info.issued,
            started.elapsed()
        ),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
