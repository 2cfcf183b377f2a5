//! Photos: checked by their content (never by name or declared type), size-limited,
//! decoded under pixel and memory limits, scaled down and re-encoded as JPEG. Re-encoding
//! writes a fresh file, so EXIF (with its GPS position) never reaches anyone. Only the
//! re-encoded file is stored and served, under a random name.

use image::{ImageFormat, ImageReader, Limits};
use std::io::Cursor;
use std::path::{Path, PathBuf};

/// The most a single upload may weigh.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;
/// Decoding refuses anything wider or taller (pixel bombs).
pub const MAX_SIDE: u32 = 12_000;
/// Stored photos are at most this long on their longest side.
pub const STORED_SIDE: u32 = 2_048;
/// At most this many photos per step.
pub const MAX_PER_STEP: usize = 3;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PhotoError {
    #[error("the file is larger than 10 MB")]
    TooLarge,
    #[error("the file is not a JPEG, PNG or WebP image")]
    NotAnImage,
    #[error("the image is too large to decode safely")]
    TooManyPixels,
    #[error("the image could not be decoded")]
    Corrupt,
}

impl PhotoError {
    /// What the uploader is told.
    pub fn msg(&self) -> crate::i18n::Msg {
        use crate::i18n::Msg;
        match self {
            PhotoError::TooLarge => Msg::ErrPhotoTooLarge,
            PhotoError::NotAnImage => Msg::ErrNotAnImage,
            PhotoError::TooManyPixels => Msg::ErrPhotoPixels,
            PhotoError::Corrupt => Msg::ErrPhotoCorrupt,
        }
    }
}

/// Why a batch of photos was not processed.
#[derive(Debug)]
pub enum BatchError {
    /// One photo was refused: the whole batch is (nothing is half-stored).
    Photo(PhotoError),
    /// The decoding task died.
    Task,
}

/// Batches decoded at once: decoding takes a core and up to 256 MB, so a burst of uploads
/// waits its turn instead of taking the machine.
static DECODERS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// Processes every photo of one step off the async threads (decoding is CPU work).
pub async fn process_all(files: Vec<Vec<u8>>) -> Result<Vec<Processed>, BatchError> {
    let _turn = DECODERS.acquire().await.map_err(|_| BatchError::Task)?;
    tokio::task::spawn_blocking(move || {
        files
            .iter()
            .map(|f| process(f))
            .collect::<Result<Vec<_>, _>>()
    })
    .await
    .map_err(|e| {
        tracing::error!(error = %e, "photo task failed");
        BatchError::Task
    })?
    .map_err(BatchError::Photo)
}

pub struct Processed {
    pub jpeg: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

pub fn process(bytes: &[u8]) -> Result<Processed, PhotoError> {
    if bytes.len() > MAX_BYTES {
        return Err(PhotoError::TooLarge);
    }
    let format = image::guess_format(bytes).map_err(|_| PhotoError::NotAnImage)?;
    if !matches!(
        format,
        ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP
    ) {
        return Err(PhotoError::NotAnImage);
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(256 * 1024 * 1024);
    reader.limits(limits);
    let img = reader.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => PhotoError::TooManyPixels,
        _ => PhotoError::Corrupt,
    })?;
    let img = if img.width().max(img.height()) > STORED_SIDE {
        img.resize(
            STORED_SIDE,
            STORED_SIDE,
            image::imageops::FilterType::Triangle,
        )
    } else {
        img
    };
    let rgb = img.to_rgb8();
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 82)
        .encode_image(&rgb)
        .map_err(|_| PhotoError::Corrupt)?;
    Ok(Processed {
        jpeg,
        width: rgb.width(),
        height: rgb.height(),
    })
}

/// A random file name: 128 bits, hex, `.jpg`.
pub fn new_file_name() -> String {
    format!("{}.jpg", crate::ssr::crypto::random_hex(16))
}

/// Only names we generated are ever opened: 32 hex digits and `.jpg`.
pub fn is_our_name(name: &str) -> bool {
    name.len() == 36 && name.ends_with(".jpg") && name[..32].bytes().all(|b| b.is_ascii_hexdigit())
}

pub fn dir(data_dir: &Path) -> PathBuf {
    data_dir.join("photos")
}

/// The suffix of a photo still being written (see [`save`]).
pub const PART_SUFFIX: &str = ".part";

/// Writes a photo under a fresh random name in `dir` and returns its path: first to
/// `NAME.part`, synced, then renamed and the folder synced, so that neither a reader nor a
/// power cut ever meets a partial file under a real name. On any failure (a full disk
/// included) nothing is left behind. Runs off the async threads.
pub async fn save(dir: PathBuf, jpeg: Vec<u8>) -> std::io::Result<PathBuf> {
    tokio::task::spawn_blocking(move || {
        std::fs::create_dir_all(&dir)?;
        let path = dir.join(new_file_name());
        let part = path.with_extension(format!("jpg{PART_SUFFIX}"));
        let written = write_synced(&part, &jpeg)
            .and_then(|()| std::fs::rename(&part, &path))
            .and_then(|()| std::fs::File::open(&dir)?.sync_all());
        match written {
            Ok(()) => Ok(path),
            Err(e) => {
                let _ = std::fs::remove_file(&part);
                let _ = std::fs::remove_file(&path);
                Err(e)
            }
        }
    })
    .await
    .map_err(std::io::Error::other)?
}

fn write_synced(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut f = std::fs::File::create_new(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// A photo that could not be written, as the uploader hears it: a 503 saying photos cannot
/// be saved now (their text is kept), with the cause in the log.
pub fn write_failed(e: &std::io::Error) -> crate::error::AppError {
    if e.raw_os_error() == Some(28) {
        tracing::error!(error = %e, "photo storage is full (ENOSPC)");
    } else {
        tracing::error!(error = %e, "photo storage failed");
    }
    crate::error::AppError::photo_storage_unavailable()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_pixel(w, h, image::Rgb([200, 30, 30]));
        let mut out = Vec::new();
        image::DynamicImage::ImageRgb8(img)
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .unwrap();
        out
    }

    #[test]
    fn images_are_reencoded_as_jpeg() {
        let p = process(&png(64, 32)).unwrap();
        assert_eq!((p.width, p.height), (64, 32));
        assert_eq!(image::guess_format(&p.jpeg).unwrap(), ImageFormat::Jpeg);
        let big = process(&png(4096, 1024)).unwrap();
        assert_eq!((big.width, big.height), (2048, 512), "scaled down");
    }

    #[test]
    fn content_decides_not_the_name() {
        assert_eq!(
            process(b"%PDF-1.7 not an image").err(),
            Some(PhotoError::NotAnImage)
        );
        assert_eq!(
            process(b"GIF89a....").err(),
            Some(PhotoError::NotAnImage),
            "only JPEG, PNG, WebP"
        );
        let mut broken = png(10, 10);
        broken.truncate(40);
        assert_eq!(process(&broken).err(), Some(PhotoError::Corrupt));
        assert_eq!(
            process(&vec![0xFF; MAX_BYTES + 1]).err(),
            Some(PhotoError::TooLarge)
        );
    }

    #[test]
    fn pixel_bombs_are_refused_before_decoding() {
        // A tiny PNG that claims 20,000 × 20,000 pixels.
        let bomb = png(20_000, 1);
        assert_eq!(process(&bomb).err(), Some(PhotoError::TooManyPixels));
    }

    #[tokio::test]
    async fn a_saved_photo_is_whole_and_alone() {
        let dir = tempfile::tempdir().unwrap();
        let photos = dir.path().join("photos");
        let path = save(photos.clone(), b"jpeg bytes".to_vec()).await.unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"jpeg bytes");
        assert!(is_our_name(path.file_name().unwrap().to_str().unwrap()));
        let names: Vec<_> = std::fs::read_dir(&photos).unwrap().collect();
        assert_eq!(names.len(), 1, "no temporary file stays");
        // Where the folder cannot be made, the error comes back and nothing is written.
        let blocked = dir.path().join("blocked");
        std::fs::write(&blocked, b"a file, not a folder").unwrap();
        assert!(save(blocked.join("photos"), b"x".to_vec()).await.is_err());
    }

    #[test]
    fn names_are_random_and_checked() {
        let n = new_file_name();
        assert!(is_our_name(&n));
        assert_ne!(n, new_file_name());
        assert!(!is_our_name("../../etc/passwd"));
        assert!(!is_our_name("0123456789abcdef0123456789abcdef.png"));
    }
}
