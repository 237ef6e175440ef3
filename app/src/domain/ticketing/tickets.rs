//! Tickets: one per confirmed seat, with an unguessable code and its QR; what holders see.
use chrono::{DateTime, Utc};
use rand::RngCore;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::{
    domain::{
        context::{find, internal, Settings},
        events::listings::{place_label, tz_of},
        locale_format,
        ticketing::{
            notes,
            registrations::{held_by, status_of},
        },
    },
    error::AppError,
    model::{
        language::Locale,
        ticketing::{
            ChangeView, MyTicketRow, RegistrationStatus, RegistrationView, TicketView,
            TicketsOverview,
        },
    },
};
use entity::{event, registration, registration_change, ticket, ticket_type, user};

/// Crockford's base32: no I, L, O or U, so a code read aloud or typed is hard to get wrong.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// 26 characters carrying 130 random bits.
pub fn new_code() -> String {
    let mut bytes = [0u8; 17];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let mut out = String::with_capacity(26);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for byte in bytes {
        acc = (acc << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 && out.len() < 26 {
            bits -= 5;
            out.push(ALPHABET[((acc >> bits) & 31) as usize] as char);
        }
    }
    out
}

/// What people type or a scanner reads, as stored: upper case, without spaces or dashes, and
/// the letters Crockford's alphabet leaves out read as the digits they look like.
pub fn normalize_code(raw: &str) -> String {
    raw.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        })
        .collect()
}

/// The code in groups of four, as printed under the QR.
pub fn display_code(code: &str) -> String {
    code.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

pub fn qr_svg(code: &str) -> String {
    match qrcode::QrCode::new(code.as_bytes()) {
        Ok(qr) => qr
            .render::<qrcode::render::svg::Color>()
            .min_dimensions(220, 220)
            .quiet_zone(true)
            .build(),
        Err(e) => {
            tracing::error!(error = %e, "QR encoding failed");
            String::new()
        }
    }
}

/// Issues one ticket per seat of a registration that just became confirmed.
pub async fn issue<C: ConnectionTrait>(
    db: &C,
    reg: &registration::Model,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    for number in 1..=reg.quantity {
        ticket::ActiveModel {
            registration_id: Set(reg.id),
            event_id: Set(reg.event_id),
            code: Set(new_code()),
            number: Set(number),
            status: Set("valid".into()),
            checked_in_at: Set(None),
            checked_in_by: Set(None),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await
        .map_err(internal)?;
    }
    Ok(())
}

/// A moment of the event's day, in its time zone: "19:00 CET".
pub fn when_label(at: DateTime<Utc>, ev: &event::Model, locale: Locale) -> String {
    locale_format::time(locale, at, tz_of(ev))
}

/// The most registrations "My tickets" lists.
pub const MY_TICKETS: u64 = 200;
/// A calendar feed lists upcoming events and those of the last `FEED_PAST_DAYS`, at most
/// `FEED_EVENTS` of them.
pub const FEED_PAST_DAYS: i64 = 90;
pub const FEED_EVENTS: u64 = 500;

pub async fn mine<C: ConnectionTrait>(
    db: &C,
    settings: &Settings,
    user: &user::Model,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<TicketsOverview, AppError> {
    // the newest `MY_TICKETS` registrations: enough for anyone's list, bounded for everyone
    let regs = registration::Entity::find()
        .filter(registration::Column::UserId.eq(user.id))
        .order_by_desc(registration::Column::Id)
        .limit(MY_TICKETS)
        .all(db)
        .await
        .map_err(internal)?;
    let events = event::Entity::find()
        .filter(event::Column::Id.is_in(regs.iter().map(|r| r.event_id)))
        .all(db)
        .await
        .map_err(internal)?;
    let types = ticket_type::Entity::find()
        .filter(ticket_type::Column::Id.is_in(regs.iter().map(|r| r.ticket_type_id)))
        .all(db)
        .await
        .map_err(internal)?;
    let mut rows = Vec::with_capacity(regs.len());
    for reg in regs {
        let (Some(ev), Some(tt)) = (
            events.iter().find(|e| e.id == reg.event_id),
            types.iter().find(|t| t.id == reg.ticket_type_id),
        ) else {
            continue;
        };
        rows.push(MyTicketRow {
            id: reg.id,
            event_id: ev.id,
            event_title: ev.title.clone(),
            event_when: locale_format::range(locale, ev.starts_at, ev.ends_at, tz_of(ev)),
            ticket_type: tt.name.clone(),
            quantity: reg.quantity,
            status: status_of(&reg)?,
            expires_at: reg.expires_at.map(|t| when_label(t, ev, locale)),
            past: ev.ends_at < now,
        });
    }
    // upcoming first; then the past ones
    rows.sort_by_key(|r| r.past);
    let token = calendar_token(db, user).await?;
    Ok(TicketsOverview {
        rows,
        calendar_feed_url: Some(format!(
            "{}/calendar/{token}.ics",
            settings.public_url.trim_end_matches('/')
        )),
    })
}

/// The secret of the user's calendar feed, made on first use.
pub async fn calendar_token<C: ConnectionTrait>(
    db: &C,
    user: &user::Model,
) -> Result<String, AppError> {
    if let Some(token) = &user.calendar_token {
        return Ok(token.clone());
    }
    let token = new_code().to_lowercase();
    let mut active: user::ActiveModel = user.clone().into();
    active.calendar_token = Set(Some(token.clone()));
    active.update(db).await.map_err(internal)?;
    Ok(token)
}

/// The events a calendar feed lists: those its owner has tickets for.
pub async fn feed_events<C: ConnectionTrait>(
    db: &C,
    token: &str,
) -> Result<(user::Model, Vec<event::Model>), AppError> {
    if token.len() != 26 {
        return Err(AppError::NotFound);
    }
    let owner = user::Entity::find()
        .filter(user::Column::CalendarToken.eq(token))
        .one(db)
        .await
        .map_err(internal)?
        .ok_or(AppError::NotFound)?;
    let held = sea_orm::sea_query::Query::select()
        .column(registration::Column::EventId)
        .from(registration::Entity)
        .and_where(registration::Column::UserId.eq(owner.id))
        .and_where(
            registration::Column::Status.is_in(RegistrationStatus::slugs_where(
                RegistrationStatus::is_going,
            )),
        )
        .to_owned();
    let events = event::Entity::find()
        .filter(event::Column::Id.in_subquery(held))
        .filter(
            event::Column::EndsAt.gt(chrono::Utc::now() - chrono::Duration::days(FEED_PAST_DAYS)),
        )
        .order_by_asc(event::Column::StartsAt)
        .limit(FEED_EVENTS)
        .all(db)
        .await
        .map_err(internal)?;
    Ok((owner, events))
}

/// A registration for the person who holds it; anyone else gets "not found".
pub async fn registration_for_holder<C: ConnectionTrait>(
    db: &C,
    user: &user::Model,
    id: i32,
    locale: Locale,
) -> Result<RegistrationView, AppError> {
    view(db, held_by(db, user, id).await?, locale).await
}

/// A guest's way back to their tickets: the code of any valid one.
pub async fn registration_by_code<C: ConnectionTrait>(
    db: &C,
    code: &str,
    locale: Locale,
) -> Result<RegistrationView, AppError> {
    let code = normalize_code(code);
    if code.len() != 26 {
        return Err(AppError::NotFound);
    }
    let ticket = ticket::Entity::find()
        .filter(ticket::Column::Code.eq(code))
        .filter(ticket::Column::Status.eq("valid"))
        .one(db)
        .await
        .map_err(internal)?
        .ok_or(AppError::NotFound)?;
    let reg = find::<registration::Entity, _>(db, ticket.registration_id).await?;
    // members see their tickets signed in; a code opens only a guest's registration
    if reg.user_id.is_some() {
        return Err(AppError::NotFound);
    }
    view(db, reg, locale).await
}

async fn view<C: ConnectionTrait>(
    db: &C,
    reg: registration::Model,
    locale: Locale,
) -> Result<RegistrationView, AppError> {
    let ev = find::<event::Entity, _>(db, reg.event_id).await?;
    let tt = find::<ticket_type::Entity, _>(db, reg.ticket_type_id).await?;
    let status = status_of(&reg)?;
    let tickets = if status.is_going() {
        ticket::Entity::find()
            .filter(ticket::Column::RegistrationId.eq(reg.id))
            .order_by_asc(ticket::Column::Number)
            .all(db)
            .await
            .map_err(internal)?
    } else {
        Vec::new()
    };
    let history = registration_change::Entity::find()
        .filter(registration_change::Column::RegistrationId.eq(reg.id))
        .order_by_asc(registration_change::Column::Id)
        .all(db)
        .await
        .map_err(internal)?;
    let label = |s: &str| {
        RegistrationStatus::parse(s)
            .map(|s| s.label_in(locale).to_owned())
            .unwrap_or_else(|| s.to_owned())
    };
    Ok(RegistrationView {
        id: reg.id,
        event_id: ev.id,
        event_title: ev.title.clone(),
        event_when: locale_format::range(locale, ev.starts_at, ev.ends_at, tz_of(&ev)),
        place: place_label(&ev, locale),
        ticket_type: tt.name.clone(),
        quantity: reg.quantity,
        status,
        amount: locale_format::money(locale, reg.amount_minor, &reg.currency),
        is_free: reg.amount_minor == 0,
        expires_at: reg.expires_at.map(|t| when_label(t, &ev, locale)),
        checkout_url: (status == RegistrationStatus::Reserved)
            .then(|| reg.checkout_url.clone())
            .flatten(),
        can_cancel: super::cancel::holder_may_cancel(&reg, status),
        tickets: tickets
            .into_iter()
            .map(|t| TicketView {
                id: t.id,
                number: t.number,
                qr_svg: if t.status == "valid" {
                    qr_svg(&t.code)
                } else {
                    String::new()
                },
                code: display_code(&t.code),
                status: t.status.clone(),
                checked_in_at: t.checked_in_at.map(|at| when_label(at, &ev, locale)),
            })
            .collect(),
        history: history
            .into_iter()
            .map(|c| ChangeView {
                when: when_label(c.created_at, &ev, locale),
                from: c.from_status.as_deref().map(label),
                to: label(&c.to_status),
                note: notes::read_in(&c.note, locale),
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_long_random_and_survive_sloppy_typing() {
        let a = new_code();
        let b = new_code();
        assert_eq!(a.len(), 26);
        assert_ne!(a, b);
        assert!(a.bytes().all(|c| ALPHABET.contains(&c)));
        let typed = display_code(&a).to_lowercase().replace('-', " ");
        assert_eq!(normalize_code(&typed), a);
        assert_eq!(normalize_code("o1-il"), "0111");
    }

    #[test]
    fn qr_is_an_svg() {
        let svg = qr_svg(&new_code());
        assert!(svg.contains("<svg") && svg.contains("</svg>"));
    }
}
