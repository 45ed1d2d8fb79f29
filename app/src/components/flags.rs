use crate::dto::Flag;
use leptos::prelude::*;

/// Warnings about a project, each with its reason and numbers; or a calm line when there are none.
#[component]
pub fn FlagList(flags: Vec<Flag>) -> impl IntoView {
    if flags.is_empty() {
        return view! { <p class="ok-line">"✓ Bez upozornění."</p> }.into_any();
    }
    view! {
        <ul class="flags" role="list">
            {flags.into_iter().map(|f| view! { <li class="flag" data-kind=f.kind.clone()>"⚠ "{f.message}</li> }).collect_view()}
        </ul>
    }
    .into_any()
}

/// A horizontal bar for a percentage (fulfilment of an indicator, drawdown), capped visually at 100 %.
#[component]
pub fn PercentBar(percent: Option<rust_decimal::Decimal>) -> impl IntoView {
    let width = percent
        .map(|p| {
            p.round()
                .clamp(
                    rust_decimal::Decimal::ZERO,
                    rust_decimal::Decimal::ONE_HUNDRED,
                )
                .to_string()
        })
        .unwrap_or_else(|| "0".into());
    let label = percent.map_or_else(|| "—".to_string(), crate::domain::format_percent);
    view! {
        <span class="bar" role="img" aria-label=label.clone()>
            <span class="bar-fill" style=format!("width: {width}%")></span>
        </span>
        <span class="bar-label">{label}</span>
    }
}
