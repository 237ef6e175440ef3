//! Who may see a person's attendance and profile details. One rule, used by every read.
use chrono::Utc;
use sea_orm::{ConnectionTrait, Set, TransactionTrait};

use crate::{
    domain::{accounts::store, context::internal},
    error::AppError,
    i18n::td_string,
    model::{
        language::Locale,
        social::{PrivacySettings, Visibility},
    },
};
use entity::user;

/// The viewer's relation to the owner, as far as privacy cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewer {
    Owner,
    Friend,
    Other,
    /// Either blocks the other: sees nothing.
    Blocked,
}

pub fn may_see(setting: Visibility, viewer: Viewer) -> bool {
    match (viewer, setting) {
        (Viewer::Owner, _) => true,
        (Viewer::Blocked, _) => false,
        (_, Visibility::Public) => true,
        (Viewer::Friend, Visibility::Friends) => true,
        _ => false,
    }
}

/// A stored setting; an unknown value is read as the stricter default for its kind.
pub fn setting(raw: &str, default: Visibility) -> Visibility {
    Visibility::parse(raw).unwrap_or(default)
}

pub fn settings_of(u: &user::Model) -> PrivacySettings {
    PrivacySettings {
        attendance: setting(&u.attendance_visibility, Visibility::Friends),
        profile: setting(&u.profile_visibility, Visibility::Public),
    }
}

/// The privacy form, checked; what is wrong reads in `locale`.
pub fn parse(attendance: &str, profile: &str, locale: Locale) -> Result<PrivacySettings, AppError> {
    let mut errors = crate::error::FieldErrors::default();
    let attendance_v = Visibility::parse(attendance);
    let profile_v = Visibility::parse(profile);
    if attendance_v.is_none() {
        errors.insert(
            "attendance".into(),
            td_string!(locale, social.privacy.attendance_missing).into(),
        );
    }
    if profile_v.is_none() {
        errors.insert(
            "profile".into(),
            td_string!(locale, social.privacy.profile_missing).into(),
        );
    }
    match (attendance_v, profile_v) {
        (Some(attendance), Some(profile)) => Ok(PrivacySettings {
            attendance,
            profile,
        }),
        _ => Err(AppError::Validation(errors)),
    }
}

pub async fn save<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    user: user::Model,
    settings: PrivacySettings,
) -> Result<user::Model, AppError> {
    let mut active: user::ActiveModel = user.into();
    active.attendance_visibility = Set(settings.attendance.as_str().to_owned());
    active.profile_visibility = Set(settings.profile.as_str().to_owned());
    active.updated_at = Set(Utc::now());
    store::save(db, active, internal).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_privacy_matrix() {
        use Visibility::*;
        let cases = [
            (Public, [true, true, true, false]),
            (Friends, [true, true, false, false]),
            (Private, [true, false, false, false]),
        ];
        for (setting, expected) in cases {
            let seen = [
                Viewer::Owner,
                Viewer::Friend,
                Viewer::Other,
                Viewer::Blocked,
            ]
            .map(|v| may_see(setting, v));
            assert_eq!(seen, expected, "{setting:?}");
        }
    }
}
