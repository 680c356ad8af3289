//! The files a document is provided as, online or by post: which media types, how large, how
//! many — declared by the definition (`documents[].files`), checked by the server against the
//! bytes themselves, never against a file's name.

use serde::{Deserialize, Serialize};

/// A media type a document's file may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MediaType {
    /// `application/pdf`.
    #[serde(rename = "application/pdf")]
    Pdf,
    /// `image/jpeg`.
    #[serde(rename = "image/jpeg")]
    Jpeg,
    /// `image/png`.
    #[serde(rename = "image/png")]
    Png,
}

impl MediaType {
    /// Every media type a file may have.
    pub const ALL: [MediaType; 3] = [MediaType::Pdf, MediaType::Jpeg, MediaType::Png];

    /// As HTTP writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            MediaType::Pdf => "application/pdf",
            MediaType::Jpeg => "image/jpeg",
            MediaType::Png => "image/png",
        }
    }

    /// The type `text` names (parameters such as `; charset` ignored), if it is one of these.
    pub fn parse(text: &str) -> Option<MediaType> {
        let essence = text.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
        MediaType::ALL.into_iter().find(|m| m.as_str() == essence)
    }

    /// The type the first bytes of a file show it to be, whatever it is called: a PDF starts
    /// `%PDF-`, a JPEG `FF D8 FF`, a PNG its eight-byte signature.
    pub fn sniff(head: &[u8]) -> Option<MediaType> {
        if head.starts_with(b"%PDF-") {
            Some(MediaType::Pdf)
        } else if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(MediaType::Jpeg)
        } else if head.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
            Some(MediaType::Png)
        } else {
            None
        }
    }

    /// Bytes [`MediaType::sniff`] needs to see.
    pub const SNIFF_BYTES: usize = 8;
}

/// Default largest file, in MB.
pub const DEFAULT_MAX_MB: u32 = 10;
/// Default most files of one document.
pub const DEFAULT_MAX_FILES: u32 = 5;

/// What a document's files may be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRules {
    /// The media types accepted.
    pub media_types: Vec<MediaType>,
    /// The largest file, in bytes.
    pub max_bytes: u64,
    /// The most files.
    pub max_files: u32,
}

impl FileRules {
    /// Whether `media_type` is accepted.
    pub fn accepts(&self, media_type: MediaType) -> bool {
        self.media_types.contains(&media_type)
    }

    /// The accepted types, as a list for a message (`application/pdf, image/jpeg`).
    pub fn accepted_list(&self) -> String {
        self.media_types.iter().map(|m| m.as_str()).collect::<Vec<_>>().join(", ")
    }
}

/// `documents[].files` as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct FilesSpec {
    pub media_types: Option<Vec<MediaType>>,
    pub max_mb: Option<u32>,
    pub max_files: Option<u32>,
}

impl FilesSpec {
    /// The rules, defaults filled in: PDF, JPEG and PNG, 10 MB, 5 files.
    pub fn rules(&self) -> FileRules {
        FileRules {
            media_types: self.media_types.clone().unwrap_or_else(|| MediaType::ALL.to_vec()),
            max_bytes: u64::from(self.max_mb.unwrap_or(DEFAULT_MAX_MB)) * 1024 * 1024,
            max_files: self.max_files.unwrap_or(DEFAULT_MAX_FILES),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_what_its_bytes_say_not_what_it_is_called() {
        assert_eq!(MediaType::sniff(b"%PDF-1.7\n..."), Some(MediaType::Pdf));
        assert_eq!(MediaType::sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]), Some(MediaType::Jpeg));
        assert_eq!(MediaType::sniff(b"\x89PNG\r\n\x1a\n...."), Some(MediaType::Png));
        assert_eq!(MediaType::sniff(b"MZ\x90\x00"), None, "a program called .pdf is no PDF");
        assert_eq!(MediaType::sniff(b"%PD"), None);
        assert_eq!(MediaType::parse("Application/PDF; charset=binary"), Some(MediaType::Pdf));
        assert_eq!(MediaType::parse("text/html"), None);
    }

    #[test]
    fn defaults_are_pdf_and_images_of_ten_megabytes_five_at_most() {
        let rules = FilesSpec { media_types: None, max_mb: None, max_files: None }.rules();
        assert_eq!(rules.max_bytes, 10 * 1024 * 1024);
        assert_eq!(rules.max_files, 5);
        assert!(rules.accepts(MediaType::Png));
        let pdf_only =
            FilesSpec { media_types: Some(vec![MediaType::Pdf]), max_mb: Some(2), max_files: Some(1) }.rules();
        assert!(!pdf_only.accepts(MediaType::Jpeg));
        assert_eq!(pdf_only.accepted_list(), "application/pdf");
    }
}
