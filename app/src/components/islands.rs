//! The interactive pieces. Each island hydrates on its own; everything else stays server HTML.
use leptos::prelude::*;

/// Marks the document once WebAssembly has run, so styles and tests can tell the page is live.
#[island]
pub fn Enhanced() -> impl IntoView {
    Effect::new(|| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-enhanced", "true");
        }
    });
}

/// A text input or textarea that shows how many characters are left as you type.
#[island]
pub fn CountedField(
    name: String,
    label: String,
    value: String,
    max: usize,
    error: Option<String>,
    multiline: bool,
    required: bool,
) -> impl IntoView {
    let (count, set_count) = signal(value.chars().count());
    let id = format!("field-{name}");
    let error_id = format!("{id}-error");
    let on_input =
        move |ev: leptos::ev::Event| set_count.set(event_target_value(&ev).chars().count());
    let has_error = error.is_some();
    let counter_class = move || {
        if count.get() > max {
            "counter over"
        } else {
            "counter"
        }
    };
    let described = has_error.then(|| error_id.clone());
    view! {
        <div class="field" class:has-error=has_error>
            <label for=id.clone()>{label}</label>
            {if multiline {
                view! {
                    <textarea id=id name=name rows="8" required=required on:input=on_input
                        aria-invalid=has_error.then_some("true") aria-describedby=described>{value}</textarea>
                }.into_any()
            } else {
                view! {
                    <input id=id name=name type="text" value=value required=required on:input=on_input
                        aria-invalid=has_error.then_some("true") aria-describedby=described/>
                }.into_any()
            }}
            <small class=counter_class data-counter="">
                {move || format!("{} / {max}", count.get())}
            </small>
            {error.map(|m| view! { <p class="field-error" id=error_id role="alert">{m}</p> })}
        </div>
    }
}
