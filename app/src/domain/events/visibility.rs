//! Who may find an event. Public events are listed everywhere (after a curator's review);
//! unlisted ones answer anyone who has the link; private ones answer their team, their guests
//! and their ticket holders, and are "not found" for everyone else. A private event's invite
//! link is signed with the platform's key over the event and its `invite_version`, so a new link
//! revokes every old one; opening it signed in makes the person a guest.
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use sea_orm::{
    sea_query::{Expr, ExprTrait, OnConflict},
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, Set,
};
use sha2::Sha256;

use crate::{
    domain::{
        context::internal,
        events::{access::is_shown, changed::event_changed},
        platform_keys,
    },
    error::AppError,
    i18n::td_string,
    model::{events::Visibility, language::Locale, ticketing::RegistrationStatus},
};
use entity::{event, event_guest, registration};

/// Signs invite links to private events.
pub const INVITE_KEY: &str = "event_invite_hmac";

/// The event's visibility; an unreadable value is treated as the most restrictive.
pub fn of(event: &event::Model) -> Visibility {
    Visibility::parse(&event.visibility).unwrap_or(Visibility::Private)
}

/// Listed and searchable: what the home page, search, feeds, recommendations, organization pages
/// and calendar feeds show.
pub fn is_listed(event: &event::Model) -> bool {
    is_shown(event) && of(event) == Visibility::Public
}

/// The listing condition for queries: not hidden by flags, and public. (Each listing adds the
/// statuses it shows.)
pub fn listed_condition() -> Condition {
    Condition::all()
        .add(event::Column::HiddenAt.is_null())
        .add(event::Column::Visibility.eq(Visibility::Public.as_str()))
}

fn mac(key: &[u8], event: i32, version: i32) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key");
    mac.update(format!("event-invite:{event}:{version}").as_bytes());
    mac
}

fn sign(key: &[u8], event: i32, version: i32) -> String {
    // 128 bits of the signature are plenty for a link and keep it short
    hex::encode(&mac(key, event, version).finalize().into_bytes()[..16])
}

fn verify(key: &[u8], event: i32, version: i32, token: &str) -> bool {
    hex::decode(token.trim())
        .ok()
        .filter(|t| t.len() == 16)
        .is_some_and(|t| mac(key, event, version).verify_truncated_left(&t).is_ok())
}

/// The platform's invite key, made on first use.
pub async fn key<C: ConnectionTrait>(db: &C) -> Result<Vec<u8>, AppError> {
    Ok(
        platform_keys::get_or_create(db, INVITE_KEY, platform_keys::random_secret, Utc::now())
            .await?
            .into_bytes(),
    )
}

/// The token of the event's current invite link.
pub fn token(key: &[u8], event: &event::Model) -> String {
    sign(key, event.id, event.invite_version)
}

/// Whether `token` is the event's current invite token.
pub fn is_genuine(key: &[u8], event: &event::Model, token: &str) -> bool {
    verify(key, event.id, event.invite_version, token)
}

/// The event page's address carrying an invite token, relative to the site.
pub fn invite_path(event_id: i32, token: &str) -> String {
    format!("/events/{event_id}?invite={}", token.trim())
}

/// The event's current invite link, absolute (for the page that shows it and for mail).
pub async fn invite_url<C: ConnectionTrait>(
    db: &C,
    public_url: &str,
    event: &event::Model,
) -> Result<String, AppError> {
    Ok(format!(
        "{}{}",
        public_url.trim_end_matches('/'),
        invite_path(event.id, &token(&key(db).await?, event))
    ))
}

/// Whether the person was admitted to the event or holds a registration for it (a ticket, a
/// place on its waiting list: they keep seeing what they signed up for).
pub async fn is_guest<C: ConnectionTrait>(
    db: &C,
    event_id: i32,
    user_id: i32,
) -> Result<bool, AppError> {
    let admitted = event_guest::Entity::find_by_id((event_id, user_id))
        .one(db)
        .await
        .map_err(internal)?
        .is_some();
    if admitted {
        return Ok(true);
    }
    Ok(registration::Entity::find()
        .filter(registration::Column::EventId.eq(event_id))
        .filter(registration::Column::UserId.eq(user_id))
        .filter(
            registration::Column::Status
                .is_in(RegistrationStatus::slugs_where(RegistrationStatus::is_open)),
        )
        .count(db)
        .await
        .map_err(internal)?
        > 0)
}

/// Admits a person to an event (again is fine): `source` is `link` or `invited`.
pub async fn admit<C: ConnectionTrait>(
    db: &C,
    event_id: i32,
    user_id: i32,
    source: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    event_guest::Entity::insert(event_guest::ActiveModel {
        event_id: Set(event_id),
        user_id: Set(user_id),
        source: Set(source.to_owned()),
        created_at: Set(now),
    })
    .on_conflict(
        OnConflict::columns([event_guest::Column::EventId, event_guest::Column::UserId])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await
    .map_err(internal)?;
    Ok(())
}

/// What an invite token in a page's address does: `true` when it is the event's genuine token
/// (the page may be shown), and a signed-in visitor becomes a guest, so the event stays open to
/// them without the link.
pub async fn open_with_link<C: ConnectionTrait>(
    db: &C,
    event: &event::Model,
    viewer: Option<i32>,
    token: &str,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    if of(event) != Visibility::Private || !is_shown(event) {
        return Ok(false);
    }
    if !is_genuine(&key(db).await?, event, token) {
        return Ok(false);
    }
    if let Some(v) = viewer {
        admit(db, event.id, v, "link", now).await?;
    }
    Ok(true)
}

/// Changes an event's visibility. Narrowing is immediate; a public listing needs a curator's
/// approval, so only an event a curator (or the fast track) approved may widen to public once it
/// is out of draft.
pub async fn change<C: ConnectionTrait>(
    db: &C,
    event: &event::Model,
    to: Visibility,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<event::Model, AppError> {
    let from = of(event);
    if from == to {
        return Ok(event.clone());
    }
    let drafting = matches!(
        crate::model::events::EventStatus::parse(&event.status),
        Some(crate::model::events::EventStatus::Draft)
    );
    if to == Visibility::Public && !drafting && event.curation_score.is_none() {
        return Err(AppError::field(
            "visibility",
            td_string!(locale, events.visibility.not_reviewed),
        ));
    }
    let mut active: event::ActiveModel = event.clone().into();
    active.visibility = Set(to.as_str().to_owned());
    active.updated_at = Set(now);
    let changed = active.update(db).await.map_err(internal)?;
    event_changed(db, event.id, now).await?;
    Ok(changed)
}

/// Revokes the invite links given out so far; the new link is `invite_url` of the result.
pub async fn new_link<C: ConnectionTrait>(
    db: &C,
    event: &event::Model,
) -> Result<event::Model, AppError> {
    event::Entity::update_many()
        .col_expr(
            event::Column::InviteVersion,
            Expr::col(event::Column::InviteVersion).add(1),
        )
        .filter(event::Column::Id.eq(event.id))
        .exec(db)
        .await
        .map_err(internal)?;
    event::Entity::find_by_id(event.id)
        .one(db)
        .await
        .map_err(internal)?
        .ok_or(AppError::NotFound)
}

/// The most addresses one invitation takes.
pub const MAX_INVITES: usize = 50;

/// Invites people to a private event by address: each gets the invite link by mail, and those
/// who already have an account become guests at once. Returns how many were invited.
pub async fn invite_people<C: ConnectionTrait>(
    db: &C,
    public_url: &str,
    event: &event::Model,
    inviter: &entity::user::Model,
    raw: &str,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<usize, AppError> {
    use crate::domain::accounts::{language, recovery, sign_up::normalize_email};
    if of(event) != Visibility::Private {
        return Err(AppError::Refused(
            td_string!(locale, events.visibility.invite_private_only).into(),
        ));
    }
    let mut emails = Vec::new();
    let mut wrong = Vec::new();
    for part in raw
        .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|p| !p.is_empty())
    {
        match normalize_email(part) {
            Ok(e) if !emails.contains(&e) => emails.push(e),
            Ok(_) => {}
            Err(_) => wrong.push(part.chars().take(60).collect::<String>()),
        }
    }
    if !wrong.is_empty() {
        return Err(AppError::field(
            "emails",
            td_string!(
                locale,
                events.visibility.invite_not_emails,
                addresses = wrong.join(", ")
            ),
        ));
    }
    if emails.is_empty() || emails.len() > MAX_INVITES {
        return Err(AppError::field(
            "emails",
            td_string!(locale, events.visibility.invite_count, max = MAX_INVITES),
        ));
    }
    let link = invite_url(db, public_url, event).await?;
    for email in &emails {
        let account = entity::user::Entity::find()
            .filter(entity::user::Column::Email.eq(email.as_str()))
            .one(db)
            .await
            .map_err(internal)?;
        if let Some(person) = &account {
            admit(db, event.id, person.id, "invited", now).await?;
        }
        // in the language of the account that uses the address, if one does
        let theirs = account.as_ref().map(language::of_user).unwrap_or_default();
        let (name, title) = (&inviter.display_name, &event.title);
        recovery::mail(
            db,
            format!(
                "event_invitation:{}:{}:{email}",
                event.id, event.invite_version
            ),
            email,
            td_string!(
                theirs,
                mail.invitation.event_title,
                name = name,
                title = title
            ),
            td_string!(theirs, mail.invitation.event, name = name, title = title),
            link.clone(),
            now,
        )
        .await?;
    }
    Ok(emails.len())
}

/// Invites the members of one of the inviter's groups to a private event: each becomes a guest
/// and gets the invite link by mail. Returns how many were invited.
#[allow(clippy::too_many_arguments)]
pub async fn invite_group<C: ConnectionTrait>(
    db: &C,
    graph: &dyn crate::domain::graph::GraphStore,
    public_url: &str,
    event: &event::Model,
    inviter: &entity::user::Model,
    group: &str,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<usize, AppError> {
    use crate::domain::social::groups;
    let mine = groups::joined(graph, inviter.id).await?;
    if !mine.iter().any(|g| g.key == group) {
        return Err(AppError::field(
            "group",
            td_string!(locale, events.visibility.choose_group),
        ));
    }
    let members: Vec<i32> = groups::members(graph, group)
        .await?
        .into_iter()
        .filter(|&m| m != inviter.id)
        .collect();
    let emails: Vec<String> = entity::user::Entity::find()
        .filter(entity::user::Column::Id.is_in(members))
        .all(db)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|u| u.email)
        .collect();
    if emails.is_empty() {
        return Err(AppError::field(
            "group",
            td_string!(locale, events.visibility.group_empty),
        ));
    }
    invite_people(
        db,
        public_url,
        event,
        inviter,
        &emails.join(","),
        now,
        locale,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_is_genuine_for_its_event_and_version_only() {
        let key = b"key";
        let token = sign(key, 7, 1);
        assert!(verify(key, 7, 1, &token));
        assert!(!verify(key, 7, 2, &token), "a new link revokes it");
        assert!(!verify(b"other", 7, 1, &token));
        assert!(!verify(key, 8, 1, &token));
        assert!(!verify(key, 7, 1, &token[..30]));
        assert!(!verify(key, 7, 1, "zz"));
        assert!(!verify(key, 7, 1, ""));
    }
}
