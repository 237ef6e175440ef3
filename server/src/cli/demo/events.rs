//! The demo's events: generated in Berlin and Lisbon at venues that exist, at hours that suit
//! their category.
use chrono::{DateTime, Duration, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use sea_orm::EntityTrait;

use app::{domain::events::snapshot::Snapshot, model::taxonomy::Category};

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

pub async fn by_id(
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
pub fn upcoming_snapshot(
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
