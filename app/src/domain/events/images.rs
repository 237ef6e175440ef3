use std::path::Path;

use sha2::{Digest, Sha256};

use crate::{
    domain::forms::{UploadedFile, MAX_UPLOAD},
    i18n::td_string,
    model::language::Locale,
};

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

/// Images wider than this are not decoded (about 40 megapixels).
const MAX_PIXELS: u64 = 40_000_000;
/// The widths served as WebP beside the original, narrower ones only (an image narrower than
/// the first gets one WebP at its own width).
pub const WIDTHS: [u32; 3] = [400, 800, 1600];

/// One encoded file of an image, named by the hash of its bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct Encoded {
    pub key: String,
    pub content_type: &'static str,
    pub width: u32,
    pub height: u32,
    pub bytes: Vec<u8>,
}

/// An uploaded image made ready to serve: decoded, turned the way its camera said, re-encoded
/// in its own format (which leaves every metadata block behind: EXIF, GPS, comments), and as
/// WebP at the widths pages ask for.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    pub original: Encoded,
    pub variants: Vec<Encoded>,
}

impl Prepared {
    /// The WebP variants as stored with the image's row: `[{"key", "width", "height"}]`.
    pub fn variants_json(&self) -> String {
        serde_json::Value::Array(
            self.variants
                .iter()
                .map(|v| serde_json::json!({ "key": v.key, "width": v.width, "height": v.height }))
                .collect(),
        )
        .to_string()
    }
}

fn encoded(bytes: Vec<u8>, ext: &str, content_type: &'static str, w: u32, h: u32) -> Encoded {
    Encoded {
        key: format!("{}.{ext}", hex::encode(Sha256::digest(&bytes))),
        content_type,
        width: w,
        height: h,
        bytes,
    }
}

fn webp(img: &image::DynamicImage, quality: f32, locale: Locale) -> Result<Encoded, String> {
    let (w, h) = (img.width(), img.height());
    let bytes = if img.color().has_alpha() {
        webp::Encoder::from_rgba(img.to_rgba8().as_raw(), w, h).encode(quality)
    } else {
        webp::Encoder::from_rgb(img.to_rgb8().as_raw(), w, h).encode(quality)
    }
    .to_vec();
    if bytes.is_empty() {
        return Err(td_string!(locale, events.images.not_converted).into());
    }
    Ok(encoded(bytes, "webp", "image/webp", w, h))
}

/// Checks an upload and prepares it (see `Prepared`); what is wrong with it is said in `locale`.
/// CPU-bound: call it off the async threads (`prepare_in_background`).
pub fn prepare(file: &UploadedFile, locale: Locale) -> Result<Prepared, String> {
    use image::{codecs::jpeg::JpegEncoder, imageops::FilterType, ImageDecoder, ImageFormat};
    let unreadable = || td_string!(locale, events.images.unreadable).to_owned();
    let unconvertible = || td_string!(locale, events.images.not_converted).to_owned();
    if file.too_large || file.bytes.len() > MAX_UPLOAD {
        return Err(td_string!(
            locale,
            events.images.too_large,
            mb = MAX_UPLOAD / (1024 * 1024)
        ));
    }
    if file.bytes.is_empty() {
        return Err(td_string!(locale, events.images.empty).into());
    }
    let (_, ext) =
        sniff(&file.bytes).ok_or_else(|| td_string!(locale, events.images.not_an_image))?;
    let size = imagesize::blob_size(&file.bytes).map_err(|_| unreadable())?;
    if size.width == 0 || size.height == 0 || size.width > 12_000 || size.height > 12_000 {
        return Err(td_string!(locale, events.images.side).into());
    }
    if size.width as u64 * size.height as u64 > MAX_PIXELS {
        return Err(td_string!(locale, events.images.megapixels).into());
    }
    let format = match ext {
        "png" => ImageFormat::Png,
        "jpg" => ImageFormat::Jpeg,
        "webp" => ImageFormat::WebP,
        _ => ImageFormat::Gif,
    };
    let mut reader = image::ImageReader::with_format(std::io::Cursor::new(&file.bytes), format);
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(512 * 1024 * 1024);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|_| unreadable())?;
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut img = image::DynamicImage::from_decoder(decoder).map_err(|_| unreadable())?;
    img.apply_orientation(orientation);
    let (w, h) = (img.width(), img.height());
    let original = match ext {
        "jpg" => {
            let mut bytes = Vec::new();
            JpegEncoder::new_with_quality(&mut bytes, 85)
                .encode_image(&img.to_rgb8())
                .map_err(|_| unconvertible())?;
            encoded(bytes, "jpg", "image/jpeg", w, h)
        }
        "webp" => webp(&img, 85.0, locale)?,
        // PNG, and a GIF's first frame as PNG
        _ => {
            let mut bytes = std::io::Cursor::new(Vec::new());
            img.write_to(&mut bytes, ImageFormat::Png)
                .map_err(|_| unconvertible())?;
            encoded(bytes.into_inner(), "png", "image/png", w, h)
        }
    };
    let mut widths: Vec<u32> = WIDTHS.iter().copied().filter(|&x| x < w).collect();
    if widths.is_empty() {
        widths.push(w);
    }
    let variants = widths
        .into_iter()
        .map(|width| {
            let height = ((h as u64 * width as u64) / w as u64).max(1) as u32;
            let scaled = match width == w {
                true => img.clone(),
                false => img.resize_exact(width, height, FilterType::CatmullRom),
            };
            webp(&scaled, 80.0, locale)
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Prepared { original, variants })
}

/// `prepare` on the blocking pool.
pub async fn prepare_in_background(
    file: &UploadedFile,
    locale: Locale,
) -> Result<Prepared, String> {
    let file = file.clone();
    tokio::task::spawn_blocking(move || prepare(&file, locale))
        .await
        .unwrap_or_else(|_| Err(td_string!(locale, events.images.unreadable).into()))
}

/// Writes the image and its variants under their content hashes. Same bytes, same file:
/// re-uploads cost nothing, and a file never changes, so it can be cached forever.
pub async fn write(media_dir: &Path, image: &Prepared) -> std::io::Result<()> {
    tokio::fs::create_dir_all(media_dir).await?;
    for file in std::iter::once(&image.original).chain(&image.variants) {
        write_file(media_dir, &file.key, &file.bytes).await?;
    }
    Ok(())
}

async fn write_file(media_dir: &Path, key: &str, bytes: &[u8]) -> std::io::Result<()> {
    let path = media_dir.join(key);
    if tokio::fs::try_exists(&path).await? {
        return Ok(());
    }
    let tmp = media_dir.join(format!(".{key}.tmp-{}", std::process::id()));
    tokio::fs::write(&tmp, bytes).await?;
    tokio::fs::rename(&tmp, &path).await
}

/// The stored image's row (not yet tied to an event or an organization); returns its id.
pub async fn record<C: sea_orm::ConnectionTrait>(
    db: &C,
    uploader: i32,
    img: &Prepared,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<i32, crate::error::AppError> {
    use sea_orm::{ActiveModelTrait, Set};
    let original = &img.original;
    let row = entity::event_image::ActiveModel {
        event_id: Set(None),
        uploader_id: Set(uploader),
        key: Set(original.key.clone()),
        content_type: Set(original.content_type.to_owned()),
        width: Set(original.width as i32),
        height: Set(original.height as i32),
        byte_size: Set(original.bytes.len() as i64),
        variants: Set(img.variants_json()),
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
        0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xB0,
        0xD6, 0xDE, 0xFA, 0x1F, 0x00, 0x03, 0xDB, 0x02, 0x1B, 0xE1, 0x2B, 0x02, 0x9B, 0x00, 0x00,
        0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
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
        let image = prepare(&upload(TINY_PNG), Locale::en).unwrap();
        let original = &image.original;
        assert_eq!(
            (original.content_type, original.width, original.height),
            ("image/png", 1, 1)
        );
        assert!(original.key.ends_with(".png"));
        assert_eq!(content_type_for_key(&original.key), Some("image/png"));
        // narrower than every width: one WebP at its own
        assert_eq!(image.variants.len(), 1);
        assert_eq!(image.variants[0].width, 1);
    }

    /// A JPEG of `w`×`h` whose EXIF says "rotate 90° clockwise" and carries a GPS block.
    fn photo_with_exif(w: u32, h: u32) -> Vec<u8> {
        let pixels = image::RgbImage::from_fn(w, h, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
        });
        let mut jpeg = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90)
            .encode_image(&pixels)
            .unwrap();
        let mut tiff: Vec<u8> = b"II\x2a\x00\x08\x00\x00\x00".to_vec();
        tiff.extend([2, 0]); // IFD0: two entries
        tiff.extend([0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0]); // Orientation = 6
        tiff.extend([0x25, 0x88, 4, 0, 1, 0, 0, 0, 38, 0, 0, 0]); // GPS IFD at 38
        tiff.extend([0, 0, 0, 0]);
        tiff.extend([1, 0]); // GPS IFD: GPSVersionID 2.2.0.0
        tiff.extend([0, 0, 1, 0, 4, 0, 0, 0, 2, 2, 0, 0]);
        tiff.extend([0, 0, 0, 0]);
        let mut app1 = b"Exif\x00\x00".to_vec();
        app1.extend(&tiff);
        let len = (app1.len() + 2) as u16;
        let mut out = jpeg[..2].to_vec();
        out.extend([0xFF, 0xE1]);
        out.extend(len.to_be_bytes());
        out.extend(&app1);
        out.extend(&jpeg[2..]);
        out
    }

    #[test]
    fn a_photo_is_turned_upright_stripped_of_its_metadata_and_offered_as_webp() {
        let bytes = photo_with_exif(1200, 600);
        assert!(
            bytes.windows(4).any(|w| w == b"Exif"),
            "the fixture carries EXIF"
        );
        let image = prepare(&upload(&bytes), Locale::en).unwrap();
        let original = &image.original;
        assert_eq!(original.content_type, "image/jpeg");
        assert_eq!(
            (original.width, original.height),
            (600, 1200),
            "turned upright"
        );
        assert!(
            !original.bytes.windows(4).any(|w| w == b"Exif"),
            "no EXIF left"
        );
        assert!(original.key.ends_with(".jpg"));
        let decoded = image::load_from_memory(&original.bytes).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (600, 1200));
        // WebP at 400 px only: 800 and 1600 would be wider than the image
        let sizes: Vec<(u32, u32)> = image.variants.iter().map(|v| (v.width, v.height)).collect();
        assert_eq!(sizes, [(400, 800)]);
        let webp = &image.variants[0];
        assert_eq!(
            (&webp.bytes[..4], &webp.bytes[8..12]),
            (&b"RIFF"[..], &b"WEBP"[..])
        );
        assert!(webp.key.ends_with(".webp"));
        assert_eq!(content_type_for_key(&webp.key), Some("image/webp"));
        let decoded = image::load_from_memory(&webp.bytes).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (400, 800));
        assert!(image
            .variants_json()
            .contains(&format!("\"key\":\"{}\"", webp.key)));
    }

    #[test]
    fn a_wide_image_gets_every_width_and_keeps_its_proportions() {
        let pixels = image::RgbaImage::from_pixel(2000, 1000, image::Rgba([10, 20, 30, 128]));
        let mut png = std::io::Cursor::new(Vec::new());
        pixels.write_to(&mut png, image::ImageFormat::Png).unwrap();
        let image = prepare(&upload(png.get_ref()), Locale::en).unwrap();
        let sizes: Vec<(u32, u32)> = image.variants.iter().map(|v| (v.width, v.height)).collect();
        assert_eq!(sizes, [(400, 200), (800, 400), (1600, 800)]);
        assert_eq!(image.original.content_type, "image/png");
    }

    #[test]
    fn text_svg_and_oversized_files_are_refused() {
        assert!(prepare(&upload(b"hello, I am a text file"), Locale::en).is_err());
        assert!(prepare(
            &upload(b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"),
            Locale::en
        )
        .is_err());
        let mut big = upload(TINY_PNG);
        big.too_large = true;
        assert!(prepare(&big, Locale::en).unwrap_err().contains("larger"));
        // a PNG signature on bytes that are not an image
        let mut broken = TINY_PNG[..20].to_vec();
        broken.extend([0; 40]);
        assert!(prepare(&upload(&broken), Locale::en).is_err());
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
