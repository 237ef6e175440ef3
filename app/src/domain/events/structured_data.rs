//! What search engines read about a listed event: a schema.org `Event` as JSON-LD for the
//! page's head (https://schema.org/Event, and Google's event rich results: name, start, location
//! required; end, status, attendance mode, image, organizer and offers recommended).
use chrono::{DateTime, Utc};
use serde_json::{json, Map, Value};

use crate::{
    domain::{events::listings::tz_of, ticketing::money},
    model::events::EventStatus,
};
use entity::{event, ticket_type};

const SCHEMA: &str = "https://schema.org/";

/// Who runs the event, as its page names and links it.
pub struct Organizer<'a> {
    pub name: &'a str,
    pub url: String,
}

/// The `Event` of `event`, whose page is `page_url`. `image` is an absolute URL; `types` its
/// ticket types (those not on sale are left out); `paid_closed` whether paid tickets cannot be
/// sold now (the organization takes no charges).
pub fn event(
    event: &event::Model,
    page_url: &str,
    image: Option<&str>,
    organizer: Option<Organizer<'_>>,
    types: &[ticket_type::Model],
    paid_closed: bool,
    now: DateTime<Utc>,
) -> Value {
    let tz = tz_of(event);
    let local = |at: DateTime<Utc>| at.with_timezone(&tz).to_rfc3339();
    let cancelled = EventStatus::parse(&event.status) == Some(EventStatus::Cancelled);
    let in_person = event.venue_name.is_some() || event.venue_address.is_some();
    let online = event.online_url.is_some();
    let mode = match (in_person, online) {
        (true, true) => "MixedEventAttendanceMode",
        (false, true) => "OnlineEventAttendanceMode",
        _ => "OfflineEventAttendanceMode",
    };
    let mut out = Map::new();
    out.insert("@context".into(), json!("https://schema.org"));
    out.insert("@type".into(), json!("Event"));
    out.insert("name".into(), json!(event.title));
    out.insert("description".into(), json!(event.summary));
    out.insert("url".into(), json!(page_url));
    out.insert("startDate".into(), json!(local(event.starts_at)));
    out.insert("endDate".into(), json!(local(event.ends_at)));
    out.insert(
        "eventStatus".into(),
        json!(format!(
            "{SCHEMA}{}",
            if cancelled {
                "EventCancelled"
            } else {
                "EventScheduled"
            }
        )),
    );
    out.insert(
        "eventAttendanceMode".into(),
        json!(format!("{SCHEMA}{mode}")),
    );
    let mut places = Vec::new();
    if in_person || !online {
        places.push(place(event));
    }
    if online {
        // the join link is for ticket holders; the page is where to get one
        places.push(json!({ "@type": "VirtualLocation", "url": page_url }));
    }
    out.insert(
        "location".into(),
        match places.len() {
            1 => places.remove(0),
            _ => Value::Array(places),
        },
    );
    if let Some(image) = image {
        out.insert("image".into(), json!([image]));
    }
    if let Some(o) = organizer {
        out.insert(
            "organizer".into(),
            json!({ "@type": "Organization", "name": o.name, "url": o.url }),
        );
    }
    let offers: Vec<Value> = types
        .iter()
        .filter(|t| t.on_sale)
        .map(|t| offer(event, t, page_url, paid_closed, now))
        .collect();
    if !offers.is_empty() {
        out.insert("offers".into(), Value::Array(offers));
    }
    Value::Object(out)
}

fn place(event: &event::Model) -> Value {
    let mut address = Map::new();
    address.insert("@type".into(), json!("PostalAddress"));
    if let Some(street) = &event.venue_address {
        address.insert("streetAddress".into(), json!(street));
    }
    if let Some(city) = &event.city {
        address.insert("addressLocality".into(), json!(city));
    }
    let mut place = Map::new();
    place.insert("@type".into(), json!("Place"));
    let name = event
        .venue_name
        .clone()
        .or_else(|| event.city.clone())
        .unwrap_or_else(|| "To be announced".to_owned());
    place.insert("name".into(), json!(name));
    place.insert("address".into(), Value::Object(address));
    if let Some((lat, lng)) = event.latitude.zip(event.longitude) {
        place.insert(
            "geo".into(),
            json!({ "@type": "GeoCoordinates", "latitude": lat, "longitude": lng }),
        );
    }
    Value::Object(place)
}

fn offer(
    event: &event::Model,
    t: &ticket_type::Model,
    page_url: &str,
    paid_closed: bool,
    now: DateTime<Utc>,
) -> Value {
    let sold_out = t.taken >= t.quantity || event.seats_taken >= event.capacity;
    let ended = t.sales_end.is_some_and(|end| end <= now) || event.ends_at <= now;
    let availability = if sold_out {
        "SoldOut"
    } else if ended || (paid_closed && t.price_minor > 0) {
        "OutOfStock"
    } else {
        "InStock"
    };
    let mut offer = json!({
        "@type": "Offer",
        "name": t.name,
        "price": money::decimal(t.price_minor, &t.currency),
        "priceCurrency": t.currency.to_uppercase(),
        "availability": format!("{SCHEMA}{availability}"),
        "url": page_url,
    });
    if let Some(start) = t.sales_start {
        offer["validFrom"] = json!(start.with_timezone(&tz_of(event)).to_rfc3339());
    }
    offer
}

/// JSON for inside a `<script>` element: `<` written as `\u003c`, so no text in it can end the
/// element or open a comment.
pub fn script_text(value: &Value) -> String {
    value.to_string().replace('<', "\\u003c")
}
