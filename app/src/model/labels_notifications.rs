//! How notifications' closed sets of values read in each language (`label()` stays English for
//! logs and exports).
use crate::{
    i18n::td_string,
    model::{
        language::Locale,
        notifications::{Channel, Kind},
    },
};

impl Kind {
    pub fn label_in(self, locale: Locale) -> &'static str {
        match self {
            Self::RegistrationConfirmed => {
                td_string!(locale, notifications.kind.registration_confirmed)
            }
            Self::WaitlistOffer => td_string!(locale, notifications.kind.waitlist_offer),
            Self::OfferLapsed => td_string!(locale, notifications.kind.offer_lapsed),
            Self::ApprovalDecided => td_string!(locale, notifications.kind.approval_decided),
            Self::PaymentRefunded => td_string!(locale, notifications.kind.payment_refunded),
            Self::EventCancelled => td_string!(locale, notifications.kind.event_cancelled),
            Self::EventMoved => td_string!(locale, notifications.kind.event_moved),
            Self::Reminder => td_string!(locale, notifications.kind.reminder),
            Self::CurationDecided => td_string!(locale, notifications.kind.curation_decided),
            Self::FriendRequest => td_string!(locale, notifications.kind.friend_request),
            Self::FriendAccepted => td_string!(locale, notifications.kind.friend_accepted),
            Self::GroupInvitation => td_string!(locale, notifications.kind.group_invitation),
            Self::GroupRequest => td_string!(locale, notifications.kind.group_request),
            Self::FollowedEvents => td_string!(locale, notifications.kind.followed_events),
            Self::WeeklyDigest => td_string!(locale, notifications.kind.weekly_digest),
            Self::Account => td_string!(locale, notifications.kind.account),
        }
    }
}

impl Channel {
    pub fn label_in(self, locale: Locale) -> &'static str {
        match self {
            Self::InApp => td_string!(locale, notifications.channel.in_app),
            Self::Email => td_string!(locale, notifications.channel.email),
            Self::Push => td_string!(locale, notifications.channel.push),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{
        language::Locale,
        notifications::{Channel, Kind},
    };

    /// English reads as it always did; the other languages are checked for completeness by
    /// the translations test.
    #[test]
    fn english_labels_are_the_models_labels() {
        for kind in Kind::ALL {
            assert_eq!(kind.label_in(Locale::en), kind.label());
        }
        for channel in Channel::ALL {
            assert_eq!(channel.label_in(Locale::en), channel.label());
        }
        assert_eq!(Channel::InApp.label_in(Locale::de), "In der App");
    }
}
