use std::{path::PathBuf, sync::Arc};

use leptos::prelude::use_context;
use sea_orm::{DatabaseConnection, EntityTrait};
use tower_sessions::Session;

use crate::{
    domain::{
        accounts::throttle::SignInThrottle,
        cache::{Caches, Changes},
        discovery::SearchIndex,
        forms::FormFields,
        graph::GraphStore,
        notifications::{live::LiveHub, mail::Mailer},
        ticketing::payments::PaymentGateway,
    },
    error::AppError,
    model::{forms::FormState, taxonomy::Role},
};

/// Everything the domain needs from the outside world, built once by the server at start-up.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub graph: Arc<dyn GraphStore>,
    pub search: Arc<dyn SearchIndex>,
    pub payments: Arc<dyn PaymentGateway>,
    /// Where notification mail goes: SMTP, or the mail directory by default.
    pub mailer: Arc<dyn Mailer>,
    /// This process's open live-update streams.
    pub live: LiveHub,
    /// Moves on after every change to what pages show; cached pages and data expire with it.
    pub changes: Arc<Changes>,
    pub caches: Arc<Caches>,
    /// The recommender's in-memory state and the batched view counter.
    pub recs: Arc<crate::domain::recs::Recs>,
    pub settings: Arc<Settings>,
    pub throttle: Arc<SignInThrottle>,
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub data_dir: PathBuf,
    /// Absolute base URL, used for links that leave the site (calendar files, Open Graph).
    pub public_url: String,
    /// The platform's share of paid tickets sold through a connected account, in hundredths of
    /// a percent.
    pub platform_fee_bps: u32,
    /// Verifies Stripe's webhook signatures; `None` without Stripe.
    pub stripe_webhook_secret: Option<String>,
    /// The origin of the payment provider's hosted checkout, which booking forms may lead to.
    pub checkout_origin: Option<String>,
    /// Organizers with at least this reputation skip the queue with low-risk submissions;
    /// `None` turns the fast track off.
    pub fast_track_reputation: Option<i32>,
    /// The zone "today" and "this weekend" are counted in when the browser does not say.
    pub time_zone: chrono_tz::Tz,
    /// The sender of notification mail.
    pub mail_from: String,
    /// Signs one-click unsubscribe links (`platform_keys::UNSUBSCRIBE`).
    pub unsubscribe_key: Vec<u8>,
    /// The private half of the VAPID key pair that signs web push (`notifications::push`).
    pub vapid_private: String,
    /// Reverse proxies whose forwarding headers name the client (`client::ClientAddress`).
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Request limits are multiplied by this; 0 turns them off.
    pub rate_limit_scale: u32,
    /// The bearer token that reads `/metrics` on the site; `None`: not served there.
    pub metrics_token: Option<String>,
}

impl Settings {
    /// Cookies get the `Secure` flag when the site is served over https.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    pub fn media_dir(&self) -> PathBuf {
        self.data_dir.join("media")
    }

    /// Where mail is written when no SMTP server is configured.
    pub fn mail_dir(&self) -> PathBuf {
        self.data_dir.join("mail")
    }
}

/// The session key that holds the signed-in account.
pub const USER_ID_KEY: &str = "user_id";
/// How long a signed-in session lasts without use (the session layer's default too).
pub const SIGNED_IN_SESSION: time::Duration = time::Duration::days(30);
/// How long a visitor who is not signed in keeps a session made for a message or a refused form.
const ANONYMOUS_SESSION: time::Duration = time::Duration::minutes(15);
/// The most of each refused field kept for a visitor who is not signed in.
const ANONYMOUS_FIELD_CHARS: usize = 500;
/// Marks a form post that was refused (and so changed nothing) although it answers with a
/// redirect like a successful one.
pub const REFUSED_HEADER: &str = "x-lineup-refused";
const FLASH_KEY: &str = "flash";
const NOTICE_KEY: &str = "notice";

/// The signed-in user of a session, if any. Shared by server functions and plain axum handlers.
pub async fn session_viewer(
    state: &AppState,
    session: &Session,
) -> Result<Option<entity::user::Model>, AppError> {
    let Some(id) = session.get::<i32>(USER_ID_KEY).await.map_err(internal)? else {
        return Ok(None);
    };
    let viewer = state
        .caches
        .users
        .get_or_load(&state.changes, id, async {
            entity::user::Entity::find_by_id(id)
                .one(&state.db)
                .await
                .map_err(internal)
        })
        .await?;
    // a suspension ends the sessions too; this covers a request already under way
    Ok(viewer.filter(|u| u.suspended_at.is_none()))
}

/// What one request has already read, shared by every server function that runs for it (a page
/// calls several). Provided per request by the server's router.
#[derive(Clone, Default)]
pub struct RequestMemo {
    viewer: Arc<tokio::sync::Mutex<Option<Option<entity::user::Model>>>>,
}

/// The state and session of the request being served: what a server function needs at its door.
pub struct RequestCtx {
    pub state: AppState,
    pub session: Session,
    memo: Option<RequestMemo>,
}

pub async fn ctx() -> Result<RequestCtx, AppError> {
    let state = use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the request context");
        AppError::Internal
    })?;
    let session = leptos_axum::extract::<Session>().await.map_err(|e| {
        tracing::error!(error = ?e, "session layer missing");
        AppError::Internal
    })?;
    Ok(RequestCtx {
        state,
        session,
        memo: use_context::<RequestMemo>(),
    })
}

/// A row by its id, or `NotFound`.
pub async fn find<E, C>(db: &C, id: i32) -> Result<E::Model, AppError>
where
    E: sea_orm::EntityTrait,
    <E::PrimaryKey as sea_orm::PrimaryKeyTrait>::ValueType: From<i32>,
    C: sea_orm::ConnectionTrait,
{
    E::find_by_id(id)
        .one(db)
        .await
        .map_err(internal)?
        .ok_or(AppError::NotFound)
}

/// An insert that lost a race to a unique index means `duplicate`; anything else is internal.
pub fn unique_or_internal(err: sea_orm::DbErr, duplicate: AppError) -> AppError {
    if err.to_string().to_lowercase().contains("unique") {
        duplicate
    } else {
        internal(err)
    }
}

pub fn internal(err: impl std::fmt::Display) -> AppError {
    tracing::error!(error = %err, "internal error");
    AppError::Internal
}

impl RequestCtx {
    pub async fn user_id(&self) -> Result<Option<i32>, AppError> {
        self.session.get::<i32>(USER_ID_KEY).await.map_err(internal)
    }

    /// The signed-in user, read once per request.
    pub async fn viewer(&self) -> Result<Option<entity::user::Model>, AppError> {
        let Some(memo) = &self.memo else {
            return session_viewer(&self.state, &self.session).await;
        };
        // held while loading, so the page's other loaders wait for this read instead of repeating it
        let mut slot = memo.viewer.lock().await;
        if let Some(viewer) = slot.as_ref() {
            return Ok(viewer.clone());
        }
        let viewer = session_viewer(&self.state, &self.session).await?;
        *slot = Some(viewer.clone());
        Ok(viewer)
    }

    /// A page loader's read for `viewer`, through the shared read cache (see `domain::cache`):
    /// `read` names the loader, `args` are its arguments.
    pub async fn cached<T: Clone + Send + Sync + 'static>(
        &self,
        read: &'static str,
        viewer: Option<&entity::user::Model>,
        args: impl std::fmt::Debug,
        load: impl std::future::Future<Output = Result<T, AppError>>,
    ) -> Result<T, AppError> {
        let state = &self.state;
        let viewer = viewer.map(|v| v.id);
        (state.caches.reads)
            .get_or_load(&state.changes, read, viewer, args, load)
            .await
    }

    async fn forget_viewer(&self) {
        if let Some(memo) = &self.memo {
            *memo.viewer.lock().await = None;
        }
    }

    pub async fn require_user(&self) -> Result<entity::user::Model, AppError> {
        self.viewer()
            .await?
            .ok_or_else(|| with_status(AppError::Unauthorized))
    }

    pub async fn require_role(
        &self,
        allowed: impl Fn(Role) -> bool,
    ) -> Result<entity::user::Model, AppError> {
        let user = self.require_user().await?;
        match Role::parse(&user.role) {
            Some(role) if allowed(role) => Ok(user),
            _ => Err(with_status(AppError::Forbidden)),
        }
    }

    /// Curators and admins: the people who decide what is public.
    pub async fn require_curator(&self) -> Result<entity::user::Model, AppError> {
        self.require_role(Role::can_curate).await
    }

    /// Starts an authenticated session under a fresh id, so a session id planted before sign-in
    /// is worthless after it.
    pub async fn sign_in_as(&self, user_id: i32) -> Result<(), AppError> {
        self.session.cycle_id().await.map_err(internal)?;
        self.forget_viewer().await;
        // a session started for a refused form lives long once someone signs in with it
        self.session
            .set_expiry(Some(tower_sessions::Expiry::OnInactivity(
                SIGNED_IN_SESSION,
            )));
        self.session
            .insert(USER_ID_KEY, user_id)
            .await
            .map_err(internal)
    }

    pub async fn sign_out(&self) -> Result<(), AppError> {
        self.forget_viewer().await;
        self.session.flush().await.map_err(internal)
    }

    /// Keeps what a form posted and why it failed, for the page the browser is sent back to. A
    /// visitor who is not signed
    /// in gets a short-lived session and short values: a failed sign-up must not store 20,000
    /// characters for a month.
    pub async fn keep_form(&self, form: &str, mut values: FormState) -> Result<(), AppError> {
        if self.anonymous_for_a_moment().await? {
            for value in values.values.values_mut() {
                if value.chars().count() > ANONYMOUS_FIELD_CHARS {
                    *value = value.chars().take(ANONYMOUS_FIELD_CHARS).collect();
                }
            }
        }
        self.session
            .insert(&format!("{FLASH_KEY}:{form}"), values)
            .await
            .map_err(internal)
    }

    /// For a visitor who is not signed in, the session written now expires after
    /// `ANONYMOUS_SESSION` of inactivity (and is purged then); returns whether they are one.
    async fn anonymous_for_a_moment(&self) -> Result<bool, AppError> {
        let anonymous = self.user_id().await?.is_none();
        if anonymous {
            self.session
                .set_expiry(Some(tower_sessions::Expiry::OnInactivity(
                    ANONYMOUS_SESSION,
                )));
        }
        Ok(anonymous)
    }

    pub async fn take_form(&self, form: &str) -> Result<FormState, AppError> {
        Ok(self
            .take(&format!("{FLASH_KEY}:{form}"))
            .await?
            .unwrap_or_default())
    }

    /// Reads and forgets a value. Only a session that holds it is changed (and so written back):
    /// plain page views must not rewrite the session row.
    async fn take<T: serde::de::DeserializeOwned>(&self, key: &str) -> Result<Option<T>, AppError> {
        let value = self.session.get::<T>(key).await.map_err(internal)?;
        if value.is_some() {
            self.session.remove_value(key).await.map_err(internal)?;
        }
        Ok(value)
    }

    pub async fn notify(&self, message: impl Into<String>) -> Result<(), AppError> {
        self.anonymous_for_a_moment().await?;
        self.session
            .insert(NOTICE_KEY, message.into())
            .await
            .map_err(internal)
    }

    pub async fn take_notice(&self) -> Result<Option<String>, AppError> {
        self.take(NOTICE_KEY).await
    }

    /// Ends a successful form post: a notice for the next page, and the browser sent on to `to`.
    pub async fn succeed(&self, notice: &str, to: &str) -> Result<(), AppError> {
        self.notify(notice).await?;
        redirect(to);
        Ok(())
    }

    /// Ends a failed form post. A browser posting a plain form is sent back to `back`, where the
    /// form shows what was typed and what is wrong; a script caller gets the error and its status.
    pub async fn fail(
        &self,
        err: AppError,
        back: &str,
        form: Option<(&str, &FormFields)>,
    ) -> Result<(), AppError> {
        if accepts_html() {
            let locale = crate::domain::accounts::language::of_request();
            match form {
                Some((name, fields)) => self.keep_form(name, fields.to_state(&err, locale)).await?,
                None => {
                    let message = match &err {
                        AppError::Validation(fields) => {
                            fields.values().cloned().collect::<Vec<_>>().join(" ")
                        }
                        other => other.message_in(locale),
                    };
                    self.notify(message).await?
                }
            }
            redirect(back);
            if let Some(options) = use_context::<leptos_axum::ResponseOptions>() {
                options.insert_header(
                    http::HeaderName::from_static(REFUSED_HEADER),
                    http::HeaderValue::from_static("1"),
                );
            }
        }
        // a script caller gets the error with its status (`guard::server_fn_status`)
        Err(err)
    }

    /// `succeed` or `fail` for posts that have no form to redisplay.
    pub async fn respond(&self, result: Result<&str, AppError>, to: &str) -> Result<(), AppError> {
        match result {
            Ok(notice) => self.succeed(notice, to).await,
            Err(err) => self.fail(err, to, None).await,
        }
    }
}

/// Sends the browser on to `to`. Paths are built from what requests carry (a group key, say): one
/// that cannot be a header value (a newline in it) goes to the home page instead of failing the
/// response.
pub fn redirect(to: &str) {
    if http::HeaderValue::from_str(to).is_ok() {
        leptos_axum::redirect(to);
    } else {
        tracing::debug!(
            target = to.escape_debug().to_string(),
            "redirect target is not a header value"
        );
        leptos_axum::redirect("/");
    }
}

/// Puts the error's HTTP status on a rendered page's response (a page for signed-in people answers
/// 401 to others). Server functions' responses get theirs from the error they return
/// (`guard::server_fn_status` in the server).
pub fn with_status(err: AppError) -> AppError {
    if let Some(options) = use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(status) = http::StatusCode::from_u16(err.status()) {
            options.set_status(status);
        }
    }
    err
}

fn accepts_html() -> bool {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.headers.get(http::header::ACCEPT).cloned())
        .and_then(|v| v.to_str().map(|v| v.contains("text/html")).ok())
        .unwrap_or(false)
}
