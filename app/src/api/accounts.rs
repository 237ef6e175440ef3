use leptos::server;
use server_fn::codec::{MultipartData, MultipartFormData};

#[cfg(feature = "ssr")]
use crate::model::{
    accounts::{is_local_path, Viewer},
    taxonomy::Role,
};
use crate::{
    error::AppError,
    model::{
        accounts::{Chrome, ProfileForm},
        forms::FormState,
    },
};

/// The navigation's data: who is signed in, and a one-time notice from the last action.
#[server(endpoint = "accounts/chrome")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn load_chrome() -> Result<Chrome, AppError> {
    use crate::domain::{context::ctx, notifications::inbox};
    let ctx = ctx().await?;
    let user = ctx.viewer().await?;
    let unread = match &user {
        Some(me) => {
            let count = inbox::unread(&ctx.state.db, me.id);
            ctx.cached("notifications/unread", Some(me), (), count)
                .await?
        }
        None => 0,
    };
    let viewer = user.map(|u| Viewer {
        id: u.id,
        display_name: u.display_name,
        role: Role::parse(&u.role).unwrap_or(Role::Attendee),
    });
    let notice = ctx.take_notice().await?;
    Ok(Chrome {
        viewer,
        notice,
        unread,
    })
}

#[server(endpoint = "accounts/form")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn auth_form(form: String) -> Result<FormState, AppError> {
    use crate::domain::context::ctx;
    let name = match form.as_str() {
        "sign_up" => "sign_up",
        "forgot" => "forgot",
        "reset" => "reset",
        "email_change" => "email_change",
        _ => "sign_in",
    };
    ctx().await?.take_form(name).await
}

#[server(endpoint = "accounts/sign_up")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn sign_up(
    email: String,
    password: String,
    display_name: String,
    #[server(default)] organizer: Option<String>,
) -> Result<(), AppError> {
    use crate::{
        domain::{
            accounts::{language, recovery, sign_up},
            context::ctx,
            forms::FormFields,
        },
        i18n::td_string,
    };
    let ctx = ctx().await?;
    let locale = language::of_request();
    let role = if organizer.is_some() {
        Role::Organizer
    } else {
        Role::Attendee
    };
    let input = sign_up::NewAccount {
        email: email.clone(),
        password,
        display_name: display_name.clone(),
        role,
        locale: Some(locale),
    };
    match sign_up::sign_up(&ctx.state.db, input).await {
        Ok(user) => {
            recovery::send_verification(&ctx.state.db, &user, chrono::Utc::now(), locale).await?;
            ctx.sign_in_as(user.id).await?;
            let welcome = td_string!(
                locale,
                accounts.notice.welcome,
                name = &user.display_name,
                email = &user.email
            );
            ctx.succeed(&welcome, "/").await
        }
        Err(err) => {
            let organizer = if role == Role::Organizer { "on" } else { "" };
            let form = FormFields::from_pairs([
                ("email", email.as_str()),
                ("display_name", &display_name),
                ("organizer", organizer),
            ]);
            ctx.fail(err, "/signup", Some(("sign_up", &form))).await
        }
    }
}

#[server(endpoint = "accounts/sign_in")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn sign_in(
    email: String,
    password: String,
    #[server(default)] next: Option<String>,
) -> Result<(), AppError> {
    use crate::{
        domain::{
            accounts::{language, sign_in},
            context::ctx,
            forms::FormFields,
        },
        i18n::td_string,
        model::language::parse,
    };
    let ctx = ctx().await?;
    let requested = language::of_request();
    let client = client_address();
    match sign_in::authenticate(
        &ctx.state.db,
        &ctx.state.throttle,
        &email,
        &password,
        &client,
        requested,
    )
    .await
    {
        Ok(user) => {
            ctx.sign_in_as(user.id).await?;
            language::bring_to_browser(&user, ctx.state.settings.secure_cookies());
            // the next page is in the account's language, if it has one
            let locale = user.locale.as_deref().and_then(parse).unwrap_or(requested);
            let next = next
                .filter(|n| is_local_path(n))
                .unwrap_or_else(|| "/".into());
            let notice = td_string!(locale, accounts.notice.signed_in, name = &user.display_name);
            ctx.succeed(&notice, &next).await
        }
        Err(err) => {
            let form = FormFields::from_pairs([("email", email.as_str())]);
            ctx.fail(err, "/signin", Some(("sign_in", &form))).await
        }
    }
}

#[cfg(feature = "ssr")]
fn client_address() -> String {
    use crate::domain::client::ClientAddress;
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<ClientAddress>().map(|c| c.key()))
        .unwrap_or_else(|| "unknown".into())
}

#[server(endpoint = "accounts/sign_out")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn sign_out() -> Result<(), AppError> {
    use crate::{
        domain::{accounts::language, context::ctx},
        i18n::td_string,
    };
    let ctx = ctx().await?;
    let locale = language::of_request();
    ctx.sign_out().await?;
    ctx.succeed(td_string!(locale, accounts.notice.signed_out), "/")
        .await
}

#[server(endpoint = "accounts/profile")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn load_profile() -> Result<ProfileForm, AppError> {
    use crate::{domain::context::ctx, model::forms::number_value};
    let ctx = ctx().await?;
    let user = ctx.require_user().await?;
    let posted = ctx.take_form("profile").await?;
    let state = posted.or_stored(|| {
        FormState::from_values([
            ("display_name", user.display_name.clone()),
            ("home_city", user.home_city.clone().unwrap_or_default()),
            ("home_lat", number_value(user.home_lat)),
            ("home_lng", number_value(user.home_lng)),
            ("interests", user.interests.clone()),
        ])
    });
    let email_change = ctx.take_form("email_change").await?;
    Ok(ProfileForm {
        email_verified: user.email_verified_at.is_some(),
        email: user.email,
        role: Role::parse(&user.role).unwrap_or(Role::Attendee),
        state,
        email_change,
    })
}

#[server(endpoint = "accounts/update_profile", input = MultipartFormData)]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn update_profile(data: MultipartData) -> Result<(), AppError> {
    use crate::{
        domain::{
            accounts::{language, profile},
            context::ctx,
            forms::FormFields,
        },
        i18n::td_string,
    };
    let ctx = ctx().await?;
    let locale = language::of_request();
    let user = ctx.require_user().await?;
    let form = FormFields::read(data).await?;
    let result = match profile::ProfileInput::parse(&form, locale) {
        Ok(input) => profile::update(&ctx.state.db, user, input).await,
        Err(err) => Err(err),
    };
    match result {
        Ok(_) => {
            ctx.succeed(
                td_string!(locale, accounts.notice.profile_saved),
                "/profile",
            )
            .await
        }
        Err(err) => ctx.fail(err, "/profile", Some(("profile", &form))).await,
    }
}

/// Switches the language: of this browser (a cookie), and of the account when someone is signed
/// in (their pages on other devices after the next sign-in, and their mail).
#[server(endpoint = "accounts/language")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn set_language(
    lang: String,
    #[server(default)] back: Option<String>,
) -> Result<(), AppError> {
    use crate::{
        domain::{accounts::language, context::ctx},
        i18n::td_string,
        model::language::parse,
    };
    let ctx = ctx().await?;
    let back = back
        .filter(|b| is_local_path(b))
        .unwrap_or_else(|| "/".into());
    let Some(locale) = parse(&lang).filter(|_| lang.len() <= 8) else {
        let err = AppError::field(
            "lang",
            td_string!(language::of_request(), accounts.language.choose),
        );
        return ctx.fail(err, &back, None).await;
    };
    if let Some(user) = ctx.viewer().await? {
        language::save(&ctx.state.db, user, locale).await?;
    }
    language::remember_in_browser(locale, ctx.state.settings.secure_cookies());
    ctx.succeed(td_string!(locale, common.language.changed), &back)
        .await
}

#[server(endpoint = "accounts/become_organizer")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn become_organizer() -> Result<(), AppError> {
    use crate::{
        domain::{
            accounts::{language, profile},
            context::ctx,
        },
        i18n::td_string,
    };
    let ctx = ctx().await?;
    let locale = language::of_request();
    let user = ctx.require_user().await?;
    let result = profile::become_organizer(&ctx.state.db, user)
        .await
        .map(|_| td_string!(locale, accounts.notice.organizer));
    ctx.respond(result, "/events/new").await
}

/// "Forgot your password?": the same answer whether or not an account uses the address.
#[server(endpoint = "accounts/password/forgot")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    use crate::{
        domain::{
            accounts::{language, recovery},
            context::ctx,
            forms::FormFields,
        },
        i18n::td_string,
    };
    let ctx = ctx().await?;
    let locale = language::of_request();
    match recovery::request_reset(&ctx.state.db, &email, chrono::Utc::now(), locale).await {
        Ok(()) => {
            ctx.succeed(td_string!(locale, accounts.recovery.reset_sent), "/signin")
                .await
        }
        Err(err) => {
            let form = FormFields::from_pairs([("email", email.as_str())]);
            ctx.fail(err, "/password/forgot", Some(("forgot", &form)))
                .await
        }
    }
}

/// A new password from a reset link: every session of the account ends, and this browser is
/// signed in afresh.
#[server(endpoint = "accounts/password/reset")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn reset_password(token: String, password: String) -> Result<(), AppError> {
    use crate::{
        domain::{
            accounts::{language, recovery},
            context::ctx,
            forms::FormFields,
        },
        i18n::td_string,
    };
    let ctx = ctx().await?;
    let locale = language::of_request();
    match recovery::reset_password(&ctx.state.db, &token, &password, chrono::Utc::now(), locale)
        .await
    {
        Ok(user) => {
            ctx.state.caches.sessions.forget_user(user.id);
            ctx.sign_in_as(user.id).await?;
            ctx.succeed(td_string!(locale, accounts.notice.password_changed), "/")
                .await
        }
        Err(err @ AppError::Validation(_)) => {
            let back = format!("/password/reset?token={}", crate::model::urlencode(&token));
            ctx.fail(err, &back, Some(("reset", &FormFields::from_pairs([]))))
                .await
        }
        Err(err) => ctx.fail(err, "/password/forgot", None).await,
    }
}

/// Confirms the address a verification link was sent to.
#[server(endpoint = "accounts/email/verify")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn verify_email(token: String) -> Result<(), AppError> {
    use crate::{
        domain::{
            accounts::{language, recovery},
            context::ctx,
        },
        i18n::td_string,
    };
    let ctx = ctx().await?;
    let locale = language::of_request();
    let next = if ctx.user_id().await?.is_some() {
        "/profile"
    } else {
        "/signin"
    };
    let result = recovery::verify_email(&ctx.state.db, &token, chrono::Utc::now(), locale)
        .await
        .map(|_| td_string!(locale, accounts.notice.email_verified));
    ctx.respond(result, next).await
}

/// Sends the signed-in person a new verification link.
#[server(endpoint = "accounts/email/resend")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn resend_verification() -> Result<(), AppError> {
    use crate::{
        domain::{
            accounts::{language, recovery},
            context::ctx,
        },
        i18n::td_string,
    };
    let ctx = ctx().await?;
    let locale = language::of_request();
    let user = ctx.require_user().await?;
    let result = if recovery::verified(&user) {
        Err(AppError::Refused(
            td_string!(locale, accounts.notice.already_verified).into(),
        ))
    } else {
        recovery::send_verification(&ctx.state.db, &user, chrono::Utc::now(), locale).await
    };
    let notice = td_string!(locale, accounts.notice.link_resent, email = &user.email);
    ctx.respond(result.map(|()| notice.as_str()), "/profile")
        .await
}

/// Starts moving the account to a new address (confirmed from the link sent there).
#[server(endpoint = "accounts/email/change")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn change_email(new_email: String, password: String) -> Result<(), AppError> {
    use crate::{
        domain::{
            accounts::{language, recovery},
            context::ctx,
            forms::FormFields,
        },
        i18n::td_string,
    };
    let ctx = ctx().await?;
    let locale = language::of_request();
    let user = ctx.require_user().await?;
    let result = recovery::request_email_change(
        &ctx.state.db,
        &user,
        &new_email,
        &password,
        chrono::Utc::now(),
        locale,
    )
    .await;
    match result {
        Ok(()) => {
            let notice = td_string!(
                locale,
                accounts.notice.change_sent,
                email = new_email.trim()
            );
            ctx.succeed(&notice, "/profile").await
        }
        Err(err) => {
            let form = FormFields::from_pairs([("new_email", new_email.as_str())]);
            ctx.fail(err, "/profile", Some(("email_change", &form)))
                .await
        }
    }
}

/// Moves the account to the address the link was sent to.
#[server(endpoint = "accounts/email/confirm")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn confirm_email_change(token: String) -> Result<(), AppError> {
    use crate::{
        domain::{
            accounts::{language, recovery},
            context::ctx,
        },
        i18n::td_string,
    };
    let ctx = ctx().await?;
    let locale = language::of_request();
    let next = if ctx.user_id().await?.is_some() {
        "/profile"
    } else {
        "/signin"
    };
    match recovery::confirm_email_change(&ctx.state.db, &token, chrono::Utc::now(), locale).await {
        Ok(user) => {
            let notice = td_string!(locale, accounts.notice.email_changed, email = &user.email);
            ctx.succeed(&notice, next).await
        }
        Err(err) => ctx.fail(err, next, None).await,
    }
}

/// Ends every session of the account, this one included.
#[server(endpoint = "accounts/sign_out_everywhere")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn sign_out_everywhere() -> Result<(), AppError> {
    use crate::{
        domain::{
            accounts::{language, recovery},
            context::ctx,
        },
        i18n::td_string,
    };
    let ctx = ctx().await?;
    let locale = language::of_request();
    let user = ctx.require_user().await?;
    recovery::end_sessions(&ctx.state.db, user.id).await?;
    ctx.state.caches.sessions.forget_user(user.id);
    ctx.sign_out().await?;
    ctx.succeed(
        td_string!(locale, accounts.notice.signed_out_everywhere),
        "/signin",
    )
    .await
}
