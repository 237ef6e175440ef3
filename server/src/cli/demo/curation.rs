//! The demo's curation history: every published event went through a curator's decision, spam
//! accounts' submissions were rejected as spam (the labels the spam model is trained on), and the
//! queue has submissions in every state — pending, in review, an edit of a published event, an
//! appeal, an event hidden by community reports, an obvious spam submission and a copy of another
//! organizer's event. Past events carry attendees' reviews.
use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use app::{
    domain::{
        curation::{
            appeals,
            decisions::{self, DecisionInput},
            flags, lifecycle, reviews, submissions,
        },
        events::{save, snapshot::Snapshot},
    },
    model::{
        curation::{Decision, RejectReason},
        language::Locale,
    },
};

use super::{
    accounts::People,
    app_err as err,
    events::{self, upcoming_snapshot, EVENT_COUNT},
    Demo,
};

const SPAM_HOOKS: [&str; 10] = [
    "EARN $5000 A WEEK FROM HOME",
    "Crypto masterclass: double your bitcoin",
    "FREE IPHONE GIVEAWAY!!!",
    "Forex secrets revealed",
    "Passive income bootcamp",
    "Get rich seminar — limited spots!!!",
    "Miracle weight loss workshop",
    "Cash prize party",
    "Exclusive VIP mentorship evening",
    "Meet the founder who retired at 30",
];

/// The last ones trip no rule: only the learned model can tell them from a real event.
const SPAM_LINES: [&str; 14] = [
    "Guaranteed returns, no risk, act now!!!",
    "DM me on whatsapp for the secret link: https://bit.example/win",
    "Join our telegram group and make money today www.cash.example",
    "100% free entry, pay only the small processing fee by gift card",
    "Click here https://promo.example/claim to claim your cash prize",
    "Investment opportunity of the year, wire transfer accepted",
    "Work from home and earn $$$ — passive income for everyone!!!!",
    "Limited spots!!! Bring your wallet and your friends",
    "Our miracle method changed 10,000 lives, yours is next",
    "Winners announced live, you must be present to claim",
    "Reserve your seat through the payment page; seats are non-refundable",
    "Our mentor reveals the system that replaced his salary in six months",
    "Only serious people who want financial freedom should apply",
    "Spaces are allocated after a short qualification call with our team",
];

fn spam_event(rng: &mut ChaCha8Rng) -> (String, String, String) {
    let title = SPAM_HOOKS[rng.gen_range(0..SPAM_HOOKS.len())].to_owned();
    let mut lines: Vec<&str> = (0..3)
        .map(|_| SPAM_LINES[rng.gen_range(0..SPAM_LINES.len())])
        .collect();
    lines.dedup();
    (
        title.clone(),
        format!("{title} — don't miss it"),
        lines.join(" "),
    )
}

/// What the curation history left for the report and for the other domains' demo data.
pub struct Curated {
    pub counts: BTreeMap<&'static str, usize>,
    pub past: usize,
    /// Published upcoming events, in the order they were created.
    pub published: Vec<i32>,
}

pub async fn seed(demo: &mut Demo<'_>, people: &People) -> anyhow::Result<Curated> {
    let (txn, now, today) = (demo.txn, demo.now, demo.today);
    let settings = &demo.settings;
    let rng = &mut demo.rng;
    let People {
        curator,
        curator2,
        organizers,
        attendees,
        spammers,
        ..
    } = people;
    let decide = |d: Decision, reason: Option<RejectReason>, note: &str| DecisionInput {
        decision: d,
        reason,
        note: note.to_owned(),
    };
    let approve = decide(
        Decision::Approve,
        None,
        "Complete and clear. Welcome aboard!",
    );
    // decisions happen a while after submission, so the queue metrics have something to show
    let later = |rng: &mut ChaCha8Rng| now - Duration::minutes(rng.gen_range(30..600));

    let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut published_ids = Vec::new();
    for i in 0..EVENT_COUNT {
        let snapshot = upcoming_snapshot(i, today, now, rng)?;
        let organizer = &organizers[rng.gen_range(0..organizers.len())];
        let event = save::create(txn, organizer, snapshot, now)
            .await
            .map_err(err)?;
        if i % 20 == 1 {
            *counts.entry("draft").or_default() += 1;
            continue;
        }
        let submitted_at = now - Duration::hours(rng.gen_range(12..96));
        submissions::submit(txn, settings, organizer, &event, submitted_at, Locale::en)
            .await
            .map_err(err)?;
        let round = open_round(txn, event.id).await?;
        let state = match i % 40 {
            0 | 20 => "submitted",
            2 => {
                decisions::claim(
                    txn,
                    curator,
                    round.id,
                    round.version,
                    later(rng),
                    Locale::en,
                )
                .await
                .map_err(err)?;
                "in review"
            }
            22 => {
                let note = "Please add the exact room and what people should bring.";
                decisions::decide(
                    txn,
                    settings,
                    curator,
                    round.id,
                    round.version,
                    &decide(Decision::NeedsRevision, None, note),
                    later(rng),
                    Locale::en,
                )
                .await
                .map_err(err)?;
                "needs revision"
            }
            3 => {
                let note = "We could not verify this venue hosts events of this kind.";
                decisions::decide(
                    txn,
                    settings,
                    curator,
                    round.id,
                    round.version,
                    &decide(Decision::Reject, Some(RejectReason::Policy), note),
                    later(rng),
                    Locale::en,
                )
                .await
                .map_err(err)?;
                "rejected"
            }
            _ => {
                decisions::decide(
                    txn,
                    settings,
                    curator,
                    round.id,
                    round.version,
                    &approve,
                    later(rng),
                    Locale::en,
                )
                .await
                .map_err(err)?;
                published_ids.push((event.id, organizer.clone()));
                "published"
            }
        };
        *counts.entry(state).or_default() += 1;
    }

    // spam: 36 rejected as spam (training labels), 2 still waiting in the queue
    for n in 0..38 {
        let spammer = &spammers[n % spammers.len()];
        let (title, summary, body) = spam_event(rng);
        let base = upcoming_snapshot(n * 7 + 3, today, now, rng)?;
        let snapshot = Snapshot {
            title,
            summary,
            description_md: body,
            cover_image_id: None,
            ..base
        };
        let event = save::create(txn, spammer, snapshot, now)
            .await
            .map_err(err)?;
        submissions::submit(
            txn,
            settings,
            spammer,
            &event,
            now - Duration::hours(rng.gen_range(2..48)),
            Locale::en,
        )
        .await
        .map_err(err)?;
        if n < 36 {
            let round = open_round(txn, event.id).await?;
            let reject = decide(Decision::Reject, Some(RejectReason::Spam), "Spam.");
            decisions::decide(
                txn,
                settings,
                curator,
                round.id,
                round.version,
                &reject,
                later(rng),
                Locale::en,
            )
            .await
            .map_err(err)?;
        }
    }
    *counts.entry("spam waiting").or_default() += 2;

    // a copy of a published event by another organizer, same venue and time
    let (original_id, original_organizer) = published_ids[5].clone();
    let original = events::by_id(txn, original_id).await?;
    let copier = organizers
        .iter()
        .find(|o| o.id != original_organizer.id)
        .ok_or_else(|| anyhow::anyhow!("copier"))?;
    let copy = save::create(txn, copier, Snapshot::of(&original), now)
        .await
        .map_err(err)?;
    submissions::submit(
        txn,
        settings,
        copier,
        &copy,
        now - Duration::hours(3),
        Locale::en,
    )
    .await
    .map_err(err)?;

    // an edit of a published event that waits for review
    let (edited_id, edited_organizer) = published_ids[9].clone();
    let edited = events::by_id(txn, edited_id).await?;
    let mut changed = Snapshot::of(&edited);
    changed.title = format!("{} (new date)", changed.title);
    changed.starts_at += Duration::days(1);
    changed.ends_at += Duration::days(1);
    save::update(
        txn,
        settings,
        &edited_organizer,
        edited,
        changed,
        false,
        now,
        Locale::en,
    )
    .await
    .map_err(err)?;

    // a rejection that was appealed: only the other curator sees it in the queue
    let (appealed_id, appealed_organizer) = published_ids[20].clone();
    let appealed = events::by_id(txn, appealed_id).await?;
    let mut resubmitted = Snapshot::of(&appealed);
    resubmitted.title = format!("{} — extra date", resubmitted.title);
    resubmitted.starts_at += Duration::days(7);
    resubmitted.ends_at += Duration::days(7);
    let second = save::create(txn, &appealed_organizer, resubmitted, now)
        .await
        .map_err(err)?;
    submissions::submit(
        txn,
        settings,
        &appealed_organizer,
        &second,
        now - Duration::hours(30),
        Locale::en,
    )
    .await
    .map_err(err)?;
    let round = open_round(txn, second.id).await?;
    let reject = decide(
        Decision::Reject,
        Some(RejectReason::Duplicate),
        "This looks like a duplicate of your other listing.",
    );
    decisions::decide(
        txn,
        settings,
        curator,
        round.id,
        round.version,
        &reject,
        now - Duration::hours(20),
        Locale::en,
    )
    .await
    .map_err(err)?;
    appeals::appeal(
        txn,
        &appealed_organizer,
        round.id,
        "It is a second date of the same show, not a duplicate: the venue added a matinee.",
        now - Duration::hours(2),
        Locale::en,
    )
    .await
    .map_err(err)?;

    // a cancelled event
    let (cancelled_id, cancelled_organizer) = published_ids[30].clone();
    lifecycle::cancel(
        txn,
        &cancelled_organizer,
        cancelled_id,
        "The venue had a water leak; we will announce a new date.",
        now,
        Locale::en,
    )
    .await
    .map_err(err)?;

    // past events with attendees' reviews
    let mut past = 0;
    for k in 0..24 {
        let organizer = &organizers[k % organizers.len()];
        let mut snapshot = upcoming_snapshot(k * 5 + 1, today, now, rng)?;
        let back = Duration::days(rng.gen_range(2..40));
        snapshot.starts_at -= back + Duration::days(60);
        snapshot.ends_at -= back + Duration::days(60);
        if snapshot.ends_at >= now {
            continue;
        }
        let event = save::create(
            txn,
            organizer,
            snapshot.clone(),
            snapshot.starts_at - Duration::days(20),
        )
        .await
        .map_err(err)?;
        submissions::submit(
            txn,
            settings,
            organizer,
            &event,
            snapshot.starts_at - Duration::days(19),
            Locale::en,
        )
        .await
        .map_err(err)?;
        let round = open_round(txn, event.id).await?;
        let decider = if k % 2 == 0 { curator } else { curator2 };
        decisions::decide(
            txn,
            settings,
            decider,
            round.id,
            round.version,
            &approve,
            snapshot.starts_at - Duration::days(18),
            Locale::en,
        )
        .await
        .map_err(err)?;
        past += 1;
        // the first organizers' events are loved, the last one's less so
        let good = organizer.id != organizers[organizers.len() - 1].id;
        // every attendee has been to at least one past event, so their reports count
        let went: Vec<bool> = attendees
            .iter()
            .enumerate()
            .map(|(i, _)| rng.gen_bool(0.5) || i == past - 1)
            .collect();
        for (attendee, _) in attendees.iter().zip(went).filter(|(_, w)| *w) {
            held_ticket(
                txn,
                attendee,
                &event,
                snapshot.starts_at - Duration::days(10),
            )
            .await?;
            let rating = if good {
                rng.gen_range(4..=5)
            } else {
                rng.gen_range(2..=4)
            };
            let text = match rating {
                5 => "Wonderful evening, well organized.",
                4 => "Good fun, a bit crowded.",
                3 => "Fine, but it started late.",
                _ => "Not what the listing promised.",
            };
            reviews::review(
                txn,
                attendee,
                event.id,
                &rating.to_string(),
                text,
                now,
                Locale::en,
            )
            .await
            .map_err(err)?;
        }
    }
    // an event hidden by three established attendees' reports (they went to past events with
    // tickets); its organizer appealed the hide
    let (flagged_id, flagged_organizer) = published_ids[14].clone();
    for (k, attendee) in attendees.iter().take(3).enumerate() {
        let text = [
            "The venue says this event is not happening.",
            "Looks like a copy of a different event.",
            "Ticket price on the door differs from the listing.",
        ][k];
        flags::flag(
            txn,
            attendee,
            flagged_id,
            "misleading",
            text,
            now - Duration::hours(5 - k as i64),
            Locale::en,
        )
        .await
        .map_err(err)?;
    }
    let hidden_round = open_round(txn, flagged_id).await?;
    appeals::appeal(
        txn,
        &flagged_organizer,
        hidden_round.id,
        "We confirmed the booking with the venue yesterday; happy to send the contract.",
        now - Duration::hours(1),
        Locale::en,
    )
    .await
    .map_err(err)?;

    Ok(Curated {
        counts,
        past,
        published: published_ids.into_iter().map(|(id, _)| id).collect(),
    })
}

async fn open_round(
    txn: &sea_orm::DatabaseTransaction,
    event_id: i32,
) -> anyhow::Result<entity::submission::Model> {
    submissions::open_for(txn, event_id)
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?
        .ok_or_else(|| anyhow::anyhow!("event {event_id} has no open review round"))
}

/// A confirmed ticket for a past event, booked before it started.
async fn held_ticket(
    txn: &sea_orm::DatabaseTransaction,
    attendee: &entity::user::Model,
    event: &entity::event::Model,
    booked_at: DateTime<Utc>,
) -> anyhow::Result<()> {
    use app::domain::ticketing::{
        register::{book, Registrant, Request},
        ticket_types,
    };
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let existing = entity::ticket_type::Entity::find()
        .filter(entity::ticket_type::Column::EventId.eq(event.id))
        .one(txn)
        .await?;
    let ticket_type_id = match existing {
        Some(t) => t.id,
        None => {
            let spec = ticket_types::TicketTypeSpec::simple("Standard", 0, event.capacity, true);
            ticket_types::insert(txn, event.id, spec, 0, booked_at)
                .await
                .map_err(err)?
                .id
        }
    };
    book(
        txn,
        false,
        &Registrant::User(attendee.clone()),
        Request {
            ticket_type_id,
            quantity: "1",
            answers: &[],
        },
        booked_at,
        app::model::language::Locale::en,
    )
    .await
    .map_err(err)?;
    Ok(())
}
