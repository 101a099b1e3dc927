//! Format detection from content.

use serde::Serialize;
use std::fmt;
use std::path::Path;
use std::str::FromStr;

use crate::error::ListError;
use crate::input::{self, Compression};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// OFAC SDN/consolidated CSV set: sdn.csv (+ alt.csv, add.csv, sdn_comments.csv), a folder
    /// or a single sdn.csv.
    OfacCsv,
    /// OFAC classic XML (sdn.xml, consolidated.xml).
    OfacXml,
    /// OFAC Advanced XML (sdn_advanced.xml, cons_advanced.xml).
    OfacAdvanced,
    /// UN Security Council consolidated list XML.
    UnXml,
    /// EU Financial Sanctions File XML 1.1.
    EuXml,
    /// UK OFSI Consolidated List, ConList.csv layout.
    UkConlistCsv,
    /// UK OFSI Consolidated List spreadsheet (.xlsx).
    UkConlistXlsx,
    /// FCDO UK Sanctions List, CSV.
    UkSanctionsListCsv,
    /// FCDO UK Sanctions List, XML.
    UkSanctionsListXml,
    /// FollowTheMoney JSON lines (OpenSanctions exports, delta files).
    Ftm,
    /// Interdict's simple CSV for a user's own list (see docs/formats.md).
    SimpleCsv,
}

impl Format {
    pub const ALL: [Format; 11] = [
        Format::OfacCsv,
        Format::OfacXml,
        Format::OfacAdvanced,
        Format::UnXml,
        Format::EuXml,
        Format::UkConlistCsv,
        Format::UkConlistXlsx,
        Format::UkSanctionsListCsv,
        Format::UkSanctionsListXml,
        Format::Ftm,
        Format::SimpleCsv,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::OfacCsv => "ofac-csv",
            Format::OfacXml => "ofac-xml",
            Format::OfacAdvanced => "ofac-advanced",
            Format::UnXml => "un-xml",
            Format::EuXml => "eu-xml",
            Format::UkConlistCsv => "uk-conlist-csv",
            Format::UkConlistXlsx => "uk-conlist-xlsx",
            Format::UkSanctionsListCsv => "uk-sanctions-list-csv",
            Format::UkSanctionsListXml => "uk-sanctions-list-xml",
            Format::Ftm => "ftm",
            Format::SimpleCsv => "simple-csv",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .iter()
            .copied()
            .find(|f| f.as_str() == s)
            .ok_or_else(|| {
                let names: Vec<_> = Format::ALL.iter().map(|f| f.as_str()).collect();
                format!(
                    "unknown format {s:?}; expected one of: auto, {}",
                    names.join(", ")
                )
            })
    }
}

/// How much decompressed content detection looks at. Large enough for the XML prolog and root
/// element of every supported format (the OFAC Advanced root carries long schema locations).
const HEAD_BYTES: usize = 64 * 1024;

/// What each format looks like, for error messages.
const EXPECTED: &str = "expected an XML list (root sdnList: OFAC; Sanctions with the \
ADVANCED_XML namespace: OFAC Advanced; CONSOLIDATED_LIST: UN; export in the \
http://eu.europa.ec/fpi/fsd/export namespace: EU FSF; Designations: UK Sanctions List), \
FtM JSON lines (each line a {…} object), OFAC sdn.csv rows (<digits>,\"…\"), \
the UK ConList CSV (first line `Last Updated,…`), the UK Sanctions List CSV (a header with \
`Unique ID` and `Name 6`), or a CSV with a header row naming `id` and `name` columns";

/// File names that make a folder or a zip an OFAC CSV set.
const OFAC_CSV_MAIN: [&str; 2] = ["sdn.csv", "cons_prim.csv"];

/// Detects the format of a list file or folder from its content (never from its name).
///
/// * a folder, or a zip, holding `sdn.csv` or `cons_prim.csv` is an OFAC CSV set;
/// * a zip holding `xl/workbook.xml` is the UK ConList spreadsheet;
/// * anything else is recognised from its first bytes, after decompression.
pub fn detect(path: &Path) -> Result<Format, ListError> {
    let meta = std::fs::metadata(path).map_err(|e| ListError::io(path, e))?;
    if meta.is_dir() {
        return detect_dir(path);
    }
    if meta.len() == 0 {
        return Err(ListError::Empty {
            path: path.to_path_buf(),
        });
    }
    if input::sniff_compression(path)? == Compression::Zip {
        let members = input::zip_members(path)?;
        if members.iter().any(|m| m == "xl/workbook.xml") {
            return Ok(Format::UkConlistXlsx);
        }
        if members.iter().any(|m| is_ofac_csv_main(m)) {
            return Ok(Format::OfacCsv);
        }
        if members.len() != 1 {
            return Err(unknown(
                path,
                format!(
                    "a zip holding {} files ({}); expected one list file, an OFAC CSV set \
                     (sdn.csv or cons_prim.csv) or an .xlsx workbook",
                    members.len(),
                    preview_list(&members)
                ),
            ));
        }
    }
    let head = input::peek(path, HEAD_BYTES)?;
    detect_head(&head).map_err(|detail| {
        if detail.is_empty() {
            ListError::Empty {
                path: path.to_path_buf(),
            }
        } else {
            unknown(path, detail)
        }
    })
}

fn unknown(path: &Path, detail: String) -> ListError {
    ListError::UnknownFormat {
        path: path.to_path_buf(),
        detail,
    }
}

/// The last path component, lowercased, of a file or zip member name.
fn base_name(name: &str) -> String {
    name.rsplit(['/', '\\'])
        .next()
        .unwrap_or(name)
        .to_ascii_lowercase()
}

fn is_ofac_csv_main(name: &str) -> bool {
    OFAC_CSV_MAIN.contains(&base_name(name).as_str())
}

fn preview_list(names: &[String]) -> String {
    const SHOW: usize = 8;
    let mut s = names
        .iter()
        .take(SHOW)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > SHOW {
        s.push_str(&format!(", … ({} more)", names.len() - SHOW));
    }
    s
}

fn detect_dir(path: &Path) -> Result<Format, ListError> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(path).map_err(|e| ListError::io(path, e))? {
        let entry = entry.map_err(|e| ListError::io(path, e))?;
        names.push(entry.file_name().to_string_lossy().into_owned());
    }
    if names.iter().any(|n| is_ofac_csv_main(n)) {
        return Ok(Format::OfacCsv);
    }
    names.sort();
    Err(unknown(
        path,
        format!(
            "a folder is read as an OFAC CSV set and must hold sdn.csv or cons_prim.csv; \
             this one holds {}",
            if names.is_empty() {
                "nothing".to_string()
            } else {
                preview_list(&names)
            }
        ),
    ))
}

/// Recognises a format from the first decompressed bytes. `Err("")` means the content is
/// empty (or only white space); any other `Err` is a description of what was seen.
fn detect_head(head: &[u8]) -> Result<Format, String> {
    if head.starts_with(&[0xff, 0xfe]) || head.starts_with(&[0xfe, 0xff]) {
        return Err(format!(
            "UTF-16 text (byte order mark); {EXPECTED} in UTF-8"
        ));
    }
    let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    // A cut in the middle of a multi-byte character at the end of the head is not an error.
    let text = match std::str::from_utf8(head) {
        Ok(t) => t,
        Err(e) if e.error_len().is_none() => {
            std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or_default()
        }
        Err(e) => {
            return Err(format!(
                "binary or non-UTF-8 content (invalid UTF-8 at byte {}); {EXPECTED}",
                e.valid_up_to()
            ))
        }
    };
    if text.contains('\0') {
        return Err(format!("binary content (NUL bytes); {EXPECTED}"));
    }
    let text = text.trim_start();
    if text.is_empty() {
        return Err(String::new());
    }
    if text.starts_with('<') {
        return detect_xml(text);
    }
    if text.starts_with('{') {
        return Ok(Format::Ftm);
    }
    detect_csv(text)
}

/// The root element's qualified name and the text of its start tag (attributes, namespace
/// declarations), skipping the XML declaration, comments, processing instructions and the
/// document type declaration.
fn xml_root(text: &str) -> Option<(&str, &str)> {
    let mut rest = text;
    loop {
        rest = rest.trim_start();
        if let Some(r) = rest.strip_prefix("<?") {
            rest = &r[r.find("?>")? + 2..];
        } else if let Some(r) = rest.strip_prefix("<!--") {
            rest = &r[r.find("-->")? + 3..];
        } else if let Some(r) = rest.strip_prefix("<!") {
            // DOCTYPE, possibly with an internal subset in brackets.
            let end = match (r.find('['), r.find('>')) {
                (Some(b), Some(g)) if b < g => b + r[b..].find("]>")? + 1,
                (_, Some(g)) => g,
                _ => return None,
            };
            rest = &r[end + 1..];
        } else if let Some(r) = rest.strip_prefix('<') {
            let tag = &r[..r.find('>')?];
            let name_end = tag
                .find(|c: char| c.is_whitespace() || c == '/')
                .unwrap_or(tag.len());
            return Some((&tag[..name_end], &tag[name_end..]));
        } else {
            return None;
        }
    }
}

fn detect_xml(text: &str) -> Result<Format, String> {
    let Some((qname, attrs)) = xml_root(text) else {
        return Err(format!(
            "XML whose root element could not be found in the first {HEAD_BYTES} bytes \
             (starts {:?}); {EXPECTED}",
            preview(text)
        ));
    };
    let local = qname.rsplit(':').next().unwrap_or(qname);
    let format = match local {
        "sdnList" => Some(Format::OfacXml),
        "Sanctions" if attrs.contains("ADVANCED_XML") => Some(Format::OfacAdvanced),
        "CONSOLIDATED_LIST" => Some(Format::UnXml),
        "export" if attrs.contains("http://eu.europa.ec/fpi/fsd/export") => Some(Format::EuXml),
        "Designations" => Some(Format::UkSanctionsListXml),
        _ => None,
    };
    format.ok_or_else(|| {
        let ns = xml_default_namespace(attrs)
            .map(|ns| format!(" in namespace {ns}"))
            .unwrap_or_else(|| " without a namespace".to_string());
        format!("XML with root element <{qname}>{ns}; {EXPECTED}")
    })
}

fn xml_default_namespace(attrs: &str) -> Option<&str> {
    let at = attrs.find("xmlns=")? + "xmlns=".len();
    let rest = &attrs[at..];
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let rest = &rest[1..];
    Some(&rest[..rest.find(quote)?])
}

/// The fields of one CSV line, unquoted and trimmed.
fn csv_fields(line: &str) -> Vec<String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(line.as_bytes());
    reader
        .records()
        .next()
        .and_then(Result::ok)
        .map(|r| r.iter().map(|f| f.trim().to_string()).collect())
        .unwrap_or_default()
}

fn detect_csv(text: &str) -> Result<Format, String> {
    let mut lines = text.lines().map(|l| l.trim_end_matches('\r'));
    let first = lines.next().unwrap_or_default();
    let second = lines.next().unwrap_or_default();
    let has = |fields: &[String], name: &str| fields.iter().any(|f| f.eq_ignore_ascii_case(name));
    let is_uk_sanctions_header = |line: &str| {
        let fields = csv_fields(line);
        has(&fields, "Unique ID") && has(&fields, "Name 6")
    };

    // The FCDO UK Sanctions List CSV: its header names a `Unique ID` and the six name parts;
    // a `Report Date: …` line may stand above it.
    if is_uk_sanctions_header(first) || is_uk_sanctions_header(second) {
        return Ok(Format::UkSanctionsListCsv);
    }
    if first.starts_with("Last Updated,") {
        return Ok(Format::UkConlistCsv);
    }
    let fields = csv_fields(first);
    if has(&fields, "id") && has(&fields, "name") {
        return Ok(Format::SimpleCsv);
    }
    if is_ofac_csv_row(first) {
        return Ok(Format::OfacCsv);
    }
    Err(format!("text starting {:?}; {EXPECTED}", preview(first)))
}

/// An OFAC sdn.csv row: `<digits>,"…"` (the entity number, then the quoted name).
fn is_ofac_csv_row(line: &str) -> bool {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && line[digits..].starts_with(",\"")
}

/// The start of a line, shortened for an error message.
fn preview(text: &str) -> String {
    const MAX: usize = 80;
    let line = text.lines().next().unwrap_or_default();
    match line.char_indices().nth(MAX) {
        Some((i, _)) => format!("{}…", &line[..i]),
        None => line.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::path::PathBuf;

    /// A fresh scratch folder per test, removed at the end of the test.
    struct Scratch(PathBuf);

    impl Scratch {
        fn new(test: &str) -> Self {
            let dir = std::env::temp_dir()
                .join(format!("interdict-detect-{}-{test}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            Scratch(dir)
        }

        fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
            let p = self.0.join(name);
            std::fs::write(&p, bytes).unwrap();
            p
        }

        fn zip(&self, name: &str, members: &[(&str, &[u8])]) -> PathBuf {
            let mut buf = std::io::Cursor::new(Vec::new());
            {
                let mut z = zip::ZipWriter::new(&mut buf);
                for (member, bytes) in members {
                    z.start_file(*member, zip::write::SimpleFileOptions::default())
                        .unwrap();
                    z.write_all(bytes).unwrap();
                }
                z.finish().unwrap();
            }
            self.file(name, buf.get_ref())
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn detect_bytes(test: &str, bytes: &[u8]) -> Result<Format, ListError> {
        let s = Scratch::new(test);
        // A misleading name: detection must look at the content only.
        detect(&s.file("list.txt", bytes))
    }

    fn detail(err: ListError) -> String {
        match err {
            ListError::UnknownFormat { detail, .. } => detail,
            other => panic!("expected UnknownFormat, got {other:?}"),
        }
    }

    #[test]
    fn ofac_xml() {
        let xml = br#"<?xml version="1.0" standalone="yes"?>
<sdnList xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML">
  <publshInformation>"#;
        assert_eq!(detect_bytes("ofac_xml", xml).unwrap(), Format::OfacXml);
    }

    #[test]
    fn ofac_advanced() {
        let xml = br#"<?xml version="1.0" encoding="utf-8"?>
<!-- comment before the root -->
<Sanctions xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" Version="3" xmlns="https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/ADVANCED_XML">
  <DateOfIssue CalendarTypeID="1">"#;
        assert_eq!(detect_bytes("adv", xml).unwrap(), Format::OfacAdvanced);
        // The same root name without that namespace is not OFAC's.
        let other = b"<Sanctions xmlns=\"urn:example\"><x/></Sanctions>";
        let d = detail(detect_bytes("adv_other", other).unwrap_err());
        assert!(d.contains("<Sanctions> in namespace urn:example"), "{d}");
    }

    #[test]
    fn un_xml() {
        let xml = b"<?xml version='1.0' encoding='UTF-8'?>\n<CONSOLIDATED_LIST xmlns:xsi='http://www.w3.org/2001/XMLSchema-instance' dateGenerated='2024-05-15T00:00:03.012Z'>\n<INDIVIDUALS>";
        assert_eq!(detect_bytes("un", xml).unwrap(), Format::UnXml);
    }

    #[test]
    fn eu_xml() {
        let xml = b"\xef\xbb\xbf<?xml version=\"1.0\"?>\n<export xmlns=\"http://eu.europa.ec/fpi/fsd/export\" generationDate=\"2024-05-13\">";
        assert_eq!(detect_bytes("eu", xml).unwrap(), Format::EuXml);
        let bare = b"<export><row/></export>";
        assert!(detail(detect_bytes("eu_bare", bare).unwrap_err()).contains("<export>"));
    }

    #[test]
    fn uk_sanctions_list_xml() {
        let xml = b"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Designations xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\">\n<DateGenerated>2024-05-09</DateGenerated>";
        assert_eq!(
            detect_bytes("ukxml", xml).unwrap(),
            Format::UkSanctionsListXml
        );
    }

    #[test]
    fn unknown_xml_names_root() {
        let d =
            detail(detect_bytes("html", b"<!DOCTYPE html>\n<html lang=\"en\"><body>").unwrap_err());
        assert!(d.contains("<html>"), "{d}");
        assert!(d.contains("sdnList"), "{d}");
    }

    #[test]
    fn uk_conlist_csv() {
        let csv = b"Last Updated,10/04/2025\nName 6,Name 1,Name 2,Name 3,Name 4,Name 5,Title,Group ID\nMITHOO,Mian,,,,,,1\n";
        assert_eq!(detect_bytes("conlist", csv).unwrap(), Format::UkConlistCsv);
    }

    #[test]
    fn uk_sanctions_list_csv() {
        let with_report_line = b"Report Date: 09-May-2024\r\nLast Updated,Unique ID,OFSI Group ID,UN Reference Number,Name 6,Name 1,Name 2\r\n01/02/2024,RUS0001,123,,SMITH,John,\r\n";
        assert_eq!(
            detect_bytes("ukcsv1", with_report_line).unwrap(),
            Format::UkSanctionsListCsv
        );
        let header_first = b"Last Updated,Unique ID,OFSI Group ID,Name 6,Name 1\n";
        assert_eq!(
            detect_bytes("ukcsv2", header_first).unwrap(),
            Format::UkSanctionsListCsv
        );
    }

    #[test]
    fn simple_csv() {
        let csv = b"\xef\xbb\xbfID,Name,Schema,Country\nc1,Acme Ltd,Company,gb\n";
        assert_eq!(detect_bytes("simple", csv).unwrap(), Format::SimpleCsv);
        let quoted = b"\"name\",\"id\"\n\"John\",\"1\"\n";
        assert_eq!(detect_bytes("simple_q", quoted).unwrap(), Format::SimpleCsv);
    }

    #[test]
    fn single_ofac_sdn_csv() {
        let csv = b"36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\",-0- ,-0- \r\n173,\"ANGLO-CARIBBEAN CO., LTD.\",-0- \r\n";
        assert_eq!(detect_bytes("sdn", csv).unwrap(), Format::OfacCsv);
    }

    #[test]
    fn ftm_lines() {
        let json = b"{\"id\":\"NK-1\",\"schema\":\"Person\",\"properties\":{\"name\":[\"A\"]}}\n";
        assert_eq!(detect_bytes("ftm", json).unwrap(), Format::Ftm);
        let indented = b"\n  {\"id\":\"x\"}\n";
        assert_eq!(detect_bytes("ftm2", indented).unwrap(), Format::Ftm);
    }

    #[test]
    fn ofac_csv_folder_and_zip() {
        let s = Scratch::new("folder");
        let dir = s.0.join("csv-set");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("SDN.CSV"), b"36,\"X\"\n").unwrap();
        assert_eq!(detect(&dir).unwrap(), Format::OfacCsv);

        let cons = s.0.join("cons");
        std::fs::create_dir_all(&cons).unwrap();
        std::fs::write(cons.join("cons_prim.csv"), b"1,\"X\"\n").unwrap();
        assert_eq!(detect(&cons).unwrap(), Format::OfacCsv);

        let zipped = s.zip(
            "set.zip",
            &[
                ("sdn.csv", b"36,\"X\"\n"),
                ("alt.csv", b"36,1,\"aka\",\"Y\",-0-\n"),
            ],
        );
        assert_eq!(detect(&zipped).unwrap(), Format::OfacCsv);
    }

    #[test]
    fn other_folder_is_unknown() {
        let s = Scratch::new("other_folder");
        std::fs::write(s.0.join("notes.txt"), b"hello").unwrap();
        let d = detail(detect(&s.0).unwrap_err());
        assert!(d.contains("notes.txt") && d.contains("sdn.csv"), "{d}");
    }

    #[test]
    fn xlsx_workbook() {
        let s = Scratch::new("xlsx");
        let p = s.zip(
            "conlist.bin",
            &[
                ("[Content_Types].xml", b"<Types/>"),
                ("xl/workbook.xml", b"<workbook/>"),
                ("xl/worksheets/sheet1.xml", b"<worksheet/>"),
            ],
        );
        assert_eq!(detect(&p).unwrap(), Format::UkConlistXlsx);
    }

    #[test]
    fn compressed_content_is_detected() {
        let s = Scratch::new("compressed");
        let xml = b"<?xml version=\"1.0\"?><CONSOLIDATED_LIST><INDIVIDUALS/></CONSOLIDATED_LIST>";
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(xml).unwrap();
        let p = s.file("un.gz", &gz.finish().unwrap());
        assert_eq!(detect(&p).unwrap(), Format::UnXml);

        let mut bz = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::default());
        bz.write_all(b"{\"id\":\"a\",\"schema\":\"Person\"}\n")
            .unwrap();
        let p = s.file("ftm.bz2", &bz.finish().unwrap());
        assert_eq!(detect(&p).unwrap(), Format::Ftm);

        let p = s.zip("one.zip", &[("sdn.xml", b"<sdnList/>")]);
        assert_eq!(detect(&p).unwrap(), Format::OfacXml);

        let p = s.zip(
            "two.zip",
            &[("a.xml", b"<sdnList/>"), ("b.xml", b"<sdnList/>")],
        );
        let d = detail(detect(&p).unwrap_err());
        assert!(d.contains("a.xml, b.xml"), "{d}");
    }

    #[test]
    fn empty_files() {
        assert!(matches!(
            detect_bytes("empty", b"").unwrap_err(),
            ListError::Empty { .. }
        ));
        assert!(matches!(
            detect_bytes("blank", b" \n\r\n\t").unwrap_err(),
            ListError::Empty { .. }
        ));
        let s = Scratch::new("empty_gz");
        let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        let p = s.file("empty.gz", &gz.finish().unwrap());
        assert!(matches!(detect(&p).unwrap_err(), ListError::Empty { .. }));
    }

    #[test]
    fn unknown_content_says_what_it_saw() {
        let err = detect_bytes("unknown", b"hello world\nsecond line\n").unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("list.txt"), "{msg}");
        assert!(msg.contains("\"hello world\""), "{msg}");
        assert!(msg.contains("expected"), "{msg}");

        let d = detail(detect_bytes("binary", b"\x89PNG\r\n\x1a\n\x00\x00").unwrap_err());
        assert!(d.contains("non-UTF-8"), "{d}");
        let d = detail(detect_bytes("utf16", b"\xff\xfe<\x00s\x00").unwrap_err());
        assert!(d.contains("UTF-16"), "{d}");
        let d = detail(detect_bytes("nul", b"abc\x00def").unwrap_err());
        assert!(d.contains("NUL"), "{d}");
    }

    #[test]
    fn missing_path_is_io_error() {
        let err = detect(Path::new("/nonexistent/interdict/list.xml")).unwrap_err();
        assert!(matches!(err, ListError::Io { .. }));
        assert!(err.to_string().contains("/nonexistent/interdict/list.xml"));
    }

    #[test]
    fn head_cut_inside_a_character_is_fine() {
        // "{…é" cut after the first byte of é.
        assert_eq!(detect_head(b"{\"name\":\"\xc3").unwrap(), Format::Ftm);
    }

    #[test]
    fn real_files_when_present() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/lists");
        let cases = [
            ("ofac/sdn-2024-05-07.xml", Format::OfacXml),
            ("ofac/consolidated-2024-05-06.xml", Format::OfacXml),
            ("ofac/sdn_advanced-2025-11-19.xml.bz2", Format::OfacAdvanced),
            ("ofac/csv-2021", Format::OfacCsv),
            ("ofac/csv-2024-03-25/sdn.csv", Format::OfacCsv),
            ("un/consolidated-2024-05-15.xml", Format::UnXml),
            ("eu/fsf-2024-05-13.xml", Format::EuXml),
            ("uk/ofsi-conlist-2025-04-10.csv", Format::UkConlistCsv),
            ("uk/ofsi-conlist-2025-04-10.xlsx", Format::UkConlistXlsx),
            ("ftm/yente-fixtures/t1/entities.ftm.json", Format::Ftm),
        ];
        for (rel, want) in cases {
            let p = root.join(rel);
            if p.exists() {
                assert_eq!(detect(&p).unwrap(), want, "{rel}");
            }
        }
    }
}
