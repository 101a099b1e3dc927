//! Ongoing monitoring, alerts and their dispositions.
//!
//! [`Store::monitor_run`] brings every subject up to date with the current lists:
//! - subjects already screened at their current revision are screened only against the
//!   entities added or changed since the versions they were last screened against (a small
//!   [`Index`] over the delta — this is what makes a list update cheap);
//! - new or changed subjects are screened against the whole current lists.
//!
//! A match at or above the threshold becomes an alert unless an open alert for the same
//! subject–entity pair exists, or the pair was closed as a false positive at the same subject
//! revision and entity content (the allowlist). Changing either side lifts the allowlisting.

use std::collections::{HashMap, HashSet};
use std::time::Instant;

use interdict_engine::{Index, Query, ScreenOptions, DEFAULT_THRESHOLD};
use serde::Serialize;
use serde_json::{json, Value};

use crate::db::{Backend, Row, Tx};
use crate::prefilter::{analysis_fingerprint, subject_keys, DeltaFilter};
use crate::subjects::from_columns;
use crate::util::now_rfc3339;
use crate::versions::{entities_of, hashes_of};
use crate::webhook::{post_json, WebhookConfig, WebhookOutcome};
use crate::{audit, Result, Store, StoreError};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertStatus {
    Open,
    PendingSecondReview,
    Escalated,
    TrueMatch,
    FalsePositive,
}

impl AlertStatus {
    pub const ALL: [AlertStatus; 5] = [
        AlertStatus::Open,
        AlertStatus::PendingSecondReview,
        AlertStatus::Escalated,
        AlertStatus::TrueMatch,
        AlertStatus::FalsePositive,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AlertStatus::Open => "open",
            AlertStatus::PendingSecondReview => "pending_second_review",
            AlertStatus::Escalated => "escalated",
            AlertStatus::TrueMatch => "true_match",
            AlertStatus::FalsePositive => "false_positive",
        }
    }

    /// Accepts `open`, `pending_second_review`, `pending-second-review`, … .
    pub fn parse(s: &str) -> Option<AlertStatus> {
        let t = s.trim().to_ascii_lowercase().replace('-', "_");
        AlertStatus::ALL.iter().copied().find(|x| x.as_str() == t)
    }

    /// Still needs work (not yet closed as true match or false positive).
    pub fn is_open(self) -> bool {
        matches!(
            self,
            AlertStatus::Open | AlertStatus::PendingSecondReview | AlertStatus::Escalated
        )
    }
}

/// A reviewer's disposition of an alert.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    TrueMatch,
    FalsePositive,
    Escalated,
}

impl Decision {
    pub fn parse(s: &str) -> Option<Decision> {
        match s.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "true-match" => Some(Decision::TrueMatch),
            "false-positive" => Some(Decision::FalsePositive),
            "escalated" | "escalate" => Some(Decision::Escalated),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Decision::TrueMatch => "true_match",
            Decision::FalsePositive => "false_positive",
            Decision::Escalated => "escalated",
        }
    }
}

/// How decisions are taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DecisionPolicy {
    /// A false positive needs a second, different reviewer to confirm it.
    pub four_eyes: bool,
}

impl Default for DecisionPolicy {
    fn default() -> Self {
        DecisionPolicy { four_eyes: true }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Alert {
    pub id: i64,
    pub subject_id: i64,
    pub external_id: String,
    pub subject_revision: i64,
    pub entity_id: String,
    pub entity_hash: String,
    pub list_version_id: i64,
    pub score: f64,
    pub explanation: Value,
    pub status: AlertStatus,
    pub first_reviewer: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Clone, Debug, Default)]
pub struct AlertFilter {
    pub status: Option<AlertStatus>,
    pub subject_external_id: Option<String>,
    pub limit: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DecisionRecord {
    pub id: i64,
    pub alert_id: i64,
    pub decision: String,
    pub user: String,
    pub reason: String,
    pub status_after: String,
    pub decided_at: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DecisionOutcome {
    pub decision_id: i64,
    pub status_before: AlertStatus,
    pub alert: Alert,
}

#[derive(Clone, Debug)]
pub struct MonitorOptions {
    pub threshold: f64,
    pub actor: String,
    pub webhook: Option<WebhookConfig>,
    /// Screening threads (0: as many as the machine has).
    pub threads: usize,
}

impl Default for MonitorOptions {
    fn default() -> Self {
        MonitorOptions {
            threshold: DEFAULT_THRESHOLD,
            actor: "monitor".into(),
            webhook: None,
            threads: 0,
        }
    }
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct MonitorReport {
    /// The list versions subjects are now screened against.
    pub versions: Vec<i64>,
    /// Entities added or changed since the last run.
    pub delta_entities: usize,
    /// Up-to-date subjects checked against the delta.
    pub delta_subjects: usize,
    /// Of those, the ones the pre-filter let through to the engine.
    pub prefiltered: usize,
    /// New or changed subjects screened against the whole lists.
    pub full_subjects: usize,
    /// Matches at or above the threshold.
    pub matches: usize,
    pub alerts: Vec<Alert>,
    /// Matches skipped because an open alert exists for the pair.
    pub already_open: usize,
    /// Matches skipped because the pair is allowlisted (false positive, nothing changed).
    pub allowlisted: usize,
    pub load_ms: u128,
    pub screen_ms: u128,
    pub write_ms: u128,
    pub webhook: Option<WebhookOutcome>,
}

/// A subject as monitoring needs it.
struct Monitored {
    id: i64,
    external_id: String,
    revision: i64,
    query: Query,
}

struct Hit {
    subject: usize,
    entity_id: String,
    score: f64,
    explanation: Value,
}

const ALERT_COLS: &str = "a.id, a.subject_id, s.external_id, a.subject_revision, a.entity_id, \
     a.entity_hash, a.list_version_id, a.score, a.explanation, a.status, a.first_reviewer, \
     a.created_at, a.updated_at";

fn alert_from(r: &Row) -> Result<Alert> {
    let status = r.text(9)?;
    Ok(Alert {
        id: r.int(0)?,
        subject_id: r.int(1)?,
        external_id: r.text(2)?,
        subject_revision: r.int(3)?,
        entity_id: r.text(4)?,
        entity_hash: r.text(5)?,
        list_version_id: r.int(6)?,
        score: r.real(7)?,
        explanation: serde_json::from_str(&r.text(8)?)?,
        status: AlertStatus::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("alert status {status:?}")))?,
        first_reviewer: r.opt_text(10)?,
        created_at: r.text(11)?,
        updated_at: r.text(12)?,
    })
}

fn load_alert(tx: &mut Tx<'_>, id: i64, lock: bool) -> Result<Alert> {
    let lock = if lock && tx.backend() == Backend::Postgres {
        " FOR UPDATE OF a"
    } else {
        ""
    };
    let r = tx
        .query_opt(
            &format!(
                "SELECT {ALERT_COLS} FROM alerts a JOIN subjects s ON s.id = a.subject_id
                 WHERE a.id = $1{lock}"
            ),
            &[id.into()],
        )?
        .ok_or_else(|| StoreError::NotFound(format!("alert {id}")))?;
    alert_from(&r)
}

fn worker_threads(requested: usize) -> usize {
    if requested == 0 {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    } else {
        requested
    }
}

/// Screens `subjects` against `index` on `threads` threads; returns the matches.
fn screen_all(
    index: &Index,
    subjects: &[Monitored],
    threshold: f64,
    threads: usize,
) -> Result<Vec<Hit>> {
    if index.is_empty() || subjects.is_empty() {
        return Ok(Vec::new());
    }
    let opts = ScreenOptions {
        threshold,
        cutoff: threshold,
        limit: 20,
        ..ScreenOptions::default()
    };
    let threads = worker_threads(threads);
    let chunk = subjects.len().div_ceil(threads.max(1)).max(1);
    let results: Vec<Result<Vec<Hit>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = subjects
            .chunks(chunk)
            .enumerate()
            .map(|(ci, part)| {
                let opts = &opts;
                scope.spawn(move || -> Result<Vec<Hit>> {
                    let mut hits = Vec::new();
                    for (i, s) in part.iter().enumerate() {
                        for m in index.screen(&s.query, opts) {
                            if m.is_match {
                                hits.push(Hit {
                                    subject: ci * chunk + i,
                                    entity_id: m.entity_id,
                                    score: m.score,
                                    explanation: serde_json::to_value(&m.explanation)?,
                                });
                            }
                        }
                    }
                    Ok(hits)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| {
                    Err(StoreError::Invalid("screening thread panicked".into()))
                })
            })
            .collect()
    });
    let mut all = Vec::new();
    for r in results {
        all.extend(r?);
    }
    Ok(all)
}

const SUBJECT_COLS: &str = "id, external_id, revision, schema_name, names, birth_dates, \
     countries, identifiers";

fn monitored_from(r: &Row) -> Result<Monitored> {
    let data = from_columns(
        r.text(1)?,
        r.opt_text(3)?,
        &r.text(4)?,
        &r.text(5)?,
        &r.text(6)?,
        &r.text(7)?,
    )?;
    Ok(Monitored {
        id: r.int(0)?,
        revision: r.int(2)?,
        query: data.to_query(),
        external_id: data.external_id,
    })
}

/// Decides one scanned row: stale (new or changed), a pre-filter candidate, or neither.
/// Columns of the first pass: id, revision, screened_revision, match_keys, identifiers.
fn classify(
    r: &Row,
    filter: Option<&DeltaFilter>,
    out: &mut (usize, Vec<i64>, Vec<i64>),
) -> Result<()> {
    let id = r.int(0)?;
    if r.int(1)? != r.int(2)? {
        out.2.push(id);
        return Ok(());
    }
    out.0 += 1;
    if let Some(f) = filter {
        let keys = r.opt_text(3)?.unwrap_or_default();
        let ids_text = r.text(4)?;
        let idents: Vec<interdict_model::Identifier> = if ids_text.is_empty() || !f.has_ids() {
            Vec::new()
        } else {
            serde_json::from_str(&ids_text)?
        };
        if f.may_match(&keys, &idents) {
            out.1.push(id);
        }
    }
    Ok(())
}

/// Loads the subjects with the given ids, 500 at a time.
fn load_by_ids(tx: &mut Tx<'_>, ids: &[i64]) -> Result<Vec<Monitored>> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let params: Vec<crate::db::Val> = chunk.iter().map(|i| (*i).into()).collect();
        tx.query_each(
            &format!(
                "SELECT {SUBJECT_COLS} FROM subjects WHERE id IN ({})",
                marks.join(",")
            ),
            &params,
            |r| {
                out.push(monitored_from(&r)?);
                Ok(())
            },
        )?;
    }
    Ok(out)
}

/// One pass over the subjects: the up-to-date ones that may match the delta (by the
/// pre-filter over their stored match keys; the rest are not even decoded), and the new or
/// changed ones. Returns (up-to-date count, candidates, stale). The database is read on this
/// thread while `threads` workers classify batches of rows.
fn scan_subjects(
    tx: &mut Tx<'_>,
    filter: Option<&DeltaFilter>,
    threads: usize,
) -> Result<(usize, Vec<Monitored>, Vec<Monitored>)> {
    const BATCH: usize = 4096;
    let mut sql =
        "SELECT id, revision, screened_revision, match_keys, identifiers FROM subjects".to_string();
    if filter.is_none() {
        sql.push_str(" WHERE screened_revision <> revision");
    }
    let threads = threads.max(1);
    std::thread::scope(|scope| {
        let mut senders = Vec::with_capacity(threads);
        let mut handles = Vec::with_capacity(threads);
        for _ in 0..threads {
            let (tx_rows, rx_rows) = std::sync::mpsc::sync_channel::<Vec<Row>>(4);
            senders.push(tx_rows);
            handles.push(scope.spawn(move || -> Result<(usize, Vec<i64>, Vec<i64>)> {
                let mut out = (0usize, Vec::new(), Vec::new());
                for batch in rx_rows {
                    for r in &batch {
                        classify(r, filter, &mut out)?;
                    }
                }
                Ok(out)
            }));
        }
        let mut batch = Vec::with_capacity(BATCH);
        let mut next = 0usize;
        let read = tx.query_each(&sql, &[], |r| {
            batch.push(r);
            if batch.len() == BATCH {
                let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                // A worker that stopped has an error to report below.
                let _ = senders[next % threads].send(full);
                next += 1;
            }
            Ok(())
        });
        if !batch.is_empty() {
            let _ = senders[next % threads].send(batch);
        }
        drop(senders);
        let mut total = (0usize, Vec::new(), Vec::new());
        for h in handles {
            let part = h
                .join()
                .unwrap_or_else(|_| Err(StoreError::Invalid("scan thread panicked".into())))?;
            total.0 += part.0;
            total.1.extend(part.1);
            total.2.extend(part.2);
        }
        read?;
        Ok::<_, StoreError>(total)
    })
    .and_then(|(fresh, candidates, stale)| {
        Ok((
            fresh,
            load_by_ids(tx, &candidates)?,
            load_by_ids(tx, &stale)?,
        ))
    })
}

impl Store {
    /// Screens what changed since the last run (see the module docs), raises alerts and
    /// notifies the webhook. The server calls this after a list update or subject import.
    pub fn monitor_run(&mut self, opts: &MonitorOptions) -> Result<MonitorReport> {
        let mut report = MonitorReport::default();
        let t0 = Instant::now();
        self.refresh_match_keys()?;
        let current = self.current_versions()?;
        report.versions = current.iter().map(|v| v.id).collect();
        let mut tx = self.begin()?;
        let mut state: HashMap<String, i64> = HashMap::new();
        tx.query_each("SELECT dataset, version_id FROM monitor_state", &[], |r| {
            state.insert(r.text(0)?, r.int(1)?);
            Ok(())
        })?;
        // The delta: entities added or changed since the version last screened against.
        // entity id → (content hash, version id), for alerts.
        let mut delta: Vec<interdict_model::Entity> = Vec::new();
        let mut meta: HashMap<String, (String, i64)> = HashMap::new();
        for v in &current {
            match state.get(&v.dataset) {
                Some(old) if *old == v.id => {}
                Some(old) => {
                    let (a, b) = (hashes_of(&mut tx, *old)?, hashes_of(&mut tx, v.id)?);
                    let ids: HashSet<String> = b
                        .iter()
                        .filter(|(k, h)| a.get(*k) != Some(*h))
                        .map(|(k, _)| k.clone())
                        .collect();
                    for (e, h) in entities_of(&mut tx, v.id, Some(&ids))? {
                        meta.insert(e.id.clone(), (h, v.id));
                        delta.push(e);
                    }
                }
                None => {
                    for (e, h) in entities_of(&mut tx, v.id, None)? {
                        meta.insert(e.id.clone(), (h, v.id));
                        delta.push(e);
                    }
                }
            }
        }
        report.delta_entities = delta.len();
        let filter = (!delta.is_empty()).then(|| DeltaFilter::new(&delta));
        let (n_fresh, fresh, stale) =
            scan_subjects(&mut tx, filter.as_ref(), worker_threads(opts.threads))?;
        report.delta_subjects = n_fresh;
        report.prefiltered = fresh.len();
        // The whole lists, only when some subject is new or changed.
        let mut full_entities = Vec::new();
        if !stale.is_empty() {
            for v in &current {
                for (e, h) in entities_of(&mut tx, v.id, None)? {
                    meta.insert(e.id.clone(), (h, v.id));
                    full_entities.push(e);
                }
            }
        }
        tx.commit()?;
        report.load_ms = t0.elapsed().as_millis();

        let t1 = Instant::now();
        let delta_index = Index::build(delta);
        let mut hits = screen_all(&delta_index, &fresh, opts.threshold, opts.threads)?;
        let full_index = Index::build(full_entities);
        for mut h in screen_all(&full_index, &stale, opts.threshold, opts.threads)? {
            h.subject += fresh.len();
            hits.push(h);
        }
        report.full_subjects = stale.len();
        report.matches = hits.len();
        report.screen_ms = t1.elapsed().as_millis();

        let t2 = Instant::now();
        let subject_at = |i: usize| -> &Monitored {
            if i < fresh.len() {
                &fresh[i]
            } else {
                &stale[i - fresh.len()]
            }
        };
        let now = now_rfc3339();
        let mut tx = self.begin()?;
        let mut alerts = Vec::new();
        for h in &hits {
            let s = subject_at(h.subject);
            let Some((entity_hash, version_id)) = meta.get(&h.entity_id) else {
                continue;
            };
            let allow = tx.query_opt(
                "SELECT 1 FROM allowlist WHERE subject_id = $1 AND entity_id = $2
                 AND subject_revision = $3 AND entity_hash = $4",
                &[
                    s.id.into(),
                    h.entity_id.as_str().into(),
                    s.revision.into(),
                    entity_hash.into(),
                ],
            )?;
            if allow.is_some() {
                report.allowlisted += 1;
                continue;
            }
            let inserted = tx.query_opt(
                "INSERT INTO alerts (subject_id, subject_revision, entity_id, entity_hash,
                 list_version_id, score, explanation, status, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8, $8)
                 ON CONFLICT DO NOTHING RETURNING id",
                &[
                    s.id.into(),
                    s.revision.into(),
                    h.entity_id.as_str().into(),
                    entity_hash.into(),
                    (*version_id).into(),
                    h.score.into(),
                    h.explanation.to_string().into(),
                    now.as_str().into(),
                ],
            )?;
            let Some(row) = inserted else {
                report.already_open += 1;
                continue;
            };
            let id = row.int(0)?;
            audit::append(
                &mut tx,
                "alert",
                &opts.actor,
                &json!({
                    "alert_id": id, "subject_id": s.id, "external_id": s.external_id,
                    "subject_revision": s.revision, "entity_id": h.entity_id,
                    "entity_hash": entity_hash, "list_version_id": version_id,
                    "score": h.score,
                }),
            )?;
            alerts.push(id);
        }
        for v in &current {
            tx.exec(
                "INSERT INTO monitor_state (dataset, version_id, updated_at) VALUES ($1, $2, $3)
                 ON CONFLICT (dataset) DO UPDATE SET version_id = excluded.version_id,
                 updated_at = excluded.updated_at",
                &[v.dataset.as_str().into(), v.id.into(), now.as_str().into()],
            )?;
        }
        for s in &stale {
            // A subject changed since it was read stays stale and is screened next time.
            tx.exec(
                "UPDATE subjects SET screened_revision = $2 WHERE id = $1 AND revision = $2",
                &[s.id.into(), s.revision.into()],
            )?;
        }
        audit::append(
            &mut tx,
            "monitor_run",
            &opts.actor,
            &json!({
                "versions": report.versions, "delta_entities": report.delta_entities,
                "delta_subjects": report.delta_subjects, "full_subjects": report.full_subjects,
                "matches": report.matches, "alerts": alerts,
                "already_open": report.already_open, "allowlisted": report.allowlisted,
            }),
        )?;
        for id in &alerts {
            report.alerts.push(load_alert(&mut tx, *id, false)?);
        }
        tx.commit()?;
        report.write_ms = t2.elapsed().as_millis();

        if let (Some(cfg), false) = (&opts.webhook, report.alerts.is_empty()) {
            report.webhook = Some(post_json(
                cfg,
                &json!({"event": "alerts.created", "alerts": report.alerts}),
            ));
        }
        Ok(report)
    }

    /// Recomputes every subject's stored match keys when the engine's name analysis changed
    /// since they were computed (or some were never computed).
    pub fn refresh_match_keys(&mut self) -> Result<usize> {
        let fp = analysis_fingerprint();
        let mut tx = self.begin()?;
        let stored = tx
            .query_opt(
                "SELECT value FROM settings WHERE key = 'analysis_fingerprint'",
                &[],
            )?
            .map(|r| r.text(0))
            .transpose()?;
        let sql = if stored.as_deref() == Some(fp.as_str()) {
            format!("SELECT {SUBJECT_COLS} FROM subjects WHERE match_keys IS NULL")
        } else {
            format!("SELECT {SUBJECT_COLS} FROM subjects")
        };
        let mut updates = Vec::new();
        tx.query_each(&sql, &[], |r| {
            let data = from_columns(
                r.text(1)?,
                r.opt_text(3)?,
                &r.text(4)?,
                &r.text(5)?,
                &r.text(6)?,
                &r.text(7)?,
            )?;
            updates.push((r.int(0)?, subject_keys(&data)));
            Ok(())
        })?;
        for (id, keys) in &updates {
            tx.exec(
                "UPDATE subjects SET match_keys = $2 WHERE id = $1",
                &[(*id).into(), keys.as_str().into()],
            )?;
        }
        tx.exec(
            "INSERT INTO settings (key, value) VALUES ('analysis_fingerprint', $1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            &[fp.into()],
        )?;
        tx.commit()?;
        Ok(updates.len())
    }

    /// Takes the current lists and subjects as already screened, without screening: the next
    /// run screens only what changes after this point. For migrating from another screening
    /// system whose results are trusted, and for benchmarks. Audited.
    pub fn monitor_accept_baseline(&mut self, actor: &str) -> Result<()> {
        let current = self.current_versions()?;
        let now = now_rfc3339();
        let mut tx = self.begin()?;
        for v in &current {
            tx.exec(
                "INSERT INTO monitor_state (dataset, version_id, updated_at) VALUES ($1, $2, $3)
                 ON CONFLICT (dataset) DO UPDATE SET version_id = excluded.version_id,
                 updated_at = excluded.updated_at",
                &[v.dataset.as_str().into(), v.id.into(), now.as_str().into()],
            )?;
        }
        let n = tx.exec(
            "UPDATE subjects SET screened_revision = revision WHERE screened_revision <> revision",
            &[],
        )?;
        let versions: Vec<i64> = current.iter().map(|v| v.id).collect();
        audit::append(
            &mut tx,
            "monitor_baseline",
            actor,
            &json!({"versions": versions, "subjects": n}),
        )?;
        tx.commit()
    }

    pub fn alert(&mut self, id: i64) -> Result<Alert> {
        let mut tx = self.begin()?;
        let a = load_alert(&mut tx, id, false)?;
        tx.commit()?;
        Ok(a)
    }

    /// Alerts, oldest first.
    pub fn list_alerts(&mut self, filter: &AlertFilter) -> Result<Vec<Alert>> {
        let mut sql = format!(
            "SELECT {ALERT_COLS} FROM alerts a JOIN subjects s ON s.id = a.subject_id WHERE 1 = 1"
        );
        let mut params = Vec::new();
        if let Some(st) = filter.status {
            params.push(st.as_str().into());
            sql.push_str(&format!(" AND a.status = ${}", params.len()));
        }
        if let Some(x) = &filter.subject_external_id {
            params.push(x.as_str().into());
            sql.push_str(&format!(" AND s.external_id = ${}", params.len()));
        }
        sql.push_str(" ORDER BY a.id");
        if let Some(l) = filter.limit {
            params.push(l.into());
            sql.push_str(&format!(" LIMIT ${}", params.len()));
        }
        let mut tx = self.begin()?;
        let rows = tx.query(&sql, &params)?;
        tx.commit()?;
        rows.iter().map(alert_from).collect()
    }

    /// The decisions taken on an alert, oldest first.
    pub fn alert_decisions(&mut self, alert_id: i64) -> Result<Vec<DecisionRecord>> {
        let mut tx = self.begin()?;
        let rows = tx.query(
            "SELECT id, alert_id, decision, user_name, reason, status_after, decided_at
             FROM decisions WHERE alert_id = $1 ORDER BY id",
            &[alert_id.into()],
        )?;
        tx.commit()?;
        rows.iter()
            .map(|r| {
                Ok(DecisionRecord {
                    id: r.int(0)?,
                    alert_id: r.int(1)?,
                    decision: r.text(2)?,
                    user: r.text(3)?,
                    reason: r.text(4)?,
                    status_after: r.text(5)?,
                    decided_at: r.text(6)?,
                })
            })
            .collect()
    }

    /// Records a reviewer's decision on an alert, in one transaction with its audit record.
    ///
    /// Under four-eyes, a first false-positive decision moves the alert to
    /// `pending_second_review`; a different user's false-positive decision closes it. A closed
    /// false positive allowlists the subject–entity pair at the current subject revision and
    /// entity content.
    pub fn decide(
        &mut self,
        alert_id: i64,
        decision: Decision,
        user: &str,
        reason: &str,
        policy: DecisionPolicy,
    ) -> Result<DecisionOutcome> {
        let (user, reason) = (user.trim(), reason.trim());
        if user.is_empty() {
            return Err(StoreError::Invalid("a decision needs a user".into()));
        }
        if reason.is_empty() {
            return Err(StoreError::Invalid("a decision needs a reason".into()));
        }
        let mut tx = self.begin()?;
        let alert = load_alert(&mut tx, alert_id, true)?;
        let before = alert.status;
        if !before.is_open() {
            return Err(StoreError::Invalid(format!(
                "alert {alert_id} is closed ({})",
                before.as_str()
            )));
        }
        let mut first_reviewer = alert.first_reviewer.clone();
        let after = match decision {
            Decision::TrueMatch => AlertStatus::TrueMatch,
            Decision::Escalated => {
                first_reviewer = None;
                AlertStatus::Escalated
            }
            Decision::FalsePositive if !policy.four_eyes => AlertStatus::FalsePositive,
            Decision::FalsePositive => match (before, alert.first_reviewer.as_deref()) {
                (AlertStatus::PendingSecondReview, Some(first)) if first == user => {
                    return Err(StoreError::Invalid(format!(
                        "four-eyes: alert {alert_id} was proposed as a false positive by \
                         {first}; a different user must confirm it"
                    )));
                }
                (AlertStatus::PendingSecondReview, _) => AlertStatus::FalsePositive,
                _ => {
                    first_reviewer = Some(user.to_string());
                    AlertStatus::PendingSecondReview
                }
            },
        };
        let now = now_rfc3339();
        let decision_id = tx
            .query_one(
                "INSERT INTO decisions (alert_id, decision, user_name, reason, status_after,
                 decided_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                &[
                    alert_id.into(),
                    decision.as_str().into(),
                    user.into(),
                    reason.into(),
                    after.as_str().into(),
                    now.as_str().into(),
                ],
            )?
            .int(0)?;
        tx.exec(
            "UPDATE alerts SET status = $2, first_reviewer = $3, updated_at = $4 WHERE id = $1",
            &[
                alert_id.into(),
                after.as_str().into(),
                first_reviewer.into(),
                now.as_str().into(),
            ],
        )?;
        if after == AlertStatus::FalsePositive {
            tx.exec(
                "INSERT INTO allowlist (subject_id, entity_id, subject_revision, entity_hash,
                 alert_id, created_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
                &[
                    alert.subject_id.into(),
                    alert.entity_id.as_str().into(),
                    alert.subject_revision.into(),
                    alert.entity_hash.as_str().into(),
                    alert_id.into(),
                    now.as_str().into(),
                ],
            )?;
        }
        audit::append(
            &mut tx,
            "decision",
            user,
            &json!({
                "decision_id": decision_id, "alert_id": alert_id,
                "decision": decision.as_str(), "reason": reason,
                "status_before": before.as_str(), "status_after": after.as_str(),
                "subject_id": alert.subject_id, "entity_id": alert.entity_id,
            }),
        )?;
        let alert = load_alert(&mut tx, alert_id, false)?;
        crate::test_pause("INTERDICT_TEST_PAUSE_DECISION", "decision");
        tx.commit()?;
        Ok(DecisionOutcome {
            decision_id,
            status_before: before,
            alert,
        })
    }
}
