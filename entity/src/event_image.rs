use sea_orm::entity::prelude::*;

/// An uploaded image. `key` is the content hash plus extension: the file name under the media
/// directory and the immutable public URL.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "event_images")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub event_id: Option<i32>,
    pub uploader_id: i32,
    pub key: String,
    pub content_type: String,
    pub width: i32,
    pub height: i32,
    pub byte_size: i64,
    /// The WebP files at narrower widths, as JSON: `[{"key", "width", "height"}]`.
    pub variants: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
