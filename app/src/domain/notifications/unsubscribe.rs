//! One-click unsubscribe (RFC 8058) from the mail people did not have to get: a link signed for
//! one person and one kind of mail, which works without signing in and switches that kind's
//! email off. The key is the platform's (`platform_keys::UNSUBSCRIBE`), so any process checks a
//! link any other made.
use hmac::{Hmac, Mac};
use sea_orm::{ConnectionTrait, TransactionTrait};
use sha2::Sha256;

use super::preferences;
use crate::{
    error::AppError,
    model::notifications::{Channel, Kind},
};

fn mac(key: &[u8], user: i32, kind: Kind) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key");
    mac.update(format!("unsubscribe:{user}:{}", kind.as_str()).as_bytes());
    mac
}

/// `user.kind.signature`, safe in a URL.
pub fn token(key: &[u8], user: i32, kind: Kind) -> String {
    let signature = hex::encode(mac(key, user, kind).finalize().into_bytes());
    format!("{user}.{}.{signature}", kind.as_str())
}

/// The person and kind a token was made for, if it is genuine.
pub fn verify(key: &[u8], token: &str) -> Option<(i32, Kind)> {
    let mut parts = token.trim().splitn(3, '.');
    let user: i32 = parts.next()?.parse().ok()?;
    let kind = Kind::parse(parts.next()?).filter(|k| k.switchable())?;
    let signature = hex::decode(parts.next()?).ok()?;
    mac(key, user, kind).verify_slice(&signature).ok()?;
    Some((user, kind))
}

/// The absolute link a mail carries.
pub fn link(public_url: &str, key: &[u8], user: i32, kind: Kind) -> String {
    format!(
        "{}/unsubscribe?token={}",
        public_url.trim_end_matches('/'),
        token(key, user, kind)
    )
}

/// Switches email off for the kind a genuine token names and says which; `None` (changing
/// nothing) for a token that is not genuine.
pub async fn apply<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    key: &[u8],
    token: &str,
) -> Result<Option<Kind>, AppError> {
    let Some((user, kind)) = verify(key, token) else {
        return Ok(None);
    };
    preferences::set_one(db, user, kind, Channel::Email, false).await?;
    Ok(Some(kind))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_names_one_person_and_kind_and_cannot_be_altered() {
        let key = b"a key of the platform";
        let token = token(key, 7, Kind::FriendRequest);
        assert_eq!(verify(key, &token), Some((7, Kind::FriendRequest)));
        assert_eq!(verify(b"another key", &token), None);
        let other_user = token.replacen("7.", "8.", 1);
        assert_eq!(verify(key, &other_user), None);
        let other_kind = token.replace("friend_request", "friend_accepted");
        assert_eq!(verify(key, &other_kind), None);
        for broken in [
            "",
            "7",
            "7.friend_request",
            "x.friend_request.00",
            "7.account.00",
        ] {
            assert_eq!(verify(key, broken), None, "{broken}");
        }
    }
}
