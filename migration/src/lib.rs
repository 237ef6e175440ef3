pub use sea_orm_migration::prelude::*;

mod helpers;
mod m20261122_000001_create_foundation;
mod m20261122_000002_curation;
mod m20261122_000003_outbox;
mod m20261202_000004_ticketing;
mod m20261202_000005_social;
mod m20261203_000006_notifications;
mod m20261203_000007_account_recovery;
mod m20261203_000008_platform_keys;
mod m20261203_000009_push_subscriptions;
mod m20261203_000010_quiet_hours;
mod m20261204_000011_reviews_need_tickets;
mod m20261204_000012_refunds;
mod m20261204_000013_event_signatures;
mod m20261204_000014_recommendations;
mod m20261204_000015_organizations;
mod m20261204_000016_admin;
mod m20261204_000017_event_visibility;
mod m20261204_000018_dashboard;
mod m20261204_000019_platform_fees;
mod m20261204_000020_calendar_submissions;
mod m20261204_000021_dashboard_figures;
mod m20261204_000022_sitemap;
mod m20261204_000023_image_variants;
mod m20261205_000024_user_language;
mod m20261205_000025_registration_language;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_create_foundation::Migration),
            Box::new(m20261122_000002_curation::Migration),
            Box::new(m20261122_000003_outbox::Migration),
            Box::new(m20261202_000004_ticketing::Migration),
            Box::new(m20261202_000005_social::Migration),
            Box::new(m20261203_000006_notifications::Migration),
            Box::new(m20261203_000007_account_recovery::Migration),
            Box::new(m20261203_000008_platform_keys::Migration),
            Box::new(m20261203_000009_push_subscriptions::Migration),
            Box::new(m20261203_000010_quiet_hours::Migration),
            Box::new(m20261204_000011_reviews_need_tickets::Migration),
            Box::new(m20261204_000012_refunds::Migration),
            Box::new(m20261204_000013_event_signatures::Migration),
            Box::new(m20261204_000014_recommendations::Migration),
            Box::new(m20261204_000015_organizations::Migration),
            Box::new(m20261204_000016_admin::Migration),
            Box::new(m20261204_000017_event_visibility::Migration),
            Box::new(m20261204_000018_dashboard::Migration),
            Box::new(m20261204_000019_platform_fees::Migration),
            Box::new(m20261204_000020_calendar_submissions::Migration),
            Box::new(m20261204_000021_dashboard_figures::Migration),
            Box::new(m20261204_000022_sitemap::Migration),
            Box::new(m20261204_000023_image_variants::Migration),
            Box::new(m20261205_000024_user_language::Migration),
            Box::new(m20261205_000025_registration_language::Migration),
        ]
    }
}
