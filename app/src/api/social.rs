//! Friends, follows, blocks, privacy, who's going, the activity feed, suggestions and groups.
use leptos::server;

#[cfg(feature = "ssr")]
use crate::model::social::{GroupAction, PersonAction};
use crate::{
    error::AppError,
    model::social::{
        EventSocial, FeedPage, GroupPage, GroupsPage, PeoplePage, PrivacyForm, ProfileView,
    },
};

/// Where a form sends people back to: the page it was on, when that is a path on this site.
#[cfg(feature = "ssr")]
fn back_or(back: Option<String>, default: String) -> String {
    back.filter(|b| crate::model::accounts::is_local_path(b))
        .unwrap_or(default)
}

#[server(endpoint = "social/people")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn load_people(#[server(default)] q: Option<String>) -> Result<PeoplePage, AppError> {
    use crate::domain::{accounts::language, context::ctx, social::people};
    let ctx = ctx().await?;
    let me = ctx.require_user().await?;
    let q = q.unwrap_or_default();
    people::page(
        &ctx.state.db,
        ctx.state.graph.as_ref(),
        me.id,
        &q,
        chrono::Utc::now(),
        language::of_request(),
    )
    .await
}

#[server(endpoint = "social/person")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn load_person(id: i32) -> Result<ProfileView, AppError> {
    use crate::domain::{accounts::language, context::ctx, social::people};
    let ctx = ctx().await?;
    let me = ctx.require_user().await?;
    let locale = language::of_request();
    let (db, graph) = (&ctx.state.db, ctx.state.graph.as_ref());
    let profile = people::profile(db, graph, me.id, id, chrono::Utc::now(), locale);
    ctx.cached("social/person", Some(&me), (id, locale), profile)
        .await
}

/// Befriend, accept, follow, block… one person, then back to the page the form was on.
#[server(endpoint = "social/person/act")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn act_on_person(
    person: i32,
    action: String,
    #[server(default)] back: Option<String>,
) -> Result<(), AppError> {
    use crate::{
        domain::{
            accounts::language, context::ctx, graph::sync::ensure_users, social::connections,
        },
        i18n::td_string,
    };
    let ctx = ctx().await?;
    let locale = language::of_request();
    let me = ctx.require_user().await?;
    let back = back_or(back, format!("/people/{person}"));
    let graph = ctx.state.graph.as_ref();
    let result = match PersonAction::parse(&action) {
        Some(action) => match ensure_users(&ctx.state.db, graph, &[me.id, person]).await {
            Ok(()) => {
                connections::act_and_tell(
                    &ctx.state.db,
                    ctx.state.graph.as_ref(),
                    me.id,
                    person,
                    action,
                    chrono::Utc::now(),
                    locale,
                )
                .await
            }
            Err(e) => Err(e),
        },
        None => Err(AppError::Refused(
            td_string!(locale, social.unknown_action).into(),
        )),
    };
    // after a block their profile is gone for one of the two: go to the people page
    let back = if action == PersonAction::Block.as_str() && result.is_ok() {
        "/people".to_owned()
    } else {
        back
    };
    ctx.respond(result, &back).await
}

#[server(endpoint = "social/feed")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn load_feed(#[server(default)] after: Option<String>) -> Result<FeedPage, AppError> {
    use crate::{
        domain::{accounts::language, context::ctx, social::feed},
        i18n::td_string,
    };
    let ctx = ctx().await?;
    let me = ctx.require_user().await?;
    let locale = language::of_request();
    let cursor = match after.as_deref().filter(|a| !a.is_empty()) {
        Some(raw) => {
            let bad = || AppError::Refused(td_string!(locale, social.feed.bad_link).into());
            Some(feed::Cursor::parse(raw).ok_or_else(bad)?)
        }
        None => None,
    };
    let (graph, tz) = (ctx.state.graph.as_ref(), ctx.state.settings.time_zone);
    let page = feed::page(graph, me.id, cursor.as_ref(), tz, locale);
    ctx.cached("social/feed", Some(&me), (&after, locale), page)
        .await
}

/// Friends and others going, for the event page; `None` to people not signed in.
#[server(endpoint = "social/event")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn load_event_social(event_id: i32) -> Result<Option<EventSocial>, AppError> {
    use crate::domain::{
        context::{ctx, find},
        events::access::can_view,
        social::{going, groups},
    };
    let ctx = ctx().await?;
    let Some(me) = ctx.viewer().await? else {
        return Ok(None);
    };
    let (db, graph) = (&ctx.state.db, ctx.state.graph.as_ref());
    let social = async {
        let event = find::<entity::event::Entity, _>(db, event_id).await?;
        if !can_view(db, &event, Some(&me)).await? {
            return Err(AppError::NotFound);
        }
        let saved = crate::domain::recs::saves::saved_among(db, me.id, &[event_id]).await?;
        Ok(Some(EventSocial {
            event_id,
            friends: going::friends_going(graph, me.id, event_id).await?,
            interested: going::friends_interested(graph, me.id, event_id).await?,
            saved: saved.contains(&event_id),
            others: going::others_going(graph, me.id, event_id).await?,
            groups: groups::joined(graph, me.id).await?,
        }))
    };
    ctx.cached("social/event", Some(&me), event_id, social)
        .await
}

#[server(endpoint = "social/groups")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn load_groups() -> Result<GroupsPage, AppError> {
    use crate::domain::{context::ctx, social::groups};
    let ctx = ctx().await?;
    let me = ctx.require_user().await?;
    let (mine, others) = groups::list(ctx.state.graph.as_ref(), me.id).await?;
    let state = ctx.take_form("new_group").await?;
    Ok(GroupsPage {
        mine,
        others,
        state,
    })
}

#[server(endpoint = "social/groups/create")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn create_group(
    name: String,
    #[server(default)] about: Option<String>,
    visibility: String,
) -> Result<(), AppError> {
    use crate::{
        domain::{
            accounts::language, context::ctx, forms::FormFields, graph::sync::ensure_users,
            social::groups,
        },
        i18n::td_string,
    };
    let ctx = ctx().await?;
    let locale = language::of_request();
    let me = ctx.require_user().await?;
    let about = about.unwrap_or_default();
    let graph = ctx.state.graph.as_ref();
    let created = match groups::parse(&name, &about, &visibility, locale) {
        Ok(group) => match ensure_users(&ctx.state.db, graph, &[me.id]).await {
            Ok(()) => groups::create(graph, me.id, group, chrono::Utc::now()).await,
            Err(e) => Err(e),
        },
        Err(e) => Err(e),
    };
    match created {
        Ok(key) => {
            ctx.succeed(
                td_string!(locale, social.groups.created),
                &format!("/groups/{key}"),
            )
            .await
        }
        Err(err) => {
            let form = FormFields::from_pairs([
                ("name", name.as_str()),
                ("about", &about),
                ("visibility", &visibility),
            ]);
            ctx.fail(err, "/groups", Some(("new_group", &form))).await
        }
    }
}

#[server(endpoint = "social/group")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn load_group(key: String) -> Result<GroupPage, AppError> {
    use crate::domain::{accounts::language, context::ctx, social::groups};
    let ctx = ctx().await?;
    let me = ctx.require_user().await?;
    let locale = language::of_request();
    let (graph, tz) = (ctx.state.graph.as_ref(), ctx.state.settings.time_zone);
    let page = groups::page(graph, me.id, &key, tz, locale);
    ctx.cached("social/group", Some(&me), (&key, locale), page)
        .await
}

#[server(endpoint = "social/group/act")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn act_in_group(
    key: String,
    action: String,
    #[server(default)] person: Option<i32>,
    #[server(default)] event: Option<i32>,
    #[server(default)] back: Option<String>,
) -> Result<(), AppError> {
    use crate::{
        domain::{accounts::language, context::ctx, graph::sync::ensure_users, social::groups},
        i18n::td_string,
    };
    let ctx = ctx().await?;
    let locale = language::of_request();
    let me = ctx.require_user().await?;
    let back = back_or(back, format!("/groups/{key}"));
    let users: Vec<i32> = std::iter::once(me.id).chain(person).collect();
    let result = match GroupAction::parse(&action) {
        Some(action) => match ensure_users(&ctx.state.db, ctx.state.graph.as_ref(), &users).await {
            Ok(()) => {
                groups::act_and_tell(
                    &ctx.state.db,
                    ctx.state.graph.as_ref(),
                    me.id,
                    &key,
                    action,
                    person,
                    event,
                    chrono::Utc::now(),
                    locale,
                )
                .await
            }
            Err(e) => Err(e),
        },
        None => Err(AppError::Refused(
            td_string!(locale, social.unknown_action).into(),
        )),
    };
    ctx.respond(result, &back).await
}

#[server(endpoint = "social/privacy")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn load_privacy() -> Result<PrivacyForm, AppError> {
    use crate::domain::{context::ctx, social::privacy};
    let ctx = ctx().await?;
    let me = ctx.require_user().await?;
    Ok(PrivacyForm {
        settings: privacy::settings_of(&me),
        state: ctx.take_form("privacy").await?,
    })
}

#[server(endpoint = "social/privacy/save")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn save_privacy(attendance: String, profile: String) -> Result<(), AppError> {
    use crate::{
        domain::{accounts::language, context::ctx, social::privacy},
        i18n::td_string,
    };
    let ctx = ctx().await?;
    let locale = language::of_request();
    let me = ctx.require_user().await?;
    let result = match privacy::parse(&attendance, &profile, locale) {
        Ok(settings) => privacy::save(&ctx.state.db, me, settings).await.map(drop),
        Err(e) => Err(e),
    };
    ctx.respond(
        result.map(|_| td_string!(locale, social.privacy.saved)),
        "/profile",
    )
    .await
}
