//! The file store: where the files of a dossier's documents are kept, through the
//! `object_store` crate — a local folder by default (beside the SQLite file), any
//! S3-compatible store (`s3://bucket`, configured by the usual `AWS_*` variables) when several
//! instances share the files. A file is written once under its own key and never overwritten
//! or deleted; [`receive`] streams an upload into it with its checks.

pub mod receive;

use object_store::ObjectStore;
use object_store::path::Path;
use std::sync::Arc;

/// A new upload's id: `upl_` and 128 random bits in hex, never reused.
pub fn new_id() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    format!("upl_{}", crate::hex::lower_hex(&bytes))
}

/// The store, and where it is, for the log.
pub struct FileStore {
    store: Arc<dyn ObjectStore>,
    /// Where it is (`/var/lib/motcua/files`, `s3://bucket`), without the URL's options.
    pub location: String,
}

impl FileStore {
    /// The store at `url`: `s3://bucket[?option=value&…]` for an S3-compatible store — the
    /// endpoint, region and keys from `AWS_ENDPOINT`, `AWS_REGION`, `AWS_ACCESS_KEY_ID`,
    /// `AWS_SECRET_ACCESS_KEY` (`AWS_ALLOW_HTTP=true` for a store without TLS), or as options
    /// of the URL under the same names in lower case without `aws_` (`endpoint`, `region`,
    /// `allow_http`…) — else a local folder, created if needed.
    pub fn open(url: &str) -> Result<Self, String> {
        let store: Arc<dyn ObjectStore> = if url.starts_with("s3://") {
            let (base, options) = url.split_once('?').unwrap_or((url, ""));
            let mut builder = object_store::aws::AmazonS3Builder::from_env().with_url(base);
            for option in options.split('&').filter(|o| !o.is_empty()) {
                let (key, value) = option.split_once('=').unwrap_or((option, ""));
                let key: object_store::aws::AmazonS3ConfigKey =
                    key.parse().map_err(|e| format!("the file store option `{key}`: {e}"))?;
                builder = builder.with_config(key, value);
            }
            let s3 = builder.build().map_err(|e| format!("the file store `{base}`: {e}"))?;
            Arc::new(s3)
        } else {
            let folder = url.strip_prefix("file://").unwrap_or(url);
            std::fs::create_dir_all(folder).map_err(|e| format!("the file folder `{folder}`: {e}"))?;
            let local = object_store::local::LocalFileSystem::new_with_prefix(folder)
                .map_err(|e| format!("the file folder `{folder}`: {e}"))?;
            Arc::new(local)
        };
        // Never the options in the log: they may hold keys.
        let location = url.split('?').next().unwrap_or(url).to_owned();
        Ok(FileStore { store, location })
    }

    /// The folder beside a SQLite database (`motcua.db` → `motcua-files`), or in the working
    /// directory for another database.
    pub fn default_location(database_url: &str) -> String {
        let path = database_url.strip_prefix("sqlite://").map(|rest| rest.split('?').next().unwrap_or_default());
        match path {
            Some(path) if !path.is_empty() && path != ":memory:" => {
                let path = std::path::Path::new(path);
                let stem = path.file_stem().map_or_else(|| "motcua".into(), |s| s.to_string_lossy().into_owned());
                path.with_file_name(format!("{stem}-files")).to_string_lossy().into_owned()
            }
            _ => "motcua-files".to_owned(),
        }
    }

    /// The store itself.
    pub(crate) fn objects(&self) -> &Arc<dyn ObjectStore> {
        &self.store
    }

    /// The bytes under `key`, as a stream.
    pub(crate) async fn read(
        &self,
        key: &str,
    ) -> Result<
        impl futures_util::Stream<Item = Result<actix_web::web::Bytes, object_store::Error>> + use<>,
        crate::error::ApiError,
    > {
        let found = self.store.get(&Path::from(key)).await.map_err(|error| {
            tracing::error!(%error, key, "a stored file cannot be read");
            crate::error::ApiError::new(crate::error::ErrorCode::Internal, "the stored file cannot be read")
        })?;
        Ok(found.into_stream())
    }

    /// Removes the bytes of upload `id` that no row ever recorded (its row could not be
    /// written): not a file of any dossier, which are never deleted.
    pub(crate) async fn discard(&self, id: &str) {
        if let Err(error) = self.store.delete(&Self::key_of(id)).await {
            tracing::warn!(%error, id, "an unrecorded upload could not be removed");
        }
    }

    /// The key of an upload's bytes.
    pub(crate) fn key_of(id: &str) -> Path {
        Path::from(format!("uploads/{id}"))
    }
}

#[cfg(test)]
mod tests {
    use super::FileStore;

    #[test]
    fn files_live_beside_the_sqlite_file() {
        assert_eq!(FileStore::default_location("sqlite://motcua.db?mode=rwc"), "motcua-files");
        assert_eq!(FileStore::default_location("sqlite:///var/lib/motcua/data.db"), "/var/lib/motcua/data-files");
        assert_eq!(FileStore::default_location("postgres://postgres@127.0.0.1/motcua"), "motcua-files");
    }
}
