//! `interdict lists …`: inspect, export and update official sanctions lists.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::{self, BufWriter, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{anyhow, bail, Context, Result};
use clap::{Args, Subcommand};
use interdict_lists::{Format, ListError, ListInfo};
use interdict_model::Entity;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

#[derive(Subcommand)]
pub enum ListsCommand {
    /// Count what a list holds: entities by schema, names and identifiers by kind.
    Inspect(InspectArgs),
    /// Write a list as FollowTheMoney JSON lines.
    Export(ExportArgs),
    /// Download the current official lists, keeping the last good copy on any failure.
    Update(UpdateArgs),
    /// Store a list file or folder as a new version (in the data directory or --database-url).
    Import(crate::store_cmd::ImportArgs),
    /// Added, removed and changed entities between two lists (files/folders or stored version ids).
    Diff(crate::store_cmd::DiffArgs),
}

pub fn run(cmd: ListsCommand) -> Result<ExitCode> {
    match cmd {
        ListsCommand::Inspect(args) => inspect(args),
        ListsCommand::Export(args) => export(args),
        ListsCommand::Update(args) => update(args),
        ListsCommand::Import(args) => crate::store_cmd::lists_import(args),
        ListsCommand::Diff(args) => crate::store_cmd::lists_diff(args),
    }
}

/// `--format auto` (detect from content) or a named format.
#[derive(Clone, Copy, Debug, Default)]
pub struct FormatChoice(Option<Format>);

fn parse_format(s: &str) -> Result<FormatChoice, String> {
    if s == "auto" {
        Ok(FormatChoice(None))
    } else {
        s.parse().map(|f| FormatChoice(Some(f)))
    }
}

// ---------------------------------------------------------------------------------------------
// inspect

#[derive(Args)]
pub struct InspectArgs {
    /// A list file (optionally .gz/.bz2/.zip) or an OFAC CSV folder.
    path: PathBuf,
    /// `auto` to detect the format from the content, or one of the format names.
    #[arg(long, default_value = "auto", value_parser = parse_format)]
    format: FormatChoice,
    /// Print the counts as one JSON object.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Default, Serialize)]
struct KindCounts {
    total: usize,
    by_kind: BTreeMap<String, usize>,
}

impl KindCounts {
    fn add(&mut self, kind: String) {
        self.total += 1;
        *self.by_kind.entry(kind).or_default() += 1;
    }
}

/// What `lists inspect` reports.
#[derive(Debug, Default, Serialize)]
struct Counts {
    path: String,
    format: String,
    dataset: String,
    issued: Option<String>,
    records: usize,
    entities: usize,
    by_schema: BTreeMap<String, usize>,
    names: KindCounts,
    identifiers: KindCounts,
}

impl Counts {
    fn add(&mut self, e: &Entity) {
        self.entities += 1;
        *self
            .by_schema
            .entry(e.schema.as_str().to_string())
            .or_default() += 1;
        for n in &e.names {
            self.names.add(enum_name(&n.kind));
        }
        for id in &e.identifiers {
            self.identifiers.add(id.kind.as_str().to_string());
        }
    }
}

/// The serde name of a unit enum variant (e.g. `NameKind::WeakAlias` → `weak_alias`).
fn enum_name<T: Serialize + std::fmt::Debug>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => format!("{v:?}"),
    }
}

fn inspect(args: InspectArgs) -> Result<ExitCode> {
    let mut counts = Counts {
        path: args.path.display().to_string(),
        ..Counts::default()
    };
    let (format, info) = interdict_lists::read_path(&args.path, args.format.0, &mut |e| {
        counts.add(&e);
        Ok(())
    })?;
    counts.format = format.to_string();
    counts.dataset = info.dataset;
    counts.issued = info.issued;
    counts.records = info.records;

    let mut out = io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &counts)?;
        writeln!(out)?;
    } else {
        write_counts(&mut out, &counts)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn write_counts(out: &mut impl Write, c: &Counts) -> io::Result<()> {
    let by = |m: &BTreeMap<String, usize>| {
        m.iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    writeln!(out, "file:        {}", c.path)?;
    writeln!(out, "format:      {}", c.format)?;
    writeln!(out, "dataset:     {}", c.dataset)?;
    writeln!(out, "issued:      {}", c.issued.as_deref().unwrap_or("-"))?;
    writeln!(out, "records:     {}", c.records)?;
    writeln!(out, "entities:    {}", c.entities)?;
    for (schema, n) in &c.by_schema {
        writeln!(out, "  {schema:<14}{n:>8}")?;
    }
    writeln!(
        out,
        "names:       {} ({})",
        c.names.total,
        by(&c.names.by_kind)
    )?;
    writeln!(
        out,
        "identifiers: {} ({})",
        c.identifiers.total,
        by(&c.identifiers.by_kind)
    )
}

// ---------------------------------------------------------------------------------------------
// export

#[derive(Args)]
pub struct ExportArgs {
    /// A list file (optionally .gz/.bz2/.zip) or an OFAC CSV folder.
    path: PathBuf,
    /// Write FollowTheMoney JSON lines (the only export format so far).
    #[arg(long, required = true)]
    ftm: bool,
    /// Output file (written whole or not at all); standard output by default.
    #[arg(long, short = 'o', value_name = "FILE")]
    out: Option<PathBuf>,
    /// `auto` to detect the format from the content, or one of the format names.
    #[arg(long, default_value = "auto", value_parser = parse_format)]
    format: FormatChoice,
}

/// Streams FtM objects to `w`; returns what the reader learnt and the number of objects.
fn write_ftm(
    path: &Path,
    format: Option<Format>,
    w: &mut impl Write,
) -> Result<(Format, ListInfo, usize), ExportError> {
    let mut objects = 0usize;
    let mut write_error = None;
    let result = interdict_lists::read_path(path, format, &mut |e| {
        for v in interdict_model::ftm::to_ftm(&e) {
            let written = serde_json::to_writer(&mut *w, &v)
                .map_err(io::Error::from)
                .and_then(|()| w.write_all(b"\n"));
            if let Err(err) = written {
                let msg = err.to_string();
                write_error = Some(err);
                return Err(ListError::Stopped(msg));
            }
            objects += 1;
        }
        Ok(())
    });
    match (result, write_error) {
        (_, Some(err)) => Err(ExportError::Write(err)),
        (Err(e), None) => Err(ExportError::Read(e)),
        (Ok((format, info)), None) => Ok((format, info, objects)),
    }
}

enum ExportError {
    Read(ListError),
    Write(io::Error),
}

fn export(args: ExportArgs) -> Result<ExitCode> {
    debug_assert!(args.ftm);
    match &args.out {
        None => {
            let mut w = BufWriter::new(io::stdout().lock());
            let res = write_ftm(&args.path, args.format.0, &mut w)
                .and_then(|r| w.flush().map(|()| r).map_err(ExportError::Write));
            match res {
                Ok((format, info, objects)) => {
                    report_export(&args.path, format, &info, objects, None);
                    Ok(ExitCode::SUCCESS)
                }
                // The reader of our output went away (`… | head`): not our failure.
                Err(ExportError::Write(e)) if e.kind() == io::ErrorKind::BrokenPipe => {
                    Ok(ExitCode::SUCCESS)
                }
                Err(ExportError::Write(e)) => Err(anyhow!(e).context("writing to standard output")),
                Err(ExportError::Read(e)) => Err(e.into()),
            }
        }
        Some(out) => {
            let dir = parent_dir(out);
            let tmp = tempfile::Builder::new()
                .prefix(".interdict-export.")
                .tempfile_in(dir)
                .with_context(|| format!("creating a temporary file in {}", dir.display()))?;
            let mut w = BufWriter::new(tmp);
            let (format, info, objects) = match write_ftm(&args.path, args.format.0, &mut w) {
                Ok(r) => r,
                Err(ExportError::Read(e)) => return Err(e.into()),
                Err(ExportError::Write(e)) => {
                    return Err(anyhow!(e).context(format!("writing {}", out.display())))
                }
            };
            let tmp = w
                .into_inner()
                .map_err(|e| anyhow!(e.into_error()))
                .with_context(|| format!("writing {}", out.display()))?;
            tmp.persist(out)
                .map_err(|e| anyhow!(e.error))
                .with_context(|| format!("writing {}", out.display()))?;
            report_export(&args.path, format, &info, objects, Some(out));
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn report_export(path: &Path, format: Format, info: &ListInfo, objects: usize, out: Option<&Path>) {
    eprintln!(
        "exported {} entities ({objects} FtM objects) from {} ({format}) to {}",
        info.entities,
        path.display(),
        out.map_or_else(
            || "standard output".to_string(),
            |p| p.display().to_string()
        )
    );
}

/// The folder a file is in, `.` for a bare file name.
fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

// ---------------------------------------------------------------------------------------------
// update

/// An official list publication the updater knows.
struct Source {
    /// Name on the command line and of the stored file.
    name: &'static str,
    /// Official download address.
    url: &'static str,
    /// The format the file must have.
    format: Format,
    what: &'static str,
}

/// The official download addresses, in one place.
const SOURCES: &[Source] = &[
    Source {
        name: "us_ofac_sdn_advanced",
        url: "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/SDN_ADVANCED.XML",
        format: Format::OfacAdvanced,
        what: "OFAC SDN list, Advanced XML",
    },
    Source {
        name: "us_ofac_sdn",
        url: "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/SDN.XML",
        format: Format::OfacXml,
        what: "OFAC SDN list, classic XML",
    },
    Source {
        name: "un_sc_sanctions",
        url: "https://scsanctions.un.org/resources/xml/en/consolidated.xml",
        format: Format::UnXml,
        what: "UN Security Council consolidated list",
    },
    Source {
        name: "eu_fsf",
        url: "https://webgate.ec.europa.eu/fsd/fsf/public/files/xmlFullSanctionsList_1_1/content?token=dG9rZW4tMjAxNw",
        format: Format::EuXml,
        what: "EU Financial Sanctions File, XML 1.1",
    },
    Source {
        name: "gb_fcdo_sanctions",
        url: "https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.xml",
        format: Format::UkSanctionsListXml,
        what: "FCDO UK Sanctions List, XML",
    },
    Source {
        name: "opensanctions_default",
        url: "https://data.opensanctions.org/datasets/latest/default/entities.ftm.json",
        format: Format::Ftm,
        what: "OpenSanctions default collection, FtM JSON lines",
    },
];

#[derive(Args)]
pub struct UpdateArgs {
    /// Where the lists are kept [default: $INTERDICT_DATA_DIR/lists, else ~/.local/share/interdict/lists].
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
    /// Update only this source (repeatable). Sources: us_ofac_sdn_advanced, us_ofac_sdn,
    /// un_sc_sanctions, eu_fsf, gb_fcdo_sanctions, opensanctions_default.
    #[arg(long = "source", value_name = "NAME")]
    sources: Vec<String>,
    /// Download NAME from URL instead of its official address (repeatable); a NAME that is not
    /// a known source adds a list whose format is detected from its content. When --source or
    /// --url is given, only the sources they name are updated.
    #[arg(long = "url", value_name = "NAME=URL")]
    urls: Vec<String>,
    /// Give up on a download after this many seconds.
    #[arg(long, default_value_t = 900, value_name = "SECONDS")]
    timeout: u64,
}

/// What is stored beside each good copy, as `<dir>/<name>.manifest.json`.
#[derive(Debug, Serialize, Deserialize)]
struct Manifest {
    source: String,
    url: String,
    file: String,
    format: String,
    sha256: String,
    size: u64,
    entities: usize,
    issued: Option<String>,
    dataset: String,
    /// Seconds since the Unix epoch.
    fetched_at: u64,
}

/// One list to fetch.
struct Job {
    name: String,
    what: &'static str,
    url: String,
    format: Option<Format>,
}

fn default_dir() -> Result<PathBuf> {
    // The data directory is shared with the store (interdict.db); lists live below it.
    if let Some(d) = std::env::var_os("INTERDICT_DATA_DIR").filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(d).join("lists"));
    }
    let data = dirs::data_dir()
        .context("no home directory to keep lists in: pass --dir or set INTERDICT_DATA_DIR")?;
    Ok(data.join("interdict").join("lists"))
}

fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

fn plan(args: &UpdateArgs) -> Result<Vec<Job>> {
    let mut overrides = Vec::new();
    for spec in &args.urls {
        let (name, url) = spec
            .split_once('=')
            .filter(|(n, u)| valid_name(n) && !u.is_empty())
            .ok_or_else(|| {
                anyhow!("--url {spec:?}: expected NAME=URL, NAME made of letters, digits, _ and -")
            })?;
        overrides.push((name.to_string(), url.to_string()));
    }
    for name in &args.sources {
        if !SOURCES.iter().any(|s| s.name == name) && !overrides.iter().any(|(n, _)| n == name) {
            let known: Vec<_> = SOURCES.iter().map(|s| s.name).collect();
            bail!(
                "unknown source {name:?}; known sources: {} (or give one with --url NAME=URL)",
                known.join(", ")
            );
        }
    }
    let chosen = |name: &str| {
        (args.sources.is_empty() && args.urls.is_empty())
            || args.sources.iter().any(|s| s == name)
            || overrides.iter().any(|(n, _)| n == name)
    };
    let mut jobs: Vec<Job> = SOURCES
        .iter()
        .filter(|s| chosen(s.name))
        .map(|s| Job {
            name: s.name.to_string(),
            what: s.what,
            url: s.url.to_string(),
            format: Some(s.format),
        })
        .collect();
    for (name, url) in overrides {
        match jobs.iter_mut().find(|j| j.name == name) {
            Some(j) => j.url = url,
            None => jobs.push(Job {
                name,
                what: "a list given with --url",
                url,
                format: None,
            }),
        }
    }
    Ok(jobs)
}

fn update(args: UpdateArgs) -> Result<ExitCode> {
    let dir = match &args.dir {
        Some(d) => d.clone(),
        None => default_dir()?,
    };
    let jobs = plan(&args)?;
    fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(args.timeout)))
        .timeout_connect(Some(Duration::from_secs(30)))
        .http_status_as_error(false)
        .user_agent(concat!("interdict/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();

    let mut failed = 0usize;
    for job in &jobs {
        match update_one(&agent, &dir, job) {
            Ok(m) => println!(
                "ok      {} ({}): {} entities, issued {}, {} bytes, sha256 {} -> {}",
                job.name,
                job.what,
                m.entities,
                m.issued.as_deref().unwrap_or("(not stated)"),
                m.size,
                m.sha256,
                dir.join(&m.file).display()
            ),
            Err(e) => {
                failed += 1;
                let kept = match read_manifest(&dir, &job.name) {
                    Some(m) => format!(
                        "kept the previous copy {} ({} entities)",
                        dir.join(&m.file).display(),
                        m.entities
                    ),
                    None => "no previous copy".to_string(),
                };
                eprintln!("FAILED  {}: {e:#}; {kept}", job.name);
            }
        }
    }
    if failed > 0 {
        eprintln!("error: {failed} of {} lists failed to update", jobs.len());
        Ok(ExitCode::from(2))
    } else {
        Ok(ExitCode::SUCCESS)
    }
}

fn manifest_path(dir: &Path, name: &str) -> PathBuf {
    dir.join(format!("{name}.manifest.json"))
}

fn read_manifest(dir: &Path, name: &str) -> Option<Manifest> {
    let bytes = fs::read(manifest_path(dir, name)).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// The stored file's extension for a format.
fn extension(format: Format) -> &'static str {
    match format {
        Format::OfacXml
        | Format::OfacAdvanced
        | Format::UnXml
        | Format::EuXml
        | Format::UkSanctionsListXml => "xml",
        Format::UkConlistXlsx => "xlsx",
        Format::Ftm => "ftm.json",
        // A downloaded OFAC CSV set arrives as a zip of its files.
        Format::OfacCsv => "zip",
        Format::UkConlistCsv | Format::UkSanctionsListCsv | Format::SimpleCsv => "csv",
    }
}

/// Downloads, checks and installs one list. The previous good copy is replaced only at the
/// very end, by an atomic rename, when everything else has succeeded.
fn update_one(agent: &ureq::Agent, dir: &Path, job: &Job) -> Result<Manifest> {
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{}.", job.name))
        .suffix(".part")
        .tempfile_in(dir)
        .with_context(|| format!("creating a temporary file in {}", dir.display()))?;
    let (size, sha256) = download(agent, &job.url, tmp.as_file_mut())?;

    // Parse the download completely: a truncated or changed file fails here.
    let mut entities = 0usize;
    let (format, info) = interdict_lists::read_path(tmp.path(), None, &mut |_| {
        entities += 1;
        Ok(())
    })
    .map_err(|e| anyhow!(e).context("the downloaded file does not parse"))?;
    if let Some(want) = job.format {
        if format != want {
            bail!("the download is {format}, expected {want} (has the publication changed?)");
        }
    }
    if entities == 0 {
        bail!("the download parses but holds no entities");
    }
    if let Some(previous) = previous_count(dir, &job.name) {
        if entities.saturating_mul(2) < previous {
            bail!(
                "the download holds {entities} entities, fewer than half of the previous copy's \
                 {previous}: refusing it as probably truncated or changed"
            );
        }
    }

    let file = format!("{}.{}", job.name, extension(format));
    let fetched_at = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    let manifest = Manifest {
        source: job.name.clone(),
        url: job.url.clone(),
        file: file.clone(),
        format: format.to_string(),
        sha256,
        size,
        entities,
        issued: info.issued,
        dataset: info.dataset,
        fetched_at,
    };
    let mut mtmp = tempfile::Builder::new()
        .prefix(&format!(".{}.manifest.", job.name))
        .tempfile_in(dir)
        .with_context(|| format!("creating a temporary file in {}", dir.display()))?;
    serde_json::to_writer_pretty(mtmp.as_file_mut(), &manifest)?;
    mtmp.as_file_mut().sync_all()?;

    let dest = dir.join(&file);
    tmp.persist(&dest)
        .map_err(|e| anyhow!(e.error))
        .with_context(|| format!("replacing {}", dest.display()))?;
    let mdest = manifest_path(dir, &job.name);
    mtmp.persist(&mdest)
        .map_err(|e| anyhow!(e.error))
        .with_context(|| format!("writing {}", mdest.display()))?;
    Ok(manifest)
}

/// The entity count of the last good copy: from its manifest, else by reading the file.
fn previous_count(dir: &Path, name: &str) -> Option<usize> {
    if let Some(m) = read_manifest(dir, name) {
        return Some(m.entities);
    }
    let prefix = format!("{name}.");
    let old = fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .and_then(|f| f.to_str())
                .is_some_and(|f| f.starts_with(&prefix) && !f.ends_with(".manifest.json"))
        })?;
    let mut n = 0usize;
    interdict_lists::read_path(&old, None, &mut |_| {
        n += 1;
        Ok(())
    })
    .ok()?;
    Some(n)
}

/// Fetches `url` into `file`; returns its size and SHA-256 (hex).
fn download(agent: &ureq::Agent, url: &str, file: &mut File) -> Result<(u64, String)> {
    let resp = agent
        .get(url)
        .call()
        .with_context(|| format!("downloading {url}"))?;
    let status = resp.status();
    if !status.is_success() {
        bail!("downloading {url}: HTTP {status}");
    }
    let body = resp.into_body();
    let expected = body.content_length();
    let mut reader = body.into_reader();

    let bar = if io::stderr().is_terminal() {
        let bar = match expected {
            Some(len) => indicatif::ProgressBar::new(len),
            None => indicatif::ProgressBar::new_spinner(),
        };
        let template = if expected.is_some() {
            "{msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}"
        } else {
            "{msg} {spinner} {bytes} {bytes_per_sec}"
        };
        if let Ok(style) = indicatif::ProgressStyle::with_template(template) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(url.to_string());
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };

    let mut hasher = Sha256::new();
    let mut size = 0u64;
    let mut buf = vec![0u8; 256 * 1024];
    let mut w = BufWriter::new(&mut *file);
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => {
                bar.abandon();
                return Err(anyhow!(e).context(format!(
                    "downloading {url}: the transfer broke off after {size} bytes"
                )));
            }
        };
        hasher.update(&buf[..n]);
        w.write_all(&buf[..n]).context("writing the download")?;
        size += n as u64;
        bar.set_position(size);
    }
    bar.finish_and_clear();
    w.flush().context("writing the download")?;
    drop(w);
    file.sync_all().context("writing the download")?;
    if let Some(len) = expected {
        if size != len {
            bail!("downloading {url}: truncated, got {size} of {len} bytes");
        }
    }
    if size == 0 {
        bail!("downloading {url}: the server sent an empty file");
    }
    let hex = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<String>();
    Ok((size, hex))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(sources: &[&str], urls: &[&str]) -> UpdateArgs {
        UpdateArgs {
            dir: None,
            sources: sources.iter().map(|s| s.to_string()).collect(),
            urls: urls.iter().map(|s| s.to_string()).collect(),
            timeout: 10,
        }
    }

    #[test]
    fn plan_defaults_to_every_official_source() {
        let jobs = plan(&args(&[], &[])).unwrap();
        assert_eq!(jobs.len(), SOURCES.len());
        assert!(jobs.iter().all(|j| j.url.starts_with("https://")));
        assert!(jobs
            .iter()
            .any(|j| j.url == "https://scsanctions.un.org/resources/xml/en/consolidated.xml"));
    }

    #[test]
    fn plan_narrows_and_overrides() {
        let jobs = plan(&args(
            &["eu_fsf"],
            &["un_sc_sanctions=http://127.0.0.1:1/un.xml"],
        ))
        .unwrap();
        let names: Vec<_> = jobs.iter().map(|j| j.name.as_str()).collect();
        assert_eq!(names, ["un_sc_sanctions", "eu_fsf"]);
        assert_eq!(jobs[0].url, "http://127.0.0.1:1/un.xml");
        assert_eq!(jobs[0].format, Some(Format::UnXml));

        let jobs = plan(&args(&[], &["mine=http://127.0.0.1:1/x.csv"])).unwrap();
        assert_eq!(jobs.len(), 1);
        assert_eq!(jobs[0].format, None);

        assert!(plan(&args(&["nope"], &[])).is_err());
        assert!(plan(&args(&[], &["../evil=http://x"])).is_err());
        assert!(plan(&args(&[], &["no-url"])).is_err());
    }

    #[test]
    fn format_choice() {
        assert!(parse_format("auto").unwrap().0.is_none());
        assert_eq!(parse_format("un-xml").unwrap().0, Some(Format::UnXml));
        assert!(parse_format("pdf").unwrap_err().contains("expected one of"));
    }
}
