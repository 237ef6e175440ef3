//! The demo's tickets.
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, TransactionTrait};

/// Paid events get a paid ticket type, paused (the demo runs without Stripe); attendees hold
/// tickets for a few free events, and one small event is sold out with a waitlist.
pub async fn seed<C: sea_orm::ConnectionTrait + TransactionTrait>(
    db: &C,
    published: &[i32],
    attendees: &[entity::user::Model],
    now: DateTime<Utc>,
) -> Result<String, app::error::AppError> {
    use app::domain::ticketing::{
        register::{book, Registrant, Request},
        ticket_types,
    };
    use sea_orm::sea_query::Expr;
    let events = entity::event::Entity::find()
        .filter(entity::event::Column::Id.is_in(published.iter().copied()))
        .all(db)
        .await
        .map_err(app::domain::context::internal)?;
    let mut paid = 0;
    let mut free = Vec::new();
    for ev in &events {
        if ev.is_free {
            free.push(ev.id);
            continue;
        }
        // "€12" or "from €20" → the first number
        let price: i64 = ev
            .price_text
            .as_deref()
            .unwrap_or_default()
            .split(|c: char| !c.is_ascii_digit())
            .find(|p| !p.is_empty())
            .and_then(|p| p.parse().ok())
            .unwrap_or(15);
        ticket_types::insert(
            db,
            ev.id,
            ticket_types::TicketTypeSpec::simple("Standard", price * 100, ev.capacity, false),
            0,
            now,
        )
        .await?;
        paid += 1;
    }
    free.sort_unstable();
    let types = entity::ticket_type::Entity::find()
        .filter(entity::ticket_type::Column::EventId.is_in(free.iter().copied()))
        .all(db)
        .await
        .map_err(app::domain::context::internal)?;
    let type_of = |event_id: i32| types.iter().find(|t| t.event_id == event_id).map(|t| t.id);
    // the seventh free event has two seats: the third attendee waits
    if let Some(small) = free.get(6).and_then(|id| type_of(*id)) {
        entity::ticket_type::Entity::update_many()
            .col_expr(entity::ticket_type::Column::Quantity, Expr::value(2))
            .filter(entity::ticket_type::Column::Id.eq(small))
            .exec(db)
            .await
            .map_err(app::domain::context::internal)?;
    }
    let mut booked = 0;
    for (k, event_id) in free.iter().take(7).enumerate() {
        let Some(ticket_type) = type_of(*event_id) else {
            continue;
        };
        for attendee in attendees.iter().take(if k == 6 { 3 } else { 4 }) {
            book(
                db,
                false,
                &Registrant::User(attendee.clone()),
                Request {
                    ticket_type_id: ticket_type,
                    quantity: "1",
                    answers: &[],
                },
                now,
                app::model::language::Locale::en,
            )
            .await?;
            booked += 1;
        }
    }
    Ok(format!(
        "Tickets: {booked} registrations for {} free events (one sold out with a waitlist); {paid} paid ticket types, paused until Stripe is configured.\n",
        free.len().min(7)
    ))
}
