//! Making organizations and running their teams: roles, removals, leaving. The last owner
//! always stays.
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set, TransactionSession,
};

use super::{
    access::{allowed, require, role_in},
    invitations,
    personal::add_member,
    profile::{self, summary},
    slug,
};
use crate::{
    domain::{context::internal, events::access::is_admin, transaction::begin_write},
    error::AppError,
    i18n::td_string,
    model::{
        language::Locale,
        organizations::{MemberRow, MyOrganization, OrgAction, OrgRole, TeamPage},
    },
};
use entity::{organization, organization_member, user};

pub const NAME_MAX: usize = 120;
pub const DESCRIPTION_MAX: usize = 4000;

/// What a new organization is made from.
#[derive(Debug, Clone, Default)]
pub struct NewOrganization {
    pub name: String,
    /// Empty: made from the name.
    pub slug: String,
    pub description: String,
    pub city: String,
}

/// A name and a description as an organization may have them; returns the trimmed name, or
/// what is wrong in `locale`.
pub fn check_profile<'a>(
    name: &'a str,
    description: &str,
    locale: Locale,
) -> Result<&'a str, AppError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > NAME_MAX {
        return Err(AppError::field(
            "name",
            td_string!(locale, organizations.team_rules.name),
        ));
    }
    if description.chars().count() > DESCRIPTION_MAX {
        return Err(AppError::field(
            "description",
            td_string!(locale, organizations.team_rules.description),
        ));
    }
    Ok(name)
}

/// A new organization with `founder` as its owner; refusals are in `locale`.
pub async fn create<C: ConnectionTrait + sea_orm::TransactionTrait>(
    db: &C,
    founder: &user::Model,
    input: NewOrganization,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<organization::Model, AppError> {
    let name = check_profile(&input.name, &input.description, locale)?;
    let wanted = input.slug.trim().to_lowercase();
    let slug = if wanted.is_empty() {
        slug::free(db, name).await?
    } else if let Some(problem) = slug::problem(&wanted, locale) {
        return Err(AppError::field("slug", problem));
    } else if slug::taken(db, &wanted).await? {
        return Err(AppError::field(
            "slug",
            td_string!(locale, organizations.team_rules.slug_taken),
        ));
    } else {
        wanted
    };
    let city = input.city.trim();
    let txn = begin_write(db).await.map_err(internal)?;
    let made = organization::ActiveModel {
        slug: Set(slug),
        name: Set(name.to_owned()),
        description: Set(input.description.trim().to_owned()),
        city: Set((!city.is_empty()).then(|| city.to_owned())),
        logo_image_id: Set(None),
        personal: Set(false),
        created_by: Set(founder.id),
        accepts_submissions: Set(false),
        stripe_account_id: Set(None),
        charges_enabled: Set(false),
        payouts_enabled: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(internal)?;
    add_member(&txn, made.id, founder.id, OrgRole::Owner, now).await?;
    txn.commit().await.map_err(internal)?;
    Ok(made)
}

/// The organizations the person belongs to, with their role, personal one first.
pub async fn mine<C: ConnectionTrait>(
    db: &C,
    person: &user::Model,
) -> Result<Vec<MyOrganization>, AppError> {
    let rows = organization_member::Entity::find()
        .filter(organization_member::Column::UserId.eq(person.id))
        .all(db)
        .await
        .map_err(internal)?;
    let ids: Vec<i32> = rows.iter().map(|m| m.organization_id).collect();
    let orgs = organization::Entity::find()
        .filter(organization::Column::Id.is_in(ids))
        .order_by_desc(organization::Column::Personal)
        .order_by_asc(organization::Column::Name)
        .all(db)
        .await
        .map_err(internal)?;
    let logos = profile::logo_urls(db, &orgs).await?;
    Ok(orgs
        .iter()
        .filter_map(|o| {
            let role = rows
                .iter()
                .find(|m| m.organization_id == o.id)
                .and_then(|m| OrgRole::parse(&m.role))?;
            Some(MyOrganization {
                organization: summary(o, &logos),
                role,
            })
        })
        .collect())
}

/// The team page: members and open invitations, for any member, in `locale`.
pub async fn page<C: ConnectionTrait>(
    db: &C,
    viewer: &user::Model,
    slug: &str,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<TeamPage, AppError> {
    let org = profile::by_slug(db, slug).await?;
    // every member sees who they work with (door staff included); to others it is not there
    let my_role = role_in(db, viewer.id, org.id).await?;
    if my_role.is_none() && !is_admin(viewer) {
        return Err(AppError::NotFound);
    }
    let members = organization_member::Entity::find()
        .filter(organization_member::Column::OrganizationId.eq(org.id))
        .order_by_asc(organization_member::Column::CreatedAt)
        .all(db)
        .await
        .map_err(internal)?;
    let people = user::Entity::find()
        .filter(user::Column::Id.is_in(members.iter().map(|m| m.user_id)))
        .all(db)
        .await
        .map_err(internal)?;
    let admin = is_admin(viewer);
    let can_manage = allowed(admin, my_role, OrgAction::ManageTeam);
    let can_own = allowed(admin, my_role, OrgAction::Own);
    let can_edit_profile = allowed(admin, my_role, OrgAction::EditProfile);
    let can_review = allowed(admin, my_role, OrgAction::ReviewSubmissions);
    let rows = members
        .iter()
        .filter_map(|m| {
            let person = people.iter().find(|p| p.id == m.user_id)?;
            Some(MemberRow {
                user_id: person.id,
                name: person.display_name.clone(),
                // addresses are for those who run the team
                email: if can_manage {
                    person.email.clone()
                } else {
                    String::new()
                },
                role: OrgRole::parse(&m.role)?,
                is_me: person.id == viewer.id,
            })
        })
        .collect();
    let invitations = if can_manage {
        invitations::pending(db, org.id, now, locale).await?
    } else {
        Vec::new()
    };
    let logos = profile::logo_urls(db, std::slice::from_ref(&org)).await?;
    Ok(TeamPage {
        organization: summary(&org, &logos),
        my_role,
        can_manage,
        can_own,
        can_edit_profile,
        members: rows,
        invitations,
        invite: Default::default(),
        profile: Default::default(),
        submissions: match can_review {
            true => super::calendar::pending(db, org.id).await?,
            false => Vec::new(),
        },
        can_review,
    })
}

/// Owners among the members.
async fn owners<C: ConnectionTrait>(db: &C, organization: i32) -> Result<u64, AppError> {
    organization_member::Entity::find()
        .filter(organization_member::Column::OrganizationId.eq(organization))
        .filter(organization_member::Column::Role.eq(OrgRole::Owner.as_str()))
        .count(db)
        .await
        .map_err(internal)
}

async fn membership<C: ConnectionTrait>(
    db: &C,
    organization: i32,
    person: i32,
) -> Result<organization_member::Model, AppError> {
    organization_member::Entity::find()
        .filter(organization_member::Column::OrganizationId.eq(organization))
        .filter(organization_member::Column::UserId.eq(person))
        .one(db)
        .await
        .map_err(internal)?
        .ok_or(AppError::NotFound)
}

fn last_owner(locale: Locale) -> AppError {
    AppError::Refused(td_string!(locale, organizations.team_rules.last_owner).into())
}

/// Gives a member another role. Managing owners (making one, or changing one) is for owners.
/// Refusals are in `locale`.
pub async fn set_role<C: ConnectionTrait + sea_orm::TransactionTrait>(
    db: &C,
    actor: &user::Model,
    organization: i32,
    member: i32,
    role: OrgRole,
    locale: Locale,
) -> Result<(), AppError> {
    require(db, actor, organization, OrgAction::ManageTeam).await?;
    let txn = begin_write(db).await.map_err(internal)?;
    let current = membership(&txn, organization, member).await?;
    let was = OrgRole::parse(&current.role);
    if was == Some(role) {
        return Ok(());
    }
    if role == OrgRole::Owner || was == Some(OrgRole::Owner) {
        require(&txn, actor, organization, OrgAction::Own).await?;
    }
    if was == Some(OrgRole::Owner) && owners(&txn, organization).await? <= 1 {
        return Err(last_owner(locale));
    }
    let mut active: organization_member::ActiveModel = current.into();
    active.role = Set(role.as_str().to_owned());
    active.update(&txn).await.map_err(internal)?;
    txn.commit().await.map_err(internal)
}

/// Removes a member (owners are removed by owners; the last owner cannot be). Removing yourself
/// is leaving, which needs no permission. Refusals are in `locale`.
pub async fn remove<C: ConnectionTrait + sea_orm::TransactionTrait>(
    db: &C,
    actor: &user::Model,
    organization: i32,
    member: i32,
    locale: Locale,
) -> Result<(), AppError> {
    let leaving = actor.id == member;
    if !leaving {
        require(db, actor, organization, OrgAction::ManageTeam).await?;
    }
    let txn = begin_write(db).await.map_err(internal)?;
    let current = membership(&txn, organization, member).await?;
    if OrgRole::parse(&current.role) == Some(OrgRole::Owner) {
        if !leaving {
            require(&txn, actor, organization, OrgAction::Own).await?;
        }
        if owners(&txn, organization).await? <= 1 {
            return Err(last_owner(locale));
        }
    }
    organization_member::Entity::delete_by_id(current.id)
        .exec(&txn)
        .await
        .map_err(internal)?;
    txn.commit().await.map_err(internal)
}

/// The person leaves the organization; its last owner cannot (refused in `locale`).
pub async fn leave<C: ConnectionTrait + sea_orm::TransactionTrait>(
    db: &C,
    person: &user::Model,
    organization: i32,
    locale: Locale,
) -> Result<(), AppError> {
    remove(db, person, organization, person.id, locale).await
}

/// The organizations the person may add events to, as (id, name), their personal one first.
pub async fn choices<C: ConnectionTrait>(
    db: &C,
    person: &user::Model,
) -> Result<Vec<(i32, String)>, AppError> {
    let ids = super::access::where_permitted(db, person.id, OrgAction::EditEvents).await?;
    Ok(organization::Entity::find()
        .filter(organization::Column::Id.is_in(ids))
        .order_by_desc(organization::Column::Personal)
        .order_by_asc(organization::Column::Name)
        .all(db)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect())
}
