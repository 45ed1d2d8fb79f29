//! `/ucet`: the signed-in user's password (and, in `account_deadlines`, calendar feeds and digest). `/uzivatele`: users for admins (create, deactivate).

use crate::api::{change_password, create_user, list_users, set_user_active};
use crate::components::{ErrorBox, Loading};
use crate::domain::roles::Role;
use crate::dto::{NewUserInput, UserDto};
use leptos::prelude::*;
use leptos_meta::Title;

/// `/ucet`: change one's own password.
#[component]
pub fn AccountPage() -> impl IntoView {
    let old = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let local_error = RwSignal::new(None::<String>);
    let save = Action::new(move |(o, n): &(String, String)| change_password(o.clone(), n.clone()));
    view! {
        <Title text="Můj účet"/>
        <h1>"Můj účet"</h1>
        <super::account_language::LanguageForm/>
        <h2>"Změna hesla"</h2>
        <form class="small-form" data-testid="password-form" on:submit=move |ev| {
            ev.prevent_default();
            if new.get() != again.get() {
                local_error.set(Some("Nové heslo a jeho zopakování se liší.".into()));
                return;
            }
            local_error.set(None);
            save.dispatch((old.get(), new.get()));
        }>
            <label class="field">"Současné heslo"
                <input type="password" name="old" autocomplete="current-password" bind:value=old/></label>
            <label class="field">"Nové heslo (alespoň 12 znaků)"
                <input type="password" name="new" autocomplete="new-password" bind:value=new/></label>
            <label class="field">"Nové heslo znovu"
                <input type="password" name="again" autocomplete="new-password" bind:value=again/></label>
            {move || local_error.get().map(|m| view! { <p class="error-box">{m}</p> })}
            {move || save.value().get().map(|r| match r {
                Ok(()) => view! { <p class="ok" data-testid="password-changed">"Heslo je změněno; ostatní přihlášení byla ukončena."</p> }.into_any(),
                Err(e) => view! { <ErrorBox error=e/> }.into_any(),
            })}
            <button type="submit" class="button primary">"Změnit heslo"</button>
        </form>
        <super::account_deadlines::AccountDeadlinesSection/>
    }
}

/// `/uzivatele`: users for admins.
#[component]
pub fn UsersPage() -> impl IntoView {
    let reload = RwSignal::new(0u32);
    let users = Resource::new(move || reload.get(), |_| list_users());
    view! {
        <Title text="Uživatelé"/>
        <h1>"Uživatelé"</h1>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match users.await {
                    Ok(list) => view! { <UserTable list reload/> }.into_any(),
                    Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                }
            })}
        </Transition>
        <NewUserForm reload/>
    }
}

#[component]
fn UserTable(list: Vec<UserDto>, reload: RwSignal<u32>) -> impl IntoView {
    view! {
        <table class="data" data-testid="users">
            <thead><tr><th>"E-mail"</th><th>"Jméno"</th><th>"Role"</th><th>"Projekty"</th><th>"Stav"</th><th></th></tr></thead>
            <tbody>
                {list.into_iter().map(|u| {
                    let roles: Vec<&str> = u.roles.iter().map(|r| r.label()).collect();
                    let projects = if u.finance_all { "všechny (finance)".to_owned() } else { u.projects.join(", ") };
                    view! {
                        <tr class:muted=!u.active>
                            <td>{u.email.clone()}</td><td>{u.name.clone()}</td><td>{roles.join(", ")}</td>
                            <td class="mono">{projects}</td>
                            <td>{if u.active { "aktivní" } else { "deaktivován" }}</td>
                            <td><ActiveButton id=u.id active=u.active reload/></td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// Deactivate (behind a confirmation) or reactivate a user.
#[component]
fn ActiveButton(id: i32, active: bool, reload: RwSignal<u32>) -> impl IntoView {
    let confirming = RwSignal::new(false);
    let action = Action::new(move |a: &bool| set_user_active(id, *a));
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            reload.update(|n| *n += 1);
        }
    });
    view! {
        {move || if !active {
            view! { <button type="button" class="button" on:click=move |_| { action.dispatch(true); }>"Aktivovat"</button> }.into_any()
        } else if confirming.get() {
            view! {
                <span class="confirm" role="alertdialog" aria-label="Potvrzení deaktivace">
                    "Deaktivovat? Uživatel se odhlásí a nebude se moci přihlásit. "
                    <button type="button" class="button danger" on:click=move |_| { action.dispatch(false); }>"Ano, deaktivovat"</button>
                    <button type="button" class="button subtle" on:click=move |_| confirming.set(false)>"Zrušit"</button>
                </span>
            }.into_any()
        } else {
            view! { <button type="button" class="button" on:click=move |_| confirming.set(true)>"Deaktivovat"</button> }.into_any()
        }}
        {move || action.value().get().and_then(Result::err).map(|e| view! { <ErrorBox error=e/> })}
    }
}

#[component]
fn NewUserForm(reload: RwSignal<u32>) -> impl IntoView {
    let email = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let projects = RwSignal::new(String::new());
    let finance_all = RwSignal::new(false);
    let roles = Role::ALL.map(|r| (r, RwSignal::new(false)));
    let save = Action::new(move |i: &NewUserInput| create_user(i.clone()));
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            reload.update(|n| *n += 1);
        }
    });
    view! {
        <h2>"Nový uživatel"</h2>
        <form class="small-form" data-testid="new-user-form" on:submit=move |ev| {
            ev.prevent_default();
            save.dispatch(NewUserInput {
                email: email.get(),
                name: name.get(),
                password: password.get(),
                roles: roles.iter().filter(|(_, s)| s.get()).map(|(r, _)| r.code().to_owned()).collect(),
                projects: projects.get(),
                finance_all: finance_all.get(),
            });
        }>
            <label class="field">"E-mail" <input type="email" name="email" bind:value=email/></label>
            <label class="field">"Jméno" <input name="name" bind:value=name/></label>
            <label class="field">"Počáteční heslo (alespoň 12 znaků)" <input type="password" name="password" autocomplete="new-password" bind:value=password/></label>
            <fieldset><legend>"Role"</legend>
                {roles.iter().map(|(r, s)| {
                    let s = *s;
                    view! { <label class="check"><input type="checkbox" name=r.code() bind:checked=s/>" "{r.label()}</label> }
                }).collect_view()}
            </fieldset>
            <label class="field">"Přidělené projekty (registrační čísla, oddělená čárkou)" <textarea name="projects" bind:value=projects></textarea></label>
            <label class="check"><input type="checkbox" name="finance_all" bind:checked=finance_all/>" Finanční manažer pro všechny projekty"</label>
            {move || save.value().get().map(|r| match r {
                Ok(id) => view! { <p class="ok">{format!("Uživatel vytvořen (č. {id}).")}</p> }.into_any(),
                Err(e) => view! { <ErrorBox error=e/> }.into_any(),
            })}
            <button type="submit" class="button primary">"Vytvořit uživatele"</button>
        </form>
    }
}
