use std::path::Path;

use sha2::{Digest, Sha256};

use crate::domain::forms::{UploadedFile, MAX_UPLOAD};

/// An image accepted for storage: the bytes were recognised by their signature (the name and the
/// declared content type are ignored) and their dimensions read.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredImage {
    pub key: String,
    pub content_type: &'static str,
    pub width: u32,
    pub height: u32,
    pub byte_size: usize,
}

/// `(content type, extension)` from the file's magic bytes. SVG is deliberately not accepted: it
/// can carry script.
pub fn sniff(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    match bytes {
        [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => Some(("image/png", "png")),
        [0xFF, 0xD8, 0xFF, ..] => Some(("image/jpeg", "jpg")),
        [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => {
            Some(("image/webp", "webp"))
        }
        [b'G', b'I', b'F', b'8', b'7' | b'9', b'a', ..] => Some(("image/gif", "gif")),
        _ => None,
    }
}

pub fn content_type_for_key(key: &str) -> Option<&'static str> {
    let (hash, ext) = key.split_once('.')?;
    if hash.len() != 64
        || !hash
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    {
        return None;
    }
    match ext {
        "png" => Some("image/png"),
        "jpg" => Some("image/jpeg"),
        "webp" => Some("image/webp"),
        "gif" => Some("image/gif"),
        _ => None,
    }
}

pub fn check(file: &UploadedFile) -> Result<StoredImage, String> {
    if file.too_large || file.bytes.len() > MAX_UPLOAD {
        return Err(format!(
            "The image is larger than {} MB.",
            MAX_UPLOAD / (1024 * 1024)
        ));
    }
    if file.bytes.is_empty() {
        return Err("The file is empty.".into());
    }
    let (content_type, ext) =
        sniff(&file.bytes).ok_or("That file is not a PNG, JPEG, WebP or GIF image.")?;
    let size = imagesize::blob_size(&file.bytes).map_err(|_| "The image could not be read.")?;
    if size.width == 0 || size.height == 0 || size.width > 12_000 || size.height > 12_000 {
        return Err("Images must be between 1 and 12,000 pixels on each side.".into());
    }
    let key = format!("{}.{ext}", hex::encode(Sha256::digest(&file.bytes)));
    Ok(StoredImage {
        key,
        content_type,
        width: size.width as u32,
        height: size.height as u32,
        byte_size: file.bytes.len(),
    })
}

/// Writes the image under its content hash. Same bytes, same file: re-uploads cost nothing, and
/// the file never changes, so it can be cached forever.
pub async fn write(media_dir: &Path, image: &StoredImage, bytes: &[u8]) -> std::io::Result<()> {
    tokio::fs::create_dir_all(media_dir).await?;
    let path = media_dir.join(&image.key);
    if tokio::fs::try_exists(&path).await? {
        return Ok(());
    }
    let tmp = media_dir.join(format!(".{}.tmp-{}", image.key, std::process::id()));
    tokio::fs::write(&tmp, bytes).await?;
    tokio::fs::rename(&tmp, &path).await
}

/// The stored image's row (not yet tied to an event or an organization); returns its id.
pub async fn record<C: sea_orm::ConnectionTrait>(
    db: &C,
    uploader: i32,
    img: &StoredImage,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<i32, crate::error::AppError> {
    use sea_orm::{ActiveModelTrait, Set};
    let row = entity::event_image::ActiveModel {
        event_id: Set(None),
        uploader_id: Set(uploader),
        key: Set(img.key.clone()),
        content_type: Set(img.content_type.to_owned()),
        width: Set(img.width as i32),
        height: Set(img.height as i32),
        byte_size: Set(img.byte_size as i64),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(crate::domain::context::internal)?;
    Ok(row.id)
}

#[cfg(test)]
mod tests {
    use super::*;

    pub const TINY_PNG: &[u8] = &[
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44,
        0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F,
        0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00,
        0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49,
        0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ];

    fn upload(bytes: &[u8]) -> UploadedFile {
        UploadedFile {
            field: "cover".into(),
            file_name: "x.png".into(),
            bytes: bytes.to_vec(),
            too_large: false,
        }
    }

    #[test]
    fn a_png_is_recognised_by_its_bytes_not_its_name() {
        let image = check(&upload(TINY_PNG)).unwrap();
        assert_eq!(
            (image.content_type, image.width, image.height),
            ("image/png", 1, 1)
        );
        assert!(image.key.ends_with(".png"));
        assert_eq!(content_type_for_key(&image.key), Some("image/png"));
    }

    #[test]
    fn text_svg_and_oversized_files_are_refused() {
        assert!(check(&upload(b"hello, I am a text file")).is_err());
        assert!(check(&upload(
            b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"
        ))
        .is_err());
        let mut big = upload(TINY_PNG);
        big.too_large = true;
        assert!(check(&big).unwrap_err().contains("larger"));
    }

    #[test]
    fn only_hash_shaped_keys_map_to_files() {
        assert_eq!(content_type_for_key("../../etc/passwd"), None);
        assert_eq!(
            content_type_for_key(&format!("{}.svg", "a".repeat(64))),
            None
        );
    }
}
