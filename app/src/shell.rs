//! The HTML shell and the router.

use crate::pages::{
    BudgetPage, ClaimsPage, ImportDetailPage, ImportJobPage, ImportPage, IndicatorCodebookPage,
    IndicatorsPage, NotFound, ProjectCreatePage, ProjectDetailPage, ProjectEditPage,
    ProjectListPage, SettingsPage,
};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes, A},
    path, SsrMode,
};

/// The document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="cs">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <HydrationScripts options/>
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
    // Set only in the browser, once hydrated: tests (and curious users) can tell a live page from a
    // server-rendered one whose clicks would still be lost.
    Effect::new(move |_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-hydrated", "true");
        }
    });
    view! {
        <Stylesheet id="style" href="/pkg/tracker.css"/>
        <Title formatter=|t: String| if t.is_empty() { "Evidence projektů ESF+".to_string() } else { format!("{t} · Evidence projektů ESF+") }/>
        <Router>
            <header class="top">
                <A href="/" attr:class="brand">"Evidence projektů ESF+"</A>
                <nav>
                    <A href="/">"Projekty"</A>
                    <A href="/projekty/novy">"Nový projekt"</A>
                    <A href="/importy">"Import tabulek"</A>
                    <A href="/ciselniky/indikatory">"Číselník indikátorů"</A>
                    <A href="/nastaveni">"Nastavení"</A>
                </nav>
            </header>
            <main>
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("/") view=ProjectListPage ssr=SsrMode::Async/>
                    <Route path=path!("/projekty/novy") view=ProjectCreatePage ssr=SsrMode::Async/>
                    <Route path=path!("/projekty/:id") view=ProjectDetailPage ssr=SsrMode::Async/>
                    <Route path=path!("/projekty/:id/upravit") view=ProjectEditPage ssr=SsrMode::Async/>
                    <Route path=path!("/projekty/:id/indikatory") view=IndicatorsPage ssr=SsrMode::Async/>
                    <Route path=path!("/projekty/:id/rozpocet") view=BudgetPage ssr=SsrMode::Async/>
                    <Route path=path!("/projekty/:id/zadosti") view=ClaimsPage ssr=SsrMode::Async/>
                    <Route path=path!("/ciselniky/indikatory") view=IndicatorCodebookPage ssr=SsrMode::Async/>
                    <Route path=path!("/nastaveni") view=SettingsPage ssr=SsrMode::Async/>
                    <Route path=path!("/importy") view=ImportPage ssr=SsrMode::Async/>
                    <Route path=path!("/importy/nahled/:token") view=ImportJobPage ssr=SsrMode::Async/>
                    <Route path=path!("/importy/:id") view=ImportDetailPage ssr=SsrMode::Async/>
                </Routes>
            </main>
            <footer class="bottom">
                "OPZ+ 2021–2027 a OPZ 2014–2020 · Evropský sociální fond plus"
            </footer>
        </Router>
    }
}
