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
    let name = if form == "sign_up" {
        "sign_up"
    } else {
        "sign_in"
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
    use crate::domain::{accounts::sign_up, context::ctx, forms::FormFields};
    let ctx = ctx().await?;
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
    };
    match sign_up::sign_up(&ctx.state.db, input).await {
        Ok(user) => {
            ctx.sign_in_as(user.id).await?;
            ctx.succeed(&format!("Welcome to Lineup, {}!", user.display_name), "/")
                .await
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
    use crate::domain::{accounts::sign_in, context::ctx, forms::FormFields};
    let ctx = ctx().await?;
    let client = client_address();
    match sign_in::authenticate(
        &ctx.state.db,
        &ctx.state.throttle,
        &email,
        &password,
        &client,
    )
    .await
    {
        Ok(user) => {
            ctx.sign_in_as(user.id).await?;
            let next = next
                .filter(|n| is_local_path(n))
                .unwrap_or_else(|| "/".into());
            ctx.succeed(&format!("Signed in as {}.", user.display_name), &next)
                .await
        }
        Err(err) => {
            let form = FormFields::from_pairs([("email", email.as_str())]);
            ctx.fail(err, "/signin", Some(("sign_in", &form))).await
        }
    }
}

#[cfg(feature = "ssr")]
fn client_address() -> String {
    use axum::extract::ConnectInfo;
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|parts| {
            parts
                .extensions
                .get::<ConnectInfo<std::net::SocketAddr>>()
                .map(|c| c.0.ip().to_string())
        })
        .unwrap_or_else(|| "unknown".into())
}

#[server(endpoint = "accounts/sign_out")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn sign_out() -> Result<(), AppError> {
    use crate::domain::context::ctx;
    let ctx = ctx().await?;
    ctx.sign_out().await?;
    ctx.succeed("Signed out.", "/").await
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
    Ok(ProfileForm {
        email: user.email,
        role: Role::parse(&user.role).unwrap_or(Role::Attendee),
        state,
    })
}

#[server(endpoint = "accounts/update_profile", input = MultipartFormData)]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn update_profile(data: MultipartData) -> Result<(), AppError> {
    use crate::domain::{accounts::profile, context::ctx, forms::FormFields};
    let ctx = ctx().await?;
    let user = ctx.require_user().await?;
    let form = FormFields::read(data).await?;
    let result = match profile::ProfileInput::parse(&form) {
        Ok(input) => profile::update(&ctx.state.db, user, input).await,
        Err(err) => Err(err),
    };
    match result {
        Ok(_) => ctx.succeed("Profile saved.", "/profile").await,
        Err(err) => ctx.fail(err, "/profile", Some(("profile", &form))).await,
    }
}

#[server(endpoint = "accounts/become_organizer")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn become_organizer() -> Result<(), AppError> {
    use crate::domain::{accounts::profile, context::ctx};
    let ctx = ctx().await?;
    let user = ctx.require_user().await?;
    let result = profile::become_organizer(&ctx.state.db, user)
        .await
        .map(|_| "You can now create events.");
    ctx.respond(result, "/events/new").await
}
