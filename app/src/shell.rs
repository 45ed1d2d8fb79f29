//! The HTML shell and the router.

use crate::i18n::{lang, t, text};
use crate::pages::{
    AccountPage, ApiTokensPage, AuditPage, BudgetPage, ClaimDetailPage, ClaimsPage, DashboardPage,
    DeadlinesPage, ExpenditureDocumentsPage, ImportDetailPage, ImportJobPage, ImportPage,
    IndicatorCodebookPage, IndicatorsPage, LedgerPage, NotFound, PeriodReviewPage, PrintPage,
    ProjectCreatePage, ProjectDetailPage, ProjectEditPage, ProjectListPage, ReviewQueuePage,
    SettingsPage, SignInPage, UsersPage,
};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes, A},
    path, SsrMode,
};

/// Reloads a page shown again from the browser's back-forward cache (issue 14, point 10).
const RELOAD_RESTORED_PAGE: &str =
    "addEventListener('pageshow',function(e){if(e.persisted){location.reload();}});";

/// The document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    // The hydration script carries the response's CSP nonce (the server's security headers allow only it).
    #[cfg(feature = "ssr")]
    if let Some(nonce) = use_context::<axum::http::request::Parts>()
        .and_then(|p| p.extensions.get::<crate::api::CspNonce>().cloned())
    {
        provide_context(leptos::nonce::Nonce::from_value(nonce.0));
    }
    // The bundle's files have content-hashed names (`tracker-<hash>`), read by the server at start-up.
    let stylesheet = format!("/{}/{}.css", options.site_pkg_dir, options.output_name);
    let lang = crate::i18n::request_lang();
    view! {
        <!DOCTYPE html>
        <html lang=lang.code()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="stylesheet" id="style" href=stylesheet/>
                <HydrationScripts options/>
                // A page the browser restores from its back-forward cache would show the data as they
                // were when it was left: reload it, so that back and forward show the state of now.
                <script nonce=leptos::nonce::use_nonce() inner_html=RELOAD_RESTORED_PAGE></script>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The application: header, routes, footer.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    crate::components::SaveNotice::provide();
    let lang = crate::i18n::request_lang();
    provide_context(lang);
    // Set only in the browser, once hydrated: tests (and curious users) can tell a live page from a
    // server-rendered one whose clicks would still be lost.
    Effect::new(move |_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-hydrated", "true");
        }
        // When, since the navigation started (the first-visit benchmark reads it).
        #[cfg(feature = "hydrate")]
        if let Some(performance) = window().performance() {
            let _ = performance.mark("hydrated");
        }
    });
    view! {
        <Title formatter=move |text| page_title(lang, text)/>
        <Router>
            // The first stop of the keyboard: past the header and its menu, to the page itself.
            <a class="skip-link" href="#obsah">{t("app.skip")}</a>
            <header class="top">
                <A href="/" attr:class="brand">{t("app.name")}</A>
                <HeaderMenu/>
            </header>
            <main id="obsah" tabindex="-1">
                <crate::components::SaveNoticeLine/>
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("/") view=ProjectListPage ssr=SsrMode::Async/>
                    <Route path=path!("/projekty/novy") view=ProjectCreatePage ssr=SsrMode::Async/>
                    <Route path=path!("/projekty/:id") view=ProjectDetailPage ssr=SsrMode::Async/>
                    <Route path=path!("/projekty/:id/upravit") view=ProjectEditPage ssr=SsrMode::Async/>
                    <Route path=path!("/projekty/:id/indikatory") view=IndicatorsPage ssr=SsrMode::Async/>
                    <Route path=path!("/projekty/:id/rozpocet") view=BudgetPage ssr=SsrMode::Async/>
                    <Route path=path!("/projekty/:id/zadosti") view=ClaimsPage ssr=SsrMode::Async/>
                    <Route path=path!("/projekty/:id/zadosti/:claim") view=ClaimDetailPage ssr=SsrMode::Async/>
                    <Route path=path!("/projekty/:id/vydaje") view=LedgerPage ssr=SsrMode::Async/>
                    <Route path=path!("/projekty/:id/vydaje/:expenditure") view=ExpenditureDocumentsPage ssr=SsrMode::Async/>
                    <Route path=path!("/projekty/:id/obdobi/:period") view=PeriodReviewPage ssr=SsrMode::Async/>
                    <Route path=path!("/projekty/:id/tisk") view=PrintPage ssr=SsrMode::Async/>
                    <Route path=path!("/prehled") view=DashboardPage ssr=SsrMode::Async/>
                    <Route path=path!("/kontroly") view=ReviewQueuePage ssr=SsrMode::Async/>
                    <Route path=path!("/terminy") view=DeadlinesPage ssr=SsrMode::Async/>
                    <Route path=path!("/api-tokeny") view=ApiTokensPage ssr=SsrMode::Async/>
                    <Route path=path!("/ciselniky/indikatory") view=IndicatorCodebookPage ssr=SsrMode::Async/>
                    <Route path=path!("/nastaveni") view=SettingsPage ssr=SsrMode::Async/>
                    <Route path=path!("/importy") view=ImportPage ssr=SsrMode::Async/>
                    <Route path=path!("/prihlaseni") view=SignInPage ssr=SsrMode::Async/>
                    <Route path=path!("/audit") view=AuditPage ssr=SsrMode::Async/>
                    <Route path=path!("/ucet") view=AccountPage ssr=SsrMode::Async/>
                    <Route path=path!("/uzivatele") view=UsersPage ssr=SsrMode::Async/>
                    <Route path=path!("/importy/nahled/:token") view=ImportJobPage ssr=SsrMode::Async/>
                    <Route path=path!("/importy/:id") view=ImportDetailPage ssr=SsrMode::Async/>
                </Routes>
            </main>
            <footer class="bottom">
                {t("app.footer")}
            </footer>
        </Router>
    }
}

/// Who is signed in, with a sign-out button (a form posted to the server).
#[component]
fn UserMenu() -> impl IntoView {
    let lang = lang();
    let user = Resource::new(|| (), |()| crate::api::current_user());
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(Some(u)) => {
                        let roles: Vec<&str> = u.roles.iter().map(|r| r.label()).collect();
                        view! {
                            <div class="user-menu" data-testid="user-menu">
                                <a href="/ucet" title=roles.join(", ")>{u.name.clone()}</a>
                                {u.is_admin().then(|| view! { <a href="/uzivatele">{text(lang, "user.users")}</a> })}
                                <form method="post" action="/odhlaseni">
                                    <button type="submit" class="link-button">{text(lang, "user.sign_out")}</button>
                                </form>
                            </div>
                        }.into_any()
                    }
                    _ => view! { <a href="/prihlaseni" class="user-menu">{text(lang, "user.sign_in")}</a> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The document title. On the server it is HTML-escaped, because leptos_meta 0.8 writes the title into
/// the page unescaped (a project named `</title><script>…` would otherwise break out of it); in the
/// browser it is set as plain text.
fn page_title(lang: crate::domain::Lang, text: String) -> String {
    let name = crate::i18n::text(lang, "app.name");
    let full = if text.is_empty() {
        name.to_string()
    } else {
        format!("{text} · {name}")
    };
    #[cfg(feature = "ssr")]
    {
        full.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    }
    #[cfg(not(feature = "ssr"))]
    {
        full
    }
}

/// The menu of the header: on a wide window the navigation and the user's menu side by side; on a
/// narrow one (a phone) folded behind a "Menu" button (closed again on every change of page).
#[component]
fn HeaderMenu() -> impl IntoView {
    let open = RwSignal::new(false);
    let location = leptos_router::hooks::use_location();
    Effect::new(move |_| {
        location.pathname.track();
        open.set(false);
    });
    view! {
        <button type="button" class="menu-toggle" aria-controls="hlavni-menu"
            aria-expanded=move || open.get().to_string() on:click=move |_| open.update(|o| *o = !*o)>
            {t("app.menu")}
        </button>
        <div id="hlavni-menu" class="menu" class:open=move || open.get()>
            <MainNav/>
            <UserMenu/>
        </div>
    }
}

/// The main navigation: links to what the signed-in user's roles allow (a courtesy; the server checks
/// every call).
#[component]
fn MainNav() -> impl IntoView {
    let lang = lang();
    let user = Resource::new(|| (), |()| crate::api::current_user());
    view! {
        <nav data-testid="main-nav">
            <A href="/">{text(lang, "nav.projects")}</A>
            <A href="/prehled">{text(lang, "nav.portfolio")}</A>
            <A href="/terminy">{text(lang, "nav.deadlines")}</A>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let u = user.await.ok().flatten().unwrap_or_default();
                    view! {
                        {u.can_create_project().then(|| view! { <A href="/projekty/novy">{text(lang, "nav.new_project")}</A> })}
                        {u.can_import().then(|| view! { <A href="/importy">{text(lang, "nav.import")}</A> })}
                        {(u.can_review() || u.is_admin()).then(|| view! { <A href="/kontroly">{text(lang, "nav.reviews")}</A> })}
                        <A href="/ciselniky/indikatory">{text(lang, "nav.indicators")}</A>
                        <A href="/nastaveni">{text(lang, "nav.settings")}</A>
                        {u.is_admin().then(|| view! { <A href="/audit">{text(lang, "nav.audit")}</A> })}
                        {u.is_admin().then(|| view! { <A href="/api-tokeny">{text(lang, "nav.api_tokens")}</A> })}
                    }
                })}
            </Transition>
        </nav>
    }
}
