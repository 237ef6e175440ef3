//! Booking: an RSVP, a paid reservation, a place on the waitlist or a request for approval.
use crate::domain::transaction::begin_write;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set, TransactionSession, TransactionTrait};

use crate::{
    domain::{
        accounts::sign_up::normalize_email,
        context::{find, internal, unique_or_internal, AppState},
        events::{access::EventAccess, visibility},
        organizations::payouts,
        ticketing::{
            checkout,
            registrations::{holder_key_of_guest, holder_key_of_user, record},
            seats, ticket_types, tickets,
        },
    },
    error::{AppError, FieldErrors},
    i18n::td_string,
    model::{
        events::Visibility,
        language::{self, Locale},
        ticketing::RegistrationStatus,
    },
};
use entity::{event, registration, ticket_type, user};

/// How long seats wait for Stripe Checkout. Stripe wants a session to live at least 30 minutes
/// from its creation, which comes a moment after the reservation.
pub const RESERVATION_TTL: Duration = Duration::minutes(35);

// short-lived, one per request: boxing the user would buy nothing
#[allow(clippy::large_enum_variant)]
pub enum Registrant {
    User(user::Model),
    Guest { name: String, email: String },
}

impl Registrant {
    fn user_id(&self) -> Option<i32> {
        match self {
            Registrant::User(u) => Some(u.id),
            Registrant::Guest { .. } => None,
        }
    }
}

pub struct Request<'a> {
    pub ticket_type_id: i32,
    pub quantity: &'a str,
    pub answers: &'a [String],
}

#[derive(Debug)]
pub enum Outcome {
    Confirmed {
        registration: registration::Model,
        /// A guest's way back to the tickets.
        first_code: Option<String>,
    },
    Waitlisted(registration::Model),
    PendingApproval(registration::Model),
    /// Seats are held; the browser goes on to Stripe Checkout.
    Checkout {
        registration: registration::Model,
        url: String,
    },
}

impl Outcome {
    pub fn registration(&self) -> &registration::Model {
        match self {
            Outcome::Confirmed { registration, .. }
            | Outcome::Checkout { registration, .. }
            | Outcome::Waitlisted(registration)
            | Outcome::PendingApproval(registration) => registration,
        }
    }

    pub fn notice(&self, locale: Locale) -> &'static str {
        match self {
            Outcome::Confirmed { .. } => td_string!(locale, tickets.register.confirmed),
            Outcome::Waitlisted(_) => td_string!(locale, tickets.register.waitlisted),
            Outcome::PendingApproval(_) => td_string!(locale, tickets.register.pending_approval),
            Outcome::Checkout { .. } => td_string!(locale, tickets.register.checkout),
        }
    }

    pub fn next_page(&self) -> String {
        match self {
            Outcome::Checkout { url, .. } => url.clone(),
            Outcome::Confirmed {
                first_code: Some(code),
                registration,
            } if registration.user_id.is_none() => format!("/tickets/{code}"),
            other => format!("/my/tickets/{}", other.registration().id),
        }
    }
}

/// The quantity field: 1 up to the ticket type's limit per order.
pub fn parse_quantity(raw: &str, max: i32, locale: Locale) -> Result<i32, AppError> {
    match raw.trim().parse::<i32>() {
        Ok(n) if (1..=max).contains(&n) => Ok(n),
        _ => Err(AppError::field(
            "quantity",
            td_string!(locale, tickets.register.quantity, max = max),
        )),
    }
}

fn check_answers(
    tt: &ticket_type::Model,
    answers: &[String],
    locale: Locale,
) -> Result<String, AppError> {
    let questions = ticket_types::questions_of(tt);
    let mut errors = FieldErrors::new();
    let mut map = serde_json::Map::new();
    for (i, question) in questions.iter().enumerate() {
        let field = format!("answer{}", i + 1);
        let answer = answers.get(i).map(|a| a.trim()).unwrap_or_default();
        match answer.chars().count() {
            0 => {
                errors.insert(field, td_string!(locale, tickets.register.answer).into());
            }
            n if n > 500 => {
                errors.insert(
                    field,
                    td_string!(locale, tickets.register.answer_too_long).into(),
                );
            }
            _ => {
                map.insert(question.clone(), answer.into());
            }
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    Ok(serde_json::Value::Object(map).to_string())
}

/// Name and email of the person registering, checked.
fn holder(
    registrant: &Registrant,
    tt: &ticket_type::Model,
    locale: Locale,
) -> Result<(String, String, String), AppError> {
    match registrant {
        Registrant::User(u) => Ok((
            u.display_name.clone(),
            u.email.clone(),
            holder_key_of_user(u.id),
        )),
        Registrant::Guest { .. } if !tt.guests_allowed => Err(AppError::Unauthorized),
        Registrant::Guest { name, email } => {
            let mut errors = FieldErrors::new();
            let name = name.trim();
            if name.is_empty() || name.chars().count() > 100 {
                errors.insert(
                    "name".into(),
                    td_string!(locale, tickets.register.name).into(),
                );
            }
            let email = normalize_email(email).unwrap_or_else(|e| {
                errors.insert("email".into(), e);
                String::new()
            });
            if !errors.is_empty() {
                return Err(AppError::Validation(errors));
            }
            let key = holder_key_of_guest(&email);
            Ok((name.to_owned(), email, key))
        }
    }
}

/// Books seats and, for paid tickets, sends the browser on to the payment provider's checkout.
pub async fn register(
    state: &AppState,
    registrant: &Registrant,
    request: Request<'_>,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<Outcome, AppError> {
    let outcome = book(
        &state.db,
        state.payments.enabled(),
        registrant,
        request,
        now,
        locale,
    )
    .await?;
    match outcome {
        Outcome::Checkout { registration, .. } => {
            let tt = find::<ticket_type::Entity, _>(&state.db, registration.ticket_type_id).await?;
            let ev = find::<event::Entity, _>(&state.db, registration.event_id).await?;
            let url = checkout::start(state, &registration, &ev, &tt, now, locale).await?;
            Ok(Outcome::Checkout { registration, url })
        }
        other => Ok(other),
    }
}

/// The booking itself, in one transaction: checks, seats, the registration, its tickets. A paid
/// booking comes back as `Checkout` with no URL yet (see `register`).
pub async fn book<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    payments_enabled: bool,
    registrant: &Registrant,
    request: Request<'_>,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<Outcome, AppError> {
    let tt = find::<ticket_type::Entity, _>(db, request.ticket_type_id).await?;
    let ev = find::<event::Entity, _>(db, tt.event_id).await?;
    // a private event answers only those it admitted: for everyone else it does not exist
    if visibility::of(&ev) == Visibility::Private {
        let admitted = match registrant {
            Registrant::User(u) => EventAccess::of(db, &ev, Some(u)).await?.can_view(&ev),
            Registrant::Guest { .. } => false,
        };
        if !admitted {
            return Err(AppError::NotFound);
        }
    }
    if let Some(closed) = ticket_types::closed_reason(&ev, now, locale) {
        return Err(AppError::Refused(closed));
    }
    let paid_blocked = payouts::why_no_sales(&payouts::of_event(db, &ev).await?, payments_enabled);
    if let Some(why) = ticket_types::unavailable_reason(&tt, paid_blocked, now, locale) {
        return Err(AppError::Refused(why));
    }
    let paid = tt.price_minor > 0;
    if paid && matches!(registrant, Registrant::Guest { .. }) {
        return Err(AppError::Refused(
            td_string!(locale, tickets.register.sign_in_to_buy).into(),
        ));
    }
    let quantity = parse_quantity(request.quantity, tt.max_per_order, locale);
    let answers = check_answers(&tt, request.answers, locale);
    let who = holder(registrant, &tt, locale);
    let (quantity, answers, (name, email, key)) = match (quantity, answers, who) {
        (Ok(q), Ok(a), Ok(w)) => (q, a, w),
        (q, a, w) => {
            let mut errors = FieldErrors::new();
            for result in [q.err(), a.err(), w.as_ref().err().cloned()]
                .into_iter()
                .flatten()
            {
                match result {
                    AppError::Validation(e) => errors.extend(e),
                    other => return Err(other),
                }
            }
            return Err(AppError::Validation(errors));
        }
    };
    let row = registration::ActiveModel {
        event_id: Set(ev.id),
        ticket_type_id: Set(tt.id),
        user_id: Set(registrant.user_id()),
        holder_key: Set(Some(key)),
        name: Set(name),
        email: Set(email),
        quantity: Set(quantity),
        tier: Set(0),
        answers: Set(answers),
        amount_minor: Set(tt.price_minor * i64::from(quantity)),
        currency: Set(tt.currency.clone()),
        refunded_minor: Set(0),
        checkout_session_id: Set(None),
        checkout_url: Set(None),
        payment_intent_id: Set(None),
        locale: Set(Some(language::tag(locale).to_owned())),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };

    let txn = begin_write(db).await.map_err(internal)?;
    let (status, expires) = if tt.requires_approval {
        (RegistrationStatus::PendingApproval, None)
    } else if seats::take(&txn, &tt, quantity).await? {
        if paid {
            (RegistrationStatus::Reserved, Some(now + RESERVATION_TTL))
        } else {
            (RegistrationStatus::Confirmed, None)
        }
    } else if tt.waitlist && registrant.user_id().is_some() {
        (RegistrationStatus::Waitlisted, None)
    } else if tt.waitlist {
        return Err(AppError::Refused(
            td_string!(locale, tickets.register.sold_out_sign_in).into(),
        ));
    } else {
        return Err(AppError::Refused(
            td_string!(locale, tickets.register.sold_out).into(),
        ));
    };
    let mut row = row;
    row.status = Set(status.as_str().to_owned());
    row.expires_at = Set(expires);
    let reg = insert(&txn, row, locale).await?;
    record(&txn, reg.id, None, status, registrant.user_id(), "", now).await?;
    let mut first_code = None;
    if status == RegistrationStatus::Confirmed {
        tickets::issue(&txn, &reg, now).await?;
        first_code = first_ticket_code(&txn, reg.id).await?;
    }
    txn.commit().await.map_err(internal)?;

    Ok(match status {
        RegistrationStatus::Confirmed => Outcome::Confirmed {
            registration: reg,
            first_code,
        },
        RegistrationStatus::Waitlisted => Outcome::Waitlisted(reg),
        RegistrationStatus::PendingApproval => Outcome::PendingApproval(reg),
        _ => Outcome::Checkout {
            registration: reg,
            url: String::new(),
        },
    })
}

async fn insert<C: ConnectionTrait>(
    db: &C,
    row: registration::ActiveModel,
    locale: Locale,
) -> Result<registration::Model, AppError> {
    row.insert(db).await.map_err(|e| {
        unique_or_internal(
            e,
            AppError::Refused(td_string!(locale, tickets.register.already).into()),
        )
    })
}

async fn first_ticket_code<C: ConnectionTrait>(
    db: &C,
    registration_id: i32,
) -> Result<Option<String>, AppError> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    Ok(entity::ticket::Entity::find()
        .filter(entity::ticket::Column::RegistrationId.eq(registration_id))
        .order_by_asc(entity::ticket::Column::Number)
        .one(db)
        .await
        .map_err(internal)?
        .map(|t| t.code))
}
