//! The import report as a page shows it: one summary row per sheet, then each sheet's problems with
//! their cells and its changes old → new.

use crate::dto::import::{
    czech_money_text as czech_money, money_total_label, CellIssue, ChangeLine, ImportReport,
    SheetReport, TotalCheck,
};
use leptos::prelude::*;

/// A count with Czech digit grouping: `12345` → `12 345` (no-break spaces).
#[must_use]
pub fn format_count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() * 2);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{a0}');
        }
        out.push(c);
    }
    out
}

fn value_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => "(prázdné)".into(),
        serde_json::Value::String(s) => format!("„{s}“"),
        other => other.to_string().replace('.', ","),
    }
}

/// The whole report.
#[component]
pub fn ImportReportView(report: ImportReport) -> impl IntoView {
    let sheets = report.sheets.clone();
    let errors: usize = report.error_count();
    view! {
        <section class="import-report" data-testid="import-report">
            <p class="muted">
                {format!("Soubor {} · {} · SHA-256 {}…", report.file_name, report.format, report.sha256.get(..16).unwrap_or(""))}
            </p>
            {report.previously_imported_as.map(|id| view! {
                <p class="notice" data-testid="already-imported">
                    "Tento soubor už byl importován (" <a href=format!("/importy/{id}")>{format!("import č. {id}")}</a>
                    "). Řádky beze změny se znovu neukládají; nic se nezapočte dvakrát."
                </p>
            })}
            {report.notice.clone().map(|n| view! { <p class="error-box" role="alert">{n}</p> })}
            <table class="data" data-testid="import-summary">
                <thead><tr>
                    <th>"List"</th><th>"Druh"</th><th class="num">"Řádků s daty"</th><th class="num">"Platných"</th>
                    <th class="num">"Chybných"</th><th class="num">"Nových"</th><th class="num">"Změněných"</th><th class="num">"Beze změny"</th>
                </tr></thead>
                <tbody>
                    {sheets.iter().map(|s| view! {
                        <tr>
                            <td>{s.name.clone()}</td>
                            <td>{s.kind_label.clone()}</td>
                            <td class="num">{format_count(u64::from(s.data_rows))}</td>
                            <td class="num">{format_count(u64::from(s.valid_rows))}</td>
                            <td class={if s.invalid_rows > 0 { "num bad" } else { "num" }}>{format_count(u64::from(s.invalid_rows))}</td>
                            <td class="num">{format_count(u64::from(s.new_rows))}</td>
                            <td class="num">{format_count(u64::from(s.changed_rows))}</td>
                            <td class="num">{format_count(u64::from(s.unchanged_rows))}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            {(errors == 0).then(|| view! { <p class="ok">"Soubor neobsahuje žádné chyby."</p> })}
            {sheets.into_iter().map(|s| view! { <SheetDetail sheet=s/> }).collect_view()}
        </section>
    }
}

#[component]
fn SheetDetail(sheet: SheetReport) -> impl IntoView {
    let SheetReport {
        name,
        kind,
        headers,
        ignored_columns,
        header_row,
        errors,
        warnings,
        total_rows,
        money_totals,
        changes,
        changes_omitted,
        issues_omitted,
        skipped_other_programme_rows,
        ..
    } = sheet;
    let open = !errors.is_empty() || kind.is_none();
    let error_count = errors.len();
    let unknown = kind.is_none();
    view! {
        <details class="sheet" open=open>
            <summary>{format!("List „{name}“")}
                {header_row.map(|r| format!(" · záhlaví na řádku {r}"))}
                {(error_count > 0).then(|| format!(" · {}", crate::domain::plural_len(error_count, crate::domain::words::nouns::ERROR)))}
            </summary>
            {unknown.then(|| view! {
                <p class="error-box">"Druh listu se nepodařilo rozpoznat: v prvních 20 řádcích chybí záhlaví známého druhu (např. „Registrační číslo projektu“ a „Kód indikátoru“). List se nenačte."
                    {(!headers.is_empty()).then(|| format!(" Nalezené nadpisy: {}.", headers.join(" | ")))}
                </p>
            })}
            {(!ignored_columns.is_empty()).then(|| view! {
                <p class="muted">"Ignorované sloupce: " {ignored_columns.join(", ")}</p>
            })}
            {(!skipped_other_programme_rows.is_empty()).then(|| view! {
                <p class="muted">{format!("Přeskočeno řádků jiných programů než 03 (OPZ+): {}", skipped_other_programme_rows.len())}</p>
            })}
            {(!money_totals.is_empty()).then(|| view! {
                <p>"Součty platných řádků: "
                    {money_totals.iter().map(|(k, v)| format!("{} {} Kč", money_total_label(k), czech_money(v))).collect::<Vec<_>>().join(" · ")}
                </p>
            })}
            {(!total_rows.is_empty()).then(|| view! { <TotalChecks checks=total_rows/> })}
            {(error_count > 0).then(|| view! { <IssueTable issues=errors title="Chyby (řádek se neuloží)" class="errors"/> })}
            {(!warnings.is_empty()).then(|| view! { <IssueTable issues=warnings title="Upozornění (řádek se uloží)" class="warnings"/> })}
            {(issues_omitted > 0).then(|| view! { <p class="muted">{format!("… a ještě {} (počty řádků výše jsou úplné; opravte uvedené chyby a nahrajte soubor znovu).", crate::domain::plural(u64::from(issues_omitted), ["chyba nebo upozornění", "chyby nebo upozornění", "chyb nebo upozornění"]))}</p> })}
            {(!changes.is_empty()).then(|| view! { <ChangeTable changes omitted=changes_omitted/> })}
        </details>
    }
}

#[component]
fn TotalChecks(checks: Vec<TotalCheck>) -> impl IntoView {
    view! {
        <ul class="totals">
            {checks.into_iter().map(|c| {
                let text = format!(
                    "Řádek součtu {} ({}, {}): v souboru {} Kč, součet načtených řádků {} Kč",
                    c.row,
                    money_total_label(&c.column),
                    c.cell,
                    c.value.as_deref().map_or_else(|| "–".to_owned(), czech_money),
                    czech_money(&c.sum_of_rows_above)
                );
                view! { <li class:bad=!c.matches>{text}{if c.matches { " ✓" } else { " – nesouhlasí" }}</li> }
            }).collect_view()}
        </ul>
    }
}

#[component]
fn IssueTable(issues: Vec<CellIssue>, title: &'static str, class: &'static str) -> impl IntoView {
    view! {
        <h3>{title}</h3>
        <table class=format!("data issues {class}")>
            <thead><tr><th>"Buňka"</th><th>"Nalezeno"</th><th>"Co je špatně a co se čekalo"</th></tr></thead>
            <tbody>
                {issues.into_iter().map(|i| {
                    let candidates = (!i.candidates.is_empty()).then(|| {
                        format!(" Možnosti: {}.", i.candidates.iter().map(|c| format!("{} {} (okres {})", c.code, c.name, c.district)).collect::<Vec<_>>().join("; "))
                    });
                    view! {
                        <tr data-cell=i.cell.clone() data-code=i.code.clone()>
                            <td><code>{i.cell.clone()}</code></td>
                            <td>{value_text(&i.value)}</td>
                            <td>{i.message.clone()}{candidates}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn ChangeTable(changes: Vec<ChangeLine>, omitted: u32) -> impl IntoView {
    view! {
        <h3>"Změny"</h3>
        <table class="data changes" data-testid="import-changes">
            <thead><tr><th class="num">"Řádek"</th><th>"Záznam"</th><th>"Údaj"</th><th>"Dosud"</th><th>"Nově"</th></tr></thead>
            <tbody>
                {changes.into_iter().map(|c| {
                    let is_new = c.action == "new";
                    view! {
                        <tr class:new=is_new>
                            <td class="num">{c.row}</td>
                            <td>{c.record}</td>
                            <td>{if is_new { "nový záznam".to_owned() } else { c.field }}</td>
                            <td>{c.old}</td>
                            <td>{c.new}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        {(omitted > 0).then(|| view! { <p class="muted">{format!("… a ještě {}.", crate::domain::plural(u64::from(omitted), crate::domain::words::nouns::CHANGE))}</p> })}
    }
}
