//! Recommendations' doorways: saving and "Not interested", the Saved list, "For you" and the
//! admins' experiment report.
use leptos::server;

use crate::{
    error::AppError,
    model::recs::{ExperimentReport, ForYou, SavedEvents},
};

/// Saves an event, takes the save back or says "Not interested" (`action`: `save`, `unsave`,
/// `dismiss`), then back to the page the form was on.
#[server(endpoint = "recs/act")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn act_on_event(
    event: i32,
    action: String,
    #[server(default)] back: Option<String>,
) -> Result<(), AppError> {
    use crate::{
        domain::{
            accounts::language,
            context::ctx,
            recs::saves::{self, SaveAction},
        },
        i18n::td_string,
    };
    let ctx = ctx().await?;
    let me = ctx.require_user().await?;
    let locale = language::of_request();
    let back = back
        .filter(|b| crate::model::accounts::is_local_path(b))
        .unwrap_or_else(|| format!("/events/{event}"));
    let Some(action) = SaveAction::parse(&action) else {
        let err = AppError::field("action", td_string!(locale, recs.choose_action));
        return ctx.fail(err, &back, None).await;
    };
    let result = saves::act(&ctx.state.db, &me, event, action, chrono::Utc::now()).await;
    ctx.respond(result.map(|()| action.notice(locale)), &back)
        .await
}

#[server(endpoint = "recs/saved")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn load_saved() -> Result<SavedEvents, AppError> {
    use crate::domain::{accounts::language, context::ctx, recs::saves};
    let ctx = ctx().await?;
    let me = ctx.require_user().await?;
    let locale = language::of_request();
    let state = &ctx.state;
    let saved = async {
        let (mut upcoming, past) =
            saves::saved_cards(&state.db, me.id, chrono::Utc::now(), locale).await?;
        crate::domain::recs::saves::annotate(state, me.id, upcoming.iter_mut()).await?;
        Ok::<_, AppError>(SavedEvents { upcoming, past })
    };
    ctx.cached("recs/saved", Some(&me), locale, saved).await
}

/// The signed-in person's "For you" list. Every call counts its cards as shown.
#[server(endpoint = "recs/for_you")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn load_for_you() -> Result<ForYou, AppError> {
    use crate::domain::{accounts::language, context::ctx, recs::for_you};
    let ctx = ctx().await?;
    let me = ctx.require_user().await?;
    let locale = language::of_request();
    let state = &ctx.state;
    let list = async {
        let snapshot = state.recs.current(&state.db, &state.changes).await?;
        let now = chrono::Utc::now();
        let mut list = for_you::for_you(state, &snapshot, &me, for_you::LIST, now, locale).await?;
        crate::domain::recs::saves::annotate(state, me.id, list.cards.iter_mut()).await?;
        Ok::<_, AppError>(list)
    };
    let list = ctx.cached("recs/for_you", Some(&me), locale, list).await?;
    for_you::count_shown(state, me.id, &list.cards, &list.variant);
    Ok(list)
}

/// The running experiment's figures per ranker, for admins.
#[server(endpoint = "recs/experiment")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn load_experiment(
    #[server(default)] days: Option<u32>,
) -> Result<ExperimentReport, AppError> {
    use crate::{
        domain::{accounts::language, context::ctx, recs::experiments},
        model::taxonomy::Role,
    };
    let ctx = ctx().await?;
    ctx.require_role(|r| r == Role::Admin).await?;
    let state = &ctx.state;
    let days = days.unwrap_or(30).clamp(1, 180);
    let locale = language::of_request();
    let mut report = experiments::report(&state.db, days, chrono::Utc::now(), locale).await?;
    let snapshot = state.recs.current(&state.db, &state.changes).await?;
    report.model = snapshot.model.as_ref().map(|m| m.describe(locale));
    Ok(report)
}
