//! URL names of organizations (`/o/<slug>`).
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::{domain::context::internal, error::AppError};
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

/// Why a slug someone typed cannot be used, if it cannot.
pub fn problem(slug: &str) -> Option<&'static str> {
    if slug.len() < 3 || slug.len() > MAX_LEN {
        Some("Use 3 to 48 characters.")
    } else if !slug
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        || slug.starts_with('-')
        || slug.ends_with('-')
    {
        Some("Use lower-case letters, digits and dashes, not at either end.")
    } else if RESERVED.contains(&slug) {
        Some("That address is reserved.")
    } else {
        None
    }
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
    if problem(&base).is_some() {
        base = format!("organizer-{base}").trim_end_matches('-').to_owned();
    }
    let mut slug = base.clone();
    let mut n = 2;
    while taken(db, &slug).await? || problem(&slug).is_some() {
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
        assert_eq!(problem("fado-nights"), None);
        assert!(problem("new").is_some());
        assert!(problem("Fado").is_some());
        assert!(problem("-fado").is_some());
        assert!(problem("ab").is_some());
    }
}
