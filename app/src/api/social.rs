//! Friends, follows, blocks, privacy, who's going, the activity feed, suggestions and groups.
use leptos::server;
use serde::{Deserialize, Serialize};

use crate::{api::flash::FormState, error::AppError};

slug_enum!(
    /// Who may see something of a person's: their attendance, or their profile details.
    Visibility {
        Public = "public", "Everyone";
        Friends = "friends", "Friends only";
        Private = "private", "Only me";
    }
);

slug_enum!(
    GroupVisibility {
        Public = "public", "Public: anyone can join";
        Private = "private", "Private: people ask to join, admins approve";
        InviteOnly = "invite_only", "Invite only: hidden, members are invited";
    }
);

slug_enum!(
    /// Where someone stands with a group.
    MemberStatus {
        Member = "member", "Member";
        Requested = "requested", "Asked to join";
        Invited = "invited", "Invited";
    }
);

slug_enum!(
    /// How the viewer and another person are connected.
    Tie {
        Me = "me", "You";
        Friends = "friends", "Friends";
        AskedThem = "asked_them", "Friend request sent";
        AskedMe = "asked_me", "Wants to be your friend";
        Blocking = "blocking", "Blocked";
        None = "none", "Not connected";
    }
);

slug_enum!(
    /// What a person may do to another, from their profile or a list.
    PersonAction {
        Befriend = "befriend", "Add friend";
        Accept = "accept", "Accept";
        Decline = "decline", "Decline";
        CancelRequest = "cancel_request", "Cancel request";
        Unfriend = "unfriend", "Remove friend";
        Follow = "follow", "Follow";
        Unfollow = "unfollow", "Unfollow";
        Block = "block", "Block";
        Unblock = "unblock", "Unblock";
    }
);

slug_enum!(
    GroupAction {
        Join = "join", "Join";
        Leave = "leave", "Leave";
        Approve = "approve", "Approve";
        Reject = "reject", "Reject";
        Invite = "invite", "Invite";
        MakeAdmin = "make_admin", "Make admin";
        Propose = "propose", "Add to shortlist";
        Vote = "vote", "Vote";
        Unvote = "unvote", "Take back vote";
        Unlist = "unlist", "Remove from shortlist";
    }
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonRef {
    pub id: i32,
    pub name: String,
}

impl PersonRef {
    /// Up to two initials, for a face without a photo.
    pub fn initials(&self) -> String {
        self.name
            .split_whitespace()
            .filter_map(|w| w.chars().next())
            .take(2)
            .flat_map(char::to_uppercase)
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonCard {
    pub person: PersonRef,
    pub tie: Tie,
    pub following: bool,
    /// Why they are suggested ("4 mutual friends", "You both went to …").
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct FriendsGoing {
    pub count: u32,
    /// The first few, for faces.
    pub faces: Vec<PersonRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventSocial {
    pub event_id: i32,
    pub friends: FriendsGoing,
    /// Others going whose attendance the viewer may see.
    pub others: Vec<PersonRef>,
    /// The viewer's groups they may add this event to the shortlist of.
    pub groups: Vec<GroupRef>,
}

slug_enum!(
    FeedKind {
        Going = "going", "is going to";
        Reviewed = "reviewed", "reviewed";
        Published = "published", "published";
        Shortlisted = "shortlisted", "added to the shortlist of";
    }
);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeedItem {
    pub kind: FeedKind,
    pub who: PersonRef,
    pub event_id: i32,
    pub event_title: String,
    pub event_start: String,
    pub group: Option<GroupRef>,
    pub rating: Option<i32>,
    pub when: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeedPage {
    pub items: Vec<FeedItem>,
    /// The cursor of the next (older) page.
    pub next: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupRef {
    pub key: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupSummary {
    pub group: GroupRef,
    pub about: String,
    pub visibility: GroupVisibility,
    pub members: u32,
    pub my_status: Option<MemberStatus>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Member {
    pub person: PersonRef,
    pub admin: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShortlistItem {
    pub event_id: i32,
    pub title: String,
    pub start: String,
    pub proposed_by: String,
    pub votes: u32,
    pub voted: bool,
    /// The most votes (ties: the earliest proposed).
    pub top: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupPage {
    pub summary: GroupSummary,
    pub admin: bool,
    /// Members, their requests and the shortlist are for members only.
    pub members: Vec<Member>,
    pub requests: Vec<PersonRef>,
    pub shortlist: Vec<ShortlistItem>,
    /// Friends of an admin who may be invited.
    pub invitable: Vec<PersonRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeoplePage {
    pub query: String,
    pub results: Vec<PersonCard>,
    pub requests: Vec<PersonCard>,
    pub sent: Vec<PersonCard>,
    pub friends: Vec<PersonCard>,
    pub suggestions: Vec<PersonCard>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProfileView {
    pub card: PersonCard,
    /// `None` when their profile details are not visible to the viewer.
    pub city: Option<String>,
    pub interests: Vec<String>,
    pub friends: Option<u32>,
    /// Upcoming events they go to, when their attendance is visible to the viewer.
    pub going: Option<Vec<(i32, String)>>,
    pub actions: Vec<PersonAction>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrivacySettings {
    pub attendance: Visibility,
    pub profile: Visibility,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupsPage {
    pub mine: Vec<GroupSummary>,
    pub others: Vec<GroupSummary>,
    pub state: FormState,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrivacyForm {
    pub settings: PrivacySettings,
    pub state: FormState,
}

/// Where a form sends people back to: the page it was on, when that is a path on this site.
#[cfg(feature = "ssr")]
fn back_or(back: Option<String>, default: String) -> String {
    back.filter(|b| crate::api::accounts::is_local_path(b))
        .unwrap_or(default)
}

#[server(endpoint = "social/people")]
pub async fn load_people(#[server(default)] q: Option<String>) -> Result<PeoplePage, AppError> {
    use crate::domain::{context::ctx, social::people};
    let ctx = ctx().await?;
    let me = ctx.require_user().await?;
    let q = q.unwrap_or_default();
    people::page(
        &ctx.state.db,
        ctx.state.graph.as_ref(),
        me.id,
        &q,
        chrono::Utc::now(),
    )
    .await
}

#[server(endpoint = "social/person")]
pub async fn load_person(id: i32) -> Result<ProfileView, AppError> {
    use crate::domain::{context::ctx, social::people};
    let ctx = ctx().await?;
    let me = ctx.require_user().await?;
    people::profile(
        &ctx.state.db,
        ctx.state.graph.as_ref(),
        me.id,
        id,
        chrono::Utc::now(),
    )
    .await
}

/// Befriend, accept, follow, block… one person, then back to the page the form was on.
#[server(endpoint = "social/person/act")]
pub async fn act_on_person(
    person: i32,
    action: String,
    #[server(default)] back: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::{context::ctx, graph::sync::ensure_users, social::connections};
    let ctx = ctx().await?;
    let me = ctx.require_user().await?;
    let back = back_or(back, format!("/people/{person}"));
    let graph = ctx.state.graph.as_ref();
    let result = match PersonAction::parse(&action) {
        Some(action) => match ensure_users(&ctx.state.db, graph, &[me.id, person]).await {
            Ok(()) => {
                connections::act(
                    ctx.state.graph.as_ref(),
                    me.id,
                    person,
                    action,
                    chrono::Utc::now(),
                )
                .await
            }
            Err(e) => Err(e),
        },
        None => Err(AppError::Refused("Unknown action.".into())),
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
pub async fn load_feed(#[server(default)] after: Option<String>) -> Result<FeedPage, AppError> {
    use crate::domain::{context::ctx, social::feed};
    let ctx = ctx().await?;
    let me = ctx.require_user().await?;
    let cursor = match after.as_deref().filter(|a| !a.is_empty()) {
        Some(raw) => Some(
            feed::Cursor::parse(raw)
                .ok_or_else(|| AppError::Refused("That page link is not valid.".into()))?,
        ),
        None => None,
    };
    feed::page(
        ctx.state.graph.as_ref(),
        me.id,
        cursor.as_ref(),
        ctx.state.settings.time_zone,
    )
    .await
}

/// Friends and others going, for the event page; `None` to people not signed in.
#[server(endpoint = "social/event")]
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
    let event = find::<entity::event::Entity, _>(&ctx.state.db, event_id).await?;
    if !can_view(&event, Some(&me)) {
        return Err(AppError::NotFound);
    }
    let graph = ctx.state.graph.as_ref();
    let (mine, _) = groups::list(graph, me.id).await?;
    Ok(Some(EventSocial {
        event_id,
        friends: going::friends_going(graph, me.id, event_id).await?,
        others: going::others_going(graph, me.id, event_id).await?,
        groups: mine
            .into_iter()
            .filter(|g| g.my_status == Some(MemberStatus::Member))
            .map(|g| g.group)
            .collect(),
    }))
}

#[server(endpoint = "social/groups")]
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
pub async fn create_group(
    name: String,
    #[server(default)] about: Option<String>,
    visibility: String,
) -> Result<(), AppError> {
    use crate::domain::{
        context::ctx, forms::FormFields, graph::sync::ensure_users, social::groups,
    };
    let ctx = ctx().await?;
    let me = ctx.require_user().await?;
    let about = about.unwrap_or_default();
    let graph = ctx.state.graph.as_ref();
    let created = match groups::parse(&name, &about, &visibility) {
        Ok(group) => match ensure_users(&ctx.state.db, graph, &[me.id]).await {
            Ok(()) => groups::create(graph, me.id, group, chrono::Utc::now()).await,
            Err(e) => Err(e),
        },
        Err(e) => Err(e),
    };
    match created {
        Ok(key) => {
            ctx.succeed("Group created.", &format!("/groups/{key}"))
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
pub async fn load_group(key: String) -> Result<GroupPage, AppError> {
    use crate::domain::{context::ctx, social::groups};
    let ctx = ctx().await?;
    let me = ctx.require_user().await?;
    groups::page(
        ctx.state.graph.as_ref(),
        me.id,
        &key,
        ctx.state.settings.time_zone,
    )
    .await
}

#[server(endpoint = "social/group/act")]
pub async fn act_in_group(
    key: String,
    action: String,
    #[server(default)] person: Option<i32>,
    #[server(default)] event: Option<i32>,
    #[server(default)] back: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::{context::ctx, graph::sync::ensure_users, social::groups};
    let ctx = ctx().await?;
    let me = ctx.require_user().await?;
    let back = back_or(back, format!("/groups/{key}"));
    let users: Vec<i32> = std::iter::once(me.id).chain(person).collect();
    let result = match GroupAction::parse(&action) {
        Some(action) => match ensure_users(&ctx.state.db, ctx.state.graph.as_ref(), &users).await {
            Ok(()) => {
                groups::act(
                    ctx.state.graph.as_ref(),
                    me.id,
                    &key,
                    action,
                    person,
                    event,
                    chrono::Utc::now(),
                )
                .await
            }
            Err(e) => Err(e),
        },
        None => Err(AppError::Refused("Unknown action.".into())),
    };
    ctx.respond(result, &back).await
}

#[server(endpoint = "social/privacy")]
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
pub async fn save_privacy(attendance: String, profile: String) -> Result<(), AppError> {
    use crate::domain::{context::ctx, social::privacy};
    let ctx = ctx().await?;
    let me = ctx.require_user().await?;
    let result = match privacy::parse(&attendance, &profile) {
        Ok(settings) => privacy::save(&ctx.state.db, me, settings).await.map(drop),
        Err(e) => Err(e),
    };
    ctx.respond(result.map(|_| "Privacy settings saved."), "/profile")
        .await
}
