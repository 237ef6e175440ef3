//! An organization's payouts through Stripe Connect: an Express account made for it on first
//! use, Stripe's hosted onboarding through an account link, and the account's standing
//! (`charges_enabled`, `payouts_enabled`) read back when the person returns and whenever Stripe
//! sends `account.updated`. Paid tickets go on sale only while the account can take charges;
//! the money goes to it, less Lineup's fee.
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::{
    domain::{
        context::{find, internal, AppState},
        organizations::{access::require, profile::by_slug},
        ticketing::payments::{AccountRequest, AccountStanding, PaymentError},
    },
    error::AppError,
    i18n::td_string,
    model::{language::Locale, organizations::OrgAction},
};
use entity::{event, organization, user};

/// Why paid tickets of an organization cannot be sold now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoSales {
    /// This Lineup has no payment provider.
    Disabled,
    /// The organization's payouts are not set up (or cannot take charges).
    NoPayouts,
}

impl NoSales {
    /// The reason as people read it.
    pub fn reason(self, locale: Locale) -> String {
        match self {
            NoSales::Disabled => PaymentError::Disabled.message(locale),
            NoSales::NoPayouts => td_string!(locale, tickets.payouts.not_set_up).to_owned(),
        }
    }
}

/// Why paid tickets of the organization cannot be sold now, if so.
pub fn why_no_sales(org: &organization::Model, payments_enabled: bool) -> Option<NoSales> {
    if !payments_enabled {
        return Some(NoSales::Disabled);
    }
    if org.stripe_account_id.is_none() || !org.charges_enabled {
        return Some(NoSales::NoPayouts);
    }
    None
}

/// The organization of an event.
pub async fn of_event<C: ConnectionTrait>(
    db: &C,
    ev: &event::Model,
) -> Result<organization::Model, AppError> {
    find::<organization::Entity, _>(db, ev.organization_id).await
}

/// The connected account that receives an event's ticket revenue, while it can take charges.
pub async fn destination<C: ConnectionTrait>(
    db: &C,
    ev: &event::Model,
) -> Result<Option<String>, AppError> {
    let org = of_event(db, ev).await?;
    Ok(org.stripe_account_id.filter(|_| org.charges_enabled))
}

fn finance_url(state: &AppState, org: &organization::Model, query: &str) -> String {
    format!(
        "{}/o/{}/finance?{query}",
        state.settings.public_url.trim_end_matches('/'),
        org.slug
    )
}

/// Starts (or continues) onboarding: makes the organization's account if it has none, and
/// returns the address of Stripe's onboarding for it. For those who manage payouts.
pub async fn start(state: &AppState, viewer: &user::Model, slug: &str) -> Result<String, AppError> {
    let db = &state.db;
    let org = by_slug(db, slug).await?;
    require(db, viewer, org.id, OrgAction::ManagePayouts).await?;
    if !state.payments.enabled() {
        return Err(AppError::Refused(
            crate::domain::ticketing::payments::PaymentError::Disabled.to_string(),
        ));
    }
    let account = match &org.stripe_account_id {
        Some(account) => account.clone(),
        None => {
            let account = state
                .payments
                .create_account(&AccountRequest {
                    organization_id: org.id,
                    email: viewer.email.clone(),
                    idempotency_key: format!("lineup-connect-organization-{}", org.id),
                })
                .await
                .map_err(|e| AppError::Refused(e.to_string()))?;
            let mut active: organization::ActiveModel = org.clone().into();
            active.stripe_account_id = Set(Some(account.clone()));
            active.charges_enabled = Set(false);
            active.payouts_enabled = Set(false);
            active.updated_at = Set(Utc::now());
            active.update(db).await.map_err(internal)?;
            account
        }
    };
    state
        .payments
        .onboarding_link(
            &account,
            &finance_url(state, &org, "refresh=1"),
            &finance_url(state, &org, "returned=1"),
        )
        .await
        .map_err(|e| AppError::Refused(e.to_string()))
}

/// Asks the provider how the organization's account stands and keeps the answer (on coming
/// back from onboarding, or when someone asks).
pub async fn refresh(
    state: &AppState,
    org: &organization::Model,
) -> Result<organization::Model, AppError> {
    let Some(account) = &org.stripe_account_id else {
        return Ok(org.clone());
    };
    let standing = state
        .payments
        .account_standing(account)
        .await
        .map_err(|e| AppError::Refused(e.to_string()))?;
    apply(&state.db, account, standing, Utc::now()).await?;
    find::<organization::Entity, _>(&state.db, org.id).await
}

/// Records an account's standing (from `account.updated` or a read); returns whether an
/// organization has that account.
pub async fn apply<C: ConnectionTrait>(
    db: &C,
    account: &str,
    standing: AccountStanding,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let changed = organization::Entity::update_many()
        .set(organization::ActiveModel {
            charges_enabled: Set(standing.charges_enabled),
            payouts_enabled: Set(standing.payouts_enabled),
            updated_at: Set(now),
            ..Default::default()
        })
        .filter(organization::Column::StripeAccountId.eq(account))
        .exec(db)
        .await
        .map_err(internal)?;
    Ok(changed.rows_affected > 0)
}
