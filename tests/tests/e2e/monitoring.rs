//! Browser journey of the monitoring pages: enter a budget, financing, an expenditure and an achieved
//! value, and watch the derived figures and the flags change.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use app::domain::format_czech_date;
use app::dto::{ProjectInput, SaveOutcome};
use app::services::projects;
use chrono::Duration;
use e2e::Harness;
use entity::{indicator, monitoring_period, project_indicator};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

/// A project that started 300 days ago and ends in 30 days, with one period and the EECO01 indicator.
async fn late_project(h: &Harness) -> i32 {
    let today = e2e::today();
    let (start, end) = (today - Duration::days(300), today + Duration::days(30));
    let input = ProjectInput {
        registration_number: "CZ.03.02.01/00/25_106/0009002".into(),
        name: "Projekt v závěru".into(),
        beneficiary_ico: "00296244".into(),
        beneficiary_name: "Město Moravský Beroun".into(),
        status: "realisation".into(),
        start_date: format_czech_date(start),
        end_date: format_czech_date(end),
        total_eligible: "200 000,00".into(),
        ..Default::default()
    };
    let SaveOutcome::Saved { id } = projects::create(&h.app.db, &input).await.unwrap() else {
        panic!()
    };
    h.assign(id).await;
    // One period up to today instead of the half-years the project got by its programme's rule.
    monitoring_period::Entity::delete_many()
        .filter(monitoring_period::Column::ProjectId.eq(id))
        .exec(&h.app.db)
        .await
        .unwrap();
    monitoring_period::ActiveModel {
        project_id: Set(id),
        number: Set(1),
        start_date: Set(start),
        end_date: Set(today),
        ..Default::default()
    }
    .insert(&h.app.db)
    .await
    .unwrap();
    let eeco01 = indicator::Entity::find()
        .all(&h.app.db)
        .await
        .unwrap()
        .into_iter()
        .find(|i| i.code == "EECO01")
        .unwrap();
    project_indicator::ActiveModel {
        project_id: Set(id),
        indicator_id: Set(eeco01.id),
        baseline_milli: Set(0),
        target_milli: Set(10_000),
        target_date: Set(end),
        version: Set(1),
        ..Default::default()
    }
    .insert(&h.app.db)
    .await
    .unwrap();
    id
}

async fn submit(h: &Harness, form: &str) {
    h.find(&format!("form[data-testid='{form}'] button[type='submit']"))
        .await
        .click()
        .await
        .unwrap();
}

/// Waits until the JavaScript expression `what` (about the focused element) gives `expected`.
async fn wait_for_focus(h: &Harness, what: &str, expected: &str) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let got = h
            .client
            .execute(&format!("return String({what});"), vec![])
            .await
            .unwrap();
        if got.as_str() == Some(expected) {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "focus: {got} instead of {expected}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn budget_and_achieved_value_change_figures_and_flags() {
    let h = Harness::start().await;
    let id = late_project(&h).await;
    h.open(&format!("/projekty/{id}/rozpocet")).await;
    h.wait_until_text("empty budget", |t| {
        t.contains("Rozpočet zatím nemá žádné položky")
    })
    .await;
    // A budget line. Without its name the save fails and the focus goes to the name (issue 14, point 3).
    h.fill("#f-code", "1.1.1.1").await;
    h.fill("#f-amount", "100 000,00").await;
    submit(&h, "line-form").await;
    wait_for_focus(&h, "document.activeElement.id", "f-name").await;
    // The error summary at the top of the form links each error to its field.
    let link = h
        .find("form[data-testid='line-form'] [data-testid='error-summary'][role='alert'] li a")
        .await;
    let said = link.text().await.unwrap();
    assert_eq!(
        said,
        h.find("form[data-testid='line-form'] p.field-error[data-field='name']")
            .await
            .text()
            .await
            .unwrap(),
        "the summary says what the field says"
    );
    h.find("#f-code").await.click().await.unwrap();
    link.click().await.unwrap();
    wait_for_focus(&h, "document.activeElement.id", "f-name").await;
    h.fill("#f-name", "Mzdy").await;
    submit(&h, "line-form").await;
    h.wait_until_text("total", |t| t.contains("Mzdy")).await;
    // The save is said on the page's status line, which screen readers announce.
    let notice = h.find("[data-testid='save-notice'][role='status']").await;
    assert_eq!(notice.text().await.unwrap(), "Položka rozpočtu je uložena.");
    // "upravit" fills the form and puts the focus in it.
    h.client
        .find(fantoccini::Locator::XPath(
            "//table[contains(@class,'budget-lines')]//button[text()='upravit']",
        ))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_focus(
        &h,
        "document.activeElement.closest(\"[data-testid='line-form']\") ? 'line-form' : document.activeElement.tagName",
        "line-form",
    )
    .await;
    assert_eq!(
        h.find("[data-testid='total']").await.text().await.unwrap(),
        "100 000,00 Kč"
    );
    // Nothing drawn with 91 % of the time gone: flagged.
    let flags = h.find("[data-testid='flags']").await.text().await.unwrap();
    assert!(flags.contains("zaostává"), "{flags}");
    // A 25 % flat rate of indirect costs.
    h.fill("#f-indirect_rate", "25").await;
    h.fill("#f-eu_share", "85").await;
    h.fill("#f-state_share", "10").await;
    h.fill("#f-own_share", "5").await;
    h.find("#f-own_share").await.click().await.unwrap();
    h.client
        .find(fantoccini::Locator::XPath(
            "//button[text()='Uložit parametry']",
        ))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    h.wait_until_text("indirect costs", |t| t.contains("125 000,00 Kč"))
        .await;
    // The budget (125 000) is below the legal act's total on the overview (200 000): the page says why.
    let why = h
        .find("[data-testid='total-explained']")
        .await
        .text()
        .await
        .unwrap()
        .replace('\u{a0}', " ");
    assert!(
        why.contains("o 75 000,00 Kč nižší") && why.contains("200 000,00 Kč"),
        "{why}"
    );
    // An expenditure needs its payment date: refused at the date field.
    h.fill("#f-document_number", "FV-1").await;
    h.fill("#f-exp_amount", "90 000,00").await;
    submit(&h, "expenditure-form").await;
    h.wait_until_text("date required", |t| t.contains("Vyplňte datum úhrady"))
        .await;
    // An expenditure that would overdraw the line is refused next to the amount.
    let paid = format_czech_date(e2e::today() - Duration::days(10));
    h.fill("#f-paid_on", &paid).await;
    h.fill("#f-exp_amount", "100 000,01").await;
    submit(&h, "expenditure-form").await;
    h.wait_until_text("overdraw error", |t| t.contains("by přečerpal"))
        .await;
    let exp_error = h
        .find("form[data-testid='expenditure-form'] p.field-error[data-field='exp_amount']")
        .await
        .text()
        .await
        .unwrap();
    assert!(exp_error.contains("zbývá 100 000,00"), "{exp_error}");
    // A valid one: drawn with indirect costs, and the flag is gone.
    h.fill("#f-exp_amount", "90 000,00").await;
    submit(&h, "expenditure-form").await;
    h.wait_until_text("drawn", |t| t.contains("112 500,00 Kč"))
        .await;
    // Drawdown grew by 112 500 for a document of 90 000: said after the save and next to the figure.
    let notice = h
        .find("[data-testid='save-notice']")
        .await
        .text()
        .await
        .unwrap()
        .replace('\u{a0}', " ");
    assert!(
        notice.starts_with("Výdaj je zapsán.") && notice.contains("paušál 25,0 %"),
        "{notice}"
    );
    let why = h
        .find("[data-testid='drawn-explained']")
        .await
        .text()
        .await
        .unwrap()
        .replace('\u{a0}', " ");
    assert!(
        why.contains("22 500,00 Kč") && why.contains("víc než součet dokladů"),
        "{why}"
    );
    let flags = h.find("[data-testid='flags']").await.text().await.unwrap();
    assert!(!flags.contains("zaostává"), "{flags}");
    // Indicators: 5 of 10 this late projects to about 55 % → a correction is flagged; 10 of 10 clears it.
    h.open(&format!("/projekty/{id}/indikatory")).await;
    h.fill("#f-value", "5").await;
    submit(&h, "value-form").await;
    h.wait_until_text("fulfilment", |t| t.contains("50,0"))
        .await;
    let flags = h.find("[data-testid='flags']").await.text().await.unwrap();
    assert!(
        flags.contains("EECO01") && flags.contains("korekc"),
        "{flags}"
    );
    h.fill("#f-value", "2,5").await;
    submit(&h, "value-form").await;
    h.wait_until_text("whole persons", |t| t.contains("celé číslo"))
        .await;
    h.fill("#f-value", "10").await;
    submit(&h, "value-form").await;
    h.wait_until_text("fulfilment 100", |t| t.contains("100,0"))
        .await;
    let flags = h.find("[data-testid='flags']").await.text().await.unwrap();
    assert!(!flags.contains("EECO01"), "{flags}");
    h.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_project_pages_show_a_living_project() {
    let h = Harness::start().await;
    let q = app::dto::ProjectListQuery {
        text: "0002657".into(),
        page: 1,
        per_page: 5,
        ..Default::default()
    };
    let vnp = projects::list(&h.app.db, &q).await.unwrap().rows[0].id;
    h.open(&format!("/projekty/{vnp}/rozpocet")).await;
    let text = h.body_text().await;
    assert!(
        text.contains("zaostává") && text.contains("ilustrativní"),
        "{text}"
    );
    assert!(h
        .client
        .find(fantoccini::Locator::Css("figure.chart polyline.drawn"))
        .await
        .is_ok());
    h.open(&format!("/projekty/{vnp}/indikatory")).await;
    let text = h.body_text().await;
    assert!(text.contains("EECO08") && text.contains("korekc"), "{text}");
    h.open(&format!("/projekty/{vnp}/zadosti")).await;
    let text = h.body_text().await;
    assert!(text.contains("není proplacena"), "{text}");
    // An earlier claim recorded as a bare amount (bez soupisky), through the collapsed form.
    h.find("details.small-form summary")
        .await
        .click()
        .await
        .unwrap();
    h.fill("#f-claimed", "12 345,67").await;
    h.find("form[data-testid='claim-form'] button[type='submit']")
        .await
        .click()
        .await
        .unwrap();
    h.wait_until_text("new claim", |t| t.contains("12 345,67 Kč"))
        .await;
    // The indicator codebook is reachable and lists unverified codes.
    h.open("/ciselniky/indikatory").await;
    let text = h.body_text().await;
    assert!(
        text.contains("EECO01") && text.contains("neověřen") && text.contains("6 00 00"),
        "{text}"
    );
    h.open(&format!("/projekty/{vnp}/zadosti")).await;
    // Tabs navigate in the browser.
    h.find("nav.tabs a.tab").await.click().await.unwrap();
    h.wait_for_path(|p| p == format!("/projekty/{vnp}")).await;
    h.wait_until_text("overview", |t| t.contains("Věk není překážkou"))
        .await;
    h.close().await;
}

/// Issue 14, point 4: the value form offers the period running today (not the last, future one), and
/// the period form proposes the period after the last one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forms_offer_the_current_period_and_propose_the_next_one() {
    use sea_orm::{EntityTrait, QueryOrder};
    let h = Harness::start().await;
    let today = e2e::today();
    let periods = entity::monitoring_period::Entity::find()
        .order_by_asc(entity::monitoring_period::Column::Number)
        .all(&h.app.db)
        .await
        .unwrap();
    // A demo project with a period running today and a later one.
    let (project, current, last) = periods
        .iter()
        .filter(|p| p.start_date <= today && today <= p.end_date)
        .find_map(|c| {
            let last = periods
                .iter()
                .filter(|p| p.project_id == c.project_id)
                .max_by_key(|p| p.number)?;
            (last.number > c.number).then_some((c.project_id, c.id, last.clone()))
        })
        .expect("a demo project with periods after today");
    h.open(&format!("/projekty/{project}/indikatory")).await;
    let offered = h.find("#f-period").await.prop("value").await.unwrap();
    assert_eq!(offered.as_deref(), Some(current.to_string().as_str()));
    assert_ne!(offered.as_deref(), Some(last.id.to_string().as_str()));
    let start = h.find("#f-period_start").await.prop("value").await.unwrap();
    let end = h.find("#f-period_end").await.prop("value").await.unwrap();
    let next = last.end_date + Duration::days(1);
    assert_eq!(start.as_deref(), Some(format_czech_date(next).as_str()));
    let end = app::domain::parse_czech_date(&end.unwrap_or_default()).unwrap();
    assert!(
        end > next,
        "the proposed period ends after it starts: {end}"
    );
    h.close().await;
}
