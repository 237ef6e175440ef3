//! How the social graph's closed sets of values read in each language (`label()` stays English
//! for exports, the search index and logs).
use crate::{
    i18n::td_string,
    model::{
        language::Locale,
        social::{GroupAction, GroupVisibility, MemberStatus, PersonAction, Tie, Visibility},
    },
};

impl Visibility {
    pub fn label_in(self, locale: Locale) -> &'static str {
        match self {
            Self::Public => td_string!(locale, social.visibility.public),
            Self::Friends => td_string!(locale, social.visibility.friends),
            Self::Private => td_string!(locale, social.visibility.private),
        }
    }
}

impl GroupVisibility {
    /// "Name: explanation"; lists show the name alone, up to the colon.
    pub fn label_in(self, locale: Locale) -> &'static str {
        match self {
            Self::Public => td_string!(locale, social.group_visibility.public),
            Self::Private => td_string!(locale, social.group_visibility.private),
            Self::InviteOnly => td_string!(locale, social.group_visibility.invite_only),
        }
    }
}

impl MemberStatus {
    pub fn label_in(self, locale: Locale) -> &'static str {
        match self {
            Self::Member => td_string!(locale, social.member_status.member),
            Self::Requested => td_string!(locale, social.member_status.requested),
            Self::Invited => td_string!(locale, social.member_status.invited),
        }
    }
}

impl Tie {
    pub fn label_in(self, locale: Locale) -> &'static str {
        match self {
            Self::Me => td_string!(locale, social.tie.me),
            Self::Friends => td_string!(locale, social.tie.friends),
            Self::AskedThem => td_string!(locale, social.tie.asked_them),
            Self::AskedMe => td_string!(locale, social.tie.asked_me),
            Self::Blocking => td_string!(locale, social.tie.blocking),
            Self::None => td_string!(locale, social.tie.none),
        }
    }
}

impl PersonAction {
    pub fn label_in(self, locale: Locale) -> &'static str {
        match self {
            Self::Befriend => td_string!(locale, social.person_action.befriend),
            Self::Accept => td_string!(locale, social.person_action.accept),
            Self::Decline => td_string!(locale, social.person_action.decline),
            Self::CancelRequest => td_string!(locale, social.person_action.cancel_request),
            Self::Unfriend => td_string!(locale, social.person_action.unfriend),
            Self::Follow => td_string!(locale, social.person_action.follow),
            Self::Unfollow => td_string!(locale, social.person_action.unfollow),
            Self::Block => td_string!(locale, social.person_action.block),
            Self::Unblock => td_string!(locale, social.person_action.unblock),
        }
    }
}

impl GroupAction {
    pub fn label_in(self, locale: Locale) -> &'static str {
        match self {
            Self::Join => td_string!(locale, social.group_action.join),
            Self::Leave => td_string!(locale, social.group_action.leave),
            Self::Approve => td_string!(locale, social.group_action.approve),
            Self::Reject => td_string!(locale, social.group_action.reject),
            Self::Invite => td_string!(locale, social.group_action.invite),
            Self::MakeAdmin => td_string!(locale, social.group_action.make_admin),
            Self::Propose => td_string!(locale, social.group_action.propose),
            Self::Vote => td_string!(locale, social.group_action.vote),
            Self::Unvote => td_string!(locale, social.group_action.unvote),
            Self::Unlist => td_string!(locale, social.group_action.unlist),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{
        language::Locale,
        social::{GroupAction, GroupVisibility, MemberStatus, PersonAction, Tie, Visibility},
    };

    /// English reads as it always did; the other languages are checked for completeness by
    /// the translations test.
    #[test]
    fn english_labels_are_the_models_labels() {
        let pairs = Visibility::ALL
            .iter()
            .map(|v| (v.label_in(Locale::en), v.label()))
            .chain(
                GroupVisibility::ALL
                    .iter()
                    .map(|v| (v.label_in(Locale::en), v.label())),
            )
            .chain(
                MemberStatus::ALL
                    .iter()
                    .map(|s| (s.label_in(Locale::en), s.label())),
            )
            .chain(Tie::ALL.iter().map(|t| (t.label_in(Locale::en), t.label())))
            .chain(
                PersonAction::ALL
                    .iter()
                    .map(|a| (a.label_in(Locale::en), a.label())),
            )
            .chain(
                GroupAction::ALL
                    .iter()
                    .map(|a| (a.label_in(Locale::en), a.label())),
            );
        for (translated, english) in pairs {
            assert_eq!(translated, english);
        }
        assert_eq!(
            PersonAction::Befriend.label_in(Locale::de),
            "Als Freund hinzufügen"
        );
        assert_eq!(Tie::AskedMe.label_in(Locale::pt_PT), "Quer ser seu amigo");
        // lists cut a group's visibility at the colon: every language keeps one
        for locale in crate::model::language::LANGUAGES {
            for v in GroupVisibility::ALL {
                assert!(v.label_in(locale).contains(": "), "{locale:?} {v:?}");
            }
        }
    }
}
