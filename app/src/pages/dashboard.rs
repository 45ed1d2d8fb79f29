//! The portfolio dashboard (`/prehled`): what the ministry's reviewers look at first. Totals, charts, the
//! map of kraje and the risk list for the projects the filters select, all computed on the server.

use super::project_list::Filters;
use crate::api::{get_codebooks, get_dashboard};
use crate::components::{
    millions, percent_text, Bar, BarChart, DrawdownChart, ErrorBox, Loading, RegionMap,
};
use crate::domain::words::{nouns, with_unit};
use crate::domain::{format_decimal, format_percent, plural};
use crate::dto::portfolio::{Dashboard, RiskRow, RiskSort};
use crate::dto::{DrawdownPoint, ProjectListQuery};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use rust_decimal::Decimal;

#[component]
pub fn DashboardPage() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| {
        let p = params.get();
        ProjectListQuery::from_params(|k| p.get(k)).filters_only()
    });
    let risk_sort =
        Memo::new(move |_| RiskSort::from_code(&params.get().get("rizika").unwrap_or_default()));
    let by_municipalities = Memo::new(move |_| params.get().get("mapa").as_deref() == Some("obce"));
    let data = Resource::new(
        move || (query.get(), risk_sort.get()),
        |(q, s)| get_dashboard(q, s),
    );
    let codebooks = Resource::new(|| (), |()| get_codebooks());
    view! {
        <Title text=crate::i18n::t("nav.portfolio")/>
        <div class="page-head">
            <h1>{crate::i18n::t("nav.portfolio")}</h1>
        </div>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                let q = query.get();
                let codebooks = codebooks.await.unwrap_or_default();
                view! { <Filters q codebooks action="/prehled"/> }
            })}
        </Transition>
        <crate::components::OverdueDeadlinesCard/>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! {
                        <DashboardBody d risk_sort=risk_sort.get_untracked() by_municipalities=by_municipalities.get_untracked()/>
                    }.into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// `?query` for a link, with extra parameters.
fn with_params(q: &ProjectListQuery, extra: &[(&str, &str)]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let base = q.to_query_string();
    if !base.is_empty() {
        parts.push(base);
    }
    for (k, v) in extra {
        parts.push(format!("{k}={}", crate::dto::url_encode(v)));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

#[component]
fn DashboardBody(d: Dashboard, risk_sort: RiskSort, by_municipalities: bool) -> impl IntoView {
    let q = d.query.clone();
    let list_href = format!("/{}", with_params(&q, &[]));
    if d.totals.projects == 0 {
        return view! {
            <div class="empty">
                <p>"Filtru neodpovídá žádný projekt. " <A href="/prehled">"Zrušit filtry"</A></p>
            </div>
        }
        .into_any();
    }
    let t = d.totals.clone();
    let drawdown = percent_text(t.drawdown_percent());
    let export_q = with_params(&q, &[]);
    // The queue of the open reviews, in the dashboard's programme when it is filtered by one.
    let reviews_href = crate::dto::review::ReviewQueueQuery {
        status: Some(crate::dto::review::ALL_OPEN.into()),
        programme_id: q.programme_id,
        ..Default::default()
    };
    let reviews_href = format!("/kontroly?{}", reviews_href.to_query_string());
    let series: Vec<DrawdownPoint> = d
        .series
        .iter()
        .map(|p| DrawdownPoint {
            date: p.date,
            planned: p.planned,
            drawn: p.drawn.unwrap_or_default(),
        })
        .collect();
    let hundred = Decimal::ONE_HUNDRED;
    let max_fulfilment = d
        .indicators
        .iter()
        .filter_map(|i| i.fulfilment)
        .fold(hundred, Decimal::max);
    let indicator_bars: Vec<Bar> = d
        .indicators
        .iter()
        .map(|i| Bar {
            label: i.code.clone(),
            title: format!(
                "{} {}: dosaženo {} z cíle {} ({})",
                i.code,
                i.name,
                format_decimal(i.achieved),
                with_unit(i.target, &i.unit),
                plural(i.projects, nouns::PROJECT)
            ),
            value_text: percent_text(i.fulfilment),
            share: i.fulfilment.unwrap_or_default() / max_fulfilment,
            href: None,
        })
        .collect();
    let max_budget = d
        .regions
        .iter()
        .map(|r| r.budget.as_decimal())
        .fold(Decimal::ZERO, Decimal::max);
    let region_link = {
        let q = q.clone();
        move |code: i32| {
            let mut f = q.clone();
            f.region_code = Some(code);
            format!("/prehled{}", with_params(&f, &[]))
        }
    };
    let region_bars: Vec<Bar> = d
        .regions
        .iter()
        .filter(|r| !r.budget.is_zero())
        .map(|r| Bar {
            label: r.name.clone(),
            title: format!("{}: {}", r.name, r.budget),
            value_text: format!("{} Kč", millions(r.budget)),
            share: if max_budget.is_zero() {
                Decimal::ZERO
            } else {
                r.budget.as_decimal() / max_budget
            },
            href: Some(region_link(r.code)),
        })
        .collect();
    let map_toggle = if by_municipalities {
        (
            format!("/prehled{}", with_params(&q, &[])),
            "Stínovat podle rozpočtu",
        )
    } else {
        (
            format!("/prehled{}", with_params(&q, &[("mapa", "obce")])),
            "Stínovat podle počtu obcí",
        )
    };
    let region_rows = d
        .regions
        .clone()
        .into_iter()
        .map(|r| {
            let href = region_link(r.code);
            view! {
                <tr data-nuts=r.nuts3>
                    <td><A href=href>{r.name}</A></td>
                    <td class="num">{r.projects}</td>
                    <td class="num">{r.municipalities}</td>
                    <td class="num">{r.budget.to_string()}</td>
                </tr>
            }
        })
        .collect_view();
    let unplaced = (d.unplaced_projects > 0).then(|| {
        view! {
            <tr><td>"Bez zapojených obcí"</td><td class="num">{d.unplaced_projects}</td><td class="num">"—"</td>
                <td class="num">{d.unplaced_budget.to_string()}</td></tr>
        }
    });
    view! {
        <p class="export-links">
            "Stáhnout: "
            <a href=format!("/export/prehled.xlsx{export_q}") rel="external" download="">"přehled (xlsx)"</a>" · "
            <a href=format!("/export/prehled.csv{export_q}") rel="external" download="">"přehled (csv)"</a>" · "
            <a href=format!("/export/projekty.xlsx{export_q}") rel="external" download="">"seznam projektů (xlsx)"</a>" · "
            <a href=format!("/export/projekty.csv{export_q}") rel="external" download="">"seznam projektů (csv)"</a>" · "
            <a href=format!("/export/seznam-operaci.xlsx{export_q}") rel="external" download="">"seznam operací pro otevřená data (xlsx)"</a>" · "
            <a href=format!("/export/seznam-operaci.csv{export_q}") rel="external" download="">"(csv)"</a>
        </p>
        <section class="cards" aria-label=crate::i18n::t("dash.summary")>
            <Card label=crate::i18n::t("dash.projects") value=t.projects.to_string() href=list_href.clone()/>
            <Card label=crate::i18n::t("dash.eligible") value=t.eligible.to_string() href=list_href.clone()/>
            <Card label=crate::i18n::t("dash.drawn") value=t.drawn.to_string() note=format!("{drawdown} rozpočtu") href=list_href.clone()/>
            <Card label=crate::i18n::t("dash.paid") value=t.paid.to_string() href=list_href.clone()/>
            <Card label=crate::i18n::t("dash.participants") value=t.participants.to_string() href=list_href.clone()/>
            <Card label=crate::i18n::t("dash.municipalities") value=t.municipalities.to_string() href=list_href.clone()/>
            <Card label=crate::i18n::t("dash.at_risk") value=t.at_risk.to_string() href="#rizika".to_string()/>
            <Card label=crate::i18n::t("dash.reviews_open") value=t.reviews_open.to_string() href=reviews_href/>
        </section>
        <section>
            <h2>{crate::i18n::t("budget.over_time")}</h2>
            <DrawdownChart series today=d.today/>
        </section>
        <section>
            <h2>{crate::i18n::t("dash.indicators")}</h2>
            <BarChart id="indicators-chart" title="Plnění indikátorů podle kódu (dosaženo ÷ cíl)" bars=indicator_bars
                marker=(hundred / max_fulfilment, "100 %") empty="Vybrané projekty zatím nemají indikátory."/>
        </section>
        <section class="two-col">
            <div>
                <h2>{crate::i18n::t("dash.regions")}</h2>
                <RegionMap regions=d.regions.clone() by_municipalities link=region_link.clone()/>
                <p><A href=map_toggle.0>{map_toggle.1}</A></p>
            </div>
            <div>
                <table class="regions">
                    <thead><tr><th>"Kraj"</th><th>"Projekty"</th><th>"Obce"</th><th>"Rozpočet (podíl)"</th></tr></thead>
                    <tbody>{region_rows}{unplaced}</tbody>
                </table>
                <p class="muted">"Rozpočet projektu se mezi kraje dělí podle počtu jeho zapojených obcí v každém z nich."</p>
            </div>
        </section>
        <section>
            <h2>{crate::i18n::t("dash.budget_by_region")}</h2>
            <BarChart id="regions-chart" title="Rozpočet podle krajů" bars=region_bars
                empty="Vybrané projekty nemají zapojené obce."/>
        </section>
        <RiskTable risks=d.risks q=q.clone() sort=risk_sort/>
    }
    .into_any()
}

#[component]
fn Card(
    label: &'static str,
    value: String,
    href: String,
    #[prop(optional, into)] note: Option<String>,
) -> impl IntoView {
    view! {
        <a class="card" href=href>
            <span>{label}</span>
            <strong>{value}</strong>
            {note.map(|n| view! { <small class="muted">{n}</small> })}
        </a>
    }
}

#[component]
fn RiskTable(risks: Vec<RiskRow>, q: ProjectListQuery, sort: RiskSort) -> impl IntoView {
    let headers = RiskSort::ALL
        .iter()
        .map(|(s, code, label)| {
            let href = format!("/prehled{}#rizika", with_params(&q, &[("rizika", code)]));
            let active = *s == sort;
            view! {
                <A href=href attr:class=if active { "button small active" } else { "button small subtle" }
                    attr:aria-current=if active { "true" } else { "false" }>{*label}</A>
            }
        })
        .collect_view();
    let body = if risks.is_empty() {
        view! { <p class="ok-line">"✓ Žádný z vybraných projektů nemá upozornění."</p> }.into_any()
    } else {
        let rows = risks
            .into_iter()
            .map(|r| {
                let href = format!("/projekty/{}", r.project_id);
                let lag = r.drawdown_percent.map(|d| r.elapsed_percent - d);
                view! {
                    <tr data-id=r.project_id>
                        <td class="mono">{r.registration_number.clone()}</td>
                        <td><A href=href>{r.acronym.clone().unwrap_or_else(|| r.name.clone())}</A></td>
                        <td class="num">{percent_text(r.drawdown_percent)}" / "{format_percent(r.elapsed_percent)}</td>
                        <td class="num">{lag.map_or_else(|| "—".to_string(), |l| format!("{} p. b.", format_decimal(l.round_dp(1))))}</td>
                        <td class="num">{if r.correction.is_zero() { "—".to_string() } else { r.correction.to_string() }}</td>
                        <td><ul class="flags compact">{r.flags.into_iter().map(|f| view! { <li data-kind=f.kind>{f.message}</li> }).collect_view()}</ul></td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <table class="risks">
                <thead><tr><th>"Registrační číslo"</th><th>"Projekt"</th><th>"Čerpáno / uplynulo"</th>
                    <th>"Zpoždění"</th><th>"Hrozící korekce"</th><th>"Důvody"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        }
        .into_any()
    };
    view! {
        <section id="rizika">
            <h2>{crate::i18n::t("dash.at_risk")}</h2>
            <p class="sort-by">"Řadit: "{headers}</p>
            {body}
        </section>
    }
}
