//! Creating and editing a project. The same form rules run on every keystroke in the browser and again
//! on the server; server-only findings (duplicate registration number, unknown programme, a status change
//! the workflow forbids, a concurrent edit) come back and appear next to their fields.

use super::conflict::ConflictPanel;
use crate::api::{create_project, get_codebooks, get_project_input, update_project};
use crate::components::{
    ErrorBox, ErrorSummary, Loading, MunicipalityPicker, SelectField, TextAreaField, TextField,
};
use crate::domain::{FieldErrors, ProjectStatus, RegistrationNumber};
use crate::dto::{Codebooks, ProjectInput, SaveOutcome};
use crate::forms::{field, validate_project};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;

#[component]
pub fn ProjectCreatePage() -> impl IntoView {
    let codebooks = Resource::new(|| (), |()| get_codebooks());
    view! {
        <Title text="Nový projekt"/>
        <h1>"Nový projekt"</h1>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match codebooks.await {
                    Ok(cb) => {
                        let initial = ProjectInput { status: ProjectStatus::VPriprave.code().into(), ..Default::default() };
                        view! { <ProjectForm initial codebooks=cb target=None/> }.into_any()
                    }
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
pub fn ProjectEditPage() -> impl IntoView {
    let id = super::project_detail::project_id_param();
    let data = Resource::new(
        move || id.get(),
        |id| async move {
            Ok::<_, crate::error::AppError>((get_project_input(id).await?, get_codebooks().await?))
        },
    );
    view! {
        <Title text="Úprava projektu"/>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(((initial, version), cb)) => view! {
                        <h1>"Úprava projektu " <span class="mono">{initial.registration_number.clone()}</span></h1>
                        <ProjectForm initial codebooks=cb target=Some((id.get_untracked(), version))/>
                    }.into_any(),
                    Err(crate::error::AppError::NotFound) => view! { <crate::pages::NotFound/> }.into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The signals behind the form, one per field.
#[derive(Clone, Copy)]
pub(crate) struct FormState {
    pub registration_number: RwSignal<String>,
    pub name: RwSignal<String>,
    pub acronym: RwSignal<String>,
    pub beneficiary_ico: RwSignal<String>,
    pub beneficiary_name: RwSignal<String>,
    pub beneficiary_natural_person: RwSignal<bool>,
    pub intervention_code: RwSignal<String>,
    pub status: RwSignal<String>,
    pub start_date: RwSignal<String>,
    pub end_date: RwSignal<String>,
    pub description: RwSignal<String>,
    pub total_eligible: RwSignal<String>,
    pub target_groups: RwSignal<Vec<String>>,
    pub municipalities: RwSignal<Vec<crate::dto::MunicipalityRef>>,
    pub cost_model: RwSignal<String>,
}

impl FormState {
    fn new(i: ProjectInput) -> Self {
        Self {
            registration_number: RwSignal::new(i.registration_number),
            name: RwSignal::new(i.name),
            acronym: RwSignal::new(i.acronym),
            beneficiary_ico: RwSignal::new(i.beneficiary_ico),
            beneficiary_name: RwSignal::new(i.beneficiary_name),
            beneficiary_natural_person: RwSignal::new(i.beneficiary_natural_person),
            intervention_code: RwSignal::new(i.intervention_code),
            status: RwSignal::new(i.status),
            start_date: RwSignal::new(i.start_date),
            end_date: RwSignal::new(i.end_date),
            description: RwSignal::new(i.description),
            total_eligible: RwSignal::new(i.total_eligible),
            target_groups: RwSignal::new(i.target_groups),
            municipalities: RwSignal::new(i.municipalities),
            cost_model: RwSignal::new(i.cost_model),
        }
    }

    pub(crate) fn set(&self, i: ProjectInput) {
        self.registration_number.set(i.registration_number);
        self.name.set(i.name);
        self.acronym.set(i.acronym);
        self.beneficiary_ico.set(i.beneficiary_ico);
        self.beneficiary_name.set(i.beneficiary_name);
        self.beneficiary_natural_person
            .set(i.beneficiary_natural_person);
        self.intervention_code.set(i.intervention_code);
        self.status.set(i.status);
        self.start_date.set(i.start_date);
        self.end_date.set(i.end_date);
        self.description.set(i.description);
        self.total_eligible.set(i.total_eligible);
        self.target_groups.set(i.target_groups);
        self.municipalities.set(i.municipalities);
    }

    pub(crate) fn input(&self) -> ProjectInput {
        ProjectInput {
            registration_number: self.registration_number.get(),
            name: self.name.get(),
            acronym: self.acronym.get(),
            beneficiary_ico: self.beneficiary_ico.get(),
            beneficiary_name: self.beneficiary_name.get(),
            status: self.status.get(),
            start_date: self.start_date.get(),
            end_date: self.end_date.get(),
            description: self.description.get(),
            total_eligible: self.total_eligible.get(),
            target_groups: self.target_groups.get(),
            municipalities: self.municipalities.get(),
            cost_model: self.cost_model.get(),
            beneficiary_natural_person: self.beneficiary_natural_person.get(),
            intervention_code: self.intervention_code.get(),
        }
    }
}

/// The value of one field as text, to tell whether a server error still applies to what is typed.
fn field_value(i: &ProjectInput, f: &str) -> String {
    match f {
        field::REGISTRATION_NUMBER => i.registration_number.clone(),
        field::NAME => i.name.clone(),
        field::ACRONYM => i.acronym.clone(),
        field::BENEFICIARY_ICO => i.beneficiary_ico.clone(),
        field::BENEFICIARY_NAME => i.beneficiary_name.clone(),
        field::BENEFICIARY_NATURAL_PERSON => i.beneficiary_natural_person.to_string(),
        field::INTERVENTION_CODE => i.intervention_code.clone(),
        field::STATUS => i.status.clone(),
        field::START_DATE | field::END_DATE => format!("{}|{}", i.start_date, i.end_date),
        field::TOTAL_ELIGIBLE => i.total_eligible.clone(),
        field::COST_MODEL => i.cost_model.clone(),
        field::TARGET_GROUPS => i.target_groups.join(","),
        field::MUNICIPALITIES => i
            .municipalities
            .iter()
            .map(|m| m.code.to_string())
            .collect::<Vec<_>>()
            .join(","),
        _ => i.description.clone(),
    }
}

/// `target`: `None` to create, `Some((id, version))` to edit.
#[component]
fn ProjectForm(
    initial: ProjectInput,
    codebooks: Codebooks,
    target: Option<(i32, i32)>,
) -> impl IntoView {
    let stored_status = ProjectStatus::from_code(&initial.status).ok();
    let form = FormState::new(initial);
    let version = RwSignal::new(target.map_or(0, |(_, v)| v));
    let touched = RwSignal::new(Vec::<&'static str>::new());
    let submitted = RwSignal::new(false);
    let server_errors = RwSignal::new(Vec::<(String, String, String)>::new());
    let conflict = RwSignal::new(None::<(ProjectInput, i32)>);
    let client_errors =
        Memo::new(move |_| validate_project(&form.input()).err().unwrap_or_default());
    let error_for = move |f: &'static str| {
        Signal::derive(move || {
            let current = form.input();
            let server = server_errors.with(|errs| {
                errs.iter()
                    .find(|(ef, _, v)| ef == f && *v == field_value(&current, f))
                    .map(|(_, m, _)| m.clone())
            });
            let show_client = submitted.get() || touched.with(|t| t.contains(&f));
            server.or_else(|| {
                show_client
                    .then(|| client_errors.with(|e| e.get(f).map(str::to_string)))
                    .flatten()
            })
        })
    };
    let touch = move |f: &'static str| {
        Callback::new(move |()| {
            touched.update(|t| {
                if !t.contains(&f) {
                    t.push(f)
                }
            })
        })
    };
    let save = Action::new(move |(input, v): &(ProjectInput, i32)| {
        let (input, v) = (input.clone(), *v);
        async move {
            match target {
                None => create_project(input).await,
                Some((id, _)) => update_project(id, v, input).await,
            }
        }
    });
    let navigate = use_navigate();
    Effect::new(move |_| match save.value().get() {
        Some(Ok(SaveOutcome::Saved { id })) => {
            navigate(&format!("/projekty/{id}"), Default::default())
        }
        Some(Ok(SaveOutcome::Invalid(errs))) => {
            // Untracked: the effect must run once per answer, not on every keystroke afterwards.
            let current = untrack(|| form.input());
            server_errors.set(
                errs.iter()
                    .map(|(f, m)| (f.to_string(), m.to_string(), field_value(&current, f)))
                    .collect(),
            );
            crate::components::focus_first_invalid();
        }
        Some(Ok(SaveOutcome::Conflict {
            stored,
            stored_version,
        })) => conflict.set(Some((stored, stored_version))),
        _ => {}
    });
    let submit = move || {
        submitted.set(true);
        if client_errors.with(FieldErrors::is_empty) {
            conflict.set(None);
            save.dispatch((form.input(), version.get_untracked()));
        } else {
            crate::components::focus_first_invalid();
        }
    };
    let statuses: Vec<(String, String)> = ProjectStatus::all()
        .iter()
        .filter(|s| {
            stored_status.is_none_or(|from| target.is_none() || from.can_transition_to(**s))
        })
        .map(|s| (s.code().to_string(), s.label().to_string()))
        .collect();
    let derived = move || {
        RegistrationNumber::parse(&form.registration_number.get())
            .ok()
            .map(|rn| {
                format!(
                    "Program {} ({}), priorita {}, specifický cíl {}, výzva {}",
                    rn.programme_code(),
                    rn.period().label(),
                    rn.priority_code(),
                    rn.specific_objective_code(),
                    rn.call_id()
                )
            })
    };
    // The summary at the top of the form: every field's error as shown next to the field.
    let shown_errors = Signal::derive(move || {
        let mut all = FieldErrors::new();
        for f in field::ALL {
            if let Some(m) = error_for(f).get() {
                all.add(f, m);
            }
        }
        all
    });
    view! {
        <form class="project-form" novalidate on:submit=move |ev| { ev.prevent_default(); submit(); }>
            {move || submitted.get().then(|| view! { <ErrorSummary errors=shown_errors/> })}
            {move || conflict.get().map(|(stored, stored_version)| view! {
                <ConflictPanel mine=form.input() stored stored_version form version on_overwrite=Callback::new(move |()| submit())
                    on_discard=Callback::new(move |()| conflict.set(None))/>
            })}
            <fieldset class="grid">
                <legend>"Identifikace"</legend>
                <TextField name=field::REGISTRATION_NUMBER label="Registrační číslo projektu" value=form.registration_number
                    error=error_for(field::REGISTRATION_NUMBER) placeholder="CZ.03.01.01/00/22_015/0002653"
                    on_blur=touch(field::REGISTRATION_NUMBER)/>
                <p class="derived" data-testid="derived">{derived}</p>
                <TextField name=field::NAME label="Název projektu" value=form.name error=error_for(field::NAME) on_blur=touch(field::NAME)/>
                <TextField name=field::ACRONYM label="Akronym" value=form.acronym error=error_for(field::ACRONYM) on_blur=touch(field::ACRONYM)/>
                <SelectField name=field::STATUS label="Stav" value=form.status options=statuses error=error_for(field::STATUS)/>
            </fieldset>
            <fieldset class="grid">
                <legend>"Příjemce"</legend>
                <TextField name=field::BENEFICIARY_ICO label="IČO příjemce" value=form.beneficiary_ico
                    error=error_for(field::BENEFICIARY_ICO) placeholder="72496991" on_blur=touch(field::BENEFICIARY_ICO)/>
                <TextField name=field::BENEFICIARY_NAME label="Název příjemce" value=form.beneficiary_name
                    error=error_for(field::BENEFICIARY_NAME) on_blur=touch(field::BENEFICIARY_NAME)/>
                <div class="field wide">
                    <label class="check">
                        <input type="checkbox" name=field::BENEFICIARY_NATURAL_PERSON bind:checked=form.beneficiary_natural_person
                            aria-describedby="e-beneficiary_natural_person"/>
                        " Příjemce je fyzická osoba (v otevřených datech bez jména a IČO)"
                    </label>
                    <p class="field-error" id="e-beneficiary_natural_person" data-field=field::BENEFICIARY_NATURAL_PERSON>
                        {move || error_for(field::BENEFICIARY_NATURAL_PERSON).get()}
                    </p>
                </div>
            </fieldset>
            <fieldset class="grid">
                <legend>"Realizace a rozpočet"</legend>
                <TextField name=field::START_DATE label="Datum zahájení" value=form.start_date error=error_for(field::START_DATE)
                    placeholder="1. 7. 2023" on_blur=touch(field::START_DATE)/>
                <TextField name=field::END_DATE label="Datum ukončení" value=form.end_date error=error_for(field::END_DATE)
                    placeholder="30. 6. 2027" on_blur=touch(field::END_DATE)/>
                <TextField name=field::TOTAL_ELIGIBLE label="Celkové způsobilé výdaje (Kč)" value=form.total_eligible
                    error=error_for(field::TOTAL_ELIGIBLE) placeholder="1 234 567,89" on_blur=touch(field::TOTAL_ELIGIBLE)/>
                <TextField name=field::INTERVENTION_CODE label="Oblast intervence (kód)" value=form.intervention_code
                    error=error_for(field::INTERVENTION_CODE) placeholder="134" hint="Typ intervence podle přílohy I nařízení 2021/1060"
                    on_blur=touch(field::INTERVENTION_CODE)/>
                {target.is_none().then(|| {
                    let models: Vec<(String, String)> = std::iter::once((String::new(), "Skutečné náklady + paušál nepřímých nákladů (výchozí)".to_string()))
                        .chain(crate::domain::CostModel::ALL.into_iter().skip(1).map(|m| (m.code().to_string(), m.label().to_string())))
                        .collect();
                    view! {
                        <SelectField name=field::COST_MODEL label="Model vykazování nákladů" value=form.cost_model options=models error=error_for(field::COST_MODEL)/>
                    }
                })}
            </fieldset>
            <fieldset class="field wide target-groups">
                <legend>"Cílové skupiny"</legend>
                {codebooks.target_groups.into_iter().map(|t| {
                    let code = t.value.clone();
                    let code2 = code.clone();
                    view! {
                        <label class="check">
                            <input type="checkbox" name="target_groups" value=code.clone()
                                prop:checked=move || form.target_groups.with(|g| g.contains(&code))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    form.target_groups.update(|g| { g.retain(|c| c != &code2); if on { g.push(code2.clone()); } });
                                }/>
                            {t.label}
                        </label>
                    }
                }).collect_view()}
                <p class="field-error" data-field="target_groups">{move || error_for(field::TARGET_GROUPS).get()}</p>
            </fieldset>
            <MunicipalityPicker selected=form.municipalities error=error_for(field::MUNICIPALITIES)/>
            <TextAreaField name=field::DESCRIPTION label="Popis" value=form.description error=error_for(field::DESCRIPTION)/>
            {move || save.value().get().and_then(Result::err).map(|e| view! { <ErrorBox error=e/> })}
            <div class="form-actions">
                <button type="submit" class="button primary" disabled=move || save.pending().get()>
                    {move || if save.pending().get() { "Ukládám…" } else { "Uložit" }}
                </button>
                <a class="button subtle" href=target.map_or_else(|| "/".to_string(), |(id, _)| format!("/projekty/{id}"))>"Zrušit"</a>
            </div>
        </form>
    }
    .into_any()
}
