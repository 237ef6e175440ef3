//! How organizations' closed sets of values read in each language.
use crate::{
    i18n::td_string,
    model::{language::Locale, organizations::OrgRole},
};

impl OrgRole {
    /// What the role is for, in a sentence (the team page and the invitation say it).
    pub fn summary_in(self, locale: Locale) -> &'static str {
        match self {
            Self::Owner => td_string!(locale, organizations.role_summary.owner),
            Self::Manager => td_string!(locale, organizations.role_summary.manager),
            Self::Editor => td_string!(locale, organizations.role_summary.editor),
            Self::Door => td_string!(locale, organizations.role_summary.door),
            Self::Finance => td_string!(locale, organizations.role_summary.finance),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_says_what_it_is_for_in_each_language() {
        assert_eq!(
            OrgRole::Door.summary_in(Locale::en),
            "Checks people in at the door, nothing else."
        );
        assert_eq!(
            OrgRole::Editor.summary_in(Locale::de),
            "Erstellt und bearbeitet Veranstaltungen."
        );
        for &role in OrgRole::ALL {
            assert!(!role.summary_in(Locale::pt_PT).is_empty());
        }
    }
}
