//! Ticketing's server functions: ticket types, registrations, the waitlist, approvals, tickets,
//! the guest list and check-in.
use leptos::server;

#[cfg(feature = "ssr")]
use crate::model::ticketing::{GuestAction, GuestTab};
use crate::{
    error::AppError,
    model::ticketing::{
        CheckInPage, GuestList, RegistrationView, TicketAdmin, TicketSection, TicketsOverview,
    },
};

#[server(endpoint = "tickets/section")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn load_ticket_section(
    event_id: i32,
    invite: Option<String>,
) -> Result<TicketSection, AppError> {
    use crate::domain::{accounts::language, context::ctx, ticketing::ticket_types};
    let locale = language::of_request();
    let ctx = ctx().await?;
    let viewer = ctx.viewer().await?;
    let form = ctx.take_form(&format!("register:{event_id}")).await?;
    let section = ticket_types::section(
        &ctx.state.db,
        ctx.state.payments.enabled(),
        event_id,
        viewer.as_ref(),
        invite.as_deref(),
        chrono::Utc::now(),
        locale,
    );
    // the token is part of the key: a read made through an invite link is kept for that link
    let mut section = ctx
        .cached(
            "tickets/section",
            viewer.as_ref(),
            (event_id, &invite, locale),
            section,
        )
        .await?;
    section.form = form;
    Ok(section)
}

/// Books `quantity` seats of a ticket type: a confirmed RSVP, a reservation sent on to Stripe
/// Checkout, a place on the waitlist or a request for approval, as the ticket type says.
#[allow(clippy::too_many_arguments)]
#[server(endpoint = "tickets/register")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn register(
    event_id: i32,
    ticket_type: i32,
    quantity: Option<String>,
    name: Option<String>,
    email: Option<String>,
    answer1: Option<String>,
    answer2: Option<String>,
    answer3: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::{
        accounts::language,
        context::ctx,
        forms::FormFields,
        ticketing::register::{self, Registrant},
    };
    let locale = language::of_request();
    let ctx = ctx().await?;
    let viewer = ctx.viewer().await?;
    let quantity = quantity.unwrap_or_else(|| "1".into());
    let name = name.unwrap_or_default();
    let email = email.unwrap_or_default();
    let answers: Vec<String> = [answer1, answer2, answer3]
        .into_iter()
        .map(Option::unwrap_or_default)
        .collect();
    let registrant = match viewer {
        Some(user) => Registrant::User(user),
        None => Registrant::Guest {
            name: name.clone(),
            email: email.clone(),
        },
    };
    let result = register::register(
        &ctx.state,
        &registrant,
        register::Request {
            ticket_type_id: ticket_type,
            quantity: &quantity,
            answers: &answers,
        },
        chrono::Utc::now(),
        locale,
    )
    .await;
    match result {
        Ok(outcome) => {
            let to = outcome.next_page();
            ctx.succeed(outcome.notice(locale), &to).await
        }
        Err(err) => {
            let fields = FormFields::from_pairs([
                ("ticket_type", ticket_type.to_string().as_str()),
                ("quantity", quantity.as_str()),
                ("name", name.as_str()),
                ("email", email.as_str()),
                ("answer1", answers[0].as_str()),
                ("answer2", answers[1].as_str()),
                ("answer3", answers[2].as_str()),
            ]);
            let form = format!("register:{event_id}");
            ctx.fail(err, &format!("/events/{event_id}"), Some((&form, &fields)))
                .await
        }
    }
}

#[server(endpoint = "tickets/mine")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn my_tickets() -> Result<TicketsOverview, AppError> {
    use crate::domain::{accounts::language, context::ctx, ticketing::tickets};
    let locale = language::of_request();
    let ctx = ctx().await?;
    let user = ctx.require_user().await?;
    let (db, settings) = (&ctx.state.db, &ctx.state.settings);
    let mine = tickets::mine(db, settings, &user, chrono::Utc::now(), locale);
    ctx.cached("tickets/mine", Some(&user), locale, mine).await
}

#[server(endpoint = "tickets/registration")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn load_registration(id: i32) -> Result<RegistrationView, AppError> {
    use crate::domain::{accounts::language, context::ctx, ticketing::tickets};
    let locale = language::of_request();
    let ctx = ctx().await?;
    let user = ctx.require_user().await?;
    tickets::registration_for_holder(&ctx.state.db, &user, id, locale).await
}

/// A guest's registration, reached through the secret code of one of its tickets.
#[server(endpoint = "tickets/by_code")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn load_ticket_by_code(code: String) -> Result<RegistrationView, AppError> {
    use crate::domain::{accounts::language, context::ctx, ticketing::tickets};
    let locale = language::of_request();
    let ctx = ctx().await?;
    tickets::registration_by_code(&ctx.state.db, &code, locale).await
}

#[server(endpoint = "tickets/cancel")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn cancel_registration(id: i32) -> Result<(), AppError> {
    use crate::{
        domain::{accounts::language, context::ctx, ticketing::cancel},
        i18n::td_string,
    };
    let locale = language::of_request();
    let ctx = ctx().await?;
    let user = ctx.require_user().await?;
    let result = cancel::by_holder(&ctx.state.db, &user, id, chrono::Utc::now(), locale).await;
    ctx.respond(
        result.map(|_| td_string!(locale, tickets.notice.cancelled)),
        &format!("/my/tickets/{id}"),
    )
    .await
}

#[server(endpoint = "tickets/offer/accept")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn accept_offer(id: i32) -> Result<(), AppError> {
    use crate::domain::{accounts::language, context::ctx, ticketing::waitlist};
    let locale = language::of_request();
    let ctx = ctx().await?;
    let user = ctx.require_user().await?;
    match waitlist::accept(&ctx.state, &user, id, chrono::Utc::now(), locale).await {
        Ok(outcome) => {
            ctx.succeed(outcome.notice(locale), &outcome.next_page())
                .await
        }
        Err(err) => ctx.fail(err, &format!("/my/tickets/{id}"), None).await,
    }
}

#[server(endpoint = "tickets/offer/decline")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn decline_offer(id: i32) -> Result<(), AppError> {
    use crate::{
        domain::{accounts::language, context::ctx, ticketing::waitlist},
        i18n::td_string,
    };
    let locale = language::of_request();
    let ctx = ctx().await?;
    let user = ctx.require_user().await?;
    let result = waitlist::decline(&ctx.state.db, &user, id, chrono::Utc::now(), locale).await;
    ctx.respond(
        result.map(|_| td_string!(locale, tickets.notice.passed_on)),
        &format!("/my/tickets/{id}"),
    )
    .await
}

/// Goes back to Stripe Checkout for a reservation that is still held.
#[server(endpoint = "tickets/pay")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn resume_payment(id: i32) -> Result<(), AppError> {
    use crate::domain::{accounts::language, context::ctx, ticketing::checkout};
    let locale = language::of_request();
    let ctx = ctx().await?;
    let user = ctx.require_user().await?;
    match checkout::resume(&ctx.state.db, &user, id, chrono::Utc::now(), locale).await {
        Ok(url) => {
            crate::domain::context::redirect(&url);
            Ok(())
        }
        Err(err) => ctx.fail(err, &format!("/my/tickets/{id}"), None).await,
    }
}

#[server(endpoint = "tickets/admin")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn load_ticket_admin(event_id: i32) -> Result<TicketAdmin, AppError> {
    use crate::domain::{accounts::language, context::ctx, ticketing::ticket_types};
    let locale = language::of_request();
    let ctx = ctx().await?;
    let user = ctx.require_user().await?;
    let posted = ctx.take_form("ticket_type").await?;
    ticket_types::admin(
        &ctx.state.db,
        &ctx.state.settings,
        ctx.state.payments.enabled(),
        &user,
        event_id,
        posted,
        locale,
    )
    .await
}

/// Creates (no `id`) or updates a ticket type.
#[allow(clippy::too_many_arguments)]
#[server(endpoint = "tickets/types/save")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn save_ticket_type(
    event_id: i32,
    id: Option<String>,
    name: String,
    description: Option<String>,
    price: Option<String>,
    currency: Option<String>,
    quantity: String,
    max_per_order: Option<String>,
    sales_start: Option<String>,
    sales_end: Option<String>,
    requires_approval: Option<String>,
    guests_allowed: Option<String>,
    waitlist: Option<String>,
    on_sale: Option<String>,
    questions: Option<String>,
) -> Result<(), AppError> {
    use crate::{
        domain::{accounts::language, context::ctx, forms::FormFields, ticketing::ticket_types},
        i18n::td_string,
    };
    let locale = language::of_request();
    let ctx = ctx().await?;
    let user = ctx.require_user().await?;
    let fields = FormFields::from_pairs(
        [
            ("id", id.unwrap_or_default()),
            ("name", name),
            ("description", description.unwrap_or_default()),
            ("price", price.unwrap_or_default()),
            ("currency", currency.unwrap_or_default()),
            ("quantity", quantity),
            ("max_per_order", max_per_order.unwrap_or_default()),
            ("sales_start", sales_start.unwrap_or_default()),
            ("sales_end", sales_end.unwrap_or_default()),
            ("requires_approval", requires_approval.unwrap_or_default()),
            ("guests_allowed", guests_allowed.unwrap_or_default()),
            ("waitlist", waitlist.unwrap_or_default()),
            ("on_sale", on_sale.unwrap_or_default()),
            ("questions", questions.unwrap_or_default()),
        ]
        .iter()
        .map(|(k, v)| (*k, v.as_str())),
    );
    let back = format!("/events/{event_id}/tickets");
    match ticket_types::save(
        &ctx.state.db,
        ctx.state.payments.enabled(),
        &user,
        event_id,
        &fields,
        chrono::Utc::now(),
        locale,
    )
    .await
    {
        Ok(_) => {
            ctx.succeed(td_string!(locale, tickets.notice.type_saved), &back)
                .await
        }
        Err(err) => {
            let form = match fields.text("id") {
                "" => "ticket_type".to_owned(),
                id => format!("ticket_type:{id}"),
            };
            ctx.fail(err, &back, Some((&form, &fields))).await
        }
    }
}

#[server(endpoint = "tickets/guests")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn load_guests(
    event_id: i32,
    tab: Option<String>,
    q: Option<String>,
) -> Result<GuestList, AppError> {
    use crate::domain::{accounts::language, context::ctx, ticketing::guest_list};
    let locale = language::of_request();
    let ctx = ctx().await?;
    let user = ctx.require_user().await?;
    let tab = tab
        .as_deref()
        .and_then(GuestTab::parse)
        .unwrap_or(GuestTab::Going);
    guest_list::list(
        &ctx.state.db,
        &user,
        event_id,
        tab,
        q.as_deref().unwrap_or_default(),
        locale,
    )
    .await
}

#[server(endpoint = "tickets/guests/act")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn act_on_guest(
    id: i32,
    action: String,
    ticket: Option<i32>,
    tier: Option<String>,
    back: Option<String>,
) -> Result<(), AppError> {
    use crate::{
        domain::{accounts::language, context::ctx, ticketing::organizer_actions},
        i18n::td_string,
    };
    let locale = language::of_request();
    let ctx = ctx().await?;
    let user = ctx.require_user().await?;
    let back = back
        .filter(|b| b.starts_with("/events/") && crate::model::accounts::is_local_path(b))
        .unwrap_or_else(|| "/my/events".into());
    let result = match GuestAction::parse(&action) {
        Some(action) => {
            organizer_actions::act(
                &ctx.state,
                &user,
                id,
                action,
                ticket,
                tier.as_deref(),
                chrono::Utc::now(),
                locale,
            )
            .await
        }
        None => Err(AppError::Refused(
            td_string!(locale, tickets.notice.unknown_action).into(),
        )),
    };
    ctx.respond(result.as_deref().map_err(Clone::clone), &back)
        .await
}

#[server(endpoint = "tickets/checkin/page")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn load_check_in(event_id: i32) -> Result<CheckInPage, AppError> {
    use crate::domain::{context::ctx, ticketing::check_in};
    let ctx = ctx().await?;
    let user = ctx.require_user().await?;
    let last = ctx.take_form(&format!("checkin:{event_id}")).await?;
    check_in::page(&ctx.state.db, &user, event_id, last).await
}

#[server(endpoint = "tickets/checkin")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn check_in(event_id: i32, code: String) -> Result<(), AppError> {
    use crate::{
        domain::{accounts::language, context::ctx, forms::FormFields, ticketing::check_in},
        model::forms::FormState,
    };
    let locale = language::of_request();
    let ctx = ctx().await?;
    let user = ctx.require_user().await?;
    let result = check_in::check_in(
        &ctx.state.db,
        &user,
        event_id,
        &code,
        chrono::Utc::now(),
        locale,
    )
    .await;
    let back = format!("/events/{event_id}/check-in");
    let form = format!("checkin:{event_id}");
    match result {
        Ok(message) => {
            let state = FormState {
                message: Some(message),
                values: [("accepted".to_owned(), "true".to_owned())].into(),
                ..Default::default()
            };
            ctx.keep_form(&form, state).await?;
            crate::domain::context::redirect(&back);
            Ok(())
        }
        Err(err) => {
            let fields = FormFields::from_pairs([("code", code.as_str())]);
            ctx.fail(err, &back, Some((&form, &fields))).await
        }
    }
}

/// "Send me my tickets" for guests who booked without an account: the same answer whatever
/// the address.
#[server(endpoint = "tickets/resend")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn resend_guest_tickets(email: String) -> Result<(), AppError> {
    use crate::{
        domain::{accounts::language, context::ctx, forms::FormFields, ticketing::guest_tickets},
        i18n::td_string,
    };
    let locale = language::of_request();
    let ctx = ctx().await?;
    match guest_tickets::send(&ctx.state.db, &email, chrono::Utc::now()).await {
        Ok(()) => {
            ctx.succeed(
                td_string!(locale, tickets.guest_tickets.sent),
                "/guest/tickets",
            )
            .await
        }
        Err(err) => {
            let form = FormFields::from_pairs([("email", email.as_str())]);
            ctx.fail(err, "/guest/tickets", Some(("guest_tickets", &form)))
                .await
        }
    }
}

#[server(endpoint = "tickets/resend_form")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn guest_tickets_form() -> Result<crate::model::forms::FormState, AppError> {
    use crate::domain::context::ctx;
    ctx().await?.take_form("guest_tickets").await
}
