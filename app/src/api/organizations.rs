//! Organizations: making them, their public page, the team and invitations.
use leptos::server;
use server_fn::codec::{MultipartData, MultipartFormData};

use crate::{
    error::AppError,
    model::{
        dashboard::{Dashboard, FinancePage},
        organizations::{InvitationView, MyOrganizationsPage, OrgPage, TeamPage},
    },
};

#[server(endpoint = "organizations/mine")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn load_my_organizations() -> Result<MyOrganizationsPage, AppError> {
    use crate::domain::{context::ctx, organizations::team};
    let ctx = ctx().await?;
    let me = ctx.require_user().await?;
    Ok(MyOrganizationsPage {
        mine: team::mine(&ctx.state.db, &me).await?,
        state: ctx.take_form("new_organization").await?,
    })
}

#[server(endpoint = "organizations/create")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn create_organization(
    name: String,
    #[server(default)] slug: Option<String>,
    #[server(default)] description: Option<String>,
    #[server(default)] city: Option<String>,
) -> Result<(), AppError> {
    use crate::{
        domain::{
            context::ctx,
            forms::FormFields,
            organizations::team::{self, NewOrganization},
        },
        i18n::td_string,
        model::taxonomy::Role,
    };
    let locale = crate::domain::accounts::language::of_request();
    let ctx = ctx().await?;
    let me = ctx.require_role(Role::can_organize).await?;
    let input = NewOrganization {
        name,
        slug: slug.unwrap_or_default(),
        description: description.unwrap_or_default(),
        city: city.unwrap_or_default(),
    };
    match team::create(
        &ctx.state.db,
        &me,
        input.clone(),
        chrono::Utc::now(),
        locale,
    )
    .await
    {
        Ok(made) => {
            ctx.state.changes.bump();
            ctx.succeed(
                td_string!(locale, organizations.notice.created),
                &format!("/o/{}/team", made.slug),
            )
            .await
        }
        Err(err) => {
            let form = FormFields::from_pairs([
                ("name", input.name.as_str()),
                ("slug", &input.slug),
                ("description", &input.description),
                ("city", &input.city),
            ]);
            ctx.fail(err, "/o/mine", Some(("new_organization", &form)))
                .await
        }
    }
}

/// The public page: anyone, signed in or not.
#[server(endpoint = "organizations/page")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn load_organization(slug: String) -> Result<OrgPage, AppError> {
    use crate::domain::{accounts::language, context::ctx, organizations::profile};
    let ctx = ctx().await?;
    let viewer = ctx.viewer().await?;
    let locale = language::of_request();
    let graph = ctx.state.graph.clone();
    let me = viewer.as_ref().map(|v| v.id);
    let now = chrono::Utc::now();
    let page = profile::page(&ctx.state.db, graph.as_ref(), me, &slug, now, locale);
    ctx.cached("organizations/page", viewer.as_ref(), (&slug, locale), page)
        .await
}

#[server(endpoint = "organizations/team")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn load_team(slug: String) -> Result<TeamPage, AppError> {
    use crate::domain::{accounts::language, context::ctx, organizations::team};
    let ctx = ctx().await?;
    let me = ctx.require_user().await?;
    let locale = language::of_request();
    let mut page = team::page(&ctx.state.db, &me, &slug, chrono::Utc::now(), locale).await?;
    page.invite = ctx.take_form("invite").await?;
    let org = &page.organization;
    let stored = [
        ("slug", org.slug.clone()),
        ("name", org.name.clone()),
        ("description", org.description.clone()),
        ("city", org.city.clone().unwrap_or_default()),
        (
            "accepts_submissions",
            if org.accepts_submissions { "on" } else { "" }.to_owned(),
        ),
    ];
    page.profile = ctx
        .take_form("org_profile")
        .await?
        .or_stored(|| crate::model::forms::FormState::from_values(stored));
    Ok(page)
}

/// Team actions from the team page: `invite`, `role`, `remove`, `leave`, `withdraw`.
#[server(endpoint = "organizations/team/act")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn act_on_team(
    organization: i32,
    action: String,
    #[server(default)] member: Option<i32>,
    #[server(default)] role: Option<String>,
    #[server(default)] email: Option<String>,
    #[server(default)] invitation: Option<i32>,
) -> Result<(), AppError> {
    use crate::{
        domain::{
            context::{ctx, find},
            forms::FormFields,
            organizations::{invitations, team},
        },
        i18n::td_string,
        model::organizations::OrgRole,
    };
    let locale = crate::domain::accounts::language::of_request();
    let ctx = ctx().await?;
    let me = ctx.require_user().await?;
    let db = &ctx.state.db;
    let now = chrono::Utc::now();
    let org = find::<entity::organization::Entity, _>(db, organization).await?;
    let back = format!("/o/{}/team", org.slug);
    let role_named = role.clone().unwrap_or_default();
    let role = || {
        OrgRole::parse(&role_named).ok_or_else(|| {
            AppError::field("role", td_string!(locale, organizations.notice.choose_role))
        })
    };
    let member = || {
        member.ok_or_else(|| {
            AppError::BadRequest(td_string!(locale, organizations.notice.which_member).into())
        })
    };
    let result = match action.as_str() {
        "invite" => {
            let email = email.clone().unwrap_or_default();
            let invited = match role() {
                Ok(role) => invitations::invite(db, &me, org.id, &email, role, now, locale)
                    .await
                    .map(|_| td_string!(locale, organizations.notice.invitation_sent)),
                Err(e) => Err(e),
            };
            if let Err(err) = invited {
                let form = FormFields::from_pairs([
                    ("email", email.as_str()),
                    ("role", role_named.as_str()),
                ]);
                return ctx.fail(err, &back, Some(("invite", &form))).await;
            }
            invited
        }
        "role" => match (member(), role()) {
            (Ok(m), Ok(r)) => team::set_role(db, &me, org.id, m, r, locale)
                .await
                .map(|_| td_string!(locale, organizations.notice.role_changed)),
            (Err(e), _) | (_, Err(e)) => Err(e),
        },
        "remove" => match member() {
            Ok(m) => team::remove(db, &me, org.id, m, locale)
                .await
                .map(|_| td_string!(locale, organizations.notice.removed)),
            Err(e) => Err(e),
        },
        "leave" => {
            let left = team::leave(db, &me, org.id, locale).await;
            if left.is_ok() {
                ctx.state.changes.bump();
                return ctx
                    .succeed(
                        &td_string!(locale, organizations.notice.left, name = &org.name),
                        "/o/mine",
                    )
                    .await;
            }
            left.map(|_| "")
        }
        "withdraw" => match invitation {
            Some(id) => invitations::withdraw(db, &me, org.id, id, now)
                .await
                .map(|_| td_string!(locale, organizations.notice.invitation_withdrawn)),
            None => Err(AppError::BadRequest(
                td_string!(locale, organizations.notice.which_invitation).into(),
            )),
        },
        _ => Err(AppError::BadRequest(
            td_string!(locale, organizations.notice.unknown_action).into(),
        )),
    };
    if result.is_ok() {
        // who may do what changed: cached pages of the people concerned are stale
        ctx.state.changes.bump();
    }
    ctx.respond(result, &back).await
}

/// An invitation's link: what it offers, to anyone holding it.
#[server(endpoint = "organizations/invitation")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn load_invitation(token: String) -> Result<InvitationView, AppError> {
    use crate::domain::{accounts::language, context::ctx, organizations::invitations};
    let ctx = ctx().await?;
    let viewer = ctx.viewer().await?;
    let locale = language::of_request();
    invitations::view(
        &ctx.state.db,
        &token,
        viewer.as_ref(),
        chrono::Utc::now(),
        locale,
    )
    .await
}

#[server(endpoint = "organizations/invitation/answer")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn answer_invitation(token: String, answer: String) -> Result<(), AppError> {
    use crate::{
        domain::{context::ctx, organizations::invitations},
        i18n::td_string,
    };
    let locale = crate::domain::accounts::language::of_request();
    let ctx = ctx().await?;
    let me = ctx.require_user().await?;
    let back = format!("/o/invitations/{token}");
    let accept = match answer.as_str() {
        "accept" => true,
        "decline" => false,
        _ => {
            return ctx
                .fail(
                    AppError::BadRequest(
                        td_string!(locale, organizations.notice.accept_or_decline).into(),
                    ),
                    &back,
                    None,
                )
                .await
        }
    };
    let answered = invitations::answer(
        &ctx.state.db,
        &token,
        &me,
        accept,
        chrono::Utc::now(),
        locale,
    )
    .await;
    if answered.is_ok() {
        ctx.state.changes.bump();
    }
    match answered {
        Ok(org) if accept => {
            ctx.succeed(
                &td_string!(locale, organizations.notice.welcome, name = &org.name),
                &format!("/o/{}/team", org.slug),
            )
            .await
        }
        Ok(_) => {
            ctx.succeed(
                td_string!(locale, organizations.notice.invitation_declined),
                "/o/mine",
            )
            .await
        }
        Err(err) => ctx.fail(err, &back, None).await,
    }
}

/// The organizer dashboard: for members whose role sees figures (money only for those who see
/// money).
#[server(endpoint = "organizations/dashboard")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn load_dashboard(
    slug: String,
    from: Option<String>,
    to: Option<String>,
    event: Option<i32>,
) -> Result<Dashboard, AppError> {
    use crate::{
        domain::{accounts::language, context::ctx, dashboard},
        model::dashboard::DashboardQuery,
    };
    let query = DashboardQuery { from, to, event };
    let ctx = ctx().await?;
    let me = ctx.require_user().await?;
    let now = chrono::Utc::now();
    let locale = language::of_request();
    let load = dashboard::load(&ctx.state.db, &me, &slug, &query, now, locale);
    ctx.cached(
        "organizations/dashboard",
        Some(&me),
        (&slug, &query, locale),
        load,
    )
    .await
}

/// The finance page, for members whose role sees money. Coming back from Stripe's onboarding
/// (`returned`) reads the account's standing first.
#[server(endpoint = "organizations/finance")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn load_finance(slug: String, returned: Option<String>) -> Result<FinancePage, AppError> {
    use crate::domain::{accounts::language, context::ctx, dashboard::finance};
    let ctx = ctx().await?;
    let me = ctx.require_user().await?;
    let locale = language::of_request();
    finance::page(&ctx.state, &me, &slug, returned.is_some(), locale).await
}

/// Sends the person to Stripe's onboarding for the organization's payouts (making its account
/// the first time). For those who manage payouts.
#[server(endpoint = "organizations/payouts/start")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn start_payouts(slug: String) -> Result<(), AppError> {
    use crate::domain::{
        context::{ctx, redirect},
        organizations::payouts,
    };
    let ctx = ctx().await?;
    let me = ctx.require_user().await?;
    match payouts::start(&ctx.state, &me, &slug).await {
        Ok(url) => {
            redirect(&url);
            Ok(())
        }
        Err(err) => ctx.fail(err, &format!("/o/{slug}/finance"), None).await,
    }
}

/// Follows the organization (`follow` set) or stops following it.
#[server(endpoint = "organizations/follow")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn follow_organization(
    slug: String,
    #[server(default)] follow: Option<String>,
) -> Result<(), AppError> {
    use crate::{
        domain::{
            context::ctx,
            organizations::{follows, profile},
        },
        i18n::td_string,
    };
    let locale = crate::domain::accounts::language::of_request();
    let ctx = ctx().await?;
    let me = ctx.require_user().await?;
    let back = format!("/o/{slug}");
    let result = async {
        let org = profile::by_slug(&ctx.state.db, &slug).await?;
        let on = follow.is_some();
        follows::set(
            ctx.state.graph.as_ref(),
            me.id,
            org.id,
            on,
            chrono::Utc::now(),
        )
        .await?;
        Ok(match on {
            true => td_string!(locale, organizations.notice.following),
            false => td_string!(locale, organizations.notice.not_following),
        })
    }
    .await;
    ctx.respond(result, &back).await
}

/// Changes the organization's name, description, city and logo (multipart: the logo is a file).
#[server(endpoint = "organizations/edit", input = MultipartFormData)]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn edit_organization(data: MultipartData) -> Result<(), AppError> {
    use crate::{
        domain::{context::ctx, forms::FormFields, organizations::profile},
        i18n::td_string,
    };
    let locale = crate::domain::accounts::language::of_request();
    let ctx = ctx().await?;
    let me = ctx.require_user().await?;
    let form = FormFields::read(data).await?;
    let slug = form.text("slug").to_owned();
    let back = format!("/o/{slug}/team");
    let media = ctx.state.settings.media_dir();
    match profile::edit(
        &ctx.state.db,
        &media,
        &me,
        &slug,
        &form,
        chrono::Utc::now(),
        locale,
    )
    .await
    {
        Ok(_) => {
            ctx.succeed(td_string!(locale, organizations.notice.saved), &back)
                .await
        }
        Err(err) => ctx.fail(err, &back, Some(("org_profile", &form))).await,
    }
}

/// Submits an event (its id) to the calendar of the organization at `calendar` (its address).
#[server(endpoint = "organizations/calendar/submit")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn submit_to_calendar(event_id: i32, calendar: String) -> Result<(), AppError> {
    use crate::domain::{accounts::language, context::ctx, organizations::calendar as cal};
    let ctx = ctx().await?;
    let me = ctx.require_user().await?;
    let locale = language::of_request();
    let result = cal::submit(
        &ctx.state.db,
        &me,
        event_id,
        &calendar,
        chrono::Utc::now(),
        locale,
    )
    .await;
    let back = format!("/events/{event_id}");
    match result {
        Ok(notice) => ctx.succeed(&notice, &back).await,
        Err(err) => ctx.fail(err, &back, None).await,
    }
}

/// Approves (`approve` set) or declines a submission to an organization's calendar.
#[server(endpoint = "organizations/calendar/decide")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn decide_calendar_submission(
    id: i32,
    slug: String,
    #[server(default)] approve: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::{accounts::language, context::ctx, organizations::calendar as cal};
    let ctx = ctx().await?;
    let me = ctx.require_user().await?;
    let locale = language::of_request();
    let result = cal::decide(
        &ctx.state.db,
        &me,
        id,
        approve.is_some(),
        chrono::Utc::now(),
        locale,
    )
    .await;
    let back = format!("/o/{slug}/team");
    match result {
        Ok(notice) => ctx.succeed(&notice, &back).await,
        Err(err) => ctx.fail(err, &back, None).await,
    }
}
