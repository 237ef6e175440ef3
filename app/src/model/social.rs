//! The social graph's shared types: ties, privacy, people, the feed, groups and shortlists.
use serde::{Deserialize, Serialize};

use crate::model::forms::FormState;

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
    /// Friends who saved it, under the same rule as going.
    #[serde(default)]
    pub interested: FriendsGoing,
    /// Whether the viewer saved it.
    #[serde(default)]
    pub saved: bool,
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
