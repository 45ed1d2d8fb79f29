//! What a user sees when someone else saved the project while they were editing it: both versions side
//! by side, and the choice to take the stored one or overwrite it with theirs.

use super::project_form::FormState;
use crate::dto::ProjectInput;
use leptos::prelude::*;

fn yes_no(b: bool) -> String {
    if b { "ano" } else { "ne" }.to_owned()
}

fn rows(mine: &ProjectInput, stored: &ProjectInput) -> Vec<(&'static str, String, String)> {
    let names = |i: &ProjectInput| {
        i.municipalities
            .iter()
            .map(|m| m.name.clone())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let all = [
        (
            "Registrační číslo",
            mine.registration_number.clone(),
            stored.registration_number.clone(),
        ),
        ("Název", mine.name.clone(), stored.name.clone()),
        ("Akronym", mine.acronym.clone(), stored.acronym.clone()),
        (
            "IČO příjemce",
            mine.beneficiary_ico.clone(),
            stored.beneficiary_ico.clone(),
        ),
        (
            "Název příjemce",
            mine.beneficiary_name.clone(),
            stored.beneficiary_name.clone(),
        ),
        (
            "Příjemce je fyzická osoba",
            yes_no(mine.beneficiary_natural_person),
            yes_no(stored.beneficiary_natural_person),
        ),
        (
            "Oblast intervence",
            mine.intervention_code.clone(),
            stored.intervention_code.clone(),
        ),
        ("Stav", mine.status.clone(), stored.status.clone()),
        (
            "Zahájení",
            mine.start_date.clone(),
            stored.start_date.clone(),
        ),
        ("Ukončení", mine.end_date.clone(), stored.end_date.clone()),
        (
            "Celkové způsobilé výdaje",
            mine.total_eligible.clone(),
            stored.total_eligible.clone(),
        ),
        (
            "Cílové skupiny",
            mine.target_groups.join(", "),
            stored.target_groups.join(", "),
        ),
        ("Obce", names(mine), names(stored)),
        (
            "Popis",
            mine.description.clone(),
            stored.description.clone(),
        ),
    ];
    all.into_iter()
        .filter(|(_, a, b)| a.trim() != b.trim())
        .collect()
}

#[component]
pub(crate) fn ConflictPanel(
    mine: ProjectInput,
    stored: ProjectInput,
    stored_version: i32,
    form: FormState,
    version: RwSignal<i32>,
    on_overwrite: Callback<()>,
    on_discard: Callback<()>,
) -> impl IntoView {
    let diff = rows(&mine, &stored);
    view! {
        <section class="conflict" role="alert" data-testid="conflict">
            <h2>"Projekt mezitím uložil někdo jiný"</h2>
            <p>"Vaše změny zatím nejsou uloženy. Porovnejte obě verze a rozhodněte se:"</p>
            <table>
                <thead><tr><th>"Pole"</th><th>"Vaše verze"</th><th>"Uložená verze"</th></tr></thead>
                <tbody>
                    {diff.into_iter().map(|(label, a, b)| view! { <tr><th>{label}</th><td>{a}</td><td>{b}</td></tr> }).collect_view()}
                </tbody>
            </table>
            <div class="form-actions">
                <button type="button" class="button" on:click={
                    let stored = stored.clone();
                    move |_| { form.set(stored.clone()); version.set(stored_version); on_discard.run(()); }
                }>"Převzít uloženou verzi (zahodit mé změny)"</button>
                <button type="button" class="button danger" on:click=move |_| { version.set(stored_version); on_overwrite.run(()); }>
                    "Přepsat uloženou verzi mými údaji"
                </button>
            </div>
        </section>
    }
}
