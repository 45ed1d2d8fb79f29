//! The municipality search on the project form is a combobox (WAI-ARIA 1.2): the whole national
//! codebook is there after the demo load, and the keyboard alone picks a place.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use e2e::Harness;
use fantoccini::key::Key;
use std::time::{Duration, Instant};

const FIELD: &str = "#f-municipality-search";

async fn attr(h: &Harness, name: &str) -> Option<String> {
    h.find(FIELD).await.attr(name).await.unwrap()
}

/// Waits until the field's attribute `name` is `want` (5 s at most).
async fn wait_attr(h: &Harness, name: &str, want: Option<&str>) {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let now = attr(h, name).await;
        if now.as_deref() == want {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{name} is {now:?}, expected {want:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn press(h: &Harness, key: Key) {
    h.find(FIELD)
        .await
        .send_keys(&char::from(key).to_string())
        .await
        .unwrap();
}

async fn focused_id(h: &Harness) -> Option<String> {
    h.client
        .active_element()
        .await
        .unwrap()
        .attr("id")
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_keyboard_picks_liberec_from_the_national_codebook() {
    let h = Harness::start().await;
    h.open("/projekty/novy").await;
    let field = h.find(FIELD).await;
    assert_eq!(
        field.attr("role").await.unwrap().as_deref(),
        Some("combobox")
    );
    assert_eq!(
        field.attr("aria-controls").await.unwrap().as_deref(),
        Some("f-municipality-listbox")
    );
    h.find("#f-municipality-listbox[role='listbox']").await;
    wait_attr(&h, "aria-expanded", Some("false")).await;

    h.fill(FIELD, "Lib").await;
    wait_attr(&h, "aria-expanded", Some("true")).await;
    let first = h.find("#f-municipality-listbox [role='option']").await;
    assert!(
        first.text().await.unwrap().starts_with("Liberec (563889"),
        "district town first"
    );
    press(&h, Key::Down).await;
    wait_attr(
        &h,
        "aria-activedescendant",
        Some("f-municipality-option-563889"),
    )
    .await;
    let highlighted = h.find("#f-municipality-option-563889").await;
    assert_eq!(
        highlighted.attr("aria-selected").await.unwrap().as_deref(),
        Some("true")
    );
    // Down and Up again come back to it.
    press(&h, Key::Down).await;
    press(&h, Key::Up).await;
    wait_attr(
        &h,
        "aria-activedescendant",
        Some("f-municipality-option-563889"),
    )
    .await;

    press(&h, Key::Enter).await;
    h.find(".municipalities ul.chosen li[data-code='563889']")
        .await;
    let text = h
        .wait_until_text("Liberec chosen", |t| t.contains("okres Liberec"))
        .await;
    assert!(text.contains("Liberecký kraj"), "{text}");
    wait_attr(&h, "aria-expanded", Some("false")).await;
    assert_eq!(field.prop("value").await.unwrap().as_deref(), Some(""));
    assert!(
        h.current_path().await.ends_with("/projekty/novy"),
        "not submitted"
    );
    assert!(
        h.field_error("registration_number").await.is_empty(),
        "the form was not validated for a submit"
    );
    assert_eq!(
        focused_id(&h).await.as_deref(),
        Some("f-municipality-search")
    );

    // Escape closes the list and keeps the text and the focus.
    h.fill(FIELD, "usti nad l").await;
    wait_attr(&h, "aria-expanded", Some("true")).await;
    h.find("#f-municipality-option-554804").await;
    press(&h, Key::Down).await;
    wait_attr(
        &h,
        "aria-activedescendant",
        Some("f-municipality-option-554804"),
    )
    .await;
    press(&h, Key::Escape).await;
    wait_attr(&h, "aria-expanded", Some("false")).await;
    assert_eq!(attr(&h, "aria-activedescendant").await, None);
    assert!(!h
        .find("#f-municipality-listbox")
        .await
        .is_displayed()
        .await
        .unwrap());
    assert_eq!(
        field.prop("value").await.unwrap().as_deref(),
        Some("usti nad l")
    );
    assert_eq!(
        focused_id(&h).await.as_deref(),
        Some("f-municipality-search")
    );
    // ArrowDown opens it again; a click still picks.
    press(&h, Key::Down).await;
    wait_attr(&h, "aria-expanded", Some("true")).await;
    h.find("#f-municipality-option-554804")
        .await
        .click()
        .await
        .unwrap();
    h.find(".municipalities ul.chosen li[data-code='554804']")
        .await;
    h.find(".municipalities ul.chosen li[data-code='563889']")
        .await;
    assert_eq!(
        focused_id(&h).await.as_deref(),
        Some("f-municipality-search")
    );
    assert!(h.current_path().await.ends_with("/projekty/novy"));
    h.close().await;
}
