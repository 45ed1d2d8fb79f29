//! Charts of the portfolio dashboard as server-rendered SVG (they print and need no script): horizontal
//! bars and a map of the kraje. Geometry is integer arithmetic; every figure is also written as text.

use crate::domain::words::nouns;
use crate::domain::{format_percent, plural};
use crate::dto::portfolio::RegionFigure;
use leptos::prelude::*;
use rust_decimal::Decimal;

/// One bar: its label, the value as text, its length as a share of the longest bar (0–1), and where
/// clicking it leads.
#[derive(Debug, Clone)]
pub struct Bar {
    pub label: String,
    pub title: String,
    pub value_text: String,
    pub share: Decimal,
    pub href: Option<String>,
}

const BAR_W: i64 = 720;
const LABEL_W: i64 = 170;
const VALUE_W: i64 = 150;
const ROW_H: i64 = 26;

/// Width in SVG units of a bar of `share` (0–1) of the bar area.
fn bar_width(share: Decimal) -> i64 {
    let area = Decimal::from(BAR_W - LABEL_W - VALUE_W);
    let w = (share.clamp(Decimal::ZERO, Decimal::ONE) * area).round();
    i64::try_from(w.mantissa() / 10i128.pow(w.scale())).unwrap_or(0)
}

/// Horizontal bars with labels and values; `marker` draws a reference line at that share (100 % of
/// target on a fulfilment chart).
#[component]
pub fn BarChart(
    id: &'static str,
    title: &'static str,
    bars: Vec<Bar>,
    #[prop(optional)] marker: Option<(Decimal, &'static str)>,
    empty: &'static str,
) -> impl IntoView {
    if bars.is_empty() {
        return view! { <p class="muted">{empty}</p> }.into_any();
    }
    let n = i64::try_from(bars.len()).unwrap_or(0);
    let h = n * ROW_H + 24;
    let title_id = format!("{id}-title");
    let labelled_by = title_id.clone();
    let marker_view = marker.map(|(share, label)| {
        let x = LABEL_W + bar_width(share);
        view! {
            <line x1=x y1=0 x2=x y2=n * ROW_H class="target-line"/>
            <text x=x y=n * ROW_H + 16 text-anchor="middle" class="muted-text">{label}</text>
        }
    });
    // A picture with links in it is a group of links, not an image (axe-core: nested-interactive).
    let role = if bars.iter().any(|b| b.href.is_some()) {
        "group"
    } else {
        "img"
    };
    let rows = bars
        .into_iter()
        .enumerate()
        .map(|(i, b)| {
            let y = i64::try_from(i).unwrap_or(0) * ROW_H;
            let w = bar_width(b.share).max(1);
            let label = b.label.clone();
            let inner = view! {
                <title>{b.title.clone()}</title>
                <text x=LABEL_W - 8 y=y + 17 text-anchor="end">{label}</text>
                <rect x=LABEL_W y=y + 5 width=w height=ROW_H - 10 class="bar-rect"/>
                <text x=LABEL_W + w + 6 y=y + 17>{b.value_text.clone()}</text>
            };
            match b.href {
                Some(href) => view! { <a href=href>{inner}</a> }.into_any(),
                None => view! { <g>{inner}</g> }.into_any(),
            }
        })
        .collect_view();
    view! {
        <figure class="chart">
            <svg viewBox=format!("0 0 {BAR_W} {h}") role=role aria-labelledby=labelled_by width="100%">
                <title id=title_id>{title}</title>
                {rows}
                {marker_view}
            </svg>
        </figure>
    }
    .into_any()
}

/// Where each kraj sits on the schematic map: (column, row) on a grid of hexagons whose first and last
/// rows are shifted by half a tile, so that neighbours touch roughly as on the real map.
const TILES: [(&str, &str, i64, i64); 14] = [
    ("CZ041", "KVK", 0, 0),
    ("CZ042", "ULK", 1, 0),
    ("CZ051", "LBK", 2, 0),
    ("CZ052", "HKK", 3, 0),
    ("CZ032", "PLK", 0, 1),
    ("CZ020", "STČ", 1, 1),
    ("CZ010", "PHA", 2, 1),
    ("CZ053", "PAK", 3, 1),
    ("CZ071", "OLK", 4, 1),
    ("CZ080", "MSK", 5, 1),
    ("CZ031", "JHČ", 1, 2),
    ("CZ063", "VYS", 2, 2),
    ("CZ064", "JHM", 3, 2),
    ("CZ072", "ZLK", 4, 2),
];

const HEX_R: i64 = 46;
const HEX_HALF_W: i64 = 40;
const COL_STEP: i64 = 82;
const ROW_STEP: i64 = 70;

fn hex_points(cx: i64, cy: i64) -> String {
    let r = HEX_R;
    let w = HEX_HALF_W;
    format!(
        "{},{} {},{} {},{} {},{} {},{} {},{}",
        cx,
        cy - r,
        cx + w,
        cy - r / 2,
        cx + w,
        cy + r / 2,
        cx,
        cy + r,
        cx - w,
        cy + r / 2,
        cx - w,
        cy - r / 2
    )
}

/// Shade class 0–4 of `value` against `max` (0 only for nothing at all).
#[must_use]
pub fn shade(value: u128, max: u128) -> u8 {
    if value == 0 || max == 0 {
        return 0;
    }
    let class = (value * 4).div_ceil(max);
    u8::try_from(class.clamp(1, 4)).unwrap_or(4)
}

/// The schematic map of the 14 kraje, each hexagon shaded by budget or by number of participating
/// municipalities and labelled with its figure; each links to the dashboard filtered to the kraj.
#[component]
pub fn RegionMap(
    regions: Vec<RegionFigure>,
    by_municipalities: bool,
    link: impl Fn(i32) -> String + 'static,
) -> impl IntoView {
    let value = |r: &RegionFigure| -> u128 {
        if by_municipalities {
            u128::from(r.municipalities)
        } else {
            u128::try_from(r.budget.to_halere()).unwrap_or(0)
        }
    };
    let max = regions.iter().map(value).max().unwrap_or(0);
    let tiles = TILES
        .iter()
        .map(|(nuts, abbr, col, row)| {
            let offset = if *row == 1 { 0 } else { COL_STEP / 2 };
            let cx = 50 + col * COL_STEP + offset;
            let cy = 56 + row * ROW_STEP;
            let Some(r) = regions.iter().find(|r| r.nuts3 == *nuts) else {
                // A kraj not in the codebook (load the RÚIAN lists with `tracker codebook import`).
                return view! {
                    <g data-nuts=*nuts>
                        <title>{format!("{abbr}: kraj není v číselníku")}</title>
                        <polygon points=hex_points(cx, cy) class="tile shade-0"/>
                        <text x=cx y=cy - 4 text-anchor="middle" class="tile-abbr">{*abbr}</text>
                        <text x=cx y=cy + 14 text-anchor="middle" class="tile-value">"—"</text>
                    </g>
                }
                .into_any();
            };
            let figure = if by_municipalities {
                plural(r.municipalities, nouns::MUNICIPALITY)
            } else {
                millions(r.budget)
            };
            let class = format!("tile shade-{}", shade(value(r), max));
            let title = format!(
                "{}: rozpočet {}, {}, {}",
                r.name,
                r.budget,
                plural(r.municipalities, nouns::MUNICIPALITY),
                plural(r.projects, nouns::PROJECT)
            );
            view! {
                <a href=link(r.code) data-nuts=*nuts>
                    <title>{title}</title>
                    <polygon points=hex_points(cx, cy) class=class/>
                    <text x=cx y=cy - 4 text-anchor="middle" class="tile-abbr">{*abbr}</text>
                    <text x=cx y=cy + 14 text-anchor="middle" class="tile-value">{figure}</text>
                </a>
            }
            .into_any()
        })
        .collect_view();
    let what = if by_municipalities {
        "počtu zapojených obcí"
    } else {
        "rozpočtu"
    };
    view! {
        <figure class="chart region-map">
            // Each kraj is a link: a group of links, not an image (axe-core: nested-interactive).
            <svg viewBox="0 0 560 240" role="group" aria-labelledby="map-title" width="100%">
                <title id="map-title">{format!("Schematická mapa krajů podle {what}")}</title>
                {tiles}
            </svg>
            <figcaption class="muted">
                {format!("Schematická mapa: každý šestiúhelník je jeden kraj, čím tmavší, tím vyšší podíl {what}.")}
            </figcaption>
        </figure>
    }
}

/// An amount in millions of Kč, one decimal (chart labels).
#[must_use]
pub fn millions(m: crate::domain::Money) -> String {
    format!(
        "{}\u{a0}mil.",
        crate::domain::format_decimal((m.as_decimal() / Decimal::from(1_000_000)).round_dp(1))
    )
}

/// A percentage label, or a dash.
#[must_use]
pub fn percent_text(p: Option<Decimal>) -> String {
    p.map_or_else(|| "—".into(), format_percent)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shades_split_the_range_in_four() {
        assert_eq!(shade(0, 100), 0);
        assert_eq!(shade(1, 100), 1);
        assert_eq!(shade(25, 100), 1);
        assert_eq!(shade(26, 100), 2);
        assert_eq!(shade(100, 100), 4);
        assert_eq!(shade(5, 0), 0);
    }

    #[test]
    fn bars_scale_to_the_area() {
        assert_eq!(bar_width(Decimal::ONE), BAR_W - LABEL_W - VALUE_W);
        assert_eq!(bar_width(Decimal::ZERO), 0);
        assert_eq!(
            bar_width(Decimal::new(5, 1)),
            (BAR_W - LABEL_W - VALUE_W) / 2
        );
        assert_eq!(bar_width(Decimal::from(3)), BAR_W - LABEL_W - VALUE_W);
    }

    #[test]
    fn every_kraj_has_a_tile() {
        let mut nuts: Vec<&str> = TILES.iter().map(|t| t.0).collect();
        nuts.sort_unstable();
        nuts.dedup();
        assert_eq!(nuts.len(), 14);
    }
}
