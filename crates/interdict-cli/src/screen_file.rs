//! `interdict screen-file`: screen a CSV or JSON-lines file of customers on every core.
//!
//! Pipeline: one reader thread streams the input into chunks of rows (never the whole file),
//! worker threads screen chunks against the shared index, and the main thread writes results
//! in input order — so the output is the same whatever the thread count. Bad rows (no name,
//! bad date or country, invalid UTF-8, wrong column count, invalid JSON) are reported with
//! their line number on stderr, skipped, and counted in the summary.
//!
//! `--resume`: about twice a second the writer flushes the output and then records, in
//! `<out>.checkpoint`, how many output bytes are complete and where in the input the next
//! unwritten row starts. A resumed run truncates the output to that length, seeks the input
//! to that position and carries on; the checkpoint is removed when a run completes.

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, BufWriter, IsTerminal, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use crossbeam_channel::{bounded, Receiver, Sender};
use indicatif::{ProgressBar, ProgressStyle};
use interdict_engine::{Index, Match, Query, ScreenOptions, DEFAULT_THRESHOLD};
use interdict_model::{IdKind, Identifier, PartialDate, Schema};
use serde::{Deserialize, Serialize};
use serde_json::json;

#[derive(clap::Args)]
pub struct ScreenFileArgs {
    /// Customers to screen: CSV with a header row, or JSON lines (`.jsonl`/`.ndjson`).
    pub input: PathBuf,
    /// Where to write matches: `.jsonl`/`.ndjson` for JSON lines, anything else for CSV.
    #[arg(long)]
    pub out: PathBuf,
    /// List file or folder to screen against (repeatable). Without it, the bundled sample.
    #[arg(long = "lists", alias = "list", num_args = 1..)]
    pub lists: Vec<PathBuf>,
    /// Score at or above which a result is a match (written to the output).
    #[arg(long, default_value_t = DEFAULT_THRESHOLD)]
    pub threshold: f64,
    /// Column mapping, e.g. `name=full_name,dob=birth,country=nat,id=passport,schema=kind,rowid=cust_no`
    /// (repeatable). Without it, columns are found by header name (name, dob/birth_date,
    /// country/nationality, identifier, schema/type, rowid/id/customer_id).
    #[arg(long = "map", value_delimiter = ',')]
    pub map: Vec<String>,
    /// Continue an interrupted run from its checkpoint instead of starting over.
    #[arg(long)]
    pub resume: bool,
    /// Worker threads (default: all cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// At most this many matches per row.
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    /// Testing aid: stop as if interrupted once this many input rows are written (the
    /// checkpoint stays, exit code 3).
    #[arg(long, hide = true)]
    pub stop_after_rows: Option<u64>,
}

/// Rows per unit of work.
const CHUNK: usize = 256;
/// Longest name screened; longer values make the row bad.
const MAX_NAME_CHARS: usize = 1000;
/// How often the output is flushed and the checkpoint written.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(500);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Field {
    Name,
    Dob,
    Country,
    Id,
    Schema,
    RowId,
}

impl Field {
    fn parse(s: &str) -> Option<Field> {
        match s.trim().to_ascii_lowercase().as_str() {
            "name" => Some(Field::Name),
            "dob" | "birth_date" | "birthdate" => Some(Field::Dob),
            "country" => Some(Field::Country),
            "id" | "identifier" => Some(Field::Id),
            "schema" => Some(Field::Schema),
            "rowid" | "row_id" => Some(Field::RowId),
            _ => None,
        }
    }

    /// Header names recognised without `--map`, in order of preference.
    fn default_headers(self) -> &'static [&'static str] {
        match self {
            Field::Name => &["name", "full_name", "fullname", "customer_name"],
            Field::Dob => &["dob", "birth_date", "birthdate", "date_of_birth"],
            Field::Country => &["country", "nationality", "citizenship"],
            Field::Id => &["identifier", "id_number", "passport", "passport_number"],
            Field::Schema => &["schema", "type", "entity_type"],
            Field::RowId => &["rowid", "row_id", "id", "customer_id", "ref"],
        }
    }

    const ALL: [Field; 6] = [
        Field::Name,
        Field::Dob,
        Field::Country,
        Field::Id,
        Field::Schema,
        Field::RowId,
    ];
}

/// `--map` entries: field → column (header) name.
fn parse_map(items: &[String]) -> Result<BTreeMap<Field, String>> {
    let mut out = BTreeMap::new();
    for item in items.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        let (k, v) = item
            .split_once('=')
            .with_context(|| format!("--map {item:?}: expected FIELD=COLUMN"))?;
        let field = Field::parse(k).with_context(|| {
            format!("--map {item:?}: unknown field {k:?}; expected name, dob, country, id, schema or rowid")
        })?;
        out.insert(field, v.trim().to_string());
    }
    Ok(out)
}

/// Resolves each field to a column index (CSV) given the header.
fn resolve_columns(
    headers: &[String],
    map: &BTreeMap<Field, String>,
) -> Result<BTreeMap<Field, usize>> {
    let find = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    let mut out = BTreeMap::new();
    for f in Field::ALL {
        if let Some(col) = map.get(&f) {
            let i = find(col).with_context(|| {
                format!(
                    "--map: no column {col:?} in the header ({})",
                    headers.join(", ")
                )
            })?;
            out.insert(f, i);
        } else if let Some(i) = f.default_headers().iter().find_map(|h| find(h)) {
            out.insert(f, i);
        }
    }
    if !out.contains_key(&Field::Name) && !out.contains_key(&Field::Id) {
        bail!(
            "no name column: the header ({}) has none of name, full_name, customer_name; use --map name=COLUMN",
            headers.join(", ")
        );
    }
    Ok(out)
}

/// Where the next unread record starts.
#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
struct InputPos {
    byte: u64,
    line: u64,
    record: u64,
}

/// One input row, ready to screen or known to be bad.
struct Item {
    /// Data row number, 1-based.
    row: u64,
    line: u64,
    rowid: Option<String>,
    query: std::result::Result<Query, String>,
}

struct Chunk {
    seq: u64,
    items: Vec<Item>,
    /// Input position after the chunk's last row.
    end: InputPos,
}

struct Done {
    seq: u64,
    rows: Vec<(Item, Vec<Match>)>,
    end: InputPos,
}

/// Builds a query from field values; `Err` is the reason the row is bad.
fn build_query(
    name: Option<&str>,
    dob: Option<&str>,
    country: Option<&str>,
    id: Option<&str>,
    schema: Option<&str>,
) -> std::result::Result<Query, String> {
    let mut q = Query::default();
    if let Some(s) = schema.map(str::trim).filter(|s| !s.is_empty()) {
        q.schema = Some(
            s.parse::<Schema>()
                .map_err(|_| format!("unknown schema {s:?}"))?,
        );
    }
    if let Some(n) = name.map(str::trim).filter(|s| !s.is_empty()) {
        if n.chars().count() > MAX_NAME_CHARS {
            return Err(format!("name longer than {MAX_NAME_CHARS} characters"));
        }
        q.names.push(n.to_string());
    }
    for d in dob
        .unwrap_or("")
        .split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let parsed = d
            .parse::<PartialDate>()
            .map(|p| vec![p])
            .unwrap_or_else(|_| PartialDate::parse_loose(d));
        if parsed.is_empty() {
            return Err(format!(
                "bad date {d:?} (expected YYYY, YYYY-MM or YYYY-MM-DD)"
            ));
        }
        q.birth_dates.extend(parsed);
    }
    for c in country
        .unwrap_or("")
        .split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        if !q.add_country(c) {
            return Err(format!("unknown country {c:?}"));
        }
    }
    if let Some(v) = id.map(str::trim).filter(|s| !s.is_empty()) {
        let ident = match v.split_once(':') {
            Some((k, val)) if IdKind::parse(k).is_some() && !val.trim().is_empty() => {
                IdKind::parse(k).map(|kind| Identifier::new(kind, val.trim()))
            }
            _ => Some(Identifier::new(IdKind::Other, v)),
        };
        q.identifiers.extend(ident);
    }
    if q.names.is_empty() && q.identifiers.is_empty() {
        return Err("missing name".into());
    }
    Ok(q)
}

enum InputKind {
    Csv,
    Jsonl,
}

fn kind_of(path: &Path) -> InputKind {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase())
        .as_deref()
    {
        Some("jsonl" | "ndjson" | "json") => InputKind::Jsonl,
        _ => InputKind::Csv,
    }
}

/// Streams CSV rows into chunks from `start` (after the header when `None`).
fn read_csv(
    path: &Path,
    map: &BTreeMap<Field, String>,
    start: Option<InputPos>,
    tx: &Sender<Chunk>,
) -> Result<()> {
    let file = File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(BufReader::with_capacity(1 << 16, file));
    let headers: Vec<String> = rdr
        .byte_headers()
        .with_context(|| format!("reading the header of {}", path.display()))?
        .iter()
        .map(|h| {
            String::from_utf8(h.to_vec())
                .map_err(|_| anyhow::anyhow!("the header of {} is not UTF-8", path.display()))
        })
        .collect::<Result<_>>()?;
    let cols = resolve_columns(&headers, map)?;
    let mut row: u64 = 0;
    if let Some(p) = start {
        let mut pos = csv::Position::new();
        pos.set_byte(p.byte).set_line(p.line).set_record(p.record);
        rdr.seek(pos)
            .context("seeking the input to the checkpoint")?;
        row = p.record.saturating_sub(1);
    }
    let mut rec = csv::ByteRecord::new();
    let mut seq = 0u64;
    let mut items = Vec::with_capacity(CHUNK);
    loop {
        let more = rdr
            .read_byte_record(&mut rec)
            .with_context(|| format!("reading {}", path.display()))?;
        if more {
            row += 1;
            let line = rec.position().map(|p| p.line()).unwrap_or(0);
            let item = if rec.len() != headers.len() {
                Item {
                    row,
                    line,
                    rowid: None,
                    query: Err(format!(
                        "wrong column count: {} fields, the header has {}",
                        rec.len(),
                        headers.len()
                    )),
                }
            } else {
                let get = |f: Field| -> std::result::Result<Option<&str>, String> {
                    match cols.get(&f).and_then(|i| rec.get(*i)) {
                        None => Ok(None),
                        Some(b) => std::str::from_utf8(b).map(Some).map_err(|_| {
                            format!(
                                "invalid UTF-8 in column {:?}",
                                headers.get(cols[&f]).map(String::as_str).unwrap_or("")
                            )
                        }),
                    }
                };
                let fields = (|| {
                    Ok::<_, String>((
                        get(Field::Name)?,
                        get(Field::Dob)?,
                        get(Field::Country)?,
                        get(Field::Id)?,
                        get(Field::Schema)?,
                        get(Field::RowId)?,
                    ))
                })();
                match fields {
                    Err(e) => Item {
                        row,
                        line,
                        rowid: None,
                        query: Err(e),
                    },
                    Ok((name, dob, country, id, schema, rowid)) => Item {
                        row,
                        line,
                        rowid: rowid
                            .map(|s| s.trim().to_string())
                            .filter(|s| !s.is_empty()),
                        query: build_query(name, dob, country, id, schema),
                    },
                }
            };
            items.push(item);
        }
        if items.len() >= CHUNK || (!more && !items.is_empty()) {
            let p = rdr.position();
            let end = InputPos {
                byte: p.byte(),
                line: p.line(),
                record: p.record(),
            };
            let chunk = Chunk {
                seq,
                items: std::mem::replace(&mut items, Vec::with_capacity(CHUNK)),
                end,
            };
            seq += 1;
            if tx.send(chunk).is_err() {
                return Ok(()); // the writer stopped; it reports why
            }
        }
        if !more {
            return Ok(());
        }
    }
}

/// The JSON-lines key for a field (mapped, else the first default key present).
fn json_field(
    obj: &serde_json::Map<String, serde_json::Value>,
    map: &BTreeMap<Field, String>,
    f: Field,
) -> std::result::Result<Option<String>, String> {
    let value = match map.get(&f) {
        Some(k) => obj.get(k),
        None => f.default_headers().iter().find_map(|k| obj.get(*k)),
    };
    match value {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::String(s)) => Ok(Some(s.clone())),
        Some(serde_json::Value::Number(n))
            if matches!(f, Field::RowId | Field::Id | Field::Dob) =>
        {
            Ok(Some(n.to_string()))
        }
        Some(_) => Err(format!("field {f:?} is not a string").to_lowercase()),
    }
}

/// Streams JSON lines (one object per line) into chunks from byte `start`.
fn read_jsonl(
    path: &Path,
    map: &BTreeMap<Field, String>,
    start: Option<InputPos>,
    tx: &Sender<Chunk>,
) -> Result<()> {
    let mut file = File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let mut pos = start.unwrap_or(InputPos {
        byte: 0,
        line: 1,
        record: 0,
    });
    file.seek(SeekFrom::Start(pos.byte))?;
    let mut rdr = BufReader::with_capacity(1 << 16, file);
    let mut buf = Vec::new();
    let mut seq = 0u64;
    let mut items = Vec::with_capacity(CHUNK);
    loop {
        buf.clear();
        let n = rdr
            .read_until(b'\n', &mut buf)
            .with_context(|| format!("reading {}", path.display()))?;
        let more = n > 0;
        if more {
            let line = pos.line;
            pos.byte += n as u64;
            pos.line += 1;
            let text = match std::str::from_utf8(&buf) {
                Ok(t) => Ok(t.trim()),
                Err(_) => Err("invalid UTF-8".to_string()),
            };
            if !matches!(text, Ok("")) {
                pos.record += 1;
                let row = pos.record;
                let parsed =
                    text.and_then(|t| match serde_json::from_str::<serde_json::Value>(t) {
                        Ok(serde_json::Value::Object(o)) => Ok(o),
                        Ok(_) => Err("not a JSON object".to_string()),
                        Err(e) => Err(format!("invalid JSON: {e}")),
                    });
                let item = match parsed.and_then(|o| {
                    Ok((
                        json_field(&o, map, Field::Name)?,
                        json_field(&o, map, Field::Dob)?,
                        json_field(&o, map, Field::Country)?,
                        json_field(&o, map, Field::Id)?,
                        json_field(&o, map, Field::Schema)?,
                        json_field(&o, map, Field::RowId)?,
                    ))
                }) {
                    Err(e) => Item {
                        row,
                        line,
                        rowid: None,
                        query: Err(e),
                    },
                    Ok((name, dob, country, id, schema, rowid)) => Item {
                        row,
                        line,
                        rowid: rowid.filter(|s| !s.trim().is_empty()),
                        query: build_query(
                            name.as_deref(),
                            dob.as_deref(),
                            country.as_deref(),
                            id.as_deref(),
                            schema.as_deref(),
                        ),
                    },
                };
                items.push(item);
            }
        }
        if items.len() >= CHUNK || (!more && !items.is_empty()) {
            let chunk = Chunk {
                seq,
                items: std::mem::replace(&mut items, Vec::with_capacity(CHUNK)),
                end: pos,
            };
            seq += 1;
            if tx.send(chunk).is_err() {
                return Ok(());
            }
        }
        if !more {
            return Ok(());
        }
    }
}

fn worker(index: &Index, opts: &ScreenOptions, rx: Receiver<Chunk>, tx: Sender<Done>) {
    for chunk in rx {
        let rows = chunk
            .items
            .into_iter()
            .map(|item| {
                let matches = match &item.query {
                    Ok(q) => index.screen(q, opts),
                    Err(_) => Vec::new(),
                };
                (item, matches)
            })
            .collect();
        if tx
            .send(Done {
                seq: chunk.seq,
                rows,
                end: chunk.end,
            })
            .is_err()
        {
            return;
        }
    }
}

/// Progress of a run, saved next to the output.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Checkpoint {
    input: String,
    input_bytes: u64,
    /// Output bytes that are complete.
    out_bytes: u64,
    /// Where the next unwritten input row starts.
    next: InputPos,
    rows: u64,
    bad: u64,
    alerts: u64,
    matches: u64,
}

fn checkpoint_path(out: &Path) -> PathBuf {
    let mut s = out.as_os_str().to_owned();
    s.push(".checkpoint");
    PathBuf::from(s)
}

fn save_checkpoint(path: &Path, cp: &Checkpoint) -> Result<()> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    let mut f = File::create(&tmp).with_context(|| format!("writing {}", tmp.display()))?;
    serde_json::to_writer(&mut f, cp)?;
    f.sync_data()?;
    std::fs::rename(&tmp, path).with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

enum Out {
    Csv(Box<csv::Writer<File>>),
    Jsonl(BufWriter<File>),
}

const CSV_HEADER: [&str; 9] = [
    "row",
    "line",
    "entity_id",
    "dataset",
    "schema",
    "caption",
    "score",
    "match",
    "explanation",
];

impl Out {
    fn open(path: &Path, truncate_to: Option<u64>) -> Result<Out> {
        let jsonl = matches!(kind_of(path), InputKind::Jsonl);
        let file = match truncate_to {
            Some(len) => {
                let f = OpenOptions::new()
                    .write(true)
                    .open(path)
                    .with_context(|| format!("opening {} to resume", path.display()))?;
                f.set_len(len)?;
                let mut f = f;
                f.seek(SeekFrom::Start(len))?;
                f
            }
            None => File::create(path).with_context(|| format!("creating {}", path.display()))?,
        };
        if jsonl {
            Ok(Out::Jsonl(BufWriter::with_capacity(1 << 16, file)))
        } else {
            let mut w = csv::WriterBuilder::new()
                .buffer_capacity(1 << 16)
                .from_writer(file);
            if truncate_to.is_none() {
                w.write_record(CSV_HEADER)?;
            }
            Ok(Out::Csv(Box::new(w)))
        }
    }

    fn write(&mut self, row: &str, line: u64, m: &Match, dataset: &str) -> Result<()> {
        let explanation = m.explanation.short();
        match self {
            Out::Csv(w) => w.write_record([
                row,
                &line.to_string(),
                &m.entity_id,
                dataset,
                m.schema.as_str(),
                &m.name,
                &format!("{:.3}", m.score),
                if m.is_match { "true" } else { "false" },
                &explanation,
            ])?,
            Out::Jsonl(w) => {
                serde_json::to_writer(
                    &mut *w,
                    &json!({
                        "row": row, "line": line, "entity_id": m.entity_id, "dataset": dataset,
                        "schema": m.schema.as_str(), "caption": m.name, "score": m.score,
                        "match": m.is_match, "explanation": explanation,
                    }),
                )?;
                w.write_all(b"\n")?;
            }
        }
        Ok(())
    }

    /// Flushes to the file and returns its length.
    fn flush(&mut self) -> Result<u64> {
        let file = match self {
            Out::Csv(w) => {
                w.flush()?;
                w.get_ref()
            }
            Out::Jsonl(w) => {
                w.flush()?;
                w.get_ref()
            }
        };
        file.sync_data()?;
        Ok(file.metadata()?.len())
    }
}

fn progress_bar(total: u64) -> Option<ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let pb = ProgressBar::new(total);
    let style = ProgressStyle::with_template(
        "{bar:32.cyan/blue} {percent:>3}% {msg} [{elapsed_precise}, ETA {eta}]",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar());
    pb.set_style(style);
    Some(pb)
}

pub fn run(args: ScreenFileArgs) -> Result<ExitCode> {
    if !(0.0..=1.0).contains(&args.threshold) {
        bail!("--threshold {} is outside [0, 1]", args.threshold);
    }
    if args.limit == 0 {
        bail!("--limit must be at least 1");
    }
    let map = parse_map(&args.map)?;
    let threads = args
        .threads
        .unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1)
        })
        .max(1);
    let input_bytes = std::fs::metadata(&args.input)
        .with_context(|| format!("reading {}", args.input.display()))?
        .len();
    let cp_path = checkpoint_path(&args.out);

    // Where to start: a checkpoint when resuming, else the beginning.
    let mut cp = Checkpoint {
        input: args.input.display().to_string(),
        input_bytes,
        ..Checkpoint::default()
    };
    let mut start = None;
    let resumed = if args.resume && cp_path.exists() {
        let text = std::fs::read_to_string(&cp_path)
            .with_context(|| format!("reading {}", cp_path.display()))?;
        let saved: Checkpoint = serde_json::from_str(&text)
            .with_context(|| format!("{} is not a valid checkpoint", cp_path.display()))?;
        if saved.input != cp.input || saved.input_bytes != input_bytes {
            bail!(
                "{} belongs to a run over {} ({} bytes), not {} ({} bytes); remove it or drop --resume",
                cp_path.display(),
                saved.input,
                saved.input_bytes,
                cp.input,
                input_bytes
            );
        }
        start = Some(saved.next);
        cp = saved;
        true
    } else if args.resume && args.out.exists() {
        bail!(
            "--resume: {} exists but has no checkpoint ({}); the run finished or was not started by screen-file",
            args.out.display(),
            cp_path.display()
        );
    } else {
        false
    };

    let (index, desc) = crate::load::load_index(&args.lists)?;
    eprintln!(
        "screening {} against {desc} with {threads} threads, threshold {:.2}{}",
        args.input.display(),
        args.threshold,
        if resumed {
            format!(", resuming after row {}", cp.rows)
        } else {
            String::new()
        }
    );
    let opts = ScreenOptions {
        threshold: args.threshold,
        cutoff: args.threshold,
        limit: args.limit,
        ..ScreenOptions::default()
    };

    let mut out = Out::open(&args.out, resumed.then_some(cp.out_bytes))?;
    cp.out_bytes = out.flush()?;
    save_checkpoint(&cp_path, &cp)?;

    let pb = progress_bar(input_bytes);
    let report = |msg: String| match &pb {
        Some(pb) => pb.println(msg),
        None => eprintln!("{msg}"),
    };
    let started = Instant::now();
    let rows_before = cp.rows;

    let (chunk_tx, chunk_rx) = bounded::<Chunk>(threads * 4);
    let (done_tx, done_rx) = bounded::<Done>(threads * 4);
    let index_ref = &index;
    let opts_ref = &opts;
    let result: Result<bool> = std::thread::scope(|s| {
        let input = args.input.clone();
        let map_ref = &map;
        let reader = s.spawn(move || match kind_of(&input) {
            InputKind::Csv => read_csv(&input, map_ref, start, &chunk_tx),
            InputKind::Jsonl => read_jsonl(&input, map_ref, start, &chunk_tx),
        });
        for _ in 0..threads {
            let rx = chunk_rx.clone();
            let tx = done_tx.clone();
            s.spawn(move || worker(index_ref, opts_ref, rx, tx));
        }
        drop(chunk_rx);
        drop(done_tx);

        // Write in input order.
        let mut pending: BTreeMap<u64, Done> = BTreeMap::new();
        let mut next_seq = 0u64;
        let mut last_cp = Instant::now();
        let write_result = (|| -> Result<bool> {
            for done in &done_rx {
                pending.insert(done.seq, done);
                while let Some(d) = pending.remove(&next_seq) {
                    next_seq += 1;
                    for (item, matches) in &d.rows {
                        match &item.query {
                            Err(reason) => {
                                cp.bad += 1;
                                report(format!("line {}: bad row skipped: {reason}", item.line));
                            }
                            Ok(_) => {
                                cp.rows += 1;
                                let rowid =
                                    item.rowid.clone().unwrap_or_else(|| item.row.to_string());
                                if matches.iter().any(|m| m.is_match) {
                                    cp.alerts += 1;
                                }
                                for m in matches {
                                    let dataset = index_ref
                                        .entity_at(m.index)
                                        .map(|e| e.source.as_str())
                                        .unwrap_or("");
                                    out.write(&rowid, item.line, m, dataset)?;
                                    cp.matches += 1;
                                }
                            }
                        }
                    }
                    cp.next = d.end;
                    if args.stop_after_rows.is_some_and(|n| cp.rows + cp.bad >= n) {
                        cp.out_bytes = out.flush()?;
                        save_checkpoint(&cp_path, &cp)?;
                        return Ok(true);
                    }
                    if last_cp.elapsed() >= CHECKPOINT_EVERY {
                        cp.out_bytes = out.flush()?;
                        save_checkpoint(&cp_path, &cp)?;
                        last_cp = Instant::now();
                        if let Some(pb) = &pb {
                            pb.set_position(cp.next.byte);
                            let secs = started.elapsed().as_secs_f64().max(1e-9);
                            pb.set_message(format!(
                                "{} rows, {:.0} rows/s, {} alerts",
                                cp.rows + cp.bad,
                                (cp.rows - rows_before) as f64 / secs,
                                cp.alerts
                            ));
                        }
                    }
                }
            }
            Ok(false)
        })();
        // On a write error, stop the pipeline: dropping the receiver ends the workers, whose
        // exit ends the reader.
        drop(done_rx);
        let read_result = reader
            .join()
            .map_err(|_| anyhow::anyhow!("the input reader panicked"))?;
        let stopped = write_result?;
        read_result?;
        Ok(stopped)
    });
    if let Some(pb) = &pb {
        pb.finish_and_clear();
    }
    if result? {
        eprintln!(
            "stopped after {} rows as asked; continue with --resume ({} kept)",
            cp.rows + cp.bad,
            cp_path.display()
        );
        return Ok(ExitCode::from(3));
    }
    cp.out_bytes = out.flush()?;
    drop(out);
    std::fs::remove_file(&cp_path).ok();

    let secs = started.elapsed().as_secs_f64();
    let this_run = cp.rows - rows_before;
    eprintln!(
        "screened {} rows ({} bad rows skipped) in {secs:.1}s: {:.0} rows/s; {} rows with alerts, {} matches written to {}",
        cp.rows,
        cp.bad,
        this_run as f64 / secs.max(1e-9),
        cp.alerts,
        cp.matches,
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_parses_and_rejects() {
        let m = parse_map(&["name=Full Name".into(), "rowid=cust".into()]).unwrap();
        assert_eq!(m[&Field::Name], "Full Name");
        assert!(parse_map(&["nope=x".into()]).is_err());
        assert!(parse_map(&["name".into()]).is_err());
    }

    #[test]
    fn columns_by_default_header_names() {
        let h: Vec<String> = ["ID", "Full_Name", "birth_date", "Nationality"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let c = resolve_columns(&h, &BTreeMap::new()).unwrap();
        assert_eq!(c[&Field::RowId], 0);
        assert_eq!(c[&Field::Name], 1);
        assert_eq!(c[&Field::Dob], 2);
        assert_eq!(c[&Field::Country], 3);
        assert!(resolve_columns(&["x".to_string()], &BTreeMap::new()).is_err());
    }

    #[test]
    fn bad_rows_are_explained() {
        assert_eq!(
            build_query(None, None, None, None, None).unwrap_err(),
            "missing name"
        );
        assert!(
            build_query(Some("A B"), Some("31/31/99x"), None, None, None)
                .unwrap_err()
                .contains("bad date")
        );
        assert!(build_query(Some("A B"), None, Some("Atlantis"), None, None)
            .unwrap_err()
            .contains("country"));
        let q = build_query(
            Some("A B"),
            Some("1980-01-02"),
            Some("de"),
            Some("passport:X1"),
            Some("Person"),
        )
        .unwrap();
        assert_eq!(q.birth_dates.len(), 1);
        assert_eq!(q.countries, ["de"]);
        assert_eq!(q.identifiers.len(), 1);
    }
}
