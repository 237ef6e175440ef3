//! URL names of organizations (`/o/<slug>`).
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::{domain::context::internal, error::AppError, i18n::td_string, model::language::Locale};
use entity::organization;

pub const MAX_LEN: usize = 48;
/// Paths under `/o/` that are pages, not organizations.
const RESERVED: [&str; 4] = ["new", "mine", "invitations", "admin"];

/// "Ana's Café & Bar" → "ana-s-caf-bar".
pub fn from_name(name: &str) -> String {
    let mut slug = String::new();
    for c in name.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-')
        .chars()
        .take(MAX_LEN)
        .collect::<String>()
        .trim_end_matches('-')
        .to_owned()
}

/// What makes a slug unusable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flaw {
    Length,
    Characters,
    Reserved,
}

fn flaw(slug: &str) -> Option<Flaw> {
    if slug.len() < 3 || slug.len() > MAX_LEN {
        Some(Flaw::Length)
    } else if !slug
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        || slug.starts_with('-')
        || slug.ends_with('-')
    {
        Some(Flaw::Characters)
    } else if RESERVED.contains(&slug) {
        Some(Flaw::Reserved)
    } else {
        None
    }
}

/// Why a slug someone typed cannot be used, if it cannot, in `locale`.
pub fn problem(slug: &str, locale: Locale) -> Option<&'static str> {
    flaw(slug).map(|flaw| match flaw {
        Flaw::Length => td_string!(locale, organizations.slug.length),
        Flaw::Characters => td_string!(locale, organizations.slug.characters),
        Flaw::Reserved => td_string!(locale, organizations.slug.reserved),
    })
}

pub async fn taken<C: ConnectionTrait>(db: &C, slug: &str) -> Result<bool, AppError> {
    Ok(organization::Entity::find()
        .filter(organization::Column::Slug.eq(slug))
        .count(db)
        .await
        .map_err(internal)?
        > 0)
}

/// `from_name(name)`, or with a number after it when that is taken or unusable.
pub async fn free<C: ConnectionTrait>(db: &C, name: &str) -> Result<String, AppError> {
    let mut base = from_name(name);
    if flaw(&base).is_some() {
        base = format!("organizer-{base}").trim_end_matches('-').to_owned();
    }
    let mut slug = base.clone();
    let mut n = 2;
    while taken(db, &slug).await? || flaw(&slug).is_some() {
        slug = format!("{base}-{n}");
        n += 1;
    }
    Ok(slug)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_usable_slugs() {
        assert_eq!(from_name("Ana's Café & Bar"), "ana-s-caf-bar");
        assert_eq!(from_name("  Fado  Nights! "), "fado-nights");
        assert_eq!(flaw("fado-nights"), None);
        assert_eq!(flaw("new"), Some(Flaw::Reserved));
        assert_eq!(flaw("Fado"), Some(Flaw::Characters));
        assert_eq!(flaw("-fado"), Some(Flaw::Characters));
        assert_eq!(flaw("ab"), Some(Flaw::Length));
        assert_eq!(problem("ab", Locale::en), Some("Use 3 to 48 characters."));
    }
}
