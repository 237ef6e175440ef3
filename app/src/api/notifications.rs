//! Notifications' server functions: the list, marking read, preferences, and the admins' view
//! of the demo's mail.
use leptos::server;
use server_fn::codec::{MultipartData, MultipartFormData};

use crate::{
    error::AppError,
    model::notifications::{MailPage, NotificationsPage, PreferenceRow, PushSetup, QuietHours},
};

#[server(endpoint = "notifications/list")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn load_notifications() -> Result<NotificationsPage, AppError> {
    use crate::domain::{accounts::language, context::ctx, notifications::inbox};
    let ctx = ctx().await?;
    let locale = language::of_request();
    let me = ctx.require_user().await?;
    let page = inbox::page(&ctx.state.db, me.id, ctx.state.settings.time_zone, locale);
    ctx.cached("notifications/list", Some(&me), locale, page)
        .await
}

/// Marks one notification read (`id`), or all of them, then back to the list, or on to what
/// the notification is about when `open` is set.
#[server(endpoint = "notifications/read")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn mark_read(
    #[server(default)] id: Option<i32>,
    #[server(default)] open: Option<String>,
) -> Result<(), AppError> {
    use crate::{
        domain::{accounts::language, context::ctx, notifications::inbox},
        i18n::td_string,
    };
    let ctx = ctx().await?;
    let locale = language::of_request();
    let me = ctx.require_user().await?;
    match inbox::mark_read(&ctx.state.db, me.id, id, chrono::Utc::now()).await {
        Ok(Some(link)) if open.is_some() => {
            crate::domain::context::redirect(&link);
            Ok(())
        }
        Ok(_) => {
            let done = if id.is_some() {
                td_string!(locale, notifications.notice.marked_read)
            } else {
                td_string!(locale, notifications.notice.all_marked_read)
            };
            ctx.succeed(done, "/notifications").await
        }
        Err(e) => ctx.fail(e, "/notifications", None).await,
    }
}

#[server(endpoint = "notifications/preferences")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn load_preferences() -> Result<Vec<PreferenceRow>, AppError> {
    use crate::domain::{context::ctx, notifications::preferences};
    let ctx = ctx().await?;
    let me = ctx.require_user().await?;
    preferences::rows(&ctx.state.db, me.id).await
}

/// The preferences form: every ticked switch arrives as an `on` value.
#[server(endpoint = "notifications/preferences/save", input = MultipartFormData)]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn save_preferences(data: MultipartData) -> Result<(), AppError> {
    use crate::{
        domain::{accounts::language, context::ctx, forms::FormFields, notifications::preferences},
        i18n::td_string,
    };
    let ctx = ctx().await?;
    let locale = language::of_request();
    let me = ctx.require_user().await?;
    let back = "/notifications/preferences";
    let result = match FormFields::read(data).await {
        Ok(form) => {
            let on = form.all("on").map(str::to_owned).collect();
            preferences::save(&ctx.state.db, me.id, &on, locale).await
        }
        Err(e) => Err(e),
    };
    let done = td_string!(locale, notifications.notice.preferences_saved);
    ctx.respond(result.map(|()| done), back).await
}

/// `/admin/mail`: what the embedded mailer wrote, for admins.
#[server(endpoint = "admin/mail")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn load_mail(#[server(default)] open: Option<String>) -> Result<MailPage, AppError> {
    use crate::{
        domain::{context::ctx, notifications::mailbox},
        model::taxonomy::Role,
    };
    let ctx = ctx().await?;
    ctx.require_role(|r| r == Role::Admin).await?;
    if ctx.state.mailer.backend() != "maildir" {
        return Ok(MailPage {
            directory: None,
            mails: Vec::new(),
            open: None,
        });
    }
    let dir = ctx.state.settings.mail_dir();
    let open = match open {
        Some(name) => Some(mailbox::open(&dir, &name).await?),
        None => None,
    };
    Ok(MailPage {
        directory: Some(dir.display().to_string()),
        mails: mailbox::list(&dir).await?,
        open,
    })
}

/// What a browser needs to subscribe to push: the platform's VAPID public key, and how many of
/// the person's browsers are subscribed.
#[server(endpoint = "notifications/push/key")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn load_push_setup() -> Result<PushSetup, AppError> {
    use crate::domain::{context::ctx, context::internal, notifications::push};
    let ctx = ctx().await?;
    let me = ctx.require_user().await?;
    let vapid = push::Vapid::from_stored(&ctx.state.settings.vapid_private, String::new())
        .map_err(internal)?;
    Ok(PushSetup {
        public_key: vapid.public_key(),
        browsers: push::count(&ctx.state.db, me.id).await?,
    })
}

/// Keeps this browser's push subscription (`PushSubscription.toJSON()`: the endpoint and its
/// two keys) for the signed-in person.
#[server(endpoint = "notifications/push/subscribe")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn push_subscribe(
    endpoint: String,
    p256dh: String,
    auth: String,
) -> Result<(), AppError> {
    use crate::domain::{accounts::language, context::ctx, notifications::push};
    let ctx = ctx().await?;
    let me = ctx.require_user().await?;
    let new = push::NewSubscription {
        endpoint: &endpoint,
        p256dh: &p256dh,
        auth: &auth,
    };
    let now = chrono::Utc::now();
    push::subscribe(&ctx.state.db, me.id, new, now, language::of_request()).await
}

#[server(endpoint = "notifications/push/unsubscribe")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn push_unsubscribe(endpoint: String) -> Result<(), AppError> {
    use crate::domain::{context::ctx, notifications::push};
    let ctx = ctx().await?;
    let me = ctx.require_user().await?;
    push::unsubscribe(&ctx.state.db, me.id, &endpoint).await
}

#[server(endpoint = "notifications/quiet")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn load_quiet_hours() -> Result<QuietHours, AppError> {
    use crate::domain::{context::ctx, notifications::quiet_hours};
    let ctx = ctx().await?;
    let me = ctx.require_user().await?;
    quiet_hours::form(&ctx.state.db, me.id, ctx.state.settings.time_zone).await
}

/// Quiet hours for push: from and until (`HH:MM`, both empty for none) in a time zone.
#[server(endpoint = "notifications/quiet/save")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn save_quiet_hours(
    #[server(default)] quiet_from: String,
    #[server(default)] quiet_until: String,
    #[server(default)] quiet_zone: String,
) -> Result<(), AppError> {
    use crate::{
        domain::{accounts::language, context::ctx, notifications::quiet_hours},
        i18n::td_string,
    };
    let ctx = ctx().await?;
    let locale = language::of_request();
    let me = ctx.require_user().await?;
    let back = "/notifications/preferences";
    match quiet_hours::parse(&quiet_from, &quiet_until, &quiet_zone, locale) {
        Ok(window) => {
            match quiet_hours::save(&ctx.state.db, me.id, window, chrono::Utc::now()).await {
                Ok(()) => {
                    let done = if window.is_some() {
                        td_string!(locale, notifications.notice.quiet_hours_saved)
                    } else {
                        td_string!(locale, notifications.notice.quiet_hours_off)
                    };
                    ctx.succeed(done, back).await
                }
                Err(e) => ctx.fail(e, back, None).await,
            }
        }
        Err(e) => ctx.fail(e, back, None).await,
    }
}
