//! How curation's closed sets of values read in each language (`label()` stays English for
//! exports, the search index and logs).
use crate::{
    i18n::td_string,
    model::{
        curation::{Decision, FlagReason, Recommendation, RejectReason, SubmissionKind},
        language::Locale,
    },
};

impl Recommendation {
    pub fn label_in(self, locale: Locale) -> &'static str {
        match self {
            Self::FastTrack => td_string!(locale, curation.recommendation.fast_track),
            Self::Normal => td_string!(locale, curation.recommendation.normal),
            Self::LikelyReject => td_string!(locale, curation.recommendation.likely_reject),
        }
    }
}

impl SubmissionKind {
    pub fn label_in(self, locale: Locale) -> &'static str {
        match self {
            Self::New => td_string!(locale, curation.submission_kind.new_submission),
            Self::Edit => td_string!(locale, curation.submission_kind.edit),
            Self::Flagged => td_string!(locale, curation.submission_kind.flagged),
            Self::Appeal => td_string!(locale, curation.submission_kind.appeal),
        }
    }
}

impl Decision {
    pub fn label_in(self, locale: Locale) -> &'static str {
        match self {
            Self::Approve => td_string!(locale, curation.decision.approve),
            Self::NeedsRevision => td_string!(locale, curation.decision.needs_revision),
            Self::Reject => td_string!(locale, curation.decision.reject),
        }
    }
}

impl RejectReason {
    pub fn label_in(self, locale: Locale) -> &'static str {
        match self {
            Self::Spam => td_string!(locale, curation.reject_reason.spam),
            Self::Duplicate => td_string!(locale, curation.reject_reason.duplicate),
            Self::LowQuality => td_string!(locale, curation.reject_reason.low_quality),
            Self::Policy => td_string!(locale, curation.reject_reason.policy),
            Self::Other => td_string!(locale, curation.reject_reason.other),
        }
    }
}

impl FlagReason {
    pub fn label_in(self, locale: Locale) -> &'static str {
        match self {
            Self::Spam => td_string!(locale, curation.flag_reason.spam),
            Self::Misleading => td_string!(locale, curation.flag_reason.misleading),
            Self::Inappropriate => td_string!(locale, curation.flag_reason.inappropriate),
            Self::Duplicate => td_string!(locale, curation.flag_reason.duplicate),
            Self::Other => td_string!(locale, curation.flag_reason.other),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{
        curation::{Decision, FlagReason, Recommendation, RejectReason, SubmissionKind},
        language::Locale,
    };

    /// English reads as it always did; the other languages are checked for completeness by
    /// the translations test.
    #[test]
    fn english_labels_are_the_models_labels() {
        let pairs = Recommendation::ALL
            .iter()
            .map(|r| (r.label_in(Locale::en), r.label()))
            .chain(
                SubmissionKind::ALL
                    .iter()
                    .map(|k| (k.label_in(Locale::en), k.label())),
            )
            .chain(
                Decision::ALL
                    .iter()
                    .map(|d| (d.label_in(Locale::en), d.label())),
            )
            .chain(
                RejectReason::ALL
                    .iter()
                    .map(|r| (r.label_in(Locale::en), r.label())),
            )
            .chain(
                FlagReason::ALL
                    .iter()
                    .map(|r| (r.label_in(Locale::en), r.label())),
            );
        for (translated, english) in pairs {
            assert_eq!(translated, english);
        }
    }
}
