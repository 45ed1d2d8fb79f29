//! Issue 14, point 9: axe-core (from npm, pinned in `scripts/tools.sh`, injected by the test) finds no
//! WCAG 2.1 A or AA violation on any page, for any role, in a wide window and on a phone.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::every_page::{pages, switch_to, ROLES};
use e2e::Harness;
use std::path::PathBuf;

/// The source of `axe.min.js`, installed by `scripts/tools.sh axe-core` when missing (the test fails
/// when it cannot be installed; it is never skipped).
fn axe_source() -> String {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let out = std::process::Command::new("bash")
        .arg("scripts/tools.sh")
        .arg("axe-core")
        .current_dir(&root)
        .output()
        .expect("scripts/tools.sh runs");
    assert!(
        out.status.success(),
        "axe-core could not be installed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let path = String::from_utf8(out.stdout).unwrap();
    std::fs::read_to_string(path.trim()).expect("axe.min.js")
}

/// Runs axe-core on the page open in the browser; the violations, one line each with up to three of the
/// elements concerned.
async fn violations(h: &Harness, axe: &str) -> Vec<String> {
    h.client.execute(axe, vec![]).await.unwrap();
    let found = h
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
               .then(r => done(r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' — '
                 + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))))
               .catch(e => done(['axe-core failed: ' + e]));",
            vec![],
        )
        .await
        .unwrap();
    found
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_page_has_a_wcag_violation_for_any_role() {
    let axe = axe_source();
    let h = Harness::start().await;
    let pages = pages(&h).await;
    let mut found = Vec::new();
    let mut checked = 0;
    for user in ROLES {
        h.client.set_window_size(1280, 900).await.unwrap();
        switch_to(&h, user).await;
        // A laptop's window, then a phone's (tables scroll in their own box, the header folds).
        for (width, label) in [(1280, ""), (390, " at 390 px")] {
            h.client.set_window_size(width, 900).await.unwrap();
            for page in &pages {
                h.open(page).await;
                h.wait_until_text(page, |t| !t.contains("Načítám")).await;
                for v in violations(&h, &axe).await {
                    found.push(format!("{user} {page}{label}: {v}"));
                }
                checked += 1;
            }
        }
        // The header's menu open on a phone.
        h.open(&pages[0]).await;
        h.find("button.menu-toggle").await.click().await.unwrap();
        for v in violations(&h, &axe).await {
            found.push(format!("{user} {} at 390 px, menu open: {v}", pages[0]));
        }
    }
    // Signed out: the sign-in page and its error.
    h.client.set_window_size(1280, 900).await.unwrap();
    h.open("/").await;
    h.find("[data-testid='user-menu'] button")
        .await
        .click()
        .await
        .unwrap();
    h.wait_for_path(|p| p.starts_with("/prihlaseni")).await;
    for v in violations(&h, &axe).await {
        found.push(format!("signed out /prihlaseni: {v}"));
    }
    h.sign_in_expect_error("admin@demo.cz", "not-the-password")
        .await;
    for v in violations(&h, &axe).await {
        found.push(format!("signed out /prihlaseni with an error: {v}"));
    }
    assert!(checked >= 4 * 2 * 19, "every page was checked ({checked})");
    assert!(
        found.is_empty(),
        "{} WCAG 2.1 A/AA violations:\n{}",
        found.len(),
        found.join("\n")
    );
    h.close().await;
}
