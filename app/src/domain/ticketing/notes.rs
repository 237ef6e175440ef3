//! What a registration's history says of each step. Notes are stored once, in these fixed
//! English forms (code also recognises a step by them, as a late payment does a lapsed
//! reservation), and read in each reader's language; a note in no form this knows (an earlier
//! version's, a payment mismatch with its amounts) stays as written.
use crate::{i18n::td_string, model::language::Locale};

pub const CANCELLED_BY_ATTENDEE: &str = "Cancelled by the attendee";
pub const CHECKED_IN: &str = "Checked in at the door";
pub const CHECKOUT_FAILED: &str = "Payment could not be started";
pub const EVENT_CANCELLED: &str = "The event was cancelled";
pub const RESERVATION_LAPSED: &str = "Reservation expired before payment";
pub const CHECKOUT_EXPIRED: &str = "Checkout expired without payment";
pub const OFFER_EXPIRED: &str = "Offer expired without an answer";
pub const APPROVED_TO_PAY: &str = "Approved; waiting for payment";
pub const APPROVED: &str = "Approved";
pub const DECLINED_BY_ORGANIZER: &str = "Declined by the organizer";
pub const CANCELLED_BY_ORGANIZER: &str = "Cancelled by the organizer";
pub const REFUNDED_BY_ORGANIZER: &str = "Refunded by the organizer";
pub const SEAT_FREED: &str = "A seat freed up";
pub const OFFER_ACCEPTED: &str = "Offer accepted";
pub const OFFER_ACCEPTED_TO_PAY: &str = "Offer accepted, waiting for payment";
pub const OFFER_DECLINED: &str = "Offer declined";
pub const PAID: &str = "Paid with Stripe Checkout";
pub const PAID_LATE: &str = "Paid after the reservation lapsed; seats were still free";
pub const PAID_AFTER_CLOSE: &str = "Paid after the registration had closed: refunded";
pub const REFUNDED_IN_STRIPE: &str = "Refunded in Stripe";
pub const PARTLY_REFUNDED_IN_STRIPE: &str = "Partly refunded in Stripe";

const REFUNDED_TICKETS: &str = " ticket(s) refunded (";

/// "2 ticket(s) refunded (€25.00)": the organizer refunded some of a registration's tickets.
pub fn tickets_refunded(count: i32, amount: &str) -> String {
    format!("{count}{REFUNDED_TICKETS}{amount})")
}

/// A stored note as `locale` reads it.
pub fn read_in(stored: &str, locale: Locale) -> String {
    let fixed = match stored {
        CANCELLED_BY_ATTENDEE => td_string!(locale, tickets.history_note.cancelled_by_attendee),
        CHECKED_IN => td_string!(locale, tickets.history_note.checked_in),
        CHECKOUT_FAILED => td_string!(locale, tickets.history_note.checkout_failed),
        EVENT_CANCELLED => td_string!(locale, tickets.history_note.event_cancelled),
        RESERVATION_LAPSED => td_string!(locale, tickets.history_note.reservation_lapsed),
        CHECKOUT_EXPIRED => td_string!(locale, tickets.history_note.checkout_expired),
        OFFER_EXPIRED => td_string!(locale, tickets.history_note.offer_expired),
        APPROVED_TO_PAY => td_string!(locale, tickets.history_note.approved_to_pay),
        APPROVED => td_string!(locale, tickets.history_note.approved),
        DECLINED_BY_ORGANIZER => td_string!(locale, tickets.history_note.declined_by_organizer),
        CANCELLED_BY_ORGANIZER => td_string!(locale, tickets.history_note.cancelled_by_organizer),
        REFUNDED_BY_ORGANIZER => td_string!(locale, tickets.history_note.refunded_by_organizer),
        SEAT_FREED => td_string!(locale, tickets.history_note.seat_freed),
        OFFER_ACCEPTED => td_string!(locale, tickets.history_note.offer_accepted),
        OFFER_ACCEPTED_TO_PAY => td_string!(locale, tickets.history_note.offer_accepted_to_pay),
        OFFER_DECLINED => td_string!(locale, tickets.history_note.offer_declined),
        PAID => td_string!(locale, tickets.history_note.paid),
        PAID_LATE => td_string!(locale, tickets.history_note.paid_late),
        PAID_AFTER_CLOSE => td_string!(locale, tickets.history_note.paid_after_close),
        REFUNDED_IN_STRIPE => td_string!(locale, tickets.history_note.refunded_in_stripe),
        PARTLY_REFUNDED_IN_STRIPE => {
            td_string!(locale, tickets.history_note.partly_refunded_in_stripe)
        }
        _ => "",
    };
    if !fixed.is_empty() {
        return fixed.to_owned();
    }
    let refunded = stored
        .strip_suffix(')')
        .and_then(|s| s.split_once(REFUNDED_TICKETS))
        .and_then(|(count, amount)| Some((count.parse::<i32>().ok()?, amount)));
    match refunded {
        Some((count, amount)) => {
            td_string!(locale, tickets.history_note.tickets_refunded, count, amount)
        }
        None => stored.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_are_stored_once_and_read_in_each_language() {
        assert_eq!(read_in(CHECKED_IN, Locale::en), CHECKED_IN);
        assert_eq!(read_in(CHECKED_IN, Locale::de), "Am Eingang eingecheckt");
        assert_eq!(
            read_in(DECLINED_BY_ORGANIZER, Locale::pt_PT),
            "Recusado pela organização"
        );
        let refunded = tickets_refunded(2, "€25.00");
        assert_eq!(read_in(&refunded, Locale::en), refunded);
        assert_eq!(
            read_in(&refunded, Locale::de),
            "2 Ticket(s) erstattet (€25.00)"
        );
        assert_eq!(read_in("Something else", Locale::de), "Something else");
    }
}
