use leptos::prelude::*;
use leptos_meta::Title;
use server_fn::ServerFn;

use crate::{
    api::organizations::{load_my_organizations, CreateOrganization},
    components::{
        form::{Field, FieldError, FormMessage},
        language::use_locale,
        status::ErrorView,
    },
    i18n::td_string,
    model::organizations::OrgAction,
};

/// `/o/mine`: the organizations the person works in, and a new one.
#[component]
pub fn MyOrganizationsPageView() -> impl IntoView {
    let locale = use_locale();
    let page = OnceResource::new(load_my_organizations());
    view! {
        <Title text=td_string!(locale, organizations.mine.title)/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match page.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(page) => {
                        let state = page.state;
                        view! {
                            <section class="panel organizations">
                                <h1>{td_string!(locale, organizations.mine.title)}</h1>
                                {if page.mine.is_empty() {
                                    view! { <p class="muted">{td_string!(locale, organizations.mine.none)}</p> }.into_any()
                                } else {
                                    view! {
                                        <table class="table">
                                            <thead><tr><th>{td_string!(locale, organizations.mine.organization)}</th><th>{td_string!(locale, organizations.mine.your_role)}</th><th></th></tr></thead>
                                            <tbody>
                                                {page.mine.into_iter().map(|m| view! {
                                                    <tr>
                                                        <td>
                                                            <a href=format!("/o/{}", m.organization.slug)>{m.organization.name}</a>
                                                            {m.organization.personal.then(|| view! { <span class="chip small">{td_string!(locale, organizations.mine.personal)}</span> })}
                                                        </td>
                                                        <td>{m.role.label_in(locale)}</td>
                                                        <td class="actions">
                                                            <a href=format!("/o/{}/team", m.organization.slug)>{td_string!(locale, organizations.nav.team)}</a>
                                                            {m.role.permits(OrgAction::SeeFigures).then(|| view! {
                                                                " · "<a href=format!("/o/{}/dashboard", m.organization.slug)>{td_string!(locale, organizations.nav.dashboard)}</a>
                                                            })}
                                                            {m.role.permits(OrgAction::SeeMoney).then(|| view! {
                                                                " · "<a href=format!("/o/{}/finance", m.organization.slug)>{td_string!(locale, organizations.nav.finance)}</a>
                                                            })}
                                                        </td>
                                                    </tr>
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    }.into_any()
                                }}
                                <h2>{td_string!(locale, organizations.mine.new_heading)}</h2>
                                <p class="muted">{td_string!(locale, organizations.mine.new_intro)}</p>
                                <FormMessage state=state.clone()/>
                                <form method="post" action=CreateOrganization::url() class="stack">
                                    <Field state=state.clone() name="name" label=td_string!(locale, organizations.mine.name) required=true/>
                                    <Field state=state.clone() name="slug" label=td_string!(locale, organizations.mine.slug)/>
                                    <Field state=state.clone() name="city" label=td_string!(locale, organizations.mine.city)/>
                                    <div class="field">
                                        <label for="field-description">{td_string!(locale, organizations.mine.about)}</label>
                                        <textarea id="field-description" name="description" rows="3">{state.value("description")}</textarea>
                                        <FieldError id="field-description-error".into() message=state.error("description")/>
                                    </div>
                                    <button type="submit" class="button primary">{td_string!(locale, organizations.mine.create)}</button>
                                </form>
                            </section>
                        }
                        .into_any()
                    }
                }
            })}
        </Suspense>
    }
}
