//! The hash-chained audit log.
//!
//! Every record holds `seq` (1, 2, 3 …), `ts`, `kind`, `actor`, `payload` (canonical JSON text),
//! `prev_hash` (the previous record's hash; 64 zeros for the first) and
//! `hash = SHA-256(canonical JSON of [seq, ts, kind, actor, payload, prev_hash])`.
//! A one-row `audit_head` holds the last seq and hash, updated in the same transaction, so
//! deleting records from the end is detected too. Appending locks the head row, which
//! serialises writers; the record commits with the change it describes.

use std::io::Write;

use serde::Serialize;
use serde_json::{json, Value};

use crate::db::{Backend, Tx};
use crate::util::{canonical_json, now_rfc3339, sha256_hex};
use crate::{Result, Store, StoreError};

pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One audit record as stored.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AuditRecord {
    pub seq: i64,
    pub ts: String,
    pub kind: String,
    pub actor: String,
    pub payload: Value,
    pub prev_hash: String,
    pub hash: String,
}

/// One inconsistency found by [`Store::audit_verify`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AuditProblem {
    /// The record concerned (for a deleted tail: the last record present).
    pub seq: i64,
    pub problem: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct VerifyReport {
    pub records: u64,
    pub last_seq: i64,
    pub problems: Vec<AuditProblem>,
}

impl VerifyReport {
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// The hash of a record from its stored fields.
pub fn record_hash(
    seq: i64,
    ts: &str,
    kind: &str,
    actor: &str,
    payload: &str,
    prev_hash: &str,
) -> String {
    let enc = canonical_json(&json!([seq, ts, kind, actor, payload, prev_hash]));
    sha256_hex(enc.as_bytes())
}

/// Appends a record inside the caller's transaction; returns its seq.
pub(crate) fn append(tx: &mut Tx<'_>, kind: &str, actor: &str, payload: &Value) -> Result<i64> {
    let head_sql = match tx.backend() {
        Backend::Sqlite => "SELECT seq, hash FROM audit_head WHERE id = 1",
        Backend::Postgres => "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE",
    };
    let head = tx.query_one(head_sql, &[])?;
    let (last_seq, prev_hash) = (head.int(0)?, head.text(1)?);
    let seq = last_seq + 1;
    let ts = now_rfc3339();
    let payload = canonical_json(payload);
    let hash = record_hash(seq, &ts, kind, actor, &payload, &prev_hash);
    tx.exec(
        "INSERT INTO audit_log (seq, ts, kind, actor, payload, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        &[
            seq.into(),
            ts.into(),
            kind.into(),
            actor.into(),
            payload.into(),
            prev_hash.into(),
            hash.clone().into(),
        ],
    )?;
    tx.exec(
        "UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1",
        &[seq.into(), hash.into()],
    )?;
    Ok(seq)
}

const SELECT_LOG: &str =
    "SELECT seq, ts, kind, actor, payload, prev_hash, hash FROM audit_log ORDER BY seq";

impl Store {
    /// Appends one audit record in its own transaction (for events the store does not record
    /// itself, e.g. an API call).
    pub fn audit_append(&mut self, kind: &str, actor: &str, payload: &Value) -> Result<i64> {
        let mut tx = self.begin()?;
        let seq = append(&mut tx, kind, actor, payload)?;
        tx.commit()?;
        Ok(seq)
    }

    /// Records one screening request: what was asked, against what, and what came back.
    pub fn audit_screening(
        &mut self,
        actor: &str,
        query: &Value,
        against: &Value,
        results: &Value,
    ) -> Result<i64> {
        self.audit_append(
            "screening",
            actor,
            &json!({"query": query, "against": against, "results": results}),
        )
    }

    /// Checks the whole chain and names every record that was edited, deleted or moved.
    pub fn audit_verify(&mut self) -> Result<VerifyReport> {
        let mut tx = self.begin()?;
        let mut problems = Vec::new();
        let mut expected_seq = 1i64;
        let mut prev = GENESIS_HASH.to_string();
        let mut records = 0u64;
        let mut last_seq = 0i64;
        tx.query_each(SELECT_LOG, &[], |r| {
            let (seq, ts, kind, actor, payload, prev_hash, hash) = (
                r.int(0)?,
                r.text(1)?,
                r.text(2)?,
                r.text(3)?,
                r.text(4)?,
                r.text(5)?,
                r.text(6)?,
            );
            records += 1;
            if seq != expected_seq {
                let what = if seq > expected_seq {
                    format!("records {expected_seq}..{} are missing (deleted)", seq - 1)
                } else {
                    format!("record out of order (expected seq {expected_seq})")
                };
                problems.push(AuditProblem { seq, problem: what });
            }
            if record_hash(seq, &ts, &kind, &actor, &payload, &prev_hash) != hash {
                problems.push(AuditProblem {
                    seq,
                    problem: "content does not match its hash (record edited)".into(),
                });
            }
            if prev_hash != prev {
                problems.push(AuditProblem {
                    seq,
                    problem: "prev_hash does not match the preceding record's hash (a record \
                              before it was deleted, edited or reordered)"
                        .into(),
                });
            }
            prev = hash;
            last_seq = seq;
            expected_seq = seq + 1;
            Ok(())
        })?;
        let head = tx.query_one("SELECT seq, hash FROM audit_head WHERE id = 1", &[])?;
        let (head_seq, head_hash) = (head.int(0)?, head.text(1)?);
        if head_seq != last_seq || head_hash != prev {
            problems.push(AuditProblem {
                seq: last_seq,
                problem: format!(
                    "the log ends at seq {last_seq} but its head records seq {head_seq}: \
                     records at the end were deleted or the last record was edited"
                ),
            });
        }
        tx.commit()?;
        Ok(VerifyReport {
            records,
            last_seq,
            problems,
        })
    }

    /// Writes the log as JSON lines, one record per line, in seq order; returns the count.
    pub fn audit_export(&mut self, out: &mut dyn Write) -> Result<u64> {
        let mut tx = self.begin()?;
        let mut n = 0;
        tx.query_each(SELECT_LOG, &[], |r| {
            let payload_text = r.text(4)?;
            let rec = AuditRecord {
                seq: r.int(0)?,
                ts: r.text(1)?,
                kind: r.text(2)?,
                actor: r.text(3)?,
                payload: serde_json::from_str(&payload_text).unwrap_or(Value::String(payload_text)),
                prev_hash: r.text(5)?,
                hash: r.text(6)?,
            };
            let line = serde_json::to_string(&rec)?;
            writeln!(out, "{line}").map_err(|source| StoreError::Io {
                path: "<audit export>".into(),
                source,
            })?;
            n += 1;
            Ok(())
        })?;
        tx.commit()?;
        Ok(n)
    }

    /// The last `limit` records, newest last.
    pub fn audit_tail(&mut self, limit: i64) -> Result<Vec<AuditRecord>> {
        let mut tx = self.begin()?;
        let rows = tx.query(
            "SELECT seq, ts, kind, actor, payload, prev_hash, hash FROM audit_log
             ORDER BY seq DESC LIMIT $1",
            &[limit.into()],
        )?;
        tx.commit()?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows.iter().rev() {
            let payload_text = r.text(4)?;
            out.push(AuditRecord {
                seq: r.int(0)?,
                ts: r.text(1)?,
                kind: r.text(2)?,
                actor: r.text(3)?,
                payload: serde_json::from_str(&payload_text).unwrap_or(Value::String(payload_text)),
                prev_hash: r.text(5)?,
                hash: r.text(6)?,
            });
        }
        Ok(out)
    }
}
