//! Notifications as people see them: the kinds, the channels, the list, the preferences.
use serde::{Deserialize, Serialize};

slug_enum!(
    /// What a notification is about. The slug is stored and used in preference forms.
    Kind {
        RegistrationConfirmed = "registration_confirmed", "Your registration is confirmed";
        WaitlistOffer = "waitlist_offer", "A seat is offered to you from the waitlist";
        OfferLapsed = "offer_lapsed", "A seat offer lapsed";
        ApprovalDecided = "approval_decided", "An organizer decided on your request";
        PaymentRefunded = "payment_refunded", "A payment was refunded";
        EventCancelled = "event_cancelled", "An event you hold tickets for was cancelled";
        EventMoved = "event_moved", "An event you hold tickets for changed its time or place";
        Reminder = "reminder", "A reminder a day and two hours before an event you hold tickets for";
        CurationDecided = "curation_decided", "A curator decided on your event";
        FriendRequest = "friend_request", "Someone asks to be your friend";
        FriendAccepted = "friend_accepted", "Someone accepted your friend request";
        GroupInvitation = "group_invitation", "A friend invites you to a group";
        GroupRequest = "group_request", "Someone asks to join a group you run";
        FollowedEvents = "followed_events", "New events from organizers you follow (at most one a day)";
        WeeklyDigest = "weekly_digest", "A weekly digest of your week and what is coming up (by mail only when you switch it on)";
        Account = "account", "Links to confirm your address or reset your password";
    }
);

/// How much a kind matters, which sets its defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Importance {
    /// About a booking or an event of one's own: on every channel unless switched off.
    Transactional,
    /// What friends do: in the app, not in the mailbox, unless asked for.
    Social,
}

impl Kind {
    /// Whether people choose its channels. Account mail is the only way back into an account.
    pub fn switchable(self) -> bool {
        self != Kind::Account
    }

    pub fn importance(self) -> Importance {
        match self {
            Kind::FriendRequest
            | Kind::FriendAccepted
            | Kind::GroupInvitation
            | Kind::GroupRequest
            | Kind::FollowedEvents
            | Kind::WeeklyDigest => Importance::Social,
            _ => Importance::Transactional,
        }
    }

    /// Whether `channel` carries this kind for someone who chose nothing.
    pub fn default_on(self, channel: Channel) -> bool {
        match (self.importance(), channel) {
            (_, Channel::InApp) => true,
            (Importance::Transactional, Channel::Email | Channel::Push) => true,
            (Importance::Social, Channel::Email | Channel::Push) => false,
        }
    }
}

slug_enum!(
    /// Where a notification is delivered.
    Channel {
        InApp = "in_app", "In the app";
        Email = "email", "Email";
        Push = "push", "Push";
    }
);

impl Channel {
    /// The in-app list always shows everything: it is the record, not an interruption.
    pub fn can_switch_off(self) -> bool {
        self != Channel::InApp
    }
}

/// One entry of `/notifications`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NotificationItem {
    pub id: i32,
    pub title: String,
    pub body: String,
    pub link: String,
    /// When it happened, in the viewer's language ("Thu 3 Dec, 18:02 CET").
    pub when: String,
    pub unread: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NotificationsPage {
    pub items: Vec<NotificationItem>,
    pub unread: u64,
}

/// One row of the preferences page: a kind and whether each switchable channel carries it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PreferenceRow {
    pub kind: Kind,
    /// `(channel, on)` for every channel that can be switched off.
    pub channels: Vec<(Channel, bool)>,
}

/// The name of a preference switch in the preferences form: `email:registration_confirmed`.
pub fn switch_name(kind: Kind, channel: Channel) -> String {
    format!("{}:{}", channel.as_str(), kind.as_str())
}

/// One mail in the demo's mail directory, as `/admin/mail` lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MailSummary {
    /// The file name: what `/admin/mail?open=` takes.
    pub name: String,
    pub to: String,
    pub subject: String,
    pub date: String,
}

/// One mail opened: its headers, its text, its HTML and what is attached.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MailView {
    pub summary: MailSummary,
    pub headers: Vec<(String, String)>,
    pub text: String,
    pub html: Option<String>,
    pub attachments: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MailPage {
    /// `None` when mail goes out over SMTP: then nothing is kept here.
    pub directory: Option<String>,
    pub mails: Vec<MailSummary>,
    pub open: Option<MailView>,
}

/// What a live stream sends: the unread count and the newest notification.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LiveUpdate {
    pub unread: u64,
    pub latest_id: Option<i32>,
    pub latest_title: Option<String>,
    pub latest_link: Option<String>,
}

/// What a browser needs to subscribe to push notifications.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushSetup {
    /// The VAPID public key (`applicationServerKey`), base64url.
    pub public_key: String,
    /// How many of the person's browsers are subscribed.
    pub browsers: u64,
}

/// Quiet hours for push, as the preferences form shows them: `HH:MM` times (both empty when
/// off) and a time zone name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuietHours {
    pub from: String,
    pub until: String,
    pub zone: String,
}
