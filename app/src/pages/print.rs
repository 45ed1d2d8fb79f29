//! A project's monitoring summary as a clean printable page (`/projekty/:id/tisk`): facts, money,
//! indicators, flags and review status on one sheet; the print stylesheet hides navigation and forms.

use crate::api::{get_budget, get_claims, get_indicator_table, get_project, get_review_summaries};
use crate::components::{DrawdownChart, ErrorBox, FlagList, Loading};
use crate::domain::words::with_unit;
use crate::domain::{format_czech_date, format_decimal, format_percent};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn PrintPage() -> impl IntoView {
    let id = super::project_detail::project_id_param();
    let data = Resource::new(
        move || id.get(),
        |id| async move {
            Ok::<_, crate::error::AppError>((
                get_project(id).await?,
                get_budget(id).await?,
                get_indicator_table(id).await?,
                get_review_summaries(id).await?,
                get_claims(id).await?,
            ))
        },
    );
    view! {
        <Title text="Monitorovací souhrn"/>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((p, b, t, reviews, claims)) => {
                        let mut flags = b.flags.clone();
                        flags.extend(t.rows.iter().filter_map(|r| r.flag.clone()));
                        flags.extend(claims.claims.iter().filter_map(|c| c.flag.clone()));
                        view! {
                            <article class="print-summary">
                                <p class="no-print"><button type="button" class="button" on:click=move |_| { let _ = window().print(); }>"Vytisknout"</button>
                                    " " <a href=format!("/projekty/{}", p.id)>"← zpět na projekt"</a></p>
                                <header>
                                    <p class="mono">{p.registration_number.clone()}</p>
                                    <h1>{p.acronym.clone().map_or_else(|| p.name.clone(), |a| format!("{a} – {}", p.name))}</h1>
                                    <p>{format!("{} (IČO {}) · výzva {} · realizace {} – {}", p.beneficiary_name, p.beneficiary_ico,
                                        p.call_id, format_czech_date(p.start_date), format_czech_date(p.end_date))}</p>
                                    <p class="muted">{format!("Stav k {}", format_czech_date(b.today))}</p>
                                </header>
                                <h2>"Finance"</h2>
                                <table class="print-facts">
                                    <tbody>
                                        <tr><th>"Model vykazování nákladů"</th><td>{b.cost_model.label()}</td></tr>
                                        {(!b.budgeted.personnel.is_zero()).then(|| view! { <tr><th>"Přímé osobní náklady"</th><td class="num">{b.budgeted.personnel.to_string()}</td></tr> })}
                                        {(!b.budgeted.other_direct.is_zero()).then(|| view! { <tr><th>"Ostatní přímé náklady"</th><td class="num">{b.budgeted.other_direct.to_string()}</td></tr> })}
                                        {(!b.budgeted.simplified.is_zero()).then(|| view! { <tr><th>"Jednotkové náklady a jednorázové částky"</th><td class="num">{b.budgeted.simplified.to_string()}</td></tr> })}
                                        {b.cost_model.flat_part_label().map(|l| view! { <tr><th>{format!("{l}, {}", format_percent(b.indirect_rate))}</th><td class="num">{b.budgeted.flat_part.to_string()}</td></tr> })}
                                        <tr><th>"Celkové způsobilé výdaje"</th><td class="num">{b.total_eligible.to_string()}</td></tr>
                                        <tr><th>"Čerpáno"</th><td class="num">{format!("{} ({})", b.drawn, b.drawdown_percent.map_or_else(|| "—".into(), format_percent))}</td></tr>
                                        <tr><th>"Zbývá"</th><td class="num">{b.remaining.to_string()}</td></tr>
                                        <tr><th>"Uplynulý čas projektu"</th><td class="num">{format_percent(b.elapsed_percent)}</td></tr>
                                    </tbody>
                                </table>
                                <DrawdownChart series=b.series.clone() today=b.today/>
                                <h2>"Indikátory"</h2>
                                <div class="table-scroll" tabindex="0" role="region" aria-label="Indikátory"><table class="print-indicators">
                                    <thead><tr><th>"Kód"</th><th>"Název"</th><th class="num">"Cíl"</th><th class="num">"Dosaženo"</th><th class="num">"Plnění"</th></tr></thead>
                                    <tbody>{t.rows.iter().map(|r| view! {
                                        <tr><td class="mono">{r.code.clone()}</td><td>{r.name.clone()}</td>
                                            <td class="num">{with_unit(r.target, &r.unit)}</td>
                                            <td class="num">{format_decimal(r.cumulative)}</td>
                                            <td class="num">{r.fulfilment.map_or_else(|| "—".into(), format_percent)}</td></tr>
                                    }).collect_view()}</tbody>
                                </table></div>
                                <h2>"Upozornění"</h2>
                                <FlagList flags/>
                                <h2>"Kontrola zpráv o realizaci"</h2>
                                <table class="print-reviews">
                                    <tbody>{reviews.into_iter().map(|r| view! {
                                        <tr><th>{format!("ZoR {}", r.number)}</th>
                                            <td>{format!("{} – {}", format_czech_date(r.start_date), format_czech_date(r.end_date))}</td>
                                            <td>{r.status_label}</td></tr>
                                    }).collect_view()}</tbody>
                                </table>
                            </article>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}
