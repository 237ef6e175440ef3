//! The demo dataset: deterministic (fixed seed), relative to the day it is loaded so its events
//! are always upcoming.
use chrono::{DateTime, Duration, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    TransactionTrait,
};

use app::{
    api::{
        curation::{Decision, RejectReason},
        taxonomy::{Category, Role},
    },
    domain::{
        accounts::{password, sign_up::insert_user},
        context::Settings,
        curation::{
            appeals,
            decisions::{self, DecisionInput},
            flags, lifecycle, reviews, submissions, training,
        },
        events::{save, snapshot::Snapshot},
    },
};

pub const DEMO_PASSWORD: &str = "lineup-demo";
pub const SEED: u64 = 20261122;
pub const EVENT_COUNT: usize = 240;

struct City {
    name: &'static str,
    tz: &'static str,
    venues: &'static [(&'static str, &'static str, f64, f64)],
}

const CITIES: [City; 2] = [
    City {
        name: "Berlin",
        tz: "Europe/Berlin",
        venues: &[
            (
                "Kesselhaus",
                "Schönhauser Allee 36, 10435 Berlin",
                52.5390,
                13.4130,
            ),
            (
                "Tempelhofer Feld",
                "Oderstraße, 12049 Berlin",
                52.4731,
                13.4210,
            ),
            (
                "Markthalle Neun",
                "Eisenbahnstraße 42/43, 10997 Berlin",
                52.5023,
                13.4317,
            ),
            (
                "Silent Green",
                "Gerichtstraße 35, 13347 Berlin",
                52.5449,
                13.3671,
            ),
            (
                "Holzmarkt 25",
                "Holzmarkt 25, 10243 Berlin",
                52.5115,
                13.4253,
            ),
            (
                "Factory Görlitzer Park",
                "Lohmühlenstraße 65, 12435 Berlin",
                52.4960,
                13.4470,
            ),
            (
                "Volkspark Friedrichshain",
                "Am Friedrichshain 1, 10249 Berlin",
                52.5281,
                13.4339,
            ),
            ("Urania", "An der Urania 17, 10787 Berlin", 52.5010, 13.3437),
        ],
    },
    City {
        name: "Lisbon",
        tz: "Europe/Lisbon",
        venues: &[
            (
                "LX Factory",
                "Rua Rodrigues de Faria 103, 1300-501 Lisboa",
                38.7036,
                -9.1785,
            ),
            (
                "Time Out Market",
                "Av. 24 de Julho 49, 1200-479 Lisboa",
                38.7069,
                -9.1459,
            ),
            (
                "Musicbox",
                "Rua Nova do Carvalho 24, 1200-292 Lisboa",
                38.7071,
                -9.1435,
            ),
            (
                "Jardim da Estrela",
                "Praça da Estrela, 1200-667 Lisboa",
                38.7137,
                -9.1597,
            ),
            (
                "Village Underground",
                "Av. da Índia 52, 1300-299 Lisboa",
                38.7004,
                -9.1867,
            ),
            (
                "Fábrica Braço de Prata",
                "Rua da Fábrica de Material de Guerra 1, 1950-128 Lisboa",
                38.7495,
                -9.1000,
            ),
            (
                "Parque Eduardo VII",
                "Parque Eduardo VII, 1070-051 Lisboa",
                38.7287,
                -9.1539,
            ),
            (
                "Unicorn Factory",
                "Rua Alexandre Herculano 51, 1250-010 Lisboa",
                38.7227,
                -9.1518,
            ),
        ],
    },
];

fn titles(category: Category) -> &'static [&'static str] {
    match category {
        Category::Music => &[
            "Jazz by the Water",
            "Indie Showcase",
            "Late Night Vinyl Session",
            "Chamber Music at Dusk",
            "Fado & Friends",
            "Open-Air Brass Band",
        ],
        Category::Arts => &[
            "Gallery Night",
            "Life Drawing Club",
            "Printmaking Open Studio",
            "Photography Walk & Talk",
            "Ceramics for Beginners",
            "Poetry Slam",
        ],
        Category::FoodDrink => &[
            "Natural Wine Tasting",
            "Street Food Thursday",
            "Sourdough Workshop",
            "Neighbourhood Supper Club",
            "Coffee Cupping Morning",
            "Dumpling Making Class",
        ],
        Category::Tech => &[
            "Rust Meetup",
            "Open Source Hack Night",
            "Intro to Machine Learning",
            "Web Performance Clinic",
            "Hardware Tinkerers",
            "Data Visualisation Lab",
        ],
        Category::Sports => &[
            "Sunday 10K Social Run",
            "Beach Volleyball Mixer",
            "Bouldering Meetup",
            "Five-a-Side Football",
            "Cycling Tour",
            "Table Tennis Night",
        ],
        Category::Wellness => &[
            "Sunrise Yoga",
            "Breathwork Session",
            "Sound Bath",
            "Mindful Walk",
            "Pilates in the Park",
            "Meditation for Busy People",
        ],
        Category::Community => &[
            "Repair Café",
            "Neighbourhood Clean-up",
            "Language Exchange",
            "Community Garden Day",
            "Book Swap & Chat",
            "Volunteer Fair",
        ],
        Category::Nightlife => &[
            "Disco Night",
            "Techno Warehouse",
            "Karaoke Battle",
            "Salsa Social",
            "Queer Dance Party",
            "Rooftop DJ Set",
        ],
        Category::Family => &[
            "Kids' Science Show",
            "Family Puppet Theatre",
            "Storytime in the Park",
            "Lego Build Afternoon",
            "Family Bike Ride",
            "Mini Makers Workshop",
        ],
        Category::Education => &[
            "History of the City Lecture",
            "Spanish for Beginners",
            "Public Speaking Workshop",
            "Astronomy Evening",
            "Urban Ecology Talk",
            "Writing Workshop",
        ],
        Category::Business => &[
            "Founders Breakfast",
            "Freelancer Meetup",
            "Pitch Practice Night",
            "Marketing for Makers",
            "Women in Business Circle",
            "Product Managers Roundtable",
        ],
        Category::Outdoors => &[
            "Sunset Hike",
            "Birdwatching Morning",
            "Kayak Trip",
            "Foraging Walk",
            "Stargazing Night",
            "Urban Picnic",
        ],
    }
}

const ORGANIZERS: [(&str, &str); 6] = [
    ("Kulturbrauerei Collective", "collective@lineup.test"),
    ("Run Club Lisboa", "runclub@lineup.test"),
    ("Open Source Berlin", "oss@lineup.test"),
    ("Sabores Supper Club", "sabores@lineup.test"),
    ("Green Neighbours", "green@lineup.test"),
    ("Nightshift Events", "nightshift@lineup.test"),
];

const ATTENDEES: [(&str, &str); 10] = [
    ("Ana Silva", "ana@lineup.test"),
    ("Ben Müller", "ben@lineup.test"),
    ("Chloé Martin", "chloe@lineup.test"),
    ("Dmitri Ivanov", "dmitri@lineup.test"),
    ("Emma Santos", "emma@lineup.test"),
    ("Farid Haddad", "farid@lineup.test"),
    ("Grace Okafor", "grace@lineup.test"),
    ("Hiro Tanaka", "hiro@lineup.test"),
    ("Inês Costa", "ines@lineup.test"),
    ("Jonas Weber", "jonas@lineup.test"),
];

pub const ADMIN_EMAIL: &str = "admin@lineup.test";
pub const CURATOR_EMAIL: &str = "curator@lineup.test";
/// A second curator, so appeals against the first one's decisions have someone to go to.
pub const SECOND_CURATOR_EMAIL: &str = "curator2@lineup.test";

/// Accounts that only ever submit spam: their rejected submissions teach the spam model.
const SPAMMERS: [(&str, &str); 3] = [
    ("Crypto Wealth Events", "wealth@spam.test"),
    ("Mega Giveaway Club", "giveaway@spam.test"),
    ("Quick Cash Seminars", "cash@spam.test"),
];

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

fn typical_hour(category: Category, rng: &mut ChaCha8Rng) -> u32 {
    match category {
        Category::Nightlife => rng.gen_range(21..=23),
        Category::Wellness | Category::Outdoors | Category::Sports => rng.gen_range(7..=11),
        Category::Family => rng.gen_range(10..=15),
        Category::Business => rng.gen_range(8..=9),
        _ => rng.gen_range(17..=20),
    }
}

fn description(category: Category, title: &str, venue: &str, city: &str) -> String {
    format!(
        "## About\n\n**{title}** brings people together in {city} for an evening of {what}. \
         Everyone is welcome, whether it is your first time or your fiftieth.\n\n\
         ## What to expect\n\n- A friendly host who will show you around\n- Time to meet other people who love {what}\n\
         - Drinks and snacks available at {venue}\n\n\
         ## Getting there\n\nPublic transport stops nearby; bikes can be parked at the entrance. \
         The venue is step-free.\n\n_Questions? Reply to the confirmation email and the organizers will get back to you._",
        what = category.label().to_lowercase(),
    )
}

/// Loads the demo dataset unless it is already present. Returns the report to print.
///
/// Besides upcoming events it holds a curation history: every published event went through a
/// curator's decision, spam accounts' submissions were rejected as spam (the labels the spam
/// model is trained on at the end), and the queue has submissions in every state — pending,
/// in review, an edit of a published event, an appeal, an event hidden by community reports,
/// an obvious spam submission and a copy of another organizer's event.
pub async fn seed(db: &DatabaseConnection, now: DateTime<Utc>) -> anyhow::Result<Option<String>> {
    let present = entity::user::Entity::find()
        .filter(entity::user::Column::Email.eq(ADMIN_EMAIL))
        .one(db)
        .await?
        .is_some();
    if present {
        return Ok(None);
    }
    let mut rng = ChaCha8Rng::seed_from_u64(SEED);
    let txn = db.begin().await?;
    let err = |e: app::error::AppError| anyhow::anyhow!("{e:?}");
    // the demo decides everything itself; the fast track would skip those decisions
    let settings = Settings {
        data_dir: std::path::PathBuf::new(),
        public_url: String::new(),
        platform_fee_bps: 0,
        stripe_webhook_secret: None,
        checkout_origin: None,
        fast_track_reputation: None,
        time_zone: chrono_tz::Europe::Berlin,
    };

    let hash = password::hash(DEMO_PASSWORD).await.map_err(err)?;
    let new_user = async |name: &str, email: &str, role: Role| {
        insert_user(&txn, email.to_owned(), hash.clone(), name.to_owned(), role).await
    };
    let admin = new_user("Ada Admin", ADMIN_EMAIL, Role::Admin)
        .await
        .map_err(err)?;
    let curator = new_user("Cora Curator", CURATOR_EMAIL, Role::Curator)
        .await
        .map_err(err)?;
    let curator2 = new_user("Cyril Curator", SECOND_CURATOR_EMAIL, Role::Curator)
        .await
        .map_err(err)?;
    let mut organizers = Vec::new();
    for (name, email) in ORGANIZERS {
        organizers.push(new_user(name, email, Role::Organizer).await.map_err(err)?);
    }
    let mut attendees = Vec::new();
    for (name, email) in ATTENDEES {
        attendees.push(new_user(name, email, Role::Attendee).await.map_err(err)?);
    }
    let mut spammers = Vec::new();
    for (name, email) in SPAMMERS {
        spammers.push(new_user(name, email, Role::Organizer).await.map_err(err)?);
    }

    // the regular accounts have been around for a while; the spam accounts are new
    let regulars: Vec<i32> = std::iter::once(curator.id)
        .chain([admin.id, curator2.id])
        .chain(organizers.iter().chain(attendees.iter()).map(|u| u.id))
        .collect();
    entity::user::Entity::update_many()
        .col_expr(
            entity::user::Column::CreatedAt,
            sea_orm::sea_query::Expr::value(now - Duration::days(400)),
        )
        .filter(entity::user::Column::Id.is_in(regulars))
        .exec(&txn)
        .await?;

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

    let today = now.date_naive();
    let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
    let mut published_ids = Vec::new();
    for i in 0..EVENT_COUNT {
        let snapshot = upcoming_snapshot(i, today, now, &mut rng)?;
        let organizer = &organizers[rng.gen_range(0..organizers.len())];
        let event = save::create(&txn, organizer, snapshot, now)
            .await
            .map_err(err)?;
        if i % 20 == 1 {
            *counts.entry("draft").or_default() += 1;
            continue;
        }
        let submitted_at = now - Duration::hours(rng.gen_range(12..96));
        submissions::submit(&txn, &settings, organizer, &event, submitted_at)
            .await
            .map_err(err)?;
        let round = open_round(&txn, event.id).await?;
        let state = match i % 40 {
            0 | 20 => "submitted",
            2 => {
                decisions::claim(&txn, &curator, round.id, round.version, later(&mut rng))
                    .await
                    .map_err(err)?;
                "in review"
            }
            22 => {
                let note = "Please add the exact room and what people should bring.";
                decisions::decide(
                    &txn,
                    &settings,
                    &curator,
                    round.id,
                    round.version,
                    &decide(Decision::NeedsRevision, None, note),
                    later(&mut rng),
                )
                .await
                .map_err(err)?;
                "needs revision"
            }
            3 => {
                let note = "We could not verify this venue hosts events of this kind.";
                decisions::decide(
                    &txn,
                    &settings,
                    &curator,
                    round.id,
                    round.version,
                    &decide(Decision::Reject, Some(RejectReason::Policy), note),
                    later(&mut rng),
                )
                .await
                .map_err(err)?;
                "rejected"
            }
            _ => {
                decisions::decide(
                    &txn,
                    &settings,
                    &curator,
                    round.id,
                    round.version,
                    &approve,
                    later(&mut rng),
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
        let (title, summary, body) = spam_event(&mut rng);
        let base = upcoming_snapshot(n * 7 + 3, today, now, &mut rng)?;
        let snapshot = Snapshot {
            title,
            summary,
            description_md: body,
            cover_image_id: None,
            ..base
        };
        let event = save::create(&txn, spammer, snapshot, now)
            .await
            .map_err(err)?;
        submissions::submit(
            &txn,
            &settings,
            spammer,
            &event,
            now - Duration::hours(rng.gen_range(2..48)),
        )
        .await
        .map_err(err)?;
        if n < 36 {
            let round = open_round(&txn, event.id).await?;
            let reject = decide(Decision::Reject, Some(RejectReason::Spam), "Spam.");
            decisions::decide(
                &txn,
                &settings,
                &curator,
                round.id,
                round.version,
                &reject,
                later(&mut rng),
            )
            .await
            .map_err(err)?;
        }
    }
    *counts.entry("spam waiting").or_default() += 2;

    // a copy of a published event by another organizer, same venue and time
    let (original_id, original_organizer) = published_ids[5].clone();
    let original = event_by_id(&txn, original_id).await?;
    let copier = organizers
        .iter()
        .find(|o| o.id != original_organizer.id)
        .ok_or_else(|| anyhow::anyhow!("copier"))?;
    let copy = save::create(&txn, copier, Snapshot::of(&original), now)
        .await
        .map_err(err)?;
    submissions::submit(&txn, &settings, copier, &copy, now - Duration::hours(3))
        .await
        .map_err(err)?;

    // an edit of a published event that waits for review
    let (edited_id, edited_organizer) = published_ids[9].clone();
    let edited = event_by_id(&txn, edited_id).await?;
    let mut changed = Snapshot::of(&edited);
    changed.title = format!("{} (new date)", changed.title);
    changed.starts_at += Duration::days(1);
    changed.ends_at += Duration::days(1);
    save::update(
        &txn,
        &settings,
        &edited_organizer,
        edited,
        changed,
        false,
        now,
    )
    .await
    .map_err(err)?;

    // an event hidden by three attendees' reports; its organizer appealed the hide
    let (flagged_id, flagged_organizer) = published_ids[14].clone();
    for (k, attendee) in attendees.iter().take(3).enumerate() {
        let text = [
            "The venue says this event is not happening.",
            "Looks like a copy of a different event.",
            "Ticket price on the door differs from the listing.",
        ][k];
        flags::flag(
            &txn,
            attendee,
            flagged_id,
            "misleading",
            text,
            now - Duration::hours(5 - k as i64),
        )
        .await
        .map_err(err)?;
    }
    let hidden_round = open_round(&txn, flagged_id).await?;
    appeals::appeal(
        &txn,
        &flagged_organizer,
        hidden_round.id,
        "We confirmed the booking with the venue yesterday; happy to send the contract.",
        now - Duration::hours(1),
    )
    .await
    .map_err(err)?;

    // a rejection that was appealed: only the other curator sees it in the queue
    let (appealed_id, appealed_organizer) = published_ids[20].clone();
    let appealed = event_by_id(&txn, appealed_id).await?;
    let mut resubmitted = Snapshot::of(&appealed);
    resubmitted.title = format!("{} — extra date", resubmitted.title);
    resubmitted.starts_at += Duration::days(7);
    resubmitted.ends_at += Duration::days(7);
    let second = save::create(&txn, &appealed_organizer, resubmitted, now)
        .await
        .map_err(err)?;
    submissions::submit(
        &txn,
        &settings,
        &appealed_organizer,
        &second,
        now - Duration::hours(30),
    )
    .await
    .map_err(err)?;
    let round = open_round(&txn, second.id).await?;
    let reject = decide(
        Decision::Reject,
        Some(RejectReason::Duplicate),
        "This looks like a duplicate of your other listing.",
    );
    decisions::decide(
        &txn,
        &settings,
        &curator,
        round.id,
        round.version,
        &reject,
        now - Duration::hours(20),
    )
    .await
    .map_err(err)?;
    appeals::appeal(
        &txn,
        &appealed_organizer,
        round.id,
        "It is a second date of the same show, not a duplicate: the venue added a matinee.",
        now - Duration::hours(2),
    )
    .await
    .map_err(err)?;

    // a cancelled event
    let (cancelled_id, cancelled_organizer) = published_ids[30].clone();
    lifecycle::cancel(
        &txn,
        &cancelled_organizer,
        cancelled_id,
        "The venue had a water leak; we will announce a new date.",
        now,
    )
    .await
    .map_err(err)?;

    // past events with attendees' reviews
    let mut past = 0;
    for k in 0..24 {
        let organizer = &organizers[k % organizers.len()];
        let mut snapshot = upcoming_snapshot(k * 5 + 1, today, now, &mut rng)?;
        let back = Duration::days(rng.gen_range(2..40));
        snapshot.starts_at -= back + Duration::days(60);
        snapshot.ends_at -= back + Duration::days(60);
        if snapshot.ends_at >= now {
            continue;
        }
        let event = save::create(
            &txn,
            organizer,
            snapshot.clone(),
            snapshot.starts_at - Duration::days(20),
        )
        .await
        .map_err(err)?;
        submissions::submit(
            &txn,
            &settings,
            organizer,
            &event,
            snapshot.starts_at - Duration::days(19),
        )
        .await
        .map_err(err)?;
        let round = open_round(&txn, event.id).await?;
        let decider = if k % 2 == 0 { &curator } else { &curator2 };
        decisions::decide(
            &txn,
            &settings,
            decider,
            round.id,
            round.version,
            &approve,
            snapshot.starts_at - Duration::days(18),
        )
        .await
        .map_err(err)?;
        past += 1;
        // the first organizers' events are loved, the last one's less so
        let good = organizer.id != organizers[organizers.len() - 1].id;
        let went: Vec<bool> = attendees.iter().map(|_| rng.gen_bool(0.5)).collect();
        for (attendee, _) in attendees.iter().zip(went).filter(|(_, w)| *w) {
            reviews::mark_attended(&txn, attendee, event.id, now)
                .await
                .map_err(err)?;
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
            reviews::review(&txn, attendee, event.id, &rating.to_string(), text, now)
                .await
                .map_err(err)?;
        }
    }
    let ids: Vec<i32> = published_ids.iter().skip(40).map(|(id, _)| *id).collect();
    let ticketing = demo_ticketing(&txn, &ids, &attendees, now)
        .await
        .map_err(err)?;
    lifecycle::complete_ended(&txn, now).await.map_err(err)?;
    txn.commit().await?;

    let training = training::retrain(db, now).await.map_err(err)?;
    let mut report = format!(
        "Demo data loaded: {EVENT_COUNT} upcoming events in Berlin and Lisbon ({}), {past} past events with reviews, spam and a copied event in the review queue.\n",
        counts.iter().map(|(k, v)| format!("{v} {k}")).collect::<Vec<_>>().join(", ")
    );
    match training {
        Ok(t) => report.push_str(&format!(
            "Spam model trained on {} curator decisions ({} spam), held-out accuracy {}.\n",
            t.samples,
            t.spam_samples,
            t.held_out_accuracy
                .map(|a| format!("{:.0}%", a * 100.0))
                .unwrap_or_else(|| "n/a".into())
        )),
        Err(not_enough) => report.push_str(&format!("Spam model not trained: {not_enough}.\n")),
    }
    report.push_str(&ticketing);
    report.push_str(&format!(
        "Every demo account's password is: {DEMO_PASSWORD}\n  admin:     {ADMIN_EMAIL}\n  curators:  {CURATOR_EMAIL}, {SECOND_CURATOR_EMAIL}\n"
    ));
    for (name, email) in ORGANIZERS {
        report.push_str(&format!("  organizer: {email} ({name})\n"));
    }
    for (name, email) in ATTENDEES.iter().take(3) {
        report.push_str(&format!("  attendee:  {email} ({name})\n"));
    }
    report.push_str(&format!("  … and {} more attendees", ATTENDEES.len() - 3));
    Ok(Some(report))
}

/// `n` attendee accounts `{prefix}{i}@example.com` that cannot sign in, for load tests and
/// benchmarks.
pub async fn synthetic_attendees<C: sea_orm::ConnectionTrait>(
    db: &C,
    prefix: &str,
    n: usize,
    now: DateTime<Utc>,
) -> anyhow::Result<Vec<entity::user::Model>> {
    use sea_orm::Set;
    let rows: Vec<entity::user::ActiveModel> = (0..n)
        .map(|i| entity::user::ActiveModel {
            email: Set(format!("{prefix}{i}@example.com")),
            password_hash: Set("-".into()),
            display_name: Set(format!("Buyer {i}")),
            role: Set(Role::Attendee.as_str().into()),
            interests: Set(String::new()),
            reputation: Set(0),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        })
        .collect();
    for chunk in rows.chunks(200) {
        entity::user::Entity::insert_many(chunk.to_vec())
            .exec(db)
            .await?;
    }
    Ok(entity::user::Entity::find()
        .filter(entity::user::Column::Email.starts_with(prefix))
        .all(db)
        .await?)
}

/// Paid events get a paid ticket type, paused (the demo runs without Stripe); attendees hold
/// tickets for a few free events, and one small event is sold out with a waitlist.
async fn demo_ticketing<C: sea_orm::ConnectionTrait + TransactionTrait>(
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

async fn open_round(
    txn: &sea_orm::DatabaseTransaction,
    event_id: i32,
) -> anyhow::Result<entity::submission::Model> {
    submissions::open_for(txn, event_id)
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?
        .ok_or_else(|| anyhow::anyhow!("event {event_id} has no open review round"))
}

async fn event_by_id(
    txn: &sea_orm::DatabaseTransaction,
    id: i32,
) -> anyhow::Result<entity::event::Model> {
    entity::event::Entity::find_by_id(id)
        .one(txn)
        .await?
        .ok_or_else(|| anyhow::anyhow!("event {id} missing"))
}

/// The `i`-th generated upcoming event: a category, a city and venue, a time in the next 60
/// days at an hour that suits the category.
fn upcoming_snapshot(
    i: usize,
    today: chrono::NaiveDate,
    now: DateTime<Utc>,
    rng: &mut ChaCha8Rng,
) -> anyhow::Result<Snapshot> {
    let category = Category::ALL[i % Category::ALL.len()];
    let city = &CITIES[rng.gen_range(0..CITIES.len())];
    let tz: Tz = city
        .tz
        .parse()
        .map_err(|_| anyhow::anyhow!("bad demo time zone"))?;
    let stems = titles(category);
    let title = stems[rng.gen_range(0..stems.len())].to_owned();
    let (venue, address, lat, lng) = city.venues[rng.gen_range(0..city.venues.len())];
    let day = today + Duration::days(rng.gen_range(0..60));
    let hour = typical_hour(category, rng);
    let minute = [0, 15, 30, 45][rng.gen_range(0..4)];
    let local = day
        .and_hms_opt(hour, minute, 0)
        .ok_or_else(|| anyhow::anyhow!("bad demo time"))?;
    let starts_at = tz
        .from_local_datetime(&local)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| anyhow::anyhow!("bad demo time"))?;
    // keep every demo event in the future, even those generated for earlier today
    let starts_at = if starts_at <= now {
        now + Duration::hours(2)
    } else {
        starts_at
    }
    .with_second(0)
    .unwrap_or(starts_at);
    let ends_at = starts_at + Duration::minutes(rng.gen_range(4..=12) * 15);
    let online = matches!(
        category,
        Category::Tech | Category::Business | Category::Education
    ) && rng.gen_bool(0.25);
    let price_text = if rng.gen_bool(0.4) {
        None
    } else {
        Some(format!("€{}", rng.gen_range(1..=8) * 5))
    };
    let summary = format!(
        "{} in {} — {}.",
        category.label(),
        city.name,
        if price_text.is_none() {
            "free entry"
        } else {
            "tickets at the door"
        }
    );
    let (venue_name, venue_address, city_name, latitude, longitude, online_url) = if online {
        (
            None,
            None,
            None,
            None,
            None,
            Some(format!("https://meet.lineup.test/{}-{i}", category.slug())),
        )
    } else {
        (
            Some(venue.to_owned()),
            Some(address.to_owned()),
            Some(city.name.to_owned()),
            Some(lat),
            Some(lng),
            None,
        )
    };
    Ok(Snapshot {
        summary,
        description_md: description(category, &title, venue, city.name),
        tags: format!("{},{}", category.slug(), city.name.to_lowercase()),
        title,
        category: category.slug().to_owned(),
        starts_at,
        ends_at,
        timezone: tz.name().to_owned(),
        venue_name,
        venue_address,
        city: city_name,
        latitude,
        longitude,
        online_url,
        capacity: rng.gen_range(2..=40) * 10,
        is_free: price_text.is_none(),
        price_text,
        cover_image_id: None,
    })
}

/// The demo's social graph: friendships among the demo attendees, a request waiting for Ana,
/// organizers followed, and a group planning its weekend. Written through the same domain
/// functions as the pages use; called right after `seed` with the graph filled by `regraph`.
pub async fn seed_social(
    db: &DatabaseConnection,
    graph: &dyn app::domain::graph::GraphStore,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    use app::{
        api::social::{GroupAction, PersonAction},
        domain::social::{connections, groups},
    };
    let err = |e: app::error::AppError| anyhow::anyhow!("{e:?}");
    let id = async |email: &str| -> anyhow::Result<i32> {
        entity::user::Entity::find()
            .filter(entity::user::Column::Email.eq(email))
            .one(db)
            .await?
            .map(|u| u.id)
            .ok_or_else(|| anyhow::anyhow!("demo user {email} missing"))
    };
    let people: Vec<i32> = {
        let mut ids = Vec::new();
        for (_, email) in ATTENDEES {
            ids.push(id(email).await?);
        }
        ids
    };
    // a ring of friends with a few chords, so suggestions have mutual friends to explain
    let friendships = [
        (0, 1),
        (0, 2),
        (1, 3),
        (2, 4),
        (3, 5),
        (4, 6),
        (5, 7),
        (1, 2),
        (6, 8),
    ];
    for (a, b) in friendships {
        connections::act(graph, people[a], people[b], PersonAction::Befriend, now)
            .await
            .map_err(err)?;
        connections::act(graph, people[b], people[a], PersonAction::Accept, now)
            .await
            .map_err(err)?;
    }
    connections::act(graph, people[9], people[0], PersonAction::Befriend, now)
        .await
        .map_err(err)?;
    for (_, email) in ORGANIZERS.iter().take(2) {
        let organizer = id(email).await?;
        connections::act(graph, people[0], organizer, PersonAction::Follow, now)
            .await
            .map_err(err)?;
    }
    let group = groups::parse(
        "Weekend crew",
        "We pick one thing to do together every weekend.",
        "public",
    )
    .map_err(err)?;
    let key = groups::create(graph, people[0], group, now)
        .await
        .map_err(err)?;
    for &member in &people[1..3] {
        groups::act(graph, member, &key, GroupAction::Join, None, None, now)
            .await
            .map_err(err)?;
    }
    let upcoming = entity::event::Entity::find()
        .filter(entity::event::Column::Status.eq("published"))
        .filter(entity::event::Column::StartsAt.gt(now))
        .order_by_asc(entity::event::Column::StartsAt)
        .limit(2)
        .all(db)
        .await?;
    for (i, event) in upcoming.iter().enumerate() {
        groups::act(
            graph,
            people[i],
            &key,
            GroupAction::Propose,
            None,
            Some(event.id),
            now,
        )
        .await
        .map_err(err)?;
    }
    if let Some(first) = upcoming.first() {
        groups::act(
            graph,
            people[2],
            &key,
            GroupAction::Vote,
            None,
            Some(first.id),
            now,
        )
        .await
        .map_err(err)?;
    }
    Ok(())
}
