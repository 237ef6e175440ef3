use sea_orm::entity::prelude::*;

/// A page `sitemap.xml` lists: a listed event (`kind` `event`) or an organization with one
/// (`organization`), by the path under the site's address, with when it last changed.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "sitemap_urls")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub kind: String,
    pub subject_id: i32,
    pub path: String,
    pub lastmod: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
