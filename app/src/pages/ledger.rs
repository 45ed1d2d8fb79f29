//! A project's expenditure ledger (evidence výdajů): every paid document, filtered, sorted and paged on the
//! server from the URL, with the totals of the filtered rows, exports of them, and (for the finance
//! officer) editing, corrections and putting documents into a payment claim.

use crate::api::{current_user, get_ledger};
use crate::components::{ErrorBox, Loading, ProjectTabs};
use crate::domain::format_czech_date;
use crate::dto::{Choice, ClaimFilter, LedgerPage, LedgerQuery, LedgerSort, SourceFilter};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Form, A};
use leptos_router::hooks::use_query_map;

#[component]
pub fn LedgerPage() -> impl IntoView {
    let id = super::project_detail::project_id_param();
    let params = use_query_map();
    let query = Memo::new(move |_| {
        let p = params.get();
        LedgerQuery::from_params(|k| p.get(k))
    });
    let reload = RwSignal::new(0u32);
    let page = Resource::new(
        move || (id.get(), query.get(), reload.get()),
        |(id, q, _)| get_ledger(id, q),
    );
    let user = Resource::new(|| (), |()| current_user());
    // What the last change did, kept across the reload it causes (announced to screen readers).
    let notice = RwSignal::new(None::<(String, Option<String>)>);
    view! {
        <Title text="Evidence výdajů"/>
        <ProjectTabs id=id.get_untracked() active="vydaje"/>
        <h1>"Evidence výdajů"</h1>
        <p role="status" class="notice-ok" data-testid="ledger-notice">{move || notice.get().map(|(text, link)| view! {
            {text} " " {link.map(|href| view! { <a href=href>"Otevřít žádost"</a> })}
        })}</p>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                let may_edit = user.await.ok().flatten().is_some_and(|v| v.can_edit_finance(id.get_untracked()));
                match page.await {
                    Ok(p) => view! { <LedgerBody p id=id.get_untracked() q=query.get_untracked() may_edit reload notice/> }.into_any(),
                    Err(crate::error::AppError::NotFound) => view! { <crate::pages::NotFound/> }.into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn LedgerBody(
    p: LedgerPage,
    id: i32,
    q: LedgerQuery,
    may_edit: bool,
    reload: RwSignal<u32>,
    notice: RwSignal<Option<(String, Option<String>)>>,
) -> impl IntoView {
    let selected = RwSignal::new(Vec::<i32>::new());
    let editing = RwSignal::new(None::<(crate::dto::LedgerRow, bool)>);
    let export = |ext: &str| {
        let qs = q.filters_only().to_query_string();
        format!(
            "/export/projekty/{id}/vydaje.{ext}{}{qs}",
            if qs.is_empty() { "" } else { "?" }
        )
    };
    let count = p.total;
    let lines = p.lines.clone();
    view! {
        <Filters p=p.clone() q=q.clone() id/>
        <section class="cards">
            <div class="card"><span>"Doklady (filtr)"</span><strong data-testid="ledger-count">{count}</strong></div>
            <div class="card"><span>"Celkem (filtr)"</span><strong data-testid="ledger-sum">{p.sum.to_string()}</strong></div>
            <div class="card"><span>"Dosud v žádné ŽoP"</span><strong data-testid="ledger-unclaimed">
                {format!("{} · {}", p.unclaimed, p.unclaimed_sum)}</strong></div>
        </section>
        <p class="actions">
            <a class="button" href=export("xlsx") download="">"Export .xlsx"</a>
            <a class="button" href=export("csv") download="">"Export .csv"</a>
        </p>
        {may_edit.then(|| view! {
            <super::ledger_forms::ClaimPicker p=p.clone() q=q.clone() id selected reload notice/>
        })}
        {move || editing.get().map(|(row, correcting)| view! {
            <super::ledger_forms::ExpenditureEdit row correcting lines=lines.clone() id editing reload notice/>
        })}
        <LedgerTable p=p.clone() q=q.clone() id may_edit selected editing/>
        <crate::components::PageLinks total=p.total page=p.page per_page=p.per_page
            href=move |n| format!("/projekty/{id}/vydaje?{}", q.with_page(n).to_query_string())/>
    }
}

/// The filter form: a plain GET form, so filters live in the URL and work before hydration too.
#[component]
fn Filters(p: LedgerPage, q: LedgerQuery, id: i32) -> impl IntoView {
    let date = |d: Option<chrono::NaiveDate>| d.map(format_czech_date).unwrap_or_default();
    let claim = match q.claim {
        ClaimFilter::Any => None,
        ClaimFilter::Unclaimed => Some("bez".to_string()),
        ClaimFilter::Claim(c) => Some(c.to_string()),
    };
    let source = match q.source {
        SourceFilter::Any => None,
        SourceFilter::Form => Some("formular".to_string()),
        SourceFilter::Import(i) => Some(i.to_string()),
    };
    let mut claims = vec![Choice {
        value: "bez".into(),
        label: "nezařazené do žádné ŽoP".into(),
    }];
    claims.extend(p.claims.iter().cloned());
    let mut sources = vec![Choice {
        value: "formular".into(),
        label: "zapsané formulářem".into(),
    }];
    sources.extend(p.imports.iter().cloned());
    view! {
        <Form method="GET" action=format!("/projekty/{id}/vydaje") attr:class="filters" attr:role="search">
            <label>"Hledat" <input type="search" name="q" value=q.text.clone() placeholder="doklad, popis, dodavatel"/></label>
            <Select name="polozka" label="Položka rozpočtu" options=p.lines.clone() selected=q.line_id.map(|v| v.to_string())/>
            <Select name="obdobi" label="Období" options=p.periods.clone() selected=q.period_id.map(|v| v.to_string())/>
            <label>"Uhrazeno od" <input type="text" name="od" value=date(q.from) placeholder="1. 1. 2026" inputmode="numeric"/></label>
            <label>"do" <input type="text" name="do" value=date(q.to) placeholder="31. 12. 2026" inputmode="numeric"/></label>
            <Select name="zadost" label="Žádost o platbu" options=claims selected=claim/>
            <Select name="zdroj" label="Zdroj" options=sources selected=source/>
            {(q.sort != LedgerSort::default()).then(|| view! { <input type="hidden" name="razeni" value=q.sort.code()/> })}
            {q.descending.then(|| view! { <input type="hidden" name="smer" value="sestupne"/> })}
            <button type="submit" class="button">"Filtrovat"</button>
            <A href=format!("/projekty/{id}/vydaje")>"Zrušit filtry"</A>
        </Form>
    }
}

#[component]
fn Select(
    name: &'static str,
    label: &'static str,
    options: Vec<Choice>,
    selected: Option<String>,
) -> impl IntoView {
    view! {
        <label>{label}
            <select name=name>
                <option value="">"vše"</option>
                {options.into_iter().map(|c| {
                    let sel = selected.as_deref() == Some(c.value.as_str());
                    view! { <option value=c.value selected=sel>{c.label}</option> }
                }).collect_view()}
            </select>
        </label>
    }
}

#[component]
fn LedgerTable(
    p: LedgerPage,
    q: LedgerQuery,
    id: i32,
    may_edit: bool,
    selected: RwSignal<Vec<i32>>,
    editing: RwSignal<Option<(crate::dto::LedgerRow, bool)>>,
) -> impl IntoView {
    if p.rows.is_empty() {
        return view! { <p class="empty">"Filtru neodpovídá žádný výdaj. Výdaje se zapisují na stránce Rozpočet a čerpání nebo importem listu Výdaje."</p> }.into_any();
    }
    let head = move |col: LedgerSort, label: &'static str, num: bool| {
        let href = format!(
            "/projekty/{id}/vydaje?{}",
            q.sorted_by(col).to_query_string()
        );
        let sort = if q.sort == col {
            if q.descending {
                "descending"
            } else {
                "ascending"
            }
        } else {
            "none"
        };
        view! { <th class:num=num aria-sort=sort><A href=href>{label}</A></th> }
    };
    let date = |d: Option<chrono::NaiveDate>| d.map_or_else(|| "—".to_string(), format_czech_date);
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label="Evidence výdajů">
        <table class="ledger" data-testid="ledger">
            <thead><tr>
                {may_edit.then(|| view! { <th><span class="visually-hidden">"Vybrat"</span></th> })}
                {head(LedgerSort::Document, "Doklad", false)}
                {head(LedgerSort::PaidOn, "Uhrazeno", false)}
                {head(LedgerSort::BudgetLine, "Položka rozpočtu", false)}
                {head(LedgerSort::Amount, "Částka", true)}
                <th>"Popis"</th>
                {head(LedgerSort::Supplier, "Dodavatel", false)}
                {head(LedgerSort::Period, "Období", false)}
                <th>"ŽoP"</th><th>"Zdroj"</th>
                {may_edit.then(|| view! { <th><span class="visually-hidden">"Akce"</span></th> })}
            </tr></thead>
            <tbody>
                {p.rows.into_iter().map(|r| {
                    let rid = r.id;
                    let doc = r.document_number.clone().unwrap_or_else(|| "bez čísla".into());
                    let free = r.claim.is_none();
                    let row_for_edit = r.clone();
                    let row_for_fix = r.clone();
                    view! {
                        <tr data-testid="ledger-row" class:negative=r.amount.is_negative()>
                            {may_edit.then(|| view! { <td>{free.then(|| view! {
                                <input type="checkbox" aria-label=format!("Vybrat doklad {doc}")
                                    prop:checked=move || selected.with(|s| s.contains(&rid))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        selected.update(|s| { s.retain(|x| *x != rid); if on { s.push(rid); } });
                                    }/>
                            })}</td> })}
                            <td><A href=format!("/projekty/{id}/vydaje/{rid}") attr:title="Doklady a přílohy výdaje">{r.document_number.clone().unwrap_or_else(|| "bez čísla".into())}</A></td>
                            <td>{date(r.paid_on)}</td>
                            <td>{r.budget_line.clone()}</td>
                            <td class="num">{r.amount.to_string()}{r.units.clone().map(|u| format!(" ({u} j.)"))}</td>
                            <td>{r.description.clone()}</td>
                            <td>{r.supplier.clone()}</td>
                            <td>{r.period_number.map(|n| format!("ZoR {n}"))}</td>
                            <td>{r.claim.map(|(cid, n)| view! { <A href=format!("/projekty/{id}/zadosti/{cid}")>{format!("ŽoP č. {n}")}</A> })}</td>
                            <td>{match r.import_id {
                                Some(i) => view! { <A href=format!("/importy/{i}")>{format!("import č. {i}")}</A> }.into_any(),
                                None => view! { <span>"formulář"</span> }.into_any(),
                            }}</td>
                            {may_edit.then(|| view! { <td class="row-actions">
                                {r.editable.then(|| view! {
                                    <button type="button" class="link-button" on:click=move |_| editing.set(Some((row_for_edit.clone(), false)))>"upravit"</button>
                                })}
                                {(!r.amount.is_negative()).then(|| view! {
                                    <button type="button" class="link-button" on:click=move |_| editing.set(Some((row_for_fix.clone(), true)))>"opravný doklad"</button>
                                })}
                            </td> })}
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        </div>
    }
    .into_any()
}
