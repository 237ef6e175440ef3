use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, EntityTrait, Set, TransactionTrait,
};
use serde_json::json;

use crate::{
    api::events::EventStatus,
    domain::{
        context::{internal, Settings},
        events::{
            access::{can_edit, is_admin},
            images,
            input::{EventInput, Location},
            markdown,
            status::can_transition,
        },
        forms::FormFields,
    },
    error::AppError,
};
use entity::{event, event_image, event_revision, user};

/// The event form's whole round trip: check the fields and the image, store the image, then
/// create or update the event with its revision in one transaction.
pub async fn save_from_form(
    db: &DatabaseConnection,
    settings: &Settings,
    editor: &user::Model,
    form: &FormFields,
    now: DateTime<Utc>,
) -> Result<event::Model, AppError> {
    let existing = match form.text("id").trim() {
        "" => None,
        raw => {
            let id = raw.parse::<i32>().map_err(|_| AppError::NotFound)?;
            Some(load_editable(db, editor, id).await?)
        }
    };
    let parsed = EventInput::parse(form, now, existing.as_ref().map(|e| e.starts_at));
    let image = form
        .file("cover")
        .map(|file| images::check(file).map(|img| (img, file)));
    let (input, image) = match (parsed, image) {
        (Ok(input), None) => (input, None),
        (Ok(input), Some(Ok(img))) => (input, Some(img)),
        (Err(err), Some(Err(img_err))) => {
            let mut errors = err.field_errors();
            errors.insert("cover".into(), img_err);
            return Err(AppError::Validation(errors));
        }
        (Ok(_), Some(Err(img_err))) => return Err(AppError::field("cover", img_err)),
        (Err(err), _) => return Err(err),
    };
    let submit = form.text("intent") == "submit";

    if let Some((img, file)) = &image {
        images::write(&settings.media_dir(), img, &file.bytes)
            .await
            .map_err(internal)?;
    }

    let txn = db.begin().await.map_err(internal)?;
    let cover_id = match image {
        Some((img, _)) => Some(insert_image(&txn, editor.id, &img, now).await?),
        None => None,
    };
    let saved = match existing {
        None => create(&txn, editor, input, cover_id, submit, now).await?,
        Some(current) => update(&txn, editor, current, input, cover_id, submit, now).await?,
    };
    if let Some(image_id) = cover_id {
        event_image::ActiveModel {
            id: Set(image_id),
            event_id: Set(Some(saved.id)),
            ..Default::default()
        }
        .update(&txn)
        .await
        .map_err(internal)?;
    }
    txn.commit().await.map_err(internal)?;
    Ok(saved)
}

pub async fn load_editable<C: ConnectionTrait>(
    db: &C,
    editor: &user::Model,
    id: i32,
) -> Result<event::Model, AppError> {
    let event = event::Entity::find_by_id(id)
        .one(db)
        .await
        .map_err(internal)?
        .ok_or(AppError::NotFound)?;
    if !can_edit(&event, editor) {
        return Err(AppError::Forbidden);
    }
    Ok(event)
}

async fn insert_image<C: ConnectionTrait>(
    db: &C,
    uploader: i32,
    img: &images::StoredImage,
    now: DateTime<Utc>,
) -> Result<i32, AppError> {
    let row = event_image::ActiveModel {
        event_id: Set(None),
        uploader_id: Set(uploader),
        key: Set(img.key.clone()),
        content_type: Set(img.content_type.to_owned()),
        width: Set(img.width as i32),
        height: Set(img.height as i32),
        byte_size: Set(img.byte_size as i64),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(internal)?;
    Ok(row.id)
}

fn apply(active: &mut event::ActiveModel, input: EventInput) {
    let (venue_name, venue_address, city, coordinates, online_url) = match input.location {
        Location::Venue {
            name,
            address,
            city,
            coordinates,
        } => (Some(name), Some(address), city, coordinates, None),
        Location::Online { url } => (None, None, None, None, Some(url)),
    };
    active.description_html = Set(markdown::render(&input.description_md));
    active.title = Set(input.title);
    active.summary = Set(input.summary);
    active.description_md = Set(input.description_md);
    active.category = Set(input.category.slug().to_owned());
    active.tags = Set(input.tags.join(","));
    active.starts_at = Set(input.starts_at);
    active.ends_at = Set(input.ends_at);
    active.timezone = Set(input.timezone.name().to_owned());
    active.venue_name = Set(venue_name);
    active.venue_address = Set(venue_address);
    active.city = Set(city);
    active.latitude = Set(coordinates.map(|c| c.0));
    active.longitude = Set(coordinates.map(|c| c.1));
    active.online_url = Set(online_url);
    active.capacity = Set(input.capacity);
    active.is_free = Set(input.price_text.is_none());
    active.price_text = Set(input.price_text);
}

pub async fn create<C: ConnectionTrait>(
    db: &C,
    organizer: &user::Model,
    input: EventInput,
    cover_image_id: Option<i32>,
    submit: bool,
    now: DateTime<Utc>,
) -> Result<event::Model, AppError> {
    let mut active = event::ActiveModel {
        organizer_id: Set(organizer.id),
        status: Set(if submit {
            EventStatus::Submitted
        } else {
            EventStatus::Draft
        }
        .as_str()
        .to_owned()),
        cover_image_id: Set(cover_image_id),
        revision: Set(1),
        published_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    apply(&mut active, input);
    let created = active.insert(db).await.map_err(internal)?;
    record_revision(db, &created, organizer.id, now).await?;
    Ok(created)
}

async fn update<C: ConnectionTrait>(
    db: &C,
    editor: &user::Model,
    current: event::Model,
    input: EventInput,
    cover_image_id: Option<i32>,
    submit: bool,
    now: DateTime<Utc>,
) -> Result<event::Model, AppError> {
    let status = EventStatus::parse(&current.status).ok_or(AppError::Internal)?;
    let next_revision = current.revision + 1;
    let mut active: event::ActiveModel = current.into();
    apply(&mut active, input);
    if let Some(id) = cover_image_id {
        active.cover_image_id = Set(Some(id));
    }
    if submit && status == EventStatus::Draft {
        active.status = Set(EventStatus::Submitted.as_str().to_owned());
    }
    // Public events are vetted: an organizer's change to one goes back to review (hidden until
    // published again). Curation will keep the approved version visible meanwhile.
    if status == EventStatus::Published && !is_admin(editor) {
        active.status = Set(EventStatus::Submitted.as_str().to_owned());
        active.published_at = Set(None);
    }
    active.revision = Set(next_revision);
    active.updated_at = Set(now);
    let updated = active.update(db).await.map_err(internal)?;
    record_revision(db, &updated, editor.id, now).await?;
    Ok(updated)
}

/// Every create and edit keeps a full snapshot of the editable fields.
async fn record_revision<C: ConnectionTrait>(
    db: &C,
    event: &event::Model,
    editor_id: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let snapshot = json!({
        "title": event.title,
        "summary": event.summary,
        "description_md": event.description_md,
        "category": event.category,
        "tags": event.tags,
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "timezone": event.timezone,
        "venue_name": event.venue_name,
        "venue_address": event.venue_address,
        "city": event.city,
        "latitude": event.latitude,
        "longitude": event.longitude,
        "online_url": event.online_url,
        "capacity": event.capacity,
        "is_free": event.is_free,
        "price_text": event.price_text,
        "cover_image_id": event.cover_image_id,
    });
    event_revision::ActiveModel {
        event_id: Set(event.id),
        number: Set(event.revision),
        editor_id: Set(editor_id),
        snapshot: Set(snapshot.to_string()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(internal)?;
    Ok(())
}

async fn transition<C: ConnectionTrait>(
    db: &C,
    event: event::Model,
    to: EventStatus,
    now: DateTime<Utc>,
) -> Result<event::Model, AppError> {
    let from = EventStatus::parse(&event.status).ok_or(AppError::Internal)?;
    if !can_transition(from, to) {
        return Err(AppError::Refused(format!(
            "A {} event cannot become {}.",
            from.as_str(),
            to.as_str()
        )));
    }
    let mut active: event::ActiveModel = event.into();
    active.status = Set(to.as_str().to_owned());
    if to == EventStatus::Published {
        active.published_at = Set(Some(now));
    }
    active.updated_at = Set(now);
    active.update(db).await.map_err(internal)
}

/// The organizer hands a draft to the curators.
pub async fn submit<C: ConnectionTrait>(
    db: &C,
    editor: &user::Model,
    id: i32,
) -> Result<event::Model, AppError> {
    let event = load_editable(db, editor, id).await?;
    transition(db, event, EventStatus::Submitted, Utc::now()).await
}

/// Admin only, until curation lands: makes a submitted event public.
pub async fn publish<C: ConnectionTrait>(
    db: &C,
    admin: &user::Model,
    id: i32,
    now: DateTime<Utc>,
) -> Result<event::Model, AppError> {
    if !is_admin(admin) {
        return Err(AppError::Forbidden);
    }
    let event = event::Entity::find_by_id(id)
        .one(db)
        .await
        .map_err(internal)?
        .ok_or(AppError::NotFound)?;
    transition(db, event, EventStatus::Published, now).await
}
