//! Ticket types: what organizers sell, and the booking box people see on the event page.
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};

use crate::{
    domain::{
        context::{find, internal, Settings},
        events::{
            access::{is_shown, EventAccess},
            listings::tz_of,
            schedule::{parse_local, to_local_input},
            visibility,
        },
        forms::FormFields,
        locale_format,
        organizations::payouts::{self, NoSales},
        ticketing::{money, registrations::status_of, tickets::when_label},
    },
    error::{AppError, FieldErrors},
    i18n::td_string,
    model::organizations::OrgAction,
    model::{
        events::EventStatus,
        forms::FormState,
        language::Locale,
        ticketing::{
            OwnRegistration, TicketAdmin, TicketSection, TicketTypeAdminRow, TicketTypeView,
            MAX_QUESTIONS,
        },
    },
};
use entity::{event, registration, ticket_type, user};

pub const MAX_TYPES: u64 = 20;

pub fn questions_of(tt: &ticket_type::Model) -> Vec<String> {
    serde_json::from_str(&tt.questions).unwrap_or_default()
}

/// Why nobody can book this event now, if so.
pub fn closed_reason(ev: &event::Model, now: DateTime<Utc>, locale: Locale) -> Option<String> {
    let why = if EventStatus::parse(&ev.status) == Some(EventStatus::Cancelled) {
        td_string!(locale, tickets.ticket_types.cancelled)
    } else if ev.ends_at <= now {
        td_string!(locale, tickets.ticket_types.ended)
    } else if !(is_shown(ev) && EventStatus::parse(&ev.status) == Some(EventStatus::Published)) {
        td_string!(locale, tickets.ticket_types.unpublished)
    } else {
        return None;
    };
    Some(why.to_owned())
}

/// Why this ticket type cannot be booked now, if so.
/// `paid_blocked` is why the organization cannot sell paid tickets now
/// (`payouts::why_no_sales`), if so.
pub fn unavailable_reason(
    tt: &ticket_type::Model,
    paid_blocked: Option<NoSales>,
    now: DateTime<Utc>,
    locale: Locale,
) -> Option<String> {
    if let Some(why) = paid_blocked.filter(|_| tt.price_minor > 0) {
        return Some(why.reason(locale));
    }
    if !tt.on_sale {
        return Some(td_string!(locale, tickets.ticket_types.not_on_sale).to_owned());
    }
    if let Some(start) = tt.sales_start.filter(|s| *s > now) {
        return Some(td_string!(
            locale,
            tickets.ticket_types.sales_open,
            when = locale_format::date_time(locale, start, chrono_tz::UTC)
        ));
    }
    if tt.sales_end.is_some_and(|end| end <= now) {
        return Some(td_string!(locale, tickets.ticket_types.sales_ended).to_owned());
    }
    None
}

/// A fee in hundredths of a percent as a percentage in the language's digits: 250 → "2.5",
/// "2,5".
fn percent(bps: u32, locale: Locale) -> String {
    let (mut units, mut digits) = (i64::from(bps), 2);
    while digits > 0 && units % 10 == 0 {
        units /= 10;
        digits -= 1;
    }
    locale_format::decimal(locale, units, digits)
}

pub async fn of_event<C: ConnectionTrait>(
    db: &C,
    event_id: i32,
) -> Result<Vec<ticket_type::Model>, AppError> {
    ticket_type::Entity::find()
        .filter(ticket_type::Column::EventId.eq(event_id))
        .order_by_asc(ticket_type::Column::Position)
        .order_by_asc(ticket_type::Column::Id)
        .all(db)
        .await
        .map_err(internal)
}

/// People with tickets: the valid tickets of the event (closing a registration or refunding a
/// ticket voids it).
pub async fn going<C: ConnectionTrait>(db: &C, event_id: i32) -> Result<i64, AppError> {
    Ok(entity::ticket::Entity::find()
        .filter(entity::ticket::Column::EventId.eq(event_id))
        .filter(entity::ticket::Column::Status.eq("valid"))
        .count(db)
        .await
        .map_err(internal)? as i64)
}

/// The event page's ticket box. `invite` is a private event's invite token from the page's
/// address: with it a visitor sees the box and is sent back through the link after signing in.
pub async fn section<C: ConnectionTrait>(
    db: &C,
    payments_enabled: bool,
    event_id: i32,
    viewer: Option<&user::Model>,
    invite: Option<&str>,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<TicketSection, AppError> {
    let ev = find::<event::Entity, _>(db, event_id).await?;
    let access = EventAccess::of(db, &ev, viewer).await?;
    let by_link = match invite {
        Some(token) => {
            visibility::open_with_link(db, &ev, viewer.map(|v| v.id), token, now).await?
        }
        None => false,
    };
    if !(access.can_view(&ev) || by_link) {
        return Err(AppError::NotFound);
    }
    let private = visibility::of(&ev) == crate::model::events::Visibility::Private;
    let back = match (by_link, invite) {
        (true, Some(token)) => visibility::invite_path(ev.id, token),
        _ => format!("/events/{}", ev.id),
    };
    let can_manage = access.may(OrgAction::ManageTickets);
    let paid_blocked = payouts::why_no_sales(&payouts::of_event(db, &ev).await?, payments_enabled);
    let event_left = ev.capacity - ev.seats_taken;
    let types = of_event(db, ev.id)
        .await?
        .into_iter()
        .map(|tt| {
            let remaining = (tt.quantity - tt.taken).min(event_left).max(0);
            TicketTypeView {
                id: tt.id,
                name: tt.name.clone(),
                description: tt.description.clone(),
                price: locale_format::money(locale, tt.price_minor, &tt.currency),
                is_free: tt.price_minor == 0,
                remaining,
                max_per_order: tt.max_per_order.min(remaining.max(1)),
                requires_approval: tt.requires_approval,
                // a private event's tickets are for the people it admitted: signed in
                guests_allowed: tt.guests_allowed && !private,
                waitlist: tt.waitlist,
                questions: questions_of(&tt),
                unavailable: unavailable_reason(&tt, paid_blocked, now, locale),
                sold_out: remaining == 0,
            }
        })
        .collect();
    let own = match viewer {
        Some(u) => registration::Entity::find()
            .filter(registration::Column::EventId.eq(ev.id))
            .filter(registration::Column::UserId.eq(u.id))
            .filter(registration::Column::HolderKey.is_not_null())
            .one(db)
            .await
            .map_err(internal)?,
        None => None,
    };
    let own = match own {
        Some(reg) => {
            let tt = find::<ticket_type::Entity, _>(db, reg.ticket_type_id).await?;
            Some(OwnRegistration {
                id: reg.id,
                status: status_of(&reg)?,
                quantity: reg.quantity,
                ticket_type: tt.name,
                expires_at: reg.expires_at.map(|t| when_label(t, &ev, locale)),
            })
        }
        None => None,
    };
    Ok(TicketSection {
        event_id: ev.id,
        types,
        going: going(db, ev.id).await?,
        signed_in: viewer.is_some(),
        own,
        can_manage,
        closed: closed_reason(&ev, now, locale),
        form: FormState::default(),
        sign_in_next: back,
    })
}

/// The event, for someone whose role in its organization permits `action` (or an admin).
/// Others learn only that they may not: 403, or 404 when they cannot see the event at all.
pub async fn managed_event<C: ConnectionTrait>(
    db: &C,
    user: &user::Model,
    event_id: i32,
    action: OrgAction,
) -> Result<event::Model, AppError> {
    Ok(managed(db, user, event_id, action).await?.0)
}

/// `managed_event`, with what else the person may do with it.
pub async fn managed<C: ConnectionTrait>(
    db: &C,
    user: &user::Model,
    event_id: i32,
    action: OrgAction,
) -> Result<(event::Model, EventAccess), AppError> {
    let ev = find::<event::Entity, _>(db, event_id).await?;
    let access = EventAccess::of(db, &ev, Some(user)).await?;
    if !access.may(action) {
        return Err(match access.can_view(&ev) {
            true => AppError::Forbidden,
            false => AppError::NotFound,
        });
    }
    Ok((ev, access))
}

fn form_of(tt: &ticket_type::Model, ev: &event::Model) -> FormState {
    let tz = tz_of(ev);
    let flag = |b: bool| if b { "on".to_owned() } else { String::new() };
    FormState::from_values([
        ("id", tt.id.to_string()),
        ("name", tt.name.clone()),
        ("description", tt.description.clone()),
        ("price", money::input_value(tt.price_minor, &tt.currency)),
        ("currency", tt.currency.clone()),
        ("quantity", tt.quantity.to_string()),
        ("max_per_order", tt.max_per_order.to_string()),
        (
            "sales_start",
            tt.sales_start
                .map(|t| to_local_input(t, tz))
                .unwrap_or_default(),
        ),
        (
            "sales_end",
            tt.sales_end
                .map(|t| to_local_input(t, tz))
                .unwrap_or_default(),
        ),
        ("requires_approval", flag(tt.requires_approval)),
        ("guests_allowed", flag(tt.guests_allowed)),
        ("waitlist", flag(tt.waitlist)),
        ("on_sale", flag(tt.on_sale)),
        ("questions", questions_of(tt).join("\n")),
    ])
}

pub async fn admin<C: ConnectionTrait>(
    db: &C,
    settings: &Settings,
    payments_enabled: bool,
    user: &user::Model,
    event_id: i32,
    posted_new: FormState,
    locale: Locale,
) -> Result<TicketAdmin, AppError> {
    let ev = managed_event(db, user, event_id, OrgAction::ManageTickets).await?;
    let org = payouts::of_event(db, &ev).await?;
    let types = of_event(db, ev.id).await?;
    let new_type = posted_new.or_stored(|| {
        FormState::from_values([
            ("currency", "eur".to_owned()),
            ("max_per_order", "4".to_owned()),
            ("waitlist", "on".to_owned()),
            ("on_sale", "on".to_owned()),
        ])
    });
    Ok(TicketAdmin {
        event_id: ev.id,
        event_title: ev.title.clone(),
        capacity: ev.capacity,
        seats_taken: ev.seats_taken,
        payments_enabled,
        sales_blocked: payouts::why_no_sales(&org, payments_enabled).map(|why| why.reason(locale)),
        finance_url: format!("/o/{}/finance", org.slug),
        platform_fee_percent: percent(settings.platform_fee_bps, locale),
        types: types
            .iter()
            .map(|tt| TicketTypeAdminRow {
                id: tt.id,
                name: tt.name.clone(),
                price: locale_format::money(locale, tt.price_minor, &tt.currency),
                quantity: tt.quantity,
                taken: tt.taken,
                on_sale: tt.on_sale,
                state: form_of(tt, &ev),
            })
            .collect(),
        new_type,
    })
}

/// The value, or its field errors added to `errors`.
fn take<T>(errors: &mut FieldErrors, result: Result<T, AppError>) -> Option<T> {
    match result {
        Ok(v) => Some(v),
        Err(e) => {
            errors.extend(e.field_errors());
            None
        }
    }
}

/// What a ticket type is, as the form (or the demo) describes it.
pub struct TicketTypeSpec {
    pub name: String,
    pub description: String,
    pub price_minor: i64,
    pub currency: String,
    pub quantity: i32,
    pub max_per_order: i32,
    pub sales_start: Option<DateTime<Utc>>,
    pub sales_end: Option<DateTime<Utc>>,
    pub requires_approval: bool,
    pub guests_allowed: bool,
    pub waitlist: bool,
    pub on_sale: bool,
    pub questions: Vec<String>,
}

impl TicketTypeSpec {
    /// Open sales, a waitlist, up to four per order, no approval or questions.
    pub fn simple(name: &str, price_minor: i64, quantity: i32, on_sale: bool) -> TicketTypeSpec {
        TicketTypeSpec {
            name: name.to_owned(),
            description: String::new(),
            price_minor,
            currency: "eur".into(),
            quantity,
            max_per_order: 4,
            sales_start: None,
            sales_end: None,
            requires_approval: false,
            guests_allowed: false,
            waitlist: true,
            on_sale,
            questions: Vec::new(),
        }
    }

    /// The columns the spec sets, for an update.
    fn changes(self, now: DateTime<Utc>) -> ticket_type::ActiveModel {
        ticket_type::ActiveModel {
            name: Set(self.name),
            description: Set(self.description),
            price_minor: Set(self.price_minor),
            currency: Set(self.currency),
            quantity: Set(self.quantity),
            sales_start: Set(self.sales_start),
            sales_end: Set(self.sales_end),
            max_per_order: Set(self.max_per_order),
            requires_approval: Set(self.requires_approval),
            guests_allowed: Set(self.guests_allowed),
            waitlist: Set(self.waitlist),
            questions: Set(serde_json::Value::from(self.questions).to_string()),
            on_sale: Set(self.on_sale),
            updated_at: Set(now),
            ..Default::default()
        }
    }
}

/// Adds a ticket type to an event, after the ones it has.
pub async fn insert<C: ConnectionTrait>(
    db: &C,
    event_id: i32,
    spec: TicketTypeSpec,
    position: i32,
    now: DateTime<Utc>,
) -> Result<ticket_type::Model, AppError> {
    let mut row = spec.changes(now);
    row.event_id = Set(event_id);
    row.taken = Set(0);
    row.position = Set(position);
    row.created_at = Set(now);
    row.insert(db).await.map_err(internal)
}

fn parse_input(
    form: &FormFields,
    ev: &event::Model,
    locale: Locale,
) -> Result<TicketTypeSpec, AppError> {
    let mut errors = FieldErrors::new();
    let name = form.text("name").trim().to_owned();
    let name = take(
        &mut errors,
        match name.chars().count() {
            1..=80 => Ok(name),
            _ => Err(AppError::field(
                "name",
                td_string!(locale, tickets.ticket_types.name),
            )),
        },
    );
    let description = form.text("description").trim().to_owned();
    let description = take(
        &mut errors,
        if description.chars().count() > 500 {
            Err(AppError::field(
                "description",
                td_string!(locale, tickets.ticket_types.description),
            ))
        } else {
            Ok(description)
        },
    );
    let currency = take(
        &mut errors,
        money::parse_currency(form.text("currency"), locale),
    );
    let price = currency.as_deref().and_then(|c| {
        take(
            &mut errors,
            money::parse_price(form.text("price"), c, locale),
        )
    });
    let count = |field: &str, max: i32, message: &str| match form.text(field).trim().parse::<i32>()
    {
        Ok(n) if (1..=max).contains(&n) => Ok(n),
        _ => Err(AppError::field(field, message)),
    };
    let quantity = take(
        &mut errors,
        count(
            "quantity",
            100_000,
            td_string!(locale, tickets.ticket_types.quantity),
        ),
    );
    let max_per_order = match form.text("max_per_order").trim() {
        "" => Some(10),
        _ => take(
            &mut errors,
            count(
                "max_per_order",
                50,
                td_string!(locale, tickets.ticket_types.max_per_order),
            ),
        ),
    };
    let tz = tz_of(ev);
    let when = |errors: &mut FieldErrors, field: &str| match form.text(field).trim() {
        "" => Some(None),
        raw => take(
            errors,
            parse_local(raw, tz, locale)
                .map(Some)
                .map_err(|e| AppError::field(field, e)),
        ),
    };
    let sales_start = when(&mut errors, "sales_start");
    let sales_end = when(&mut errors, "sales_end");
    if let (Some(Some(start)), Some(Some(end))) = (sales_start, sales_end) {
        if end <= start {
            errors.insert(
                "sales_end".into(),
                td_string!(locale, tickets.ticket_types.sales_end).into(),
            );
        }
    }
    let questions: Vec<String> = form
        .text("questions")
        .lines()
        .map(str::trim)
        .filter(|q| !q.is_empty())
        .map(str::to_owned)
        .collect();
    if questions.len() > MAX_QUESTIONS || questions.iter().any(|q| q.chars().count() > 200) {
        errors.insert(
            "questions".into(),
            td_string!(locale, tickets.ticket_types.questions, max = MAX_QUESTIONS),
        );
    }
    match (
        name,
        description,
        currency,
        price,
        quantity,
        max_per_order,
        sales_start,
        sales_end,
    ) {
        (
            Some(name),
            Some(description),
            Some(currency),
            Some(price_minor),
            Some(quantity),
            Some(max_per_order),
            Some(sales_start),
            Some(sales_end),
        ) if errors.is_empty() => Ok(TicketTypeSpec {
            name,
            description,
            price_minor,
            currency,
            quantity,
            max_per_order,
            sales_start,
            sales_end,
            requires_approval: form.checked("requires_approval"),
            guests_allowed: form.checked("guests_allowed"),
            waitlist: form.checked("waitlist"),
            on_sale: form.checked("on_sale"),
            questions,
        }),
        _ => Err(AppError::Validation(errors)),
    }
}

pub async fn save<C: ConnectionTrait>(
    db: &C,
    payments_enabled: bool,
    user: &user::Model,
    event_id: i32,
    form: &FormFields,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<ticket_type::Model, AppError> {
    let ev = managed_event(db, user, event_id, OrgAction::ManageTickets).await?;
    if matches!(
        EventStatus::parse(&ev.status),
        Some(EventStatus::Cancelled | EventStatus::Completed)
    ) {
        return Err(AppError::Refused(
            td_string!(locale, tickets.ticket_types.over).into(),
        ));
    }
    let input = parse_input(form, &ev, locale)?;
    if input.price_minor > 0 && input.on_sale && !payments_enabled {
        return Err(AppError::field(
            "on_sale",
            td_string!(locale, tickets.ticket_types.no_provider),
        ));
    }
    let existing = match form.text("id").trim() {
        "" => None,
        raw => {
            let id: i32 = raw.parse().map_err(|_| AppError::NotFound)?;
            let tt = find::<ticket_type::Entity, _>(db, id).await?;
            if tt.event_id != ev.id {
                return Err(AppError::NotFound);
            }
            Some(tt)
        }
    };
    match existing {
        Some(tt) => {
            if tt.taken > 0
                && (tt.price_minor != input.price_minor || tt.currency != input.currency)
            {
                return Err(AppError::field(
                    "price",
                    td_string!(locale, tickets.ticket_types.price_stays),
                ));
            }
            // the new quantity may not fall below the seats taken: a guarded update, so a
            // registration racing this edit cannot end up over the new limit
            use sea_orm::sea_query::{Expr, ExprTrait};
            let quantity = input.quantity;
            let updated = ticket_type::Entity::update_many()
                .set(input.changes(now))
                .filter(ticket_type::Column::Id.eq(tt.id))
                .filter(Expr::col(ticket_type::Column::Taken).lte(quantity))
                .exec(db)
                .await
                .map_err(internal)?;
            if updated.rows_affected != 1 {
                return Err(AppError::field(
                    "quantity",
                    td_string!(locale, tickets.ticket_types.below_taken, taken = tt.taken),
                ));
            }
            if quantity > tt.quantity {
                // new seats go to the people waiting first
                super::waitlist::offer_freed(db, tt.id, now).await?;
            }
            find::<ticket_type::Entity, _>(db, tt.id).await
        }
        None => {
            let count = ticket_type::Entity::find()
                .filter(ticket_type::Column::EventId.eq(ev.id))
                .count(db)
                .await
                .map_err(internal)?;
            if count >= MAX_TYPES {
                return Err(AppError::Refused(td_string!(
                    locale,
                    tickets.ticket_types.too_many,
                    max = MAX_TYPES
                )));
            }
            insert(db, ev.id, input, count as i32, now).await
        }
    }
}

/// Free events start with one free ticket type for their whole capacity, so RSVPs work
/// without any set-up. It is named in the organizer's language, as the rest of the event is.
pub async fn create_default<C: ConnectionTrait>(
    db: &C,
    ev: &event::Model,
    locale: Locale,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if !ev.is_free {
        return Ok(());
    }
    let name = td_string!(locale, tickets.types.general_admission);
    insert(
        db,
        ev.id,
        TicketTypeSpec::simple(name, 0, ev.capacity, true),
        0,
        now,
    )
    .await?;
    Ok(())
}
