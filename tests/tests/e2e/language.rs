//! Issue 15, point 4: the interface in English, chosen in `/ucet` and remembered, or by the browser's
//! `Accept-Language` before signing in; numbers and dates the English way.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use e2e::Harness;

/// Whether `text` holds a date written the English way: `1 Jul 2023`.
fn has_english_date(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    words.windows(3).any(|w| {
        w[0].len() <= 2
            && w[0].chars().all(|c| c.is_ascii_digit())
            && [
                "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
            ]
            .contains(&w[1])
            && w[2].len() >= 4
            && w[2][..4].chars().all(|c| c.is_ascii_digit())
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_switches_to_english_and_it_is_remembered() {
    let h = Harness::start().await;
    // Czech by default.
    h.open("/").await;
    let text = h.body_text().await;
    assert!(
        text.contains("Projekty") && text.contains("Registrační číslo"),
        "{text}"
    );
    // /ucet: English, saved; the page comes back in English and says so.
    h.open("/ucet").await;
    h.find("#f-language option[value='en']")
        .await
        .click()
        .await
        .unwrap();
    h.find("form[data-testid='language-form'] button[type='submit']")
        .await
        .click()
        .await
        .unwrap();
    h.wait_for_path(|p| p.contains("jazyk=ulozen")).await;
    h.wait_hydrated().await;
    let text = h
        .wait_until_text("the English account page", |t| {
            t.contains("Interface language set: English.")
        })
        .await;
    assert!(
        text.contains("Projects") && text.contains("Sign out"),
        "{text}"
    );
    // The project list in English, with its dates the English way, and the page's language said.
    h.open("/").await;
    let text = h.body_text().await;
    assert!(
        text.contains("Registration number") && text.contains("Projects"),
        "{text}"
    );
    assert!(has_english_date(&text), "an English date in: {text}");
    let lang = h
        .client
        .execute("return document.documentElement.lang;", vec![])
        .await
        .unwrap();
    assert_eq!(lang.as_str(), Some("en"));
    // A project's tabs.
    h.find("table.projects tbody tr td a")
        .await
        .click()
        .await
        .unwrap();
    h.wait_for_path(|p| p.starts_with("/projekty/")).await;
    let overview = h
        .wait_until_text("project tabs", |t| t.contains("Budget and drawdown"))
        .await;
    assert!(
        overview.contains("Implementation") && has_english_date(&overview),
        "{overview}"
    );
    // The budget's figures in crowns the English way.
    h.client
        .find(fantoccini::Locator::LinkText("Budget and drawdown"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let budget = h
        .wait_until_text("the budget in English", |t| {
            t.contains("Total eligible expenditure")
        })
        .await;
    let total = h.find("[data-testid='total']").await.text().await.unwrap();
    assert!(
        total.ends_with("CZK") && total.contains('.') && !total.contains("Kč"),
        "{total} in {budget}"
    );
    // Remembered: signed out and in again, still English.
    h.find("[data-testid='user-menu'] button")
        .await
        .click()
        .await
        .unwrap();
    h.wait_for_path(|p| p.starts_with("/prihlaseni")).await;
    h.sign_in(e2e::TEST_USER, e2e::DEMO_PASSWORD).await;
    h.open("/").await;
    assert!(h.body_text().await.contains("Registration number"));
    h.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sign_in_page_follows_the_browsers_language() {
    let h = Harness::start().await;
    let client = reqwest::Client::new();
    let page = |lang: &'static str| {
        let client = client.clone();
        let url = format!("{}/prihlaseni", h.app.url());
        async move {
            client
                .get(url)
                .header("Accept-Language", lang)
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
        }
    };
    let en = page("en-GB,en;q=0.9,cs;q=0.5").await;
    assert!(
        en.contains("<html lang=\"en\"") && en.contains("Password"),
        "{en}"
    );
    let cs = page("de-DE,cs;q=0.8,en;q=0.5").await;
    assert!(
        cs.contains("<html lang=\"cs\"") && cs.contains("Heslo"),
        "{cs}"
    );
    h.close().await;
}
