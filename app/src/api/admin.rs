//! The platform admin area: people and the audit log. Admins only, checked here for every call.
use leptos::server;

use crate::{
    error::AppError,
    model::admin::{AdminOrgsPage, AdminPeoplePage, AuditPage, ReportRow, SystemStatus},
};

#[server(endpoint = "admin/people")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn load_admin_people(
    #[server(default)] q: Option<String>,
) -> Result<AdminPeoplePage, AppError> {
    use crate::{
        domain::{accounts::language, admin::people, context::ctx},
        model::taxonomy::Role,
    };
    let ctx = ctx().await?;
    let admin = ctx.require_role(|r| r == Role::Admin).await?;
    let q = q.unwrap_or_default();
    Ok(AdminPeoplePage {
        people: people::search(&ctx.state.db, &q, language::of_request()).await?,
        q,
        me: admin.id,
        state: ctx.take_form("admin_person").await?,
    })
}

/// `role` (with `role`), `suspend` or `reinstate` one person, with a reason.
#[server(endpoint = "admin/people/act")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn act_on_person_as_admin(
    person: i32,
    action: String,
    #[server(default)] role: Option<String>,
    #[server(default)] reason: Option<String>,
    #[server(default)] q: Option<String>,
) -> Result<(), AppError> {
    use crate::{
        domain::{accounts::language, admin::people, context::ctx, forms::FormFields},
        i18n::td_string,
        model::{taxonomy::Role, urlencode},
    };
    let ctx = ctx().await?;
    let admin = ctx.require_role(|r| r == Role::Admin).await?;
    let (db, now) = (&ctx.state.db, chrono::Utc::now());
    let locale = language::of_request();
    let reason = reason.unwrap_or_default();
    let back = format!(
        "/admin/people?q={}",
        urlencode(q.as_deref().unwrap_or_default())
    );
    let done = match action.as_str() {
        "role" => match role.as_deref().and_then(Role::parse) {
            Some(role) => people::set_role(db, &admin, person, role, &reason, now, locale).await,
            None => Err(AppError::field(
                "role",
                td_string!(locale, admin.people.choose_role),
            )),
        },
        "suspend" => people::suspend(db, &admin, person, &reason, now, locale).await,
        "reinstate" => people::reinstate(db, &admin, person, &reason, now, locale).await,
        _ => Err(AppError::BadRequest(
            td_string!(locale, admin.shared.unknown_action).into(),
        )),
    };
    match done {
        Ok(notice) => {
            // roles and suspensions are read through the people cache
            ctx.state.changes.bump();
            ctx.succeed(&notice, &back).await
        }
        Err(err) => {
            let form = FormFields::from_pairs([("reason", reason.as_str())]);
            ctx.fail(err, &back, Some(("admin_person", &form))).await
        }
    }
}

#[server(endpoint = "admin/audit")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn load_audit(#[server(default)] page: Option<u64>) -> Result<AuditPage, AppError> {
    use crate::{
        domain::{accounts::language, admin::audit, context::ctx},
        model::taxonomy::Role,
    };
    let ctx = ctx().await?;
    ctx.require_role(|r| r == Role::Admin).await?;
    let locale = language::of_request();
    audit::page(&ctx.state.db, page.unwrap_or(1), None, locale).await
}

#[server(endpoint = "admin/status")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn load_status() -> Result<SystemStatus, AppError> {
    use crate::{
        domain::{accounts::language, admin::status, context::ctx},
        model::taxonomy::Role,
    };
    let ctx = ctx().await?;
    ctx.require_role(|r| r == Role::Admin).await?;
    status::load(&ctx.state, chrono::Utc::now(), language::of_request()).await
}

#[server(endpoint = "admin/organizations")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn load_admin_organizations(
    #[server(default)] q: Option<String>,
) -> Result<AdminOrgsPage, AppError> {
    use crate::{
        domain::{accounts::language, admin::organizations, context::ctx},
        model::taxonomy::Role,
    };
    let ctx = ctx().await?;
    ctx.require_role(|r| r == Role::Admin).await?;
    let q = q.unwrap_or_default();
    let (orgs, events) = organizations::search(&ctx.state.db, &q, language::of_request()).await?;
    Ok(AdminOrgsPage {
        q,
        organizations: orgs,
        events,
        state: ctx.take_form("admin_org").await?,
    })
}

/// `transfer` an organization (to `email`) or `cancel` an event, with a reason.
#[server(endpoint = "admin/organizations/act")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn act_as_admin_on_organization(
    action: String,
    id: i32,
    #[server(default)] email: Option<String>,
    #[server(default)] reason: Option<String>,
    #[server(default)] q: Option<String>,
) -> Result<(), AppError> {
    use crate::{
        domain::{accounts::language, admin::organizations, context::ctx, forms::FormFields},
        i18n::td_string,
        model::{taxonomy::Role, urlencode},
    };
    let ctx = ctx().await?;
    let admin = ctx.require_role(|r| r == Role::Admin).await?;
    let (db, now) = (&ctx.state.db, chrono::Utc::now());
    let locale = language::of_request();
    let (email, reason) = (email.unwrap_or_default(), reason.unwrap_or_default());
    let back = format!(
        "/admin/organizations?q={}",
        urlencode(q.as_deref().unwrap_or_default())
    );
    let done = match action.as_str() {
        "transfer" => organizations::transfer(db, &admin, id, &email, &reason, now, locale).await,
        "cancel" => organizations::force_cancel(db, &admin, id, &reason, now, locale).await,
        _ => Err(AppError::BadRequest(
            td_string!(locale, admin.shared.unknown_action).into(),
        )),
    };
    match done {
        Ok(notice) => ctx.succeed(&notice, &back).await,
        Err(err) => {
            let form =
                FormFields::from_pairs([("reason", reason.as_str()), ("email", email.as_str())]);
            ctx.fail(err, &back, Some(("admin_org", &form))).await
        }
    }
}

#[server(endpoint = "admin/reports")]
#[cfg_attr(feature = "ssr", tracing::instrument(level = "debug", skip_all))]
pub async fn load_reports() -> Result<Vec<ReportRow>, AppError> {
    use crate::{
        domain::{accounts::language, admin::reports, context::ctx},
        model::taxonomy::Role,
    };
    let ctx = ctx().await?;
    ctx.require_role(|r| r == Role::Admin).await?;
    reports::waiting(&ctx.state.db, chrono::Utc::now(), language::of_request()).await
}
