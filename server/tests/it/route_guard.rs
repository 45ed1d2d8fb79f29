//! A test that cannot go stale: it enumerates the server functions registered with the server and the
//! HTTP routes the router is built from, and asserts that each refuses an anonymous call and that every
//! one that may change data refuses a reviewer (who only reads). A new function or route without a check
//! fails here.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use server::RouteAccess;

use crate::http::{sign_in, spawn_app};

#[tokio::test]
async fn every_registered_server_function_and_route_refuses_anonymous_and_read_only_callers() {
    let (app, _dir) = spawn_app().await;
    let anonymous = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let reviewer = sign_in(&app, "reviewer@demo.cz").await;
    let functions: Vec<(&str, axum::http::Method)> =
        leptos::server_fn::axum::server_fn_paths().collect();
    assert!(
        functions.len() >= 40,
        "{} server functions registered",
        functions.len()
    );
    let mut reviewer_refused = 0;
    for (path, method) in &functions {
        assert_eq!(method.as_str(), "POST", "{path}");
        let url = format!("{}{path}", app.url());
        let resp = anonymous
            .post(&url)
            .header("origin", app.url())
            .json(&serde_json::json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 401, "{path} without a session");
        if !app::api::read_only_user_may_call(path) {
            let resp = reviewer
                .post(&url)
                .json(&serde_json::json!({}))
                .send()
                .await
                .unwrap();
            assert_eq!(resp.status(), 403, "{path} as a reviewer");
            reviewer_refused += 1;
        }
    }
    assert!(reviewer_refused >= 20, "{reviewer_refused}");

    let routes = server::http_route_list();
    assert!(routes.len() >= 8);
    for route in routes {
        let path = route
            .path
            .replace("{file}", "projekty.csv")
            .replace("{id}", "1")
            .replace("{document}", "1")
            .replace("{version}", "1")
            .replace(
                "{registration_number}",
                "CZ.03.01.01%2F00%2F22_015%2F0002653",
            )
            .replace("{*rest}", "x");
        let url = format!("{}{path}", app.url());
        let request = |client: &reqwest::Client| {
            client
                .request(route.method.clone(), &url)
                .header("origin", app.url())
        };
        let resp = request(&anonymous).send().await.unwrap();
        let status = resp.status().as_u16();
        match route.access {
            RouteAccess::Public => assert!(status < 500, "{} {path}: {status}", route.method),
            RouteAccess::SignedIn => {
                assert_eq!(
                    status, 303,
                    "{} {path} sends an anonymous caller to sign in",
                    route.method
                );
                assert!(resp.headers()["location"]
                    .to_str()
                    .unwrap()
                    .starts_with("/prihlaseni"));
            }
            RouteAccess::ApiToken => {
                assert_eq!(status, 401, "{} {path} without a token", route.method)
            }
        }
        if route.changes_data {
            let resp = request(&reviewer).send().await.unwrap();
            assert_eq!(resp.status(), 403, "{} {path} as a reviewer", route.method);
        }
    }
}
