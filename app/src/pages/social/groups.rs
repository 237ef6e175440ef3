use leptos::prelude::*;
use leptos_meta::Title;
use server_fn::ServerFn;

use crate::{
    api::social::{load_groups, CreateGroup},
    components::{
        form::{Field, FieldError, FormMessage},
        status::ErrorView,
    },
    model::social::{GroupSummary, GroupVisibility},
};

/// `/groups`: the viewer's groups, others to join, and a new group.
#[component]
pub fn GroupsPage() -> impl IntoView {
    let page = OnceResource::new(load_groups());
    view! {
        <Title text="Groups"/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match page.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(page) => {
                        let state = page.state;
                        let chosen = state.value("visibility");
                        view! {
                            <section class="panel groups">
                                <h1>"Groups"</h1>
                                <h2>"Yours"</h2>
                                <GroupList groups=page.mine empty="You are not in any group yet."/>
                                <h2>"Others"</h2>
                                <GroupList groups=page.others empty="No other groups yet."/>
                                <h2>"Start a group"</h2>
                                <FormMessage state=state.clone()/>
                                <form method="post" action=CreateGroup::url() class="stack">
                                    <Field state=state.clone() name="name" label="Name" required=true/>
                                    <div class="field">
                                        <label for="field-about">"About"</label>
                                        <textarea id="field-about" name="about" rows="3">{state.value("about")}</textarea>
                                        <FieldError id="field-about-error".into() message=state.error("about")/>
                                    </div>
                                    <div class="field">
                                        <label for="field-visibility">"Who may join"</label>
                                        <select id="field-visibility" name="visibility">
                                            {GroupVisibility::ALL.iter().map(|v| view! {
                                                <option value=v.as_str() selected=chosen == v.as_str()>{v.label()}</option>
                                            }).collect_view()}
                                        </select>
                                        <FieldError id="field-visibility-error".into() message=state.error("visibility")/>
                                    </div>
                                    <button type="submit" class="button primary">"Create group"</button>
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
    if groups.is_empty() {
        return view! { <p class="muted">{empty}</p> }.into_any();
    }
    view! {
        <ul class="group-rows">
            {groups.into_iter().map(|g| {
                let members = match g.members { 1 => "1 member".to_owned(), n => format!("{n} members") };
                view! {
                    <li>
                        <a href=format!("/groups/{}", g.group.key)>{g.group.name}</a>
                        <span class="muted">" · "{members}" · "{g.visibility.label().split(':').next().unwrap_or_default().to_owned()}</span>
                        {g.my_status.map(|s| view! { <span class="chip small">{s.label()}</span> })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}
