//! The demo dataset: deterministic (fixed seed), relative to the day it is loaded so its events
//! are always upcoming.
use chrono::{DateTime, Duration, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, TransactionTrait};

use app::{
    api::taxonomy::{Category, Role},
    domain::{
        accounts::{password, sign_up::insert_user},
        events::{
            input::{EventInput, Location},
            save,
        },
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

    let new_user = async |name: &str, email: &str, role: Role| {
        let hash = password::hash(DEMO_PASSWORD).await?;
        insert_user(&txn, email.to_owned(), hash, name.to_owned(), role).await
    };
    let admin = new_user("Ada Admin", ADMIN_EMAIL, Role::Admin)
        .await
        .map_err(err)?;
    new_user("Cora Curator", CURATOR_EMAIL, Role::Curator)
        .await
        .map_err(err)?;
    let mut organizers = Vec::new();
    for (name, email) in ORGANIZERS {
        organizers.push(new_user(name, email, Role::Organizer).await.map_err(err)?);
    }
    for (name, email) in ATTENDEES {
        new_user(name, email, Role::Attendee).await.map_err(err)?;
    }

    let today = now.date_naive();
    let (mut published, mut submitted, mut drafts) = (0, 0, 0);
    for i in 0..EVENT_COUNT {
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
        let hour = typical_hour(category, &mut rng);
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
        let location = if online {
            Location::Online {
                url: format!("https://meet.lineup.test/{}-{i}", category.slug()),
            }
        } else {
            Location::Venue {
                name: venue.to_owned(),
                address: address.to_owned(),
                city: Some(city.name.to_owned()),
                coordinates: Some((lat, lng)),
            }
        };
        let price_text = if rng.gen_bool(0.4) {
            None
        } else {
            Some(format!("€{}", rng.gen_range(1..=8) * 5))
        };
        let input = EventInput {
            summary: format!(
                "{} in {} — {}.",
                category.label(),
                city.name,
                if price_text.is_none() {
                    "free entry"
                } else {
                    "tickets at the door"
                }
            ),
            description_md: description(category, &title, venue, city.name),
            tags: vec![category.slug().to_owned(), city.name.to_lowercase()],
            title,
            category,
            starts_at,
            ends_at,
            timezone: tz,
            location,
            capacity: rng.gen_range(2..=40) * 10,
            price_text,
        };
        let organizer = &organizers[rng.gen_range(0..organizers.len())];
        let submit = i % 20 != 1;
        let event = save::create(&txn, organizer, input, None, submit, now)
            .await
            .map_err(err)?;
        match i % 20 {
            0 => submitted += 1,
            1 => drafts += 1,
            _ => {
                save::publish(&txn, &admin, event.id, now)
                    .await
                    .map_err(err)?;
                published += 1;
            }
        }
    }
    txn.commit().await?;

    let mut report = format!(
        "Demo data loaded: {} events ({published} published, {submitted} submitted, {drafts} drafts) in Berlin and Lisbon over the next 60 days.\n\
         Every demo account's password is: {DEMO_PASSWORD}\n  admin:     {ADMIN_EMAIL}\n  curator:   {CURATOR_EMAIL}\n",
        EVENT_COUNT
    );
    for (name, email) in ORGANIZERS {
        report.push_str(&format!("  organizer: {email} ({name})\n"));
    }
    for (name, email) in ATTENDEES.iter().take(3) {
        report.push_str(&format!("  attendee:  {email} ({name})\n"));
    }
    report.push_str(&format!("  … and {} more attendees", ATTENDEES.len() - 3));
    Ok(Some(report))
}
