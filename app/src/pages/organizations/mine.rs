use leptos::prelude::*;
use leptos_meta::Title;
use server_fn::ServerFn;

use crate::{
    api::organizations::{load_my_organizations, CreateOrganization},
    components::{
        form::{Field, FieldError, FormMessage},
        status::ErrorView,
    },
    model::organizations::OrgAction,
};

/// `/o/mine`: the organizations the person works in, and a new one.
#[component]
pub fn MyOrganizationsPageView() -> impl IntoView {
    let page = OnceResource::new(load_my_organizations());
    view! {
        <Title text="Your organizations"/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match page.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(page) => {
                        let state = page.state;
                        view! {
                            <section class="panel organizations">
                                <h1>"Your organizations"</h1>
                                {if page.mine.is_empty() {
                                    view! { <p class="muted">"You are not on any team yet. Your first event makes a personal organization for you."</p> }.into_any()
                                } else {
                                    view! {
                                        <table class="table">
                                            <thead><tr><th>"Organization"</th><th>"Your role"</th><th></th></tr></thead>
                                            <tbody>
                                                {page.mine.into_iter().map(|m| view! {
                                                    <tr>
                                                        <td>
                                                            <a href=format!("/o/{}", m.organization.slug)>{m.organization.name}</a>
                                                            {m.organization.personal.then(|| view! { <span class="chip small">"Personal"</span> })}
                                                        </td>
                                                        <td>{m.role.label()}</td>
                                                        <td class="actions">
                                                            <a href=format!("/o/{}/team", m.organization.slug)>"Team"</a>
                                                            {m.role.permits(OrgAction::SeeFigures).then(|| view! {
                                                                " · "<a href=format!("/o/{}/dashboard", m.organization.slug)>"Dashboard"</a>
                                                            })}
                                                            {m.role.permits(OrgAction::SeeMoney).then(|| view! {
                                                                " · "<a href=format!("/o/{}/finance", m.organization.slug)>"Finance"</a>
                                                            })}
                                                        </td>
                                                    </tr>
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    }.into_any()
                                }}
                                <h2>"New organization"</h2>
                                <p class="muted">"A venue, a collective, a festival: events that belong to it are run by its team."</p>
                                <FormMessage state=state.clone()/>
                                <form method="post" action=CreateOrganization::url() class="stack">
                                    <Field state=state.clone() name="name" label="Name" required=true/>
                                    <Field state=state.clone() name="slug" label="Address: lineup/o/…  (optional)"/>
                                    <Field state=state.clone() name="city" label="City (optional)"/>
                                    <div class="field">
                                        <label for="field-description">"About"</label>
                                        <textarea id="field-description" name="description" rows="3">{state.value("description")}</textarea>
                                        <FieldError id="field-description-error".into() message=state.error("description")/>
                                    </div>
                                    <button type="submit" class="button primary">"Create organization"</button>
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
