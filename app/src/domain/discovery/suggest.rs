//! Autocomplete for the search box: categories, events, venues and cities matching what has been
//! typed, the last word as a prefix.
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::model::language::Locale;
use crate::{
    domain::{
        context::internal,
        discovery::{
            embedded::words,
            query::{Filters, SearchQuery},
            text::matches,
            SearchError, SearchIndex,
        },
    },
    error::AppError,
    model::{
        discovery::{encode_component, Suggestion, SuggestionKind, MAX_QUERY_CHARS},
        taxonomy::Category,
    },
};
use entity::event;

const EVENTS: usize = 5;
const PLACES: usize = 2;

pub async fn suggestions<C: ConnectionTrait>(
    db: &C,
    index: &dyn SearchIndex,
    typed: &str,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<Vec<Suggestion>, AppError> {
    let typed = typed.trim();
    let terms: Vec<String> = words(typed).into_iter().map(|(w, _)| w).collect();
    if terms.is_empty() || typed.chars().count() > MAX_QUERY_CHARS {
        return Ok(Vec::new());
    }
    let all_match = |text: &str| {
        let text_words: Vec<String> = words(text).into_iter().map(|(w, _)| w).collect();
        let last = terms.len() - 1;
        terms
            .iter()
            .enumerate()
            .all(|(i, t)| text_words.iter().any(|w| matches(w, t, i == last)))
    };
    // a category is found by its name in the reader's language or in English
    let mut out: Vec<Suggestion> = Category::ALL
        .iter()
        .filter(|c| all_match(c.label_in(locale)) || all_match(c.label()))
        .map(|c| Suggestion {
            kind: SuggestionKind::Category,
            label: c.label_in(locale).to_owned(),
            href: format!("/search?cat={}", c.slug()),
        })
        .collect();

    let query = SearchQuery {
        filters: Filters {
            ends_after: Some(now.timestamp()),
            ..Default::default()
        },
        per_page: 12,
        ..SearchQuery::text(typed)
    };
    let hits = match index.search(&query).await {
        Ok(results) => results.hits,
        Err(SearchError::Invalid(_)) => return Ok(out),
        Err(e) => return Err(internal(e)),
    };
    let ids: Vec<i32> = hits.iter().map(|h| h.id).collect();
    let mut events = event::Entity::find()
        .filter(event::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await
        .map_err(internal)?;
    events.sort_by_key(|e| ids.iter().position(|id| *id == e.id));
    let mut push = |kind: SuggestionKind, label: &str, href: String, limit: usize| {
        let same_kind = out.iter().filter(|s| s.kind == kind).count();
        if same_kind < limit && !out.iter().any(|s| s.kind == kind && s.label == label) {
            out.push(Suggestion {
                kind,
                label: label.to_owned(),
                href,
            });
        }
    };
    for e in &events {
        push(
            SuggestionKind::Event,
            &e.title,
            format!("/events/{}", e.id),
            EVENTS,
        );
    }
    for e in &events {
        if let Some(venue) = e.venue_name.as_deref().filter(|v| all_match(v)) {
            push(
                SuggestionKind::Venue,
                venue,
                format!("/search?q={}", encode_component(venue)),
                PLACES,
            );
        }
        if let Some(city) = e.city.as_deref().filter(|c| all_match(c)) {
            push(
                SuggestionKind::City,
                city,
                format!("/search?q={}", encode_component(city)),
                PLACES,
            );
        }
    }
    Ok(out)
}
