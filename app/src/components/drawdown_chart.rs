//! The drawdown chart: planned and drawn cumulative amounts over the project's time, as server-rendered
//! SVG (prints, needs no script). Coordinates are integer arithmetic on haléře: no floats near money.

use crate::domain::{format_czech_date, format_decimal, Money};
use crate::dto::DrawdownPoint;
use leptos::prelude::*;
use rust_decimal::Decimal;

const W: i128 = 720;
const H: i128 = 260;
const LEFT: i128 = 110;
const RIGHT: i128 = 20;
const TOP: i128 = 16;
const BOTTOM: i128 = 40;

fn millions(m: Money) -> String {
    format!(
        "{} mil. Kč",
        format_decimal((m.as_decimal() / Decimal::from(1_000_000)).round_dp(1))
    )
}

#[component]
pub fn DrawdownChart(series: Vec<DrawdownPoint>, today: chrono::NaiveDate) -> impl IntoView {
    let (Some(first), Some(last)) = (series.first(), series.last()) else {
        return view! { <p class="muted">"Graf se zobrazí, až bude mít projekt rozpočet."</p> }
            .into_any();
    };
    let start = first.date;
    let days = i128::from((last.date - start).num_days().max(1));
    let max = series
        .iter()
        .map(|p| i128::from(p.planned.to_halere().max(p.drawn.to_halere())))
        .max()
        .unwrap_or(1)
        .max(1);
    let x = move |d: chrono::NaiveDate| {
        LEFT + i128::from((d - start).num_days()) * (W - LEFT - RIGHT) / days
    };
    let y = move |m: Money| {
        TOP + (H - TOP - BOTTOM) - i128::from(m.to_halere()) * (H - TOP - BOTTOM) / max
    };
    let points = |f: &dyn Fn(&DrawdownPoint) -> Money, upto: Option<chrono::NaiveDate>| {
        series
            .iter()
            .filter(|p| upto.is_none_or(|u| p.date <= u))
            .map(|p| format!("{},{}", x(p.date), y(f(p))))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let planned = points(&|p| p.planned, None);
    let drawn = points(&|p| p.drawn, Some(today));
    let max_money = Money::from_halere(i64::try_from(max).unwrap_or(i64::MAX)).unwrap_or_default();
    let half = Money::from_halere(i64::try_from(max / 2).unwrap_or(0)).unwrap_or_default();
    let rows: Vec<(String, String, String)> = series
        .iter()
        .map(|p| {
            (
                format_czech_date(p.date),
                p.planned.to_string(),
                if p.date <= today {
                    p.drawn.to_string()
                } else {
                    "—".into()
                },
            )
        })
        .collect();
    let today_x = x(today.clamp(start, last.date));
    view! {
        <figure class="chart">
            <svg viewBox=format!("0 0 {W} {H}") role="img" aria-labelledby="drawdown-title" width="100%">
                <title id="drawdown-title">"Plánované a skutečné kumulativní čerpání"</title>
                <line x1=LEFT y1=TOP x2=LEFT y2=H - BOTTOM class="axis"/>
                <line x1=LEFT y1=H - BOTTOM x2=W - RIGHT y2=H - BOTTOM class="axis"/>
                <line x1=LEFT y1=TOP x2=W - RIGHT y2=TOP class="grid"/>
                <line x1=LEFT y1=(TOP + H - BOTTOM) / 2 x2=W - RIGHT y2=(TOP + H - BOTTOM) / 2 class="grid"/>
                <text x=LEFT - 6 y=TOP + 4 text-anchor="end">{millions(max_money)}</text>
                <text x=LEFT - 6 y=(TOP + H - BOTTOM) / 2 + 4 text-anchor="end">{millions(half)}</text>
                <text x=LEFT - 6 y=H - BOTTOM + 4 text-anchor="end">"0"</text>
                <text x=LEFT y=H - BOTTOM + 18 text-anchor="start">{format_czech_date(start)}</text>
                <text x=W - RIGHT y=H - BOTTOM + 18 text-anchor="end">{format_czech_date(last.date)}</text>
                <line x1=today_x y1=TOP x2=today_x y2=H - BOTTOM class="today"/>
                <text x=today_x y=H - BOTTOM + 32 text-anchor="middle" class="today-label">"dnes"</text>
                <polyline points=planned class="planned"/>
                <polyline points=drawn class="drawn"/>
            </svg>
            <figcaption>
                <span class="legend planned">"plán (rozpočet rozložený v čase)"</span>
                <span class="legend drawn">"skutečné čerpání"</span>
            </figcaption>
            <details>
                <summary>"Hodnoty grafu"</summary>
                <table class="chart-data">
                    <thead><tr><th>"Datum"</th><th>"Plán kumulativně"</th><th>"Čerpáno kumulativně"</th></tr></thead>
                    <tbody>{rows.into_iter().map(|(d, p, c)| view! { <tr><td>{d}</td><td class="num">{p}</td><td class="num">{c}</td></tr> }).collect_view()}</tbody>
                </table>
            </details>
        </figure>
    }
    .into_any()
}
