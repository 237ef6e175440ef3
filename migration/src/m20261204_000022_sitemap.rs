//! The pages `sitemap.xml` lists (listed events and the organizations that have one), kept by
//! the outbox's `sitemap` consumer, and filled here from what is listed already.
use sea_orm_migration::{prelude::*, schema::*};

use crate::helpers::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SitemapUrls::Table)
                    .if_not_exists()
                    .col(pk_auto(SitemapUrls::Id))
                    .col(string_len(SitemapUrls::Kind, 16))
                    .col(integer(SitemapUrls::SubjectId))
                    .col(string_len(SitemapUrls::Path, 300))
                    .col(timestamp_with_time_zone(SitemapUrls::Lastmod))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_sitemap_urls_subject",
            SitemapUrls::Table,
            &[SitemapUrls::Kind, SitemapUrls::SubjectId],
            true,
        )
        .await?;
        // listed events: shown (published, completed, or cancelled after publishing), not
        // hidden, public; then the organizations that have one
        let listed = "status IN ('published', 'completed', 'cancelled') \
            AND (status <> 'cancelled' OR published_at IS NOT NULL) \
            AND hidden_at IS NULL AND visibility = 'public'";
        let db = manager.get_connection();
        db.execute_unprepared(&format!(
            "INSERT INTO sitemap_urls (kind, subject_id, path, lastmod)
             SELECT 'event', id, '/events/' || CAST(id AS TEXT), updated_at FROM events
             WHERE {listed} ORDER BY id"
        ))
        .await?;
        db.execute_unprepared(&format!(
            "INSERT INTO sitemap_urls (kind, subject_id, path, lastmod)
             SELECT 'organization', o.id, '/o/' || o.slug, o.updated_at FROM organizations o
             WHERE EXISTS (SELECT 1 FROM events WHERE organization_id = o.id AND {listed})
             ORDER BY o.id"
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SitemapUrls::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum SitemapUrls {
    Table,
    Id,
    Kind,
    SubjectId,
    Path,
    Lastmod,
}
