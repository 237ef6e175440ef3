//! How the model's closed sets of values read in each language (`label()` stays English for
//! exports, the search index and logs).
use crate::{i18n::td_string, model::language::Locale};

impl crate::model::taxonomy::Category {
    pub fn label_in(self, locale: Locale) -> &'static str {
        match self {
            Self::Music => td_string!(locale, taxonomy.category.music),
            Self::Arts => td_string!(locale, taxonomy.category.arts),
            Self::FoodDrink => td_string!(locale, taxonomy.category.food_drink),
            Self::Tech => td_string!(locale, taxonomy.category.tech),
            Self::Sports => td_string!(locale, taxonomy.category.sports),
            Self::Wellness => td_string!(locale, taxonomy.category.wellness),
            Self::Community => td_string!(locale, taxonomy.category.community),
            Self::Nightlife => td_string!(locale, taxonomy.category.nightlife),
            Self::Family => td_string!(locale, taxonomy.category.family),
            Self::Education => td_string!(locale, taxonomy.category.education),
            Self::Business => td_string!(locale, taxonomy.category.business),
            Self::Outdoors => td_string!(locale, taxonomy.category.outdoors),
        }
    }
}

impl crate::model::taxonomy::Role {
    pub fn label_in(self, locale: Locale) -> &'static str {
        match self {
            Self::Attendee => td_string!(locale, taxonomy.role.attendee),
            Self::Organizer => td_string!(locale, taxonomy.role.organizer),
            Self::Curator => td_string!(locale, taxonomy.role.curator),
            Self::Admin => td_string!(locale, taxonomy.role.admin),
        }
    }
}

impl crate::model::events::EventStatus {
    pub fn label_in(self, locale: Locale) -> &'static str {
        match self {
            Self::Draft => td_string!(locale, taxonomy.event_status.draft),
            Self::Submitted => td_string!(locale, taxonomy.event_status.submitted),
            Self::InReview => td_string!(locale, taxonomy.event_status.in_review),
            Self::Published => td_string!(locale, taxonomy.event_status.published),
            Self::NeedsRevision => td_string!(locale, taxonomy.event_status.needs_revision),
            Self::Rejected => td_string!(locale, taxonomy.event_status.rejected),
            Self::Cancelled => td_string!(locale, taxonomy.event_status.cancelled),
            Self::Completed => td_string!(locale, taxonomy.event_status.completed),
        }
    }
}

impl crate::model::events::Visibility {
    pub fn label_in(self, locale: Locale) -> &'static str {
        match self {
            Self::Public => td_string!(locale, taxonomy.visibility.public),
            Self::Unlisted => td_string!(locale, taxonomy.visibility.unlisted),
            Self::Private => td_string!(locale, taxonomy.visibility.private),
        }
    }
}

impl crate::model::organizations::OrgRole {
    pub fn label_in(self, locale: Locale) -> &'static str {
        match self {
            Self::Owner => td_string!(locale, taxonomy.org_role.owner),
            Self::Manager => td_string!(locale, taxonomy.org_role.manager),
            Self::Editor => td_string!(locale, taxonomy.org_role.editor),
            Self::Door => td_string!(locale, taxonomy.org_role.door),
            Self::Finance => td_string!(locale, taxonomy.org_role.finance),
        }
    }
}

impl crate::model::organizations::OrgAction {
    pub fn label_in(self, locale: Locale) -> &'static str {
        match self {
            Self::SeeEvents => td_string!(locale, taxonomy.org_action.see_events),
            Self::EditEvents => td_string!(locale, taxonomy.org_action.edit_events),
            Self::ManageTickets => td_string!(locale, taxonomy.org_action.manage_tickets),
            Self::CheckIn => td_string!(locale, taxonomy.org_action.check_in),
            Self::SeeFigures => td_string!(locale, taxonomy.org_action.see_figures),
            Self::SeeMoney => td_string!(locale, taxonomy.org_action.see_money),
            Self::Refund => td_string!(locale, taxonomy.org_action.refund),
            Self::ManagePayouts => td_string!(locale, taxonomy.org_action.manage_payouts),
            Self::EditProfile => td_string!(locale, taxonomy.org_action.edit_profile),
            Self::ManageTeam => td_string!(locale, taxonomy.org_action.manage_team),
            Self::ReviewSubmissions => td_string!(locale, taxonomy.org_action.review_submissions),
            Self::Own => td_string!(locale, taxonomy.org_action.own),
        }
    }
}

impl crate::model::discovery::SortOrder {
    pub fn label_in(self, locale: Locale) -> &'static str {
        match self {
            Self::Relevance => td_string!(locale, taxonomy.sort_order.relevance),
            Self::Soonest => td_string!(locale, taxonomy.sort_order.soonest),
            Self::Nearest => td_string!(locale, taxonomy.sort_order.nearest),
            Self::Quality => td_string!(locale, taxonomy.sort_order.quality),
        }
    }
}

impl crate::model::discovery::DatePreset {
    pub fn label_in(self, locale: Locale) -> &'static str {
        match self {
            Self::Today => td_string!(locale, taxonomy.date_preset.today),
            Self::Tomorrow => td_string!(locale, taxonomy.date_preset.tomorrow),
            Self::Weekend => td_string!(locale, taxonomy.date_preset.weekend),
            Self::Week => td_string!(locale, taxonomy.date_preset.week),
            Self::Custom => td_string!(locale, taxonomy.date_preset.custom),
        }
    }
}

impl crate::model::discovery::SuggestionKind {
    pub fn label_in(self, locale: Locale) -> &'static str {
        match self {
            Self::Event => td_string!(locale, taxonomy.suggestion_kind.event),
            Self::Category => td_string!(locale, taxonomy.suggestion_kind.category),
            Self::Venue => td_string!(locale, taxonomy.suggestion_kind.venue),
            Self::City => td_string!(locale, taxonomy.suggestion_kind.city),
        }
    }
}

impl crate::model::discovery::SearchProblem {
    /// The explanation the search page shows above its results.
    pub fn message_in(&self, locale: Locale) -> String {
        use crate::model::discovery::{MAX_PAGE, MAX_QUERY_CHARS, MAX_RADIUS_KM, MIN_RADIUS_KM};
        match self {
            Self::UnknownCategory(value) => {
                td_string!(locale, search.problem.unknown_category, value = value)
            }
            Self::UnknownDateChoice => {
                td_string!(locale, search.problem.unknown_date_choice).to_owned()
            }
            Self::BadDate(value) => td_string!(locale, search.problem.bad_date, value = value),
            Self::UnknownPriceChoice => {
                td_string!(locale, search.problem.unknown_price_choice).to_owned()
            }
            Self::BadAmount => td_string!(locale, search.problem.bad_amount).to_owned(),
            Self::UnknownFormat => td_string!(locale, search.problem.unknown_format).to_owned(),
            Self::UnknownPlace => td_string!(locale, search.problem.unknown_place).to_owned(),
            Self::BadPosition => td_string!(locale, search.problem.bad_position).to_owned(),
            Self::BadRadius => td_string!(
                locale,
                search.problem.bad_radius,
                min = MIN_RADIUS_KM,
                max = MAX_RADIUS_KM
            ),
            Self::UnknownSort => td_string!(locale, search.problem.unknown_sort).to_owned(),
            Self::BadPage => td_string!(locale, search.problem.bad_page, max = MAX_PAGE),
            Self::QueryTooLong => {
                td_string!(locale, search.problem.query_too_long, max = MAX_QUERY_CHARS)
            }
            Self::PricesSwapped => td_string!(locale, search.problem.prices_swapped).to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{
        discovery::{DatePreset, SearchProblem, SortOrder, SuggestionKind},
        events::{EventStatus, Visibility},
        language::Locale,
        organizations::{OrgAction, OrgRole},
        taxonomy::{Category, Role},
    };

    /// English reads as it always did; the other languages are checked for completeness by
    /// the translations test.
    #[test]
    fn english_labels_are_the_models_labels() {
        let pairs = Category::ALL
            .iter()
            .map(|c| (c.label_in(Locale::en), c.label()))
            .chain(
                Role::ALL
                    .iter()
                    .map(|r| (r.label_in(Locale::en), r.label())),
            )
            .chain(
                EventStatus::ALL
                    .iter()
                    .map(|s| (s.label_in(Locale::en), s.label())),
            )
            .chain(
                Visibility::ALL
                    .iter()
                    .map(|v| (v.label_in(Locale::en), v.label())),
            )
            .chain(
                OrgRole::ALL
                    .iter()
                    .map(|r| (r.label_in(Locale::en), r.label())),
            )
            .chain(
                OrgAction::ALL
                    .iter()
                    .map(|a| (a.label_in(Locale::en), a.label())),
            )
            .chain(
                SortOrder::ALL
                    .iter()
                    .map(|s| (s.label_in(Locale::en), s.label())),
            )
            .chain(
                DatePreset::ALL
                    .iter()
                    .map(|d| (d.label_in(Locale::en), d.label())),
            )
            .chain(
                SuggestionKind::ALL
                    .iter()
                    .map(|k| (k.label_in(Locale::en), k.label())),
            );
        for (translated, english) in pairs {
            assert_eq!(translated, english);
        }
        assert_eq!(Category::FoodDrink.label_in(Locale::de), "Essen & Trinken");
        assert_eq!(EventStatus::Cancelled.label_in(Locale::pt_PT), "Cancelado");
    }

    #[test]
    fn search_problems_are_explained_with_their_values_and_limits() {
        let unknown = SearchProblem::UnknownCategory("astrology".into());
        assert_eq!(
            unknown.message_in(Locale::en),
            "There is no category “astrology”."
        );
        assert_eq!(
            unknown.message_in(Locale::de),
            "Es gibt keine Kategorie „astrology“."
        );
        assert_eq!(
            SearchProblem::BadRadius.message_in(Locale::pt_PT),
            "A distância tem de estar entre 1 e 100 km."
        );
        assert_eq!(
            SearchProblem::BadPage.message_in(Locale::de),
            "Es gibt die Seiten 1 bis 50."
        );
    }
}
