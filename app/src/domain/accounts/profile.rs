use chrono::Utc;
use sea_orm::{ConnectionTrait, Set, TransactionTrait};

use crate::{
    domain::{
        accounts::{sign_up::check_display_name, store},
        context::internal,
        forms::FormFields,
    },
    error::{AppError, FieldErrors},
    i18n::td_string,
    model::{
        language::Locale,
        taxonomy::{Category, Role},
    },
};
use entity::user;

pub struct ProfileInput {
    pub display_name: String,
    pub home_city: Option<String>,
    pub home: Option<(f64, f64)>,
    pub interests: Vec<Category>,
}

/// Parses a latitude/longitude pair; both empty means "not given". What is wrong goes into
/// `errors`, in `locale`.
pub fn parse_coordinates_in(
    lat: &str,
    lng: &str,
    errors: &mut FieldErrors,
    lat_field: &str,
    lng_field: &str,
    locale: Locale,
) -> Option<(f64, f64)> {
    let (lat, lng) = (lat.trim(), lng.trim());
    if lat.is_empty() && lng.is_empty() {
        return None;
    }
    let parsed_lat = lat
        .parse::<f64>()
        .ok()
        .filter(|v| (-90.0..=90.0).contains(v));
    let parsed_lng = lng
        .parse::<f64>()
        .ok()
        .filter(|v| (-180.0..=180.0).contains(v));
    if parsed_lat.is_none() {
        errors.insert(
            lat_field.into(),
            td_string!(locale, accounts.profile.latitude_range).into(),
        );
    }
    if parsed_lng.is_none() {
        errors.insert(
            lng_field.into(),
            td_string!(locale, accounts.profile.longitude_range).into(),
        );
    }
    parsed_lat.zip(parsed_lng)
}

/// The longest home city.
const CITY_MAX: usize = 80;

impl ProfileInput {
    /// Reads the profile form; what is wrong is said in `locale`.
    pub fn parse(form: &FormFields, locale: Locale) -> Result<ProfileInput, AppError> {
        let mut errors = FieldErrors::new();
        let display_name = check_display_name(form.text("display_name"), locale)
            .map_err(|e| errors.insert("display_name".into(), e))
            .unwrap_or_default();
        let city = form.text("home_city").trim();
        if city.chars().count() > CITY_MAX {
            errors.insert(
                "home_city".into(),
                td_string!(locale, accounts.fields.at_most, max = CITY_MAX),
            );
        }
        let home = parse_coordinates_in(
            form.text("home_lat"),
            form.text("home_lng"),
            &mut errors,
            "home_lat",
            "home_lng",
            locale,
        );
        let mut interests = Vec::new();
        for slug in form.all("interests") {
            match Category::from_slug(slug) {
                Some(c) if !interests.contains(&c) => interests.push(c),
                Some(_) => {}
                None => {
                    errors.insert(
                        "interests".into(),
                        td_string!(locale, accounts.profile.unknown_category, slug = slug),
                    );
                }
            }
        }
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        Ok(ProfileInput {
            display_name,
            home_city: (!city.is_empty()).then(|| city.to_owned()),
            home,
            interests,
        })
    }
}

pub async fn update<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    user: user::Model,
    input: ProfileInput,
) -> Result<user::Model, AppError> {
    let mut active: user::ActiveModel = user.into();
    active.display_name = Set(input.display_name);
    active.home_city = Set(input.home_city);
    active.home_lat = Set(input.home.map(|h| h.0));
    active.home_lng = Set(input.home.map(|h| h.1));
    active.interests = Set(input
        .interests
        .iter()
        .map(|c| c.slug())
        .collect::<Vec<_>>()
        .join(","));
    active.updated_at = Set(Utc::now());
    store::save(db, active, internal).await
}

/// An attendee who wants to publish events becomes an organizer; other roles keep theirs.
pub async fn become_organizer<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    user: user::Model,
) -> Result<user::Model, AppError> {
    if Role::parse(&user.role) != Some(Role::Attendee) {
        return Ok(user);
    }
    let mut active: user::ActiveModel = user.into();
    active.role = Set(Role::Organizer.as_str().to_owned());
    active.updated_at = Set(Utc::now());
    store::save(db, active, internal).await
}
