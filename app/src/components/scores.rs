use leptos::prelude::*;

use crate::{components::language::use_locale, i18n::td_string, model::curation::ScoreView};

/// Pre-screening scores as meters, each with the reasons behind it.
#[component]
pub fn ScoreList(scores: Vec<ScoreView>) -> impl IntoView {
    let locale = use_locale();
    view! {
        <ul class="scores">
            {scores.into_iter().map(|s| {
                let level = match (s.risk, s.percent) {
                    (true, 70..) | (false, 0..40) => "bad",
                    (true, 30..70) | (false, 40..75) => "fair",
                    _ => "good",
                };
                let (data_label, heading, aria) = (s.label.clone(), s.label.clone(), s.label);
                view! {
                    <li class=format!("score score-{level}") data-label=data_label>
                        <div class="score-head">
                            <span class="score-label">{heading}</span>
                            <span class="score-value">{td_string!(locale, organizations.scores.percent, percent = s.percent)}</span>
                        </div>
                        <meter min="0" max="100" value=s.percent aria-label=aria></meter>
                        <ul class="reasons">
                            {s.reasons.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}
                        </ul>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}
