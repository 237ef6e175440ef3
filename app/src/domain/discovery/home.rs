//! The home page's sections: "For you" for people signed in, trending (the curators' picks
//! while too few events are), and this weekend from the index (near the signed-in person's home
//! city when the profile has one).
use chrono::{DateTime, Utc};

use crate::{
    domain::{
        context::{internal, AppState},
        discovery::{
            query::{Filters, Radius, Sort, Window},
            search::{home_point, preset_window},
            SearchQuery,
        },
        events::listings::public_cards,
        recs::for_you,
    },
    error::AppError,
    model::{
        discovery::{DatePreset, HomeSections, NearPoint, SearchParams},
        events::EventCard,
        language::Locale,
    },
};
use entity::user;

const SECTION_SIZE: u32 = 8;
/// Fewer trending events than this, and the row shows the curators' picks instead.
const MIN_TRENDING: usize = 4;
const TRENDING_DAYS: i64 = 14;
pub const NEAR_KM: u32 = 25;

pub async fn sections(
    state: &AppState,
    viewer: Option<&user::Model>,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<HomeSections, AppError> {
    let upcoming = Filters {
        ends_after: Some(now.timestamp()),
        ..Default::default()
    };
    let snapshot = state.recs.current(&state.db, &state.changes).await?;
    let mut trending =
        for_you::trending(state, &snapshot, viewer, SECTION_SIZE as usize, now, locale).await?;
    // too little attention yet (a new site, a quiet city): the curators' favourites of the
    // next two weeks instead, said as such
    let trending_is_picks = trending.len() < MIN_TRENDING;
    if trending_is_picks {
        trending = cards(
            state,
            SearchQuery {
                filters: Filters {
                    window: Some(Window {
                        from: now.timestamp(),
                        to: (now + chrono::Duration::days(TRENDING_DAYS)).timestamp(),
                    }),
                    ..upcoming.clone()
                },
                sort: Sort::QualityDesc,
                per_page: SECTION_SIZE,
                ..Default::default()
            },
            locale,
        )
        .await?;
    }
    let (for_you, for_you_variant) = match viewer {
        Some(me) => {
            let list =
                for_you::for_you(state, &snapshot, me, for_you::HOME_SECTION, now, locale).await?;
            (list.cards, Some(list.variant))
        }
        None => (Vec::new(), None),
    };
    let home = viewer.and_then(home_point);
    let weekend_query = SearchQuery {
        filters: Filters {
            window: preset_window(DatePreset::Weekend, now, state.settings.time_zone),
            radius: home.map(|center| Radius {
                center,
                metres: f64::from(NEAR_KM) * 1000.0,
            }),
            ..upcoming
        },
        sort: home.map_or(Sort::StartAsc, Sort::Distance),
        per_page: SECTION_SIZE,
        ..Default::default()
    };
    let weekend = cards(state, weekend_query, locale).await?;
    let mut link = SearchParams {
        when: Some(DatePreset::Weekend),
        ..Default::default()
    };
    if home.is_some() {
        link.near = Some(NearPoint::Home);
        link.radius_km = Some(NEAR_KM);
    }
    Ok(HomeSections {
        for_you,
        for_you_variant,
        trending,
        trending_is_picks,
        weekend,
        weekend_near: home.and(viewer.and_then(|v| v.home_city.clone())),
        weekend_href: link.href(),
    })
}

async fn cards(
    state: &AppState,
    query: SearchQuery,
    locale: Locale,
) -> Result<Vec<EventCard>, AppError> {
    let results = state.search.search(&query).await.map_err(internal)?;
    let ids: Vec<i32> = results.hits.iter().map(|h| h.id).collect();
    public_cards(&state.db, &ids, locale).await
}
