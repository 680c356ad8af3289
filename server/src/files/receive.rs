//! An upload streamed into the file store: the first bytes show its type (whatever it is
//! called or claims to be), every byte counts against the document's limit and goes through
//! SHA-256 on its way, and the object exists only once the last byte is written — an upload
//! refused or cut off halfway leaves nothing behind. Never the whole file in memory: parts of
//! a few megabytes at most.

use super::FileStore;
use crate::error::{ApiError, ErrorCode};
use actix_web::web::Bytes;
use futures_util::{Stream, StreamExt};
use motcua_engine::files::{FileRules, MediaType};
use object_store::WriteMultipart;
use sha2::{Digest, Sha256};

/// A file stored.
pub struct Received {
    /// The type its bytes show.
    pub media_type: MediaType,
    /// Its size.
    pub size: u64,
    /// SHA-256 of its bytes, lowercase hex.
    pub sha256: String,
}

fn too_large(rules: &FileRules) -> ApiError {
    ApiError::new(
        ErrorCode::PayloadTooLarge,
        format!(
            "a file of this document is at most {} bytes ({} MB)",
            rules.max_bytes,
            rules.max_bytes / (1024 * 1024)
        ),
    )
}

fn not_allowed(rules: &FileRules, what: &str) -> ApiError {
    ApiError::new(ErrorCode::UnsupportedMediaType, format!("{what}; this document takes {}", rules.accepted_list()))
        .with("accepted", serde_json::json!(rules.media_types.iter().map(|m| m.as_str()).collect::<Vec<_>>()))
}

/// Streams `body` into `store` as upload `id`, given the type the client `claimed` (none: the
/// bytes alone tell).
pub async fn receive<E: std::fmt::Display>(
    store: &FileStore,
    id: &str,
    rules: &FileRules,
    claimed: Option<MediaType>,
    mut body: impl Stream<Item = Result<Bytes, E>> + Unpin,
) -> Result<Received, ApiError> {
    let cut_off = |e: E| ApiError::new(ErrorCode::InvalidBody, format!("the upload was cut off: {e}"));
    // The first bytes, enough to tell the type, before anything is written.
    let mut head = Vec::with_capacity(MediaType::SNIFF_BYTES);
    let mut rest = Bytes::new();
    while head.len() < MediaType::SNIFF_BYTES {
        let Some(chunk) = body.next().await else { break };
        let chunk = chunk.map_err(cut_off)?;
        let take = (MediaType::SNIFF_BYTES - head.len()).min(chunk.len());
        head.extend_from_slice(&chunk[..take]);
        rest = chunk.slice(take..);
    }
    let Some(shown) = MediaType::sniff(&head) else {
        return Err(not_allowed(rules, "the file's bytes are none of PDF, JPEG or PNG"));
    };
    if let Some(claimed) = claimed.filter(|claimed| *claimed != shown) {
        return Err(not_allowed(
            rules,
            &format!("the file says `{}` but its bytes are `{}`", claimed.as_str(), shown.as_str()),
        ));
    }
    if !rules.accepts(shown) {
        return Err(not_allowed(rules, &format!("`{}` is not accepted", shown.as_str())));
    }
    let upload = store.objects().put_multipart(&FileStore::key_of(id)).await.map_err(store_error)?;
    let mut writer = WriteMultipart::new(upload);
    let mut hasher = Sha256::new();
    let mut size = 0u64;
    // What was read to tell the type goes first, then the rest as it arrives.
    let mut queued: std::collections::VecDeque<Bytes> =
        [Bytes::from(head), rest].into_iter().filter(|b| !b.is_empty()).collect();
    loop {
        let chunk = match queued.pop_front() {
            Some(chunk) => chunk,
            None => match body.next().await {
                None => break,
                Some(Ok(chunk)) => chunk,
                Some(Err(error)) => {
                    let _ = writer.abort().await;
                    return Err(cut_off(error));
                }
            },
        };
        size += chunk.len() as u64;
        if size > rules.max_bytes {
            let _ = writer.abort().await;
            return Err(too_large(rules));
        }
        hasher.update(&chunk);
        // Waits while too many parts are in flight: memory stays bounded whatever the size.
        if let Err(error) = writer.wait_for_capacity(2).await {
            let _ = writer.abort().await;
            return Err(store_error(error));
        }
        writer.put(chunk);
    }
    writer.finish().await.map_err(store_error)?;
    Ok(Received { media_type: shown, size, sha256: crate::hex::lower_hex(&hasher.finalize()) })
}

fn store_error(error: object_store::Error) -> ApiError {
    tracing::error!(%error, "the file store failed");
    ApiError::new(ErrorCode::Internal, "the file store did not take the file; try again")
}
