//! Spreadsheet import (*import monitorovacích tabulek*): upload, preview with progress, commit, history
//! and revert.

use std::time::Duration;

use crate::api::{commit_import, get_import, import_history, import_job, revert_import};
use crate::components::{format_count, ErrorBox, ImportReportView, Loading};
use crate::dto::import::{ImportJobView, ImportSummary};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// "N new or changed rows", adjectives and noun in the form the count asks for.
const CHANGED_ROWS: [&str; 3] = [
    "nový nebo změněný řádek",
    "nové nebo změněné řádky",
    "nových nebo změněných řádků",
];

/// `/importy`: the upload form and the import history.
#[component]
pub fn ImportPage() -> impl IntoView {
    let query = use_query_map();
    let error = move || query.with(|q| q.get("chyba")).filter(|m| !m.is_empty());
    let reload = RwSignal::new(0u32);
    let history = Resource::new(move || reload.get(), |_| import_history());
    view! {
        <Title text="Import tabulek"/>
        <h1>"Import monitorovacích tabulek"</h1>
        <p>"Nahrajte sešit (.xlsx, .xlsm, .xls nebo .ods) s listy projektů, Seznamu operací, hodnot indikátorů, výdajů, zapojených obcí nebo účastníků. "
           "Nejdřív uvidíte náhled: co přibude, co se změní (původní → nová hodnota) a každou chybu s adresou buňky. Uloží se až po potvrzení, celé najednou."</p>
        {move || error().map(|m| view! { <p class="error-box" role="alert" data-testid="upload-error">{m}</p> })}
        <form class="small-form upload" method="post" action="/importy/nahrat" enctype="multipart/form-data" data-testid="upload-form">
            <label>"Soubor s tabulkou"
                <input type="file" name="file" required accept=".xlsx,.xlsm,.xls,.ods"/>
            </label>
            <label class="check">
                <input type="checkbox" name="all_or_nothing" value="1"/>
                " Vše, nebo nic: při jakékoli chybě neukládat ani platné řádky"
            </label>
            <p class="muted">"Věk účastníka při vstupu se počítá z data narození přesně na den (datum narození se neukládá); je-li uveden jen rok narození, bere se věk dosažený v roce vstupu. List s rodnými čísly se odmítne celý. Položky výdajů musí být v rozpočtu projektu a nesmí jej přečerpat."</p>
            <button type="submit" class="button primary">"Nahrát a zobrazit náhled"</button>
        </form>
        <h2>"Historie importů"</h2>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match history.await {
                    Ok(list) if list.is_empty() => view! { <p class="empty">"Zatím nebyl uložen žádný import."</p> }.into_any(),
                    Ok(list) => view! { <HistoryTable list reload/> }.into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn HistoryTable(list: Vec<ImportSummary>, reload: RwSignal<u32>) -> impl IntoView {
    view! {
        <table class="data" data-testid="import-history">
            <thead><tr>
                <th class="num">"Č."</th><th>"Kdy"</th><th>"Soubor"</th><th>"Druhy listů"</th><th>"Kdo"</th>
                <th class="num">"Změněných řádků"</th><th class="num">"Chybných"</th><th>"Stav"</th><th></th>
            </tr></thead>
            <tbody>
                {list.into_iter().map(|i| {
                    let reverted = i.status == "reverted";
                    view! {
                        <tr class:muted=reverted>
                            <td class="num"><a href=format!("/importy/{}", i.id)>{i.id}</a></td>
                            <td>{i.imported_at}</td>
                            <td>{i.file_name}</td>
                            <td>{i.kinds}</td>
                            <td>{i.imported_by}</td>
                            <td class="num">{format_count(u64::from(i.changed_rows))}</td>
                            <td class="num">{format_count(u64::from(i.invalid_rows))}</td>
                            <td>{if reverted { "vrácen" } else { "uložen" }}</td>
                            <td>{(!reverted).then(|| view! { <RevertButton id=i.id reload/> })}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// Revert an import, behind a confirmation.
#[component]
fn RevertButton(id: i32, reload: RwSignal<u32>) -> impl IntoView {
    let confirming = RwSignal::new(false);
    let action = Action::new(move |_: &()| revert_import(id));
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            reload.update(|n| *n += 1);
        }
    });
    view! {
        {move || if confirming.get() {
            view! {
                <span class="confirm" role="alertdialog" aria-label="Potvrzení vrácení importu">
                    "Vrátit celý import? Přidané záznamy se odstraní a změněné dostanou původní hodnoty. "
                    <button type="button" class="button danger" on:click=move |_| { action.dispatch(()); }>"Ano, vrátit"</button>
                    <button type="button" class="button subtle" on:click=move |_| confirming.set(false)>"Zrušit"</button>
                </span>
            }.into_any()
        } else {
            view! { <button type="button" class="button" data-testid=format!("revert-{id}") on:click=move |_| confirming.set(true)>"Vrátit"</button> }.into_any()
        }}
        {move || action.value().get().and_then(Result::err).map(|e| view! { <ErrorBox error=e/> })}
    }
}

/// `/importy/nahled/:token`: progress of a preview or commit, then the report and the commit button.
#[component]
pub fn ImportJobPage() -> impl IntoView {
    let params = use_params_map();
    let token = Memo::new(move |_| params.with(|p| p.get("token").unwrap_or_default()));
    let tick = RwSignal::new(0u32);
    let job = Resource::new(move || (token.get(), tick.get()), |(t, _)| import_job(t));
    Effect::new(move |_| {
        let handle = set_interval_with_handle(
            move || {
                let running = job
                    .get_untracked()
                    .and_then(Result::ok)
                    .is_none_or(|j| j.running);
                if running {
                    tick.update(|n| *n += 1);
                }
            },
            Duration::from_millis(400),
        );
        if let Ok(h) = handle {
            on_cleanup(move || h.clear());
        }
    });
    view! {
        <Title text="Náhled importu"/>
        <h1>"Import tabulky"</h1>
        <p><a href="/importy">"← Import a historie"</a></p>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match job.await {
                    Ok(view) => view! { <JobView job=view tick/> }.into_any(),
                    Err(e) => view! { <ErrorBox error=e/> <p>"Náhled už nemusí být k dispozici (uchovává se hodinu). Nahrajte soubor znovu."</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn JobView(job: ImportJobView, tick: RwSignal<u32>) -> impl IntoView {
    let token = job.token.clone();
    let commit = Action::new(move |t: &String| commit_import(t.clone()));
    Effect::new(move |_| {
        if let Some(Ok(())) = commit.value().get() {
            tick.update(|n| *n += 1);
        }
    });
    if job.running {
        let total = job.rows_total.max(job.rows_read);
        let done = if job.committing {
            job.rows_applied.max(job.rows_read / 2)
        } else {
            job.rows_read
        };
        return view! {
            <div class="progress" data-testid="import-progress" aria-live="polite">
                <p>{format!("{} soubor {}…", if job.committing { "Ukládám" } else { "Kontroluji" }, job.file_name)}</p>
                {job.queued.then(|| view! { <p class="muted" role="status">"Čeká ve frontě: právě se ukládá jiný import. Uložení začne, jakmile skončí; stránku nemusíte obnovovat."</p> })}
                <progress max=total.max(1).to_string() value=done.to_string()></progress>
                <p class="muted">{format!("Zpracováno {} z {} {}", format_count(done), format_count(total), if total == 1 { "řádku" } else { "řádků" })}</p>
            </div>
        }
        .into_any();
    }
    if let Some(message) = job.error {
        return view! {
            <p class="error-box" role="alert" data-testid="import-failed">{message}</p>
            <p><a href="/importy" class="button">"Nahrát jiný soubor"</a></p>
        }
        .into_any();
    }
    let Some(report) = job.report else {
        return view! { <Loading/> }.into_any();
    };
    let committed = report.committed;
    let import_id = report.import_id;
    let changes = report.change_count();
    let has_errors = report.has_errors();
    let all_or_nothing = job.all_or_nothing;
    view! {
        {if committed {
            view! {
                <p class="ok" data-testid="import-committed">
                    {format!("Uloženo: {}. ", crate::domain::plural(u64::from(changes), CHANGED_ROWS))}
                    {import_id.map(|id| view! { <a href=format!("/importy/{id}")>{format!("Import č. {id}")}</a> })}
                </p>
            }.into_any()
        } else if job.committing {
            view! { <p class="error-box" data-testid="import-not-stored">"Nic nebylo uloženo."</p> }.into_any()
        } else {
            view! {
                <div class="commit-box">
                    <p>{format!("Náhled: {}.", crate::domain::plural(u64::from(changes), CHANGED_ROWS))}
                        {has_errors.then_some(if all_or_nothing {
                            " Soubor obsahuje chyby a zvolili jste „vše, nebo nic“: uložit nelze. Opravte soubor a nahrajte jej znovu."
                        } else {
                            " Chybné řádky se neuloží; ostatní ano. Nebo opravte soubor a nahrajte jej znovu."
                        })}
                    </p>
                    <button type="button" class="button primary" data-testid="commit-import"
                        disabled=has_errors && all_or_nothing
                        on:click=move |_| { commit.dispatch(token.clone()); }>
                        "Uložit do evidence"
                    </button>
                    <a href="/importy" class="button subtle">"Zahodit"</a>
                    {move || commit.value().get().and_then(Result::err).map(|e| view! { <ErrorBox error=e/> })}
                </div>
            }.into_any()
        }}
        <ImportReportView report/>
    }
    .into_any()
}

/// `/importy/:id`: a stored import's report.
#[component]
pub fn ImportDetailPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params.with(|p| p.get("id").and_then(|s| s.parse::<i32>().ok()).unwrap_or(0))
    });
    let report = Resource::new(move || id.get(), get_import);
    view! {
        <Title text="Import"/>
        <h1>{move || format!("Import č. {}", id.get())}</h1>
        <p><a href="/importy">"← Import a historie"</a></p>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match report.await {
                    Ok(r) => view! { <ImportReportView report=r/> }.into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}
