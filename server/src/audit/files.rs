//! The files of the audit log: every `attach_file` record names a file and its SHA-256; the
//! file must be in the store, bound to that dossier, with bytes that hash to what the chain
//! says. `motcua audit verify` reads each one back.

use super::verify::{Finding, Problem};
use crate::db::entities::{audit_event, dossier, upload};
use crate::files::FileStore;
use futures_util::StreamExt;
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// Every file the audit log names, checked against its row and its bytes in `store`: the
/// problems found and how many files were read.
pub async fn verify_files(db: &DatabaseConnection, store: &FileStore) -> Result<(Vec<Finding>, u64), DbErr> {
    let records = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("attach_file"))
        .order_by_asc(audit_event::Column::Id)
        .all(db)
        .await?;
    let ids: std::collections::BTreeSet<i32> = records.iter().map(|r| r.dossier_id).collect();
    let ids: Vec<i32> = ids.into_iter().collect();
    let mut codes: BTreeMap<i32, String> = BTreeMap::new();
    // In chunks: a statement binds a bounded number of parameters.
    for chunk in ids.chunks(500) {
        let found = dossier::Entity::find().filter(dossier::Column::Id.is_in(chunk.iter().copied())).all(db).await?;
        codes.extend(found.into_iter().map(|d| (d.id, d.code)));
    }
    let (mut findings, mut read) = (Vec::new(), 0);
    for record in records {
        let dossier = codes.get(&record.dossier_id).cloned().unwrap_or_else(|| record.dossier_id.to_string());
        let finding = |problem, message: String| Finding {
            dossier: dossier.clone(),
            position: Some(record.position),
            problem,
            message,
        };
        let payload: serde_json::Value = serde_json::from_str(&record.payload).unwrap_or_default();
        let (Some(file), Some(expected)) = (payload["file"].as_str(), payload["sha256"].as_str()) else {
            findings.push(finding(Problem::EditedRecord, "an attached file's record names no file or hash".to_owned()));
            continue;
        };
        let Some(row) = upload::Entity::find_by_id(file.to_owned()).one(db).await? else {
            findings.push(finding(Problem::MissingFile, format!("file `{file}` is no longer recorded")));
            continue;
        };
        if row.sha256 != expected || row.dossier_code.as_deref() != Some(dossier.as_str()) {
            findings.push(finding(
                Problem::EditedFile,
                format!(
                    "the row of file `{file}` differs from the chain (hash `{}`, dossier {:?})",
                    row.sha256, row.dossier_code
                ),
            ));
            continue;
        }
        match hash_of(store, &row.object_key).await {
            None => findings
                .push(finding(Problem::MissingFile, format!("the bytes of file `{file}` are gone from the store"))),
            Some(actual) if actual != expected => findings.push(finding(
                Problem::EditedFile,
                format!("the bytes of file `{file}` hash to `{actual}`, the chain says `{expected}`"),
            )),
            Some(_) => {}
        }
        read += 1;
    }
    Ok((findings, read))
}

/// SHA-256 of the object under `key`, read as a stream; none when it cannot be read.
async fn hash_of(store: &FileStore, key: &str) -> Option<String> {
    let mut stream = store.read(key).await.ok()?;
    let mut hasher = Sha256::new();
    while let Some(chunk) = stream.next().await {
        hasher.update(chunk.ok()?);
    }
    Some(crate::hex::lower_hex(&hasher.finalize()))
}
