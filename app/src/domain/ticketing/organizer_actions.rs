//! What organizers do to one registration from the guest list: approve or decline requests,
//! cancel, refund (all of it or one ticket), and set a waitlist tier.
use crate::domain::transaction::begin_write;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set};

use crate::{
    domain::{
        context::{find, internal, AppState},
        locale_format,
        ticketing::{
            checkout, money, notes,
            payments::{PaymentError, RefundRequest},
            registrations::{
                add_refunded, changed, close, close_now, status_of, transition_or_refuse, Move,
            },
            seats,
            ticket_types::{self, managed_event},
            tickets,
        },
    },
    error::AppError,
    i18n::td_string,
    model::organizations::OrgAction,
    model::{
        language::Locale,
        ticketing::{GuestAction, RegistrationStatus, WaitlistTier},
    },
};
use entity::{registration, ticket, ticket_type, user};

/// How long an approved paid request holds its seats for payment (Stripe sessions last at most
/// 24 hours).
pub const APPROVED_PAYMENT_TTL: Duration = Duration::hours(23);

#[allow(clippy::too_many_arguments)]
pub async fn act(
    state: &AppState,
    organizer: &user::Model,
    id: i32,
    action: GuestAction,
    ticket_id: Option<i32>,
    tier: Option<&str>,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<String, AppError> {
    let db = &state.db;
    let reg = find::<registration::Entity, _>(db, id).await?;
    let needs = match action {
        GuestAction::Refund => OrgAction::Refund,
        _ => OrgAction::ManageTickets,
    };
    let ev = managed_event(db, organizer, reg.event_id, needs).await?;
    let status = status_of(&reg)?;
    let me = Some(organizer.id);
    match action {
        GuestAction::Approve => {
            if status != RegistrationStatus::PendingApproval {
                return Err(AppError::Refused(
                    td_string!(locale, tickets.organizer_actions.approve_pending_only).into(),
                ));
            }
            let tt = find::<ticket_type::Entity, _>(db, reg.ticket_type_id).await?;
            if let Some(why) = ticket_types::closed_reason(&ev, now, locale) {
                return Err(AppError::Refused(why));
            }
            let paid = tt.price_minor > 0;
            if paid && !state.payments.enabled() {
                return Err(AppError::Refused(PaymentError::Disabled.message(locale)));
            }
            let txn = begin_write(db).await.map_err(internal)?;
            if !seats::take(&txn, &tt, reg.quantity).await? {
                return Err(AppError::Refused(
                    td_string!(locale, tickets.organizer_actions.no_seats).into(),
                ));
            }
            if paid {
                let reserved = transition_or_refuse(
                    &txn,
                    &reg,
                    Move::to(RegistrationStatus::Reserved, me, notes::APPROVED_TO_PAY)
                        .priced(&tt, reg.quantity)
                        .with(|r| r.expires_at = Set(Some(now + APPROVED_PAYMENT_TTL))),
                    now,
                    locale,
                )
                .await?;
                txn.commit().await.map_err(internal)?;
                checkout::start(state, &reserved, &ev, &tt, now, locale).await?;
                Ok(td_string!(
                    locale,
                    tickets.organizer_actions.approved_to_pay,
                    name = &reg.name
                ))
            } else {
                let confirmed = transition_or_refuse(
                    &txn,
                    &reg,
                    Move::to(RegistrationStatus::Confirmed, me, notes::APPROVED)
                        .priced(&tt, reg.quantity),
                    now,
                    locale,
                )
                .await?;
                tickets::issue(&txn, &confirmed, now).await?;
                txn.commit().await.map_err(internal)?;
                Ok(td_string!(
                    locale,
                    tickets.organizer_actions.approved,
                    name = &reg.name
                ))
            }
        }
        GuestAction::Decline => {
            if status != RegistrationStatus::PendingApproval {
                return Err(AppError::Refused(
                    td_string!(locale, tickets.organizer_actions.decline_pending_only).into(),
                ));
            }
            close_now(
                db,
                &reg,
                Move::to(
                    RegistrationStatus::Declined,
                    me,
                    notes::DECLINED_BY_ORGANIZER,
                ),
                changed(locale),
                now,
            )
            .await?;
            Ok(td_string!(
                locale,
                tickets.organizer_actions.declined,
                name = &reg.name
            ))
        }
        GuestAction::Cancel => {
            if !status.is_open() {
                return Err(AppError::Refused(
                    td_string!(locale, tickets.organizer_actions.closed_already).into(),
                ));
            }
            if reg.amount_minor > 0 && reg.payment_intent_id.is_some() {
                return Err(AppError::Refused(
                    td_string!(locale, tickets.organizer_actions.refund_instead).into(),
                ));
            }
            close_now(
                db,
                &reg,
                Move::to(
                    RegistrationStatus::Cancelled,
                    me,
                    notes::CANCELLED_BY_ORGANIZER,
                ),
                changed(locale),
                now,
            )
            .await?;
            Ok(td_string!(
                locale,
                tickets.organizer_actions.cancelled,
                name = &reg.name
            ))
        }
        GuestAction::Refund => refund(state, organizer, &reg, ticket_id, now, locale).await,
        GuestAction::Tier => {
            let tier = tier.and_then(WaitlistTier::parse).ok_or_else(|| {
                AppError::Refused(td_string!(locale, tickets.organizer_actions.choose_tier).into())
            })?;
            if status != RegistrationStatus::Waitlisted {
                return Err(AppError::Refused(
                    td_string!(locale, tickets.organizer_actions.tiers_waitlist_only).into(),
                ));
            }
            registration::Entity::update_many()
                .set(registration::ActiveModel {
                    tier: Set(tier.rank()),
                    updated_at: Set(now),
                    ..Default::default()
                })
                .filter(registration::Column::Id.eq(reg.id))
                .exec(db)
                .await
                .map_err(internal)?;
            Ok(td_string!(
                locale,
                tickets.organizer_actions.tier_set,
                name = &reg.name,
                tier = tier.label_in(locale)
            ))
        }
    }
}

/// Refunds a paid registration through the payment provider: one ticket, or all that are still
/// valid. The provider is asked first (with an idempotency key, so a retry never pays twice);
/// the seats then go back and on to the waitlist.
async fn refund(
    state: &AppState,
    organizer: &user::Model,
    reg: &registration::Model,
    ticket_id: Option<i32>,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<String, AppError> {
    let db = &state.db;
    let status = status_of(reg)?;
    let payment_intent = match (&reg.payment_intent_id, status.is_going()) {
        (Some(pi), true) if reg.amount_minor > 0 => pi.clone(),
        _ => {
            return Err(AppError::Refused(
                td_string!(locale, tickets.organizer_actions.refund_paid_only).into(),
            ))
        }
    };
    let valid: Vec<ticket::Model> = ticket::Entity::find()
        .filter(ticket::Column::RegistrationId.eq(reg.id))
        .filter(ticket::Column::Status.eq("valid"))
        .all(db)
        .await
        .map_err(internal)?;
    let chosen: Vec<&ticket::Model> = match ticket_id {
        Some(id) => valid.iter().filter(|t| t.id == id).collect(),
        None => valid.iter().collect(),
    };
    if chosen.is_empty() {
        return Err(AppError::Refused(
            td_string!(locale, tickets.organizer_actions.ticket_not_valid).into(),
        ));
    }
    let unit = reg.amount_minor / i64::from(reg.quantity.max(1));
    let whole = chosen.len() == valid.len();
    // the last refund takes what is left, so rounding never leaves cents behind
    let amount = if whole {
        reg.amount_minor - reg.refunded_minor
    } else {
        unit * chosen.len() as i64
    };
    let mut ids: Vec<i32> = chosen.iter().map(|t| t.id).collect();
    ids.sort_unstable();
    let key = format!(
        "lineup-refund-{}-{}",
        reg.id,
        ids.iter()
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join("_")
    );
    state
        .payments
        .refund(&RefundRequest {
            registration_id: reg.id,
            payment_intent,
            amount,
            idempotency_key: key,
        })
        .await
        .map_err(|e| AppError::Refused(e.message(locale)))?;

    let txn = begin_write(db).await.map_err(internal)?;
    let refunded_now = if whole {
        close(
            &txn,
            reg,
            Move::to(
                RegistrationStatus::Refunded,
                Some(organizer.id),
                notes::REFUNDED_BY_ORGANIZER,
            ),
            now,
        )
        .await?
        .is_some()
    } else {
        let voided = ticket::Entity::update_many()
            .set(ticket::ActiveModel {
                status: Set("refunded".into()),
                ..Default::default()
            })
            .filter(ticket::Column::Id.is_in(ids.clone()))
            .filter(ticket::Column::Status.eq("valid"))
            .exec(&txn)
            .await
            .map_err(internal)?;
        let n = voided.rows_affected as i32;
        if n > 0 {
            crate::domain::ticketing::registrations::record(
                &txn,
                reg.id,
                Some(status),
                status,
                Some(organizer.id),
                &notes::tickets_refunded(n, &money::format(amount, &reg.currency)),
                now,
            )
            .await?;
            seats::give_back(&txn, reg.ticket_type_id, reg.event_id, n).await?;
            crate::domain::ticketing::waitlist::offer_freed(&txn, reg.ticket_type_id, now).await?;
        }
        n > 0
    };
    if refunded_now {
        add_refunded(&txn, reg.id, amount, now).await?;
    }
    txn.commit().await.map_err(internal)?;
    if !refunded_now {
        return Err(AppError::Refused(
            td_string!(locale, tickets.organizer_actions.refund_changed).into(),
        ));
    }
    Ok(td_string!(
        locale,
        tickets.organizer_actions.refunded,
        amount = locale_format::money(locale, amount, &reg.currency),
        name = &reg.name
    ))
}
