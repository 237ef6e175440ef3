use leptos::prelude::*;

use crate::model::forms::FormState;

/// A labelled input with its validation message.
#[component]
pub fn Field(
    state: FormState,
    name: &'static str,
    label: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(optional)] attrs_step: Option<&'static str>,
    #[prop(optional)] list: Option<&'static str>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    /// Keeps ids unique when a page has several forms with the same fields.
    #[prop(optional, into)]
    id_prefix: Option<String>,
) -> impl IntoView {
    let error = state.error(name);
    let has_error = error.is_some();
    let id = format!("{}field-{name}", id_prefix.unwrap_or_default());
    let error_id = format!("{id}-error");
    view! {
        <div class="field" class:has-error=has_error>
            <label for=id.clone()>{label}</label>
            <input
                id=id
                type=kind
                name=name
                value=state.value(name)
                required=required
                step=attrs_step
                list=list
                autocomplete=autocomplete
                aria-invalid=has_error.then_some("true")
                aria-describedby=has_error.then(|| error_id.clone())
            />
            {hint.map(|h| view! { <small class="hint">{h}</small> })}
            <FieldError id=error_id message=error/>
        </div>
    }
}

#[component]
pub fn FieldError(id: String, message: Option<String>) -> impl IntoView {
    message.map(|m| view! { <p class="field-error" id=id role="alert">{m}</p> })
}

/// The form-wide message shown above a form that failed.
#[component]
pub fn FormMessage(state: FormState) -> impl IntoView {
    state
        .message
        .map(|m| view! { <p class="form-message" role="alert">{m}</p> })
}
