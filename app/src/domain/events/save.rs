use crate::domain::transaction::begin_write;
use chrono::{DateTime, Utc};
use sea_orm::{
    sea_query::Expr, ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set,
    TransactionSession, TransactionTrait,
};

use crate::{
    domain::{
        context::{find, internal, Settings},
        curation::{
            lifecycle::{self, close_open_submissions},
            submissions,
        },
        events::{
            access::{can_edit, is_admin},
            changed::{event_changed, tell_if_moved},
            images,
            input::{EventInput, Location},
            snapshot::Snapshot,
            visibility,
        },
        forms::FormFields,
        organizations::{access::permits, personal},
    },
    error::AppError,
    i18n::td_string,
    model::{
        curation::SubmissionKind,
        events::{EventStatus, Visibility},
        language::Locale,
        organizations::OrgAction,
    },
};
use entity::{event, event_image, event_revision, user};

/// What a save did, for the message the organizer sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveOutcome {
    Saved,
    Submitted,
    /// Submitted and published at once by the fast track.
    FastTracked,
    /// Changes to a published event that wait for review; the approved version stays public.
    PendingReview,
    /// Submitted, and published at once because it is unlisted or private.
    PublishedUnlisted,
}

impl SaveOutcome {
    pub fn notice(self, locale: Locale) -> &'static str {
        match self {
            SaveOutcome::Saved => td_string!(locale, events.save.saved),
            SaveOutcome::Submitted => td_string!(locale, events.save.submitted),
            SaveOutcome::FastTracked => td_string!(locale, events.save.fast_tracked),
            SaveOutcome::PendingReview => td_string!(locale, events.save.pending_review),
            SaveOutcome::PublishedUnlisted => td_string!(locale, events.save.published_unlisted),
        }
    }
}

/// The event form's whole round trip: check the fields and the image, store the image, then
/// create or update the event with its revision in one transaction.
pub async fn save_from_form<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    settings: &Settings,
    editor: &user::Model,
    form: &FormFields,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<(event::Model, SaveOutcome), AppError> {
    let existing = match form.text("id").trim() {
        // a throwaway address cannot put events in front of curators
        "" if !crate::domain::accounts::recovery::verified(editor) => {
            return Err(AppError::Refused(
                td_string!(locale, events.save.confirm_email).into(),
            ))
        }
        "" => None,
        raw => {
            let id = raw.parse::<i32>().map_err(|_| AppError::NotFound)?;
            Some(load_editable(db, editor, id).await?)
        }
    };
    let parsed = EventInput::parse(
        form,
        now,
        existing.as_ref().map(|e| (e.starts_at, e.ends_at)),
        locale,
    );
    let image = match form.file("cover") {
        Some(file) => Some(images::prepare_in_background(file, locale).await),
        None => None,
    };
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
    let wanted = match form.text("visibility").trim() {
        "" => None,
        raw => Some(Visibility::parse(raw).ok_or_else(|| {
            AppError::field(
                "visibility",
                td_string!(locale, events.save.choose_visibility),
            )
        })?),
    };
    // a new event goes to the organization chosen on the form (one the editor may add events
    // to), or to their personal one
    let organization = match (existing.is_none(), form.text("organization").trim()) {
        (true, raw) if !raw.is_empty() => {
            let id = raw.parse::<i32>().map_err(|_| {
                AppError::field(
                    "organization",
                    td_string!(locale, events.save.choose_organization),
                )
            })?;
            if !permits(db, editor, id, OrgAction::EditEvents).await? {
                return Err(AppError::field(
                    "organization",
                    td_string!(locale, events.save.not_your_organization),
                ));
            }
            Some(id)
        }
        _ => None,
    };

    if let Some(img) = &image {
        images::write(&settings.media_dir(), img)
            .await
            .map_err(internal)?;
    }

    let txn = begin_write(db).await.map_err(internal)?;
    let cover_id = match image {
        Some(img) => Some(images::record(&txn, editor.id, &img, now).await?),
        None => None,
    };
    let (saved, outcome) = match existing {
        None => {
            let organization = match organization {
                Some(id) => id,
                None => personal::of(&txn, editor, now).await?.id,
            };
            let created = create_in(
                &txn,
                editor,
                organization,
                snapshot_of(input, cover_id),
                now,
            )
            .await?;
            let created = match wanted {
                Some(v) => visibility::change(&txn, &created, v, now, locale).await?,
                None => created,
            };
            if submit {
                let submitted =
                    submissions::submit(&txn, settings, editor, &created, now, locale).await?;
                let outcome = submitted_outcome(&submitted);
                (submitted, outcome)
            } else {
                (created, SaveOutcome::Saved)
            }
        }
        Some(current) => {
            let current = match wanted {
                Some(v) => visibility::change(&txn, &current, v, now, locale).await?,
                None => current,
            };
            let cover = cover_id.or(current.cover_image_id);
            update(
                &txn,
                settings,
                editor,
                current,
                snapshot_of(input, cover),
                submit,
                now,
                locale,
            )
            .await?
        }
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
    Ok((saved, outcome))
}

fn submitted_outcome(event: &event::Model) -> SaveOutcome {
    match (
        event.status == EventStatus::Published.as_str(),
        visibility::of(event),
    ) {
        (false, _) => SaveOutcome::Submitted,
        (true, Visibility::Public) => SaveOutcome::FastTracked,
        (true, _) => SaveOutcome::PublishedUnlisted,
    }
}

pub async fn load_editable<C: ConnectionTrait>(
    db: &C,
    editor: &user::Model,
    id: i32,
) -> Result<event::Model, AppError> {
    let event = find::<event::Entity, _>(db, id).await?;
    if !can_edit(db, &event, editor).await? {
        return Err(AppError::Forbidden);
    }
    Ok(event)
}

pub fn snapshot_of(input: EventInput, cover_image_id: Option<i32>) -> Snapshot {
    let (venue_name, venue_address, city, coordinates, online_url) = match input.location {
        Location::Venue {
            name,
            address,
            city,
            coordinates,
        } => (Some(name), Some(address), city, coordinates, None),
        Location::Online { url } => (None, None, None, None, Some(url)),
    };
    Snapshot {
        title: input.title,
        summary: input.summary,
        description_md: input.description_md,
        category: input.category.slug().to_owned(),
        tags: input.tags.join(","),
        starts_at: input.starts_at,
        ends_at: input.ends_at,
        timezone: input.timezone.name().to_owned(),
        venue_name,
        venue_address,
        city,
        latitude: coordinates.map(|c| c.0),
        longitude: coordinates.map(|c| c.1),
        online_url,
        capacity: input.capacity,
        is_free: input.price_text.is_none(),
        price_text: input.price_text,
        cover_image_id,
    }
}

/// A new draft with its first revision, in the organizer's personal organization.
pub async fn create<C: ConnectionTrait>(
    db: &C,
    organizer: &user::Model,
    snapshot: Snapshot,
    now: DateTime<Utc>,
) -> Result<event::Model, AppError> {
    let home = personal::of(db, organizer, now).await?;
    create_in(db, organizer, home.id, snapshot, now).await
}

/// A new draft with its first revision in `organization` (whose permission the caller checked).
pub async fn create_in<C: ConnectionTrait>(
    db: &C,
    organizer: &user::Model,
    organization: i32,
    snapshot: Snapshot,
    now: DateTime<Utc>,
) -> Result<event::Model, AppError> {
    let mut active = event::ActiveModel {
        organizer_id: Set(organizer.id),
        organization_id: Set(organization),
        status: Set(EventStatus::Draft.as_str().to_owned()),
        revision: Set(1),
        published_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    snapshot.write_to(&mut active);
    let created = active.insert(db).await.map_err(internal)?;
    record_revision(db, created.id, 1, organizer.id, &snapshot, now).await?;
    let language = crate::domain::accounts::language::of_user(organizer);
    crate::domain::ticketing::ticket_types::create_default(db, &created, language, now).await?;
    lifecycle::record(
        db,
        created.id,
        Some(organizer.id),
        EventStatus::Draft,
        EventStatus::Draft,
        "create",
        "",
        now,
    )
    .await?;
    Ok(created)
}

/// A label inside a sentence: lowercase, except in German, which capitalises its nouns.
fn in_sentence(label: &str, locale: Locale) -> String {
    match locale {
        Locale::de => label.to_owned(),
        _ => label.to_lowercase(),
    }
}

/// Stores `snapshot` as the event's next revision. Changes to what curators vetted on a published
/// event wait for review (the row keeps the approved version); everything else applies at once.
/// The history's note says what changed in `locale`, the editor's language.
#[allow(clippy::too_many_arguments)]
pub async fn update<C: ConnectionTrait>(
    db: &C,
    settings: &Settings,
    editor: &user::Model,
    current: event::Model,
    snapshot: Snapshot,
    submit: bool,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<(event::Model, SaveOutcome), AppError> {
    let status = lifecycle::status_of(&current)?;
    match status {
        EventStatus::InReview => {
            return Err(AppError::Refused(
                td_string!(locale, events.save.in_review).into(),
            ))
        }
        EventStatus::Cancelled | EventStatus::Completed => {
            return Err(AppError::Refused(td_string!(
                locale,
                events.save.no_longer_editable,
                status = in_sentence(status.label_in(locale), locale)
            )))
        }
        _ => {}
    }
    if snapshot.capacity < current.seats_taken {
        return Err(AppError::field(
            "capacity",
            td_string!(locale, events.save.seats_taken, count = current.seats_taken),
        ));
    }
    let number = current.revision + 1;
    // the first write: claims the next revision number only if nobody (a second save, a
    // curator's decision) moved the event since it was read
    let claimed = event::Entity::update_many()
        .col_expr(event::Column::Revision, Expr::value(number))
        .filter(event::Column::Id.eq(current.id))
        .filter(event::Column::Status.eq(status.as_str()))
        .filter(event::Column::Revision.eq(current.revision))
        .exec(db)
        .await
        .map_err(internal)?;
    if claimed.rows_affected != 1 {
        return Err(AppError::Refused(
            td_string!(locale, events.save.changed_meanwhile).into(),
        ));
    }
    record_revision(db, current.id, number, editor.id, &snapshot, now).await?;
    let live = Snapshot::of(&current);
    let open_edit = submissions::open_of_kind(db, current.id, SubmissionKind::Edit).await?;

    if status == EventStatus::Published && !is_admin(editor) && live.needs_review(&snapshot) {
        let mut active: event::ActiveModel = current.clone().into();
        active.pending_revision = Set(Some(number));
        active.revision = Set(number);
        active.updated_at = Set(now);
        let updated = active.update(db).await.map_err(internal)?;
        match open_edit {
            Some(round) => {
                submissions::rescreen(db, round, &updated, number, &snapshot, now, locale).await?;
            }
            None => {
                submissions::open(
                    db,
                    &updated,
                    SubmissionKind::Edit,
                    number,
                    &snapshot,
                    None,
                    None,
                    now,
                )
                .await?;
            }
        }
        let changed: Vec<&str> = live
            .diff(&snapshot)
            .iter()
            .map(|c| c.label(locale))
            .collect();
        let note = td_string!(
            locale,
            events.save.changed_pending,
            fields = in_sentence(&changed.join(", "), locale)
        );
        lifecycle::record(
            db,
            current.id,
            Some(editor.id),
            status,
            status,
            "edit",
            &note,
            now,
        )
        .await?;
        return Ok((updated, SaveOutcome::PendingReview));
    }

    let mut active: event::ActiveModel = current.clone().into();
    snapshot.write_to(&mut active);
    active.revision = Set(number);
    active.pending_revision = Set(None);
    active.updated_at = Set(now);
    let updated = active.update(db).await.map_err(internal)?;
    event_changed(db, current.id, now).await?;
    tell_if_moved(db, &current, &updated, now).await?;
    if updated.capacity > current.capacity {
        crate::domain::ticketing::waitlist::offer_all_freed(db, current.id, now).await?;
    }
    if open_edit.is_some() {
        // the changes that needed review were taken back
        close_open_submissions(db, current.id, Some(&[SubmissionKind::Edit])).await?;
    }
    if status == EventStatus::Submitted {
        let waiting = match submissions::open_of_kind(db, current.id, SubmissionKind::New).await? {
            Some(round) => Some(round),
            None => submissions::open_of_kind(db, current.id, SubmissionKind::Appeal).await?,
        };
        if let Some(round) = waiting {
            submissions::rescreen(db, round, &updated, number, &snapshot, now, locale).await?;
        }
    }
    if submit && matches!(status, EventStatus::Draft | EventStatus::NeedsRevision) {
        let submitted = submissions::submit(db, settings, editor, &updated, now, locale).await?;
        let outcome = submitted_outcome(&submitted);
        return Ok((submitted, outcome));
    }
    Ok((updated, SaveOutcome::Saved))
}

/// Every create and edit keeps a full snapshot of the editable fields.
async fn record_revision<C: ConnectionTrait>(
    db: &C,
    event_id: i32,
    number: i32,
    editor_id: i32,
    snapshot: &Snapshot,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    event_revision::ActiveModel {
        event_id: Set(event_id),
        number: Set(number),
        editor_id: Set(editor_id),
        snapshot: Set(snapshot.to_json()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(internal)?;
    Ok(())
}

/// The organizer hands a draft, or a revised event, to the curators.
pub async fn submit<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    settings: &Settings,
    editor: &user::Model,
    id: i32,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<SaveOutcome, AppError> {
    let event = load_editable(db, editor, id).await?;
    let txn = begin_write(db).await.map_err(internal)?;
    let submitted = submissions::submit(&txn, settings, editor, &event, now, locale).await?;
    txn.commit().await.map_err(internal)?;
    Ok(submitted_outcome(&submitted))
}
