use leptos::prelude::*;
use leptos_meta::Title;
use server_fn::ServerFn;

use crate::{
    api::social::{load_groups, CreateGroup},
    components::{
        form::{Field, FieldError, FormMessage},
        language::use_locale,
        status::ErrorView,
    },
    i18n::td_string,
    model::social::{GroupSummary, GroupVisibility},
};

/// `/groups`: the viewer's groups, others to join, and a new group.
#[component]
pub fn GroupsPage() -> impl IntoView {
    let locale = use_locale();
    let page = OnceResource::new(load_groups());
    view! {
        <Title text=td_string!(locale, social.groups.title)/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match page.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(page) => {
                        let state = page.state;
                        let chosen = state.value("visibility");
                        view! {
                            <section class="panel groups">
                                <h1>{td_string!(locale, social.groups.title)}</h1>
                                <h2>{td_string!(locale, social.groups.yours)}</h2>
                                <GroupList groups=page.mine empty=td_string!(locale, social.groups.yours_none)/>
                                <h2>{td_string!(locale, social.groups.others)}</h2>
                                <GroupList groups=page.others empty=td_string!(locale, social.groups.others_none)/>
                                <h2>{td_string!(locale, social.groups.start)}</h2>
                                <FormMessage state=state.clone()/>
                                <form method="post" action=CreateGroup::url() class="stack">
                                    <Field state=state.clone() name="name" label=td_string!(locale, social.groups.name) required=true/>
                                    <div class="field">
                                        <label for="field-about">{td_string!(locale, social.groups.about)}</label>
                                        <textarea id="field-about" name="about" rows="3">{state.value("about")}</textarea>
                                        <FieldError id="field-about-error".into() message=state.error("about")/>
                                    </div>
                                    <div class="field">
                                        <label for="field-visibility">{td_string!(locale, social.groups.who_may_join)}</label>
                                        <select id="field-visibility" name="visibility">
                                            {GroupVisibility::ALL.iter().map(|v| view! {
                                                <option value=v.as_str() selected=chosen == v.as_str()>{v.label_in(locale)}</option>
                                            }).collect_view()}
                                        </select>
                                        <FieldError id="field-visibility-error".into() message=state.error("visibility")/>
                                    </div>
                                    <button type="submit" class="button primary">{td_string!(locale, social.groups.create)}</button>
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

#[component]
fn GroupList(groups: Vec<GroupSummary>, empty: &'static str) -> impl IntoView {
    let locale = use_locale();
    if groups.is_empty() {
        return view! { <p class="muted">{empty}</p> }.into_any();
    }
    view! {
        <ul class="group-rows">
            {groups.into_iter().map(|g| {
                let members = td_string!(locale, social.groups.members, count = g.members);
                view! {
                    <li>
                        <a href=format!("/groups/{}", g.group.key)>{g.group.name}</a>
                        <span class="muted">" · "{members}" · "{g.visibility.label_in(locale).split(':').next().unwrap_or_default()}</span>
                        {g.my_status.map(|s| view! { <span class="chip small">{s.label_in(locale)}</span> })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}
