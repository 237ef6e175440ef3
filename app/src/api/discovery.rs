//! Discovery: the search page's state (which is its URL), its results, facets and suggestions.
use leptos::server;

#[cfg(feature = "ssr")]
use crate::model::discovery::{url_pairs, SearchParams};
use crate::{
    error::AppError,
    model::discovery::{HomeSections, SearchPage, Suggestion},
};

/// Runs a search. The page itself is a plain GET form; this is what the hydrated search box
/// calls as you type.
#[server(endpoint = "discovery/search")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn search_events(query: String) -> Result<SearchPage, AppError> {
    use crate::domain::{accounts::language, context::ctx, discovery::search};
    let locale = language::of_request();
    let ctx = ctx().await?;
    let viewer = ctx.viewer().await?;
    let pairs = url_pairs(&query);
    let (params, problems) =
        SearchParams::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let state = &ctx.state;
    // keyed by what the parameters mean, so spellings of the same search share an entry
    let key = (params.clone(), problems.clone(), locale);
    let page = async {
        let now = chrono::Utc::now();
        let mut page = search::run(state, params, problems, viewer.as_ref(), now, locale).await?;
        if let Some(me) = &viewer {
            let cards = page.hits.iter_mut().map(|h| &mut h.card);
            crate::domain::recs::saves::annotate(state, me.id, cards).await?;
        }
        Ok::<_, AppError>(page)
    };
    ctx.cached("discovery/search", viewer.as_ref(), key, page)
        .await
}

/// Autocomplete: event titles, categories, venues and cities for what has been typed so far.
#[server(endpoint = "discovery/suggest")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn search_suggestions(q: String) -> Result<Vec<Suggestion>, AppError> {
    use crate::domain::{accounts::language, context::ctx, discovery::suggest};
    let ctx = ctx().await?;
    suggest::suggestions(
        &ctx.state.db,
        ctx.state.search.as_ref(),
        &q,
        chrono::Utc::now(),
        language::of_request(),
    )
    .await
}

#[server(endpoint = "discovery/home")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn load_home_sections() -> Result<HomeSections, AppError> {
    use crate::domain::{accounts::language, context::ctx, discovery::home};
    let locale = language::of_request();
    let ctx = ctx().await?;
    let viewer = ctx.viewer().await?;
    let state = &ctx.state;
    let sections = async {
        let mut sections =
            home::sections(state, viewer.as_ref(), chrono::Utc::now(), locale).await?;
        if let Some(me) = &viewer {
            let cards = sections
                .trending
                .iter_mut()
                .chain(sections.weekend.iter_mut())
                .chain(sections.for_you.iter_mut());
            crate::domain::recs::saves::annotate(state, me.id, cards).await?;
        }
        Ok::<_, AppError>(sections)
    };
    let sections = ctx
        .cached("discovery/home", viewer.as_ref(), locale, sections)
        .await?;
    if let (Some(me), Some(variant)) = (&viewer, &sections.for_you_variant) {
        crate::domain::recs::for_you::count_shown(state, me.id, &sections.for_you, variant);
    }
    Ok(sections)
}
