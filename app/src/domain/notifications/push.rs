//! Web push (RFC 8030): browsers subscribe with the platform's VAPID public key (RFC 8292); the
//! push worker encrypts each notification for each of the person's browsers (RFC 8291,
//! `aes128gcm`) and posts it to the browser's push service. A subscription the service answers
//! with 404 or 410 is gone and is removed.
use std::collections::BTreeSet;

use base64ct::{Base64UrlUnpadded, Encoding};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    sea_query::{Expr, OnConflict},
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use web_push_native::{jwt_simple::algorithms::ES256KeyPair, p256, Auth, WebPushBuilder};

use super::notifier::{FAILED, PENDING, SENT};
use crate::{
    domain::{context::internal, outbox},
    error::AppError,
    i18n::td_string,
    model::{language::Locale, notifications::Channel},
};
use entity::{notification, notification_delivery as delivery, push_subscription};

/// The VAPID key pair's private half, base64url (`platform_keys`).
pub const VAPID_KEY: &str = "vapid_private";
pub const MAX_ATTEMPTS: i32 = 8;
/// How long a push service keeps a message for a browser that is offline.
const TTL: std::time::Duration = std::time::Duration::from_secs(24 * 60 * 60);

/// A new VAPID private key, base64url.
pub fn new_vapid_key() -> String {
    Base64UrlUnpadded::encode_string(&ES256KeyPair::generate().to_bytes())
}

/// The platform's VAPID keys.
pub struct Vapid {
    pair: ES256KeyPair,
    /// `mailto:` of the platform's sender address, for push services to reach the operator.
    contact: String,
}

impl Vapid {
    pub fn from_stored(private: &str, contact: String) -> Result<Vapid, String> {
        let bytes = Base64UrlUnpadded::decode_vec(private).map_err(|e| e.to_string())?;
        let pair = ES256KeyPair::from_bytes(&bytes).map_err(|e| e.to_string())?;
        Ok(Vapid { pair, contact })
    }

    /// The public key browsers subscribe with (`applicationServerKey`): the uncompressed point,
    /// base64url.
    pub fn public_key(&self) -> String {
        use web_push_native::jwt_simple::algorithms::ECDSAP256KeyPairLike;
        Base64UrlUnpadded::encode_string(&self.pair.key_pair().public_key().to_bytes_uncompressed())
    }
}

/// What the service worker shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushMessage {
    pub title: String,
    pub body: String,
    /// A path on the site, opened when the notification is clicked.
    pub link: String,
}

/// A subscription as the browser's `PushSubscription.toJSON()` gives it.
pub struct NewSubscription<'a> {
    pub endpoint: &'a str,
    pub p256dh: &'a str,
    pub auth: &'a str,
}

/// Keeps a browser's subscription for `user` (a browser that subscribed for someone else before
/// now belongs to this account). Refused when the endpoint is not an https URL or the keys are
/// not a P-256 point and a 16-byte secret.
pub async fn subscribe<C: ConnectionTrait>(
    db: &C,
    user: i32,
    new: NewSubscription<'_>,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<(), AppError> {
    let invalid = || {
        AppError::Refused(td_string!(locale, notifications.push.invalid_subscription).to_owned())
    };
    let endpoint = url::Url::parse(new.endpoint.trim()).map_err(|_| invalid())?;
    let local = matches!(endpoint.host_str(), Some("127.0.0.1" | "localhost"));
    if new.endpoint.len() > 1000 || !(endpoint.scheme() == "https" || local) {
        return Err(invalid());
    }
    keys_of(new.p256dh, new.auth).ok_or_else(invalid)?;
    push_subscription::Entity::insert(push_subscription::ActiveModel {
        user_id: Set(user),
        endpoint: Set(endpoint.to_string()),
        p256dh: Set(new.p256dh.trim().to_owned()),
        auth: Set(new.auth.trim().to_owned()),
        created_at: Set(now),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::column(push_subscription::Column::Endpoint)
            .update_columns([
                push_subscription::Column::UserId,
                push_subscription::Column::P256dh,
                push_subscription::Column::Auth,
            ])
            .to_owned(),
    )
    .exec_without_returning(db)
    .await
    .map_err(internal)?;
    Ok(())
}

/// Forgets one of `user`'s browsers.
pub async fn unsubscribe<C: ConnectionTrait>(
    db: &C,
    user: i32,
    endpoint: &str,
) -> Result<(), AppError> {
    push_subscription::Entity::delete_many()
        .filter(push_subscription::Column::UserId.eq(user))
        .filter(push_subscription::Column::Endpoint.eq(endpoint.trim()))
        .exec(db)
        .await
        .map_err(internal)?;
    Ok(())
}

/// How many browsers `user` has subscribed.
pub async fn count<C: ConnectionTrait>(db: &C, user: i32) -> Result<u64, AppError> {
    use sea_orm::PaginatorTrait;
    push_subscription::Entity::find()
        .filter(push_subscription::Column::UserId.eq(user))
        .count(db)
        .await
        .map_err(internal)
}

/// Which of `users` have a browser subscribed.
pub async fn subscribed<C: ConnectionTrait>(
    db: &C,
    users: impl IntoIterator<Item = i32>,
) -> Result<BTreeSet<i32>, AppError> {
    let users: BTreeSet<i32> = users.into_iter().collect();
    if users.is_empty() {
        return Ok(BTreeSet::new());
    }
    Ok(push_subscription::Entity::find()
        .select_only()
        .column(push_subscription::Column::UserId)
        .filter(push_subscription::Column::UserId.is_in(users))
        .into_tuple::<i32>()
        .all(db)
        .await
        .map_err(internal)?
        .into_iter()
        .collect())
}

fn keys_of(p256dh: &str, auth: &str) -> Option<(p256::PublicKey, Auth)> {
    let point = Base64UrlUnpadded::decode_vec(p256dh.trim().trim_end_matches('=')).ok()?;
    let secret = Base64UrlUnpadded::decode_vec(auth.trim().trim_end_matches('=')).ok()?;
    let public = p256::PublicKey::from_sec1_bytes(&point).ok()?;
    (secret.len() == 16).then(|| (public, Auth::clone_from_slice(&secret)))
}

/// The encrypted, VAPID-signed request for one browser.
pub fn request(
    vapid: &Vapid,
    subscription: &push_subscription::Model,
    message: &PushMessage,
) -> Result<http::Request<Vec<u8>>, String> {
    let (public, auth) = keys_of(&subscription.p256dh, &subscription.auth)
        .ok_or("the subscription's keys are not valid")?;
    let endpoint = subscription
        .endpoint
        .parse()
        .map_err(|e: http::uri::InvalidUri| e.to_string())?;
    let body = serde_json::to_vec(message).map_err(|e| e.to_string())?;
    WebPushBuilder::new(endpoint, public, auth)
        .with_valid_duration(TTL)
        .with_vapid(&vapid.pair, &vapid.contact)
        .build(body)
        .map_err(|e| e.to_string())
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pushed {
    pub sent: usize,
    /// Held for the end of their recipient's quiet hours.
    pub held: usize,
    pub retrying: usize,
    pub failed: usize,
}

/// Sends the pending push deliveries to every browser of their recipient.
pub async fn send_due<C: ConnectionTrait>(
    db: &C,
    client: &reqwest::Client,
    vapid: &Vapid,
    now: DateTime<Utc>,
) -> Result<Pushed, AppError> {
    let due = delivery::Entity::find()
        .filter(delivery::Column::Channel.eq(Channel::Push.as_str()))
        .filter(delivery::Column::Status.eq(PENDING))
        .filter(delivery::Column::AvailableAt.lte(now))
        .order_by_asc(delivery::Column::Id)
        .limit(outbox::BATCH)
        .all(db)
        .await
        .map_err(internal)?;
    let mut out = Pushed::default();
    for d in due {
        let Some(n) = notification::Entity::find_by_id(d.notification_id)
            .one(db)
            .await
            .map_err(internal)?
        else {
            continue;
        };
        // inside the person's quiet hours the message waits for their end
        if let Some(user) = n.user_id {
            let quiet = super::quiet_hours::load(db, user).await?;
            if let Some(end) = quiet.and_then(|w| w.wait_until(now)) {
                delivery::Entity::update_many()
                    .col_expr(delivery::Column::AvailableAt, Expr::value(end))
                    .filter(delivery::Column::Id.eq(d.id))
                    .exec(db)
                    .await
                    .map_err(internal)?;
                out.held += 1;
                continue;
            }
        }
        let browsers = match n.user_id {
            Some(user) => push_subscription::Entity::find()
                .filter(push_subscription::Column::UserId.eq(user))
                .all(db)
                .await
                .map_err(internal)?,
            None => Vec::new(),
        };
        let message = PushMessage {
            title: n.title.clone(),
            body: n.body.lines().next().unwrap_or_default().to_owned(),
            link: n.link.clone(),
        };
        let mut errors = Vec::new();
        for browser in &browsers {
            match post(client, vapid, browser, &message).await {
                Ok(Delivered::Yes) => {}
                Ok(Delivered::Gone) => {
                    push_subscription::Entity::delete_by_id(browser.id)
                        .exec(db)
                        .await
                        .map_err(internal)?;
                }
                Err(e) => errors.push(e),
            }
        }
        let attempts = d.attempts + 1;
        let update = delivery::Entity::update_many()
            .col_expr(delivery::Column::Attempts, Expr::value(attempts))
            .filter(delivery::Column::Id.eq(d.id));
        let update = if errors.is_empty() {
            out.sent += 1;
            update
                .col_expr(delivery::Column::Status, Expr::value(SENT))
                .col_expr(delivery::Column::SentAt, Expr::value(Some(now)))
        } else {
            let message: String = errors.join("; ").chars().take(500).collect();
            let update = update.col_expr(delivery::Column::LastError, Expr::value(Some(message)));
            if attempts >= MAX_ATTEMPTS {
                out.failed += 1;
                update.col_expr(delivery::Column::Status, Expr::value(FAILED))
            } else {
                out.retrying += 1;
                update.col_expr(
                    delivery::Column::AvailableAt,
                    Expr::value(now + Duration::seconds(outbox::backoff_secs(attempts))),
                )
            }
        };
        update.exec(db).await.map_err(internal)?;
    }
    Ok(out)
}

enum Delivered {
    Yes,
    /// The browser unsubscribed or the subscription expired.
    Gone,
}

async fn post(
    client: &reqwest::Client,
    vapid: &Vapid,
    browser: &push_subscription::Model,
    message: &PushMessage,
) -> Result<Delivered, String> {
    let request = request(vapid, browser, message)?;
    let (parts, body) = request.into_parts();
    let mut outgoing = client.post(parts.uri.to_string()).body(body);
    for (name, value) in &parts.headers {
        outgoing = outgoing.header(name.as_str(), value.as_bytes());
    }
    let response = outgoing.send().await.map_err(|e| e.to_string())?;
    match response.status().as_u16() {
        200..=299 => Ok(Delivered::Yes),
        404 | 410 => Ok(Delivered::Gone),
        status => Err(format!("the push service answered {status}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_is_encrypted_for_the_browser_alone_and_signed_by_the_platform() {
        use web_push_native::jwt_simple::prelude::ECDSAP256PublicKeyLike;
        let browser_secret = p256::SecretKey::random(&mut rand::rngs::OsRng);
        let auth = [7u8; 16];
        let subscription = push_subscription::Model {
            id: 1,
            user_id: 1,
            endpoint: "https://push.example/send/abc".into(),
            p256dh: Base64UrlUnpadded::encode_string(
                browser_secret.public_key().to_sec1_bytes().as_ref(),
            ),
            auth: Base64UrlUnpadded::encode_string(&auth),
            created_at: Utc::now(),
        };
        let vapid =
            Vapid::from_stored(&new_vapid_key(), "mailto:ops@lineup.example".into()).expect("key");
        let message = PushMessage {
            title: "Jazz by the Water is cancelled".into(),
            body: "The venue flooded.".into(),
            link: "/my/tickets/1".into(),
        };
        let request = request(&vapid, &subscription, &message).expect("request");
        assert_eq!(request.headers()["content-encoding"], "aes128gcm");
        assert!(!String::from_utf8_lossy(request.body()).contains("venue"));

        let plain = web_push_native::decrypt(
            request.body().clone(),
            &browser_secret,
            &Auth::clone_from_slice(&auth),
        )
        .expect("the browser decrypts it");
        let received: PushMessage = serde_json::from_slice(&plain).expect("JSON");
        assert_eq!(received, message);
        // another browser's key does not open it
        let other = p256::SecretKey::random(&mut rand::rngs::OsRng);
        assert!(web_push_native::decrypt(
            request.body().clone(),
            &other,
            &Auth::clone_from_slice(&auth)
        )
        .is_err());

        // the VAPID token: signed by the platform's key, for the push service's origin
        let authorization = request.headers()["authorization"].to_str().expect("ascii");
        let token = authorization
            .strip_prefix("vapid t=")
            .and_then(|rest| rest.split(',').next())
            .expect("vapid t=…, k=…");
        let public = web_push_native::jwt_simple::algorithms::ES256PublicKey::from_bytes(
            &Base64UrlUnpadded::decode_vec(&vapid.public_key()).expect("b64"),
        )
        .expect("public key");
        let claims = public
            .verify_token::<web_push_native::jwt_simple::prelude::NoCustomClaims>(token, None)
            .expect("a valid signature");
        assert_eq!(
            claims
                .audiences
                .map(|a| a.into_string().unwrap_or_default()),
            Some("https://push.example".into())
        );
        assert!(authorization.contains(&format!("k={}", vapid.public_key())));
    }
}
