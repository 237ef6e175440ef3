//! How ticketing's closed sets of values read in each language (`label()` stays English for
//! exports and logs).
use crate::{
    i18n::td_string,
    model::{
        language::Locale,
        ticketing::{GuestTab, RegistrationStatus, WaitlistTier},
    },
};

impl RegistrationStatus {
    pub fn label_in(self, locale: Locale) -> &'static str {
        match self {
            Self::PendingApproval => {
                td_string!(locale, tickets.registration_status.pending_approval)
            }
            Self::Reserved => td_string!(locale, tickets.registration_status.reserved),
            Self::Confirmed => td_string!(locale, tickets.registration_status.confirmed),
            Self::Waitlisted => td_string!(locale, tickets.registration_status.waitlisted),
            Self::Offered => td_string!(locale, tickets.registration_status.offered),
            Self::Declined => td_string!(locale, tickets.registration_status.declined),
            Self::Cancelled => td_string!(locale, tickets.registration_status.cancelled),
            Self::Refunded => td_string!(locale, tickets.registration_status.refunded),
            Self::CheckedIn => td_string!(locale, tickets.registration_status.checked_in),
        }
    }
}

impl GuestTab {
    pub fn label_in(self, locale: Locale) -> &'static str {
        match self {
            Self::Going => td_string!(locale, tickets.guest_tab.going),
            Self::CheckedIn => td_string!(locale, tickets.guest_tab.checked_in),
            Self::Pending => td_string!(locale, tickets.guest_tab.pending),
            Self::Waitlist => td_string!(locale, tickets.guest_tab.waitlist),
            Self::Reserved => td_string!(locale, tickets.guest_tab.reserved),
            Self::NotGoing => td_string!(locale, tickets.guest_tab.not_going),
            Self::All => td_string!(locale, tickets.guest_tab.all),
        }
    }
}

impl WaitlistTier {
    pub fn label_in(self, locale: Locale) -> &'static str {
        match self {
            Self::Vip => td_string!(locale, tickets.waitlist_tier.vip),
            Self::Member => td_string!(locale, tickets.waitlist_tier.member),
            Self::Standard => td_string!(locale, tickets.waitlist_tier.standard),
        }
    }
}

/// A void ticket's stored status in words, as in "This ticket was refunded".
pub fn ticket_status_in(locale: Locale, status: &str) -> String {
    match status {
        "refunded" => td_string!(locale, tickets.ticket_status.refunded).to_owned(),
        "cancelled" => td_string!(locale, tickets.ticket_status.cancelled).to_owned(),
        other => other.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{
        language::Locale,
        ticketing::{GuestTab, RegistrationStatus, WaitlistTier},
    };

    /// English reads as it always did; the other languages are checked for completeness by
    /// the translations test.
    #[test]
    fn english_labels_are_the_models_labels() {
        let pairs = RegistrationStatus::ALL
            .iter()
            .map(|s| (s.label_in(Locale::en), s.label()))
            .chain(
                GuestTab::ALL
                    .iter()
                    .map(|t| (t.label_in(Locale::en), t.label())),
            )
            .chain(
                WaitlistTier::ALL
                    .iter()
                    .map(|t| (t.label_in(Locale::en), t.label())),
            );
        for (translated, english) in pairs {
            assert_eq!(translated, english);
        }
        assert_eq!(
            RegistrationStatus::Refunded.label_in(Locale::de),
            "Erstattet"
        );
        assert_eq!(WaitlistTier::Member.label_in(Locale::pt_PT), "Membro");
    }
}
