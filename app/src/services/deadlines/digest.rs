//! The daily e-mail digest of deadlines: to every active user who has not opted out (in `/ucet`), what
//! is overdue and what is coming within the horizon on their projects, sent through SMTP when `SMTP_URL`
//! is set. At most one digest per user and day, however many servers run: the day is claimed first by
//! one conditional INSERT into `deadline_digest` (its primary key is user + day), and only the process
//! whose insert took the row sends; a failed send gives the day back so that a later run tries again.
//! The server's background task and `tracker deadlines digest --today` both call [`send_digests`].

use super::ServiceError;
use crate::domain::words::nouns::DEADLINE;
use crate::domain::{format_czech_date, plural_len, DeadlineState};
use crate::dto::deadlines::DeadlineRow;
use crate::services::auth::viewer;
use chrono::{NaiveDate, Utc};
use entity::{app_user, deadline_digest, digest_opt_out};
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Body, Mailbox};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use std::collections::BTreeSet;

/// Where digests go out: the SMTP server, the sender and the app's address for links.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    base: String,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer")
            .field("from", &self.from.to_string())
            .field("base", &self.base)
            .finish_non_exhaustive()
    }
}

impl Mailer {
    /// A mailer for `smtp_url` (`smtp://host:port` plain, `smtp://…?tls=required` with STARTTLS,
    /// `smtps://…`, with `user:password@` when the server wants it), sending as `from`, linking to `base`.
    ///
    /// # Errors
    /// A message saying which value is wrong.
    pub fn new(smtp_url: &str, from: &str, base: &str) -> Result<Self, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp_url)
            .map_err(|e| format!("SMTP_URL is not a usable SMTP address: {e}"))?
            .build();
        let from = from
            .parse()
            .map_err(|e| format!("SMTP_FROM is not an e-mail address: {e}"))?;
        Ok(Self {
            transport,
            from,
            base: base.trim_end_matches('/').to_owned(),
        })
    }

    async fn send(&self, to: &str, subject: &str, body: String) -> Result<(), String> {
        let to: Mailbox = to.parse().map_err(|e| format!("recipient: {e}"))?;
        // Readable as it is (8bit) when every line is short enough, else quoted-printable.
        let body = Body::new_with_encoding(body, ContentTransferEncoding::EightBit)
            .unwrap_or_else(Body::new);
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|e| format!("message: {e}"))?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| format!("SMTP: {e}"))
    }
}

/// What a run of the digest did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DigestReport {
    /// Digests sent.
    pub sent: u32,
    /// Users with nothing due, or whose digest of the day was already claimed.
    pub skipped: u32,
    /// Digests that could not be sent (their day was given back).
    pub failed: u32,
}

/// The digest's subject and text for `rows` (overdue and coming deadlines) on `today`; `None` when
/// nothing needs attention.
#[must_use]
pub fn compose(
    rows: &[&DeadlineRow],
    today: NaiveDate,
    horizon_days: u32,
    base: &str,
) -> Option<(String, String)> {
    let overdue: Vec<&&DeadlineRow> = rows
        .iter()
        .filter(|r| r.state == DeadlineState::Overdue)
        .collect();
    let soon: Vec<&&DeadlineRow> = rows
        .iter()
        .filter(|r| r.state == DeadlineState::Soon)
        .collect();
    if overdue.is_empty() && soon.is_empty() {
        return None;
    }
    let subject = format!(
        "Termíny ESF+ k {}: {} po termínu, {} do {horizon_days} dní",
        format_czech_date(today),
        plural_len(overdue.len(), DEADLINE),
        plural_len(soon.len(), DEADLINE),
    );
    let mut body = format!(
        "Dobrý den,\n\npřehled termínů vašich projektů k {}.\n",
        format_czech_date(today)
    );
    for (heading, list) in [
        ("Po termínu", &overdue),
        (&*format!("Blíží se (do {horizon_days} dní)"), &soon),
    ] {
        if list.is_empty() {
            continue;
        }
        body.push_str(&format!(
            "\n{heading}: {}\n",
            plural_len(list.len(), DEADLINE)
        ));
        for r in list.iter() {
            // Short lines, so that the message travels as plain 8bit text.
            body.push_str(&format!(
                "- {}: {} ({})\n  {}\n  {base}{}\n",
                format_czech_date(r.due),
                r.title,
                crate::domain::deadlines::days_from_today(r.due, today),
                r.project_label(),
                r.href
            ));
        }
    }
    body.push_str(&format!(
        "\nVšechny termíny: {base}/terminy\nSouhrn posíláme jednou denně.\nVypnout ho můžete na {base}/ucet\n"
    ));
    Some((subject, body))
}

/// Claims `day`'s digest for `user_id`: true when this call inserted the claim (nobody had it).
async fn claim(
    db: &impl ConnectionTrait,
    user_id: i32,
    day: NaiveDate,
) -> Result<bool, ServiceError> {
    let inserted = deadline_digest::Entity::insert(deadline_digest::ActiveModel {
        user_id: Set(user_id),
        day: Set(day),
        claimed_at: Set(Utc::now()),
    })
    .on_conflict(
        OnConflict::columns([
            deadline_digest::Column::UserId,
            deadline_digest::Column::Day,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(inserted == 1)
}

/// Sends `today`'s digest to every active user who has not opted out and has something overdue or
/// coming on the projects they may read; at most once per user and day.
///
/// # Errors
/// Database errors (a failed send is counted, logged and retried by a later run).
#[tracing::instrument(skip(db, mailer))]
pub async fn send_digests(
    db: &impl ConnectionTrait,
    mailer: &Mailer,
    today: NaiveDate,
) -> Result<DigestReport, ServiceError> {
    let (rows, rules) = super::all(db, None, today).await?;
    let opted_out: BTreeSet<i32> = digest_opt_out::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|o| o.user_id)
        .collect();
    let users = app_user::Entity::find()
        .filter(app_user::Column::Active.eq(true))
        .order_by_asc(app_user::Column::Id)
        .all(db)
        .await?;
    let mut report = DigestReport::default();
    for user in users.iter().filter(|u| !opted_out.contains(&u.id)) {
        let Some(v) = viewer(db, user.id).await? else {
            continue;
        };
        let mine: Vec<&DeadlineRow> = rows
            .iter()
            .filter(|r| v.sees_all() || v.projects.contains(&r.project_id))
            .collect();
        let Some((subject, body)) = compose(&mine, today, rules.horizon_days, &mailer.base) else {
            report.skipped += 1;
            continue;
        };
        if !claim(db, user.id, today).await? {
            report.skipped += 1;
            continue;
        }
        match mailer.send(&user.email, &subject, body).await {
            Ok(()) => report.sent += 1,
            Err(e) => {
                tracing::warn!(user = user.id, error = %e, "deadline digest not sent");
                deadline_digest::Entity::delete_many()
                    .filter(deadline_digest::Column::UserId.eq(user.id))
                    .filter(deadline_digest::Column::Day.eq(today))
                    .exec(db)
                    .await?;
                report.failed += 1;
            }
        }
    }
    Ok(report)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::domain::DeadlineKind;

    fn row(state: DeadlineState, due: NaiveDate) -> DeadlineRow {
        DeadlineRow {
            project_id: 1,
            acronym: Some("NOE".into()),
            registration_number: "CZ.03.01.01/00/22_015/0002653".into(),
            project_name: "Nová etapa".into(),
            kind: DeadlineKind::Report,
            title: "ZoR 2".into(),
            due,
            state,
            href: "/projekty/1/obdobi/2".into(),
            uid: "zor-1-2@evidence-esf".into(),
        }
    }

    #[test]
    fn a_digest_lists_overdue_and_coming_in_czech() {
        let today = NaiveDate::from_ymd_opt(2026, 7, 1).unwrap();
        let late = row(
            DeadlineState::Overdue,
            NaiveDate::from_ymd_opt(2026, 6, 29).unwrap(),
        );
        let soon = row(
            DeadlineState::Soon,
            NaiveDate::from_ymd_opt(2026, 7, 30).unwrap(),
        );
        let (subject, body) = compose(&[&late, &soon], today, 60, "http://h").unwrap();
        assert_eq!(
            subject,
            "Termíny ESF+ k 1. 7. 2026: 1\u{a0}termín po termínu, 1\u{a0}termín do 60 dní"
        );
        assert!(body.contains("Po termínu: 1\u{a0}termín\n- 29. 6. 2026: ZoR 2 (před 2\u{a0}dny)\n  NOE · CZ.03.01.01/00/22_015/0002653\n  http://h/projekty/1/obdobi/2\n"), "{body}");
        assert!(
            body.contains(
                "Blíží se (do 60 dní): 1\u{a0}termín\n- 30. 7. 2026: ZoR 2 (za 29\u{a0}dní)"
            ),
            "{body}"
        );
        assert!(body.lines().all(|l| l.len() < 76), "short lines: {body}");
        assert!(compose(&[&row(DeadlineState::Done, today)], today, 60, "http://h").is_none());
    }
}
