//! The e-mail outbox: notifications go out by e-mail to users who did not
//! turn that off.
//!
//! Notifications are written in the database together with the event that
//! causes them; this loop picks up the ones not yet handled and sends them
//! with `lettre`, through:
//!
//! * SMTP, when `WV_SMTP_URL` is set (`smtps://user:pass@host:465`, or
//!   `smtp://host:587?tls=required`; see lettre's `from_url`);
//! * otherwise `.eml` files in `WV_MAIL_DIR`, when set (development, tests);
//! * otherwise the log: the mail is written as a log line and counted as
//!   handled, so a demo without a mail server loses nothing it needs.
//!
//! A mail that fails to send stays in the outbox and is tried again on the
//! next round. Single mails that are not notifications (a password-reset
//! link, whose secret is never stored) go out at once through [`Direct`],
//! in the background, by the same transport. With several instances two may pick up the same mail at the
//! same moment; a duplicate mail is acceptable, a lost one is not.

use app::db::notifications::{mark_emailed, outbox, Outgoing};
use app::db::Db;
use lettre::message::{header::ContentType, Mailbox};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::PathBuf;
use std::time::Duration;

/// How mail is sent (see the module docs).
#[derive(Debug, Clone, Default)]
pub struct MailConfig {
    /// `WV_SMTP_URL`.
    pub smtp_url: Option<String>,
    /// `WV_MAIL_DIR`.
    pub dir: Option<PathBuf>,
    /// `WV_MAIL_FROM` (default `Wijkverhalen <noreply@wijkverhalen.invalid>`).
    pub from: Option<String>,
}

impl MailConfig {
    /// Reads the mail settings from the environment.
    pub fn from_env() -> MailConfig {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        MailConfig {
            smtp_url: var("WV_SMTP_URL"),
            dir: var("WV_MAIL_DIR").map(PathBuf::from),
            from: var("WV_MAIL_FROM"),
        }
    }
}

/// Where mail goes.
pub enum Mailer {
    /// A real SMTP server.
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// `.eml` files in a directory.
    Files(AsyncFileTransport<Tokio1Executor>),
    /// The log.
    Log,
}

impl Mailer {
    /// The mailer the configuration asks for.
    pub fn new(config: &MailConfig) -> Result<Mailer, String> {
        if let Some(url) = &config.smtp_url {
            let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                .map_err(|e| format!("WV_SMTP_URL: {e}"))?
                .build();
            return Ok(Mailer::Smtp(transport));
        }
        if let Some(dir) = &config.dir {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("WV_MAIL_DIR {}: {e}", dir.display()))?;
            return Ok(Mailer::Files(AsyncFileTransport::new(dir)));
        }
        Ok(Mailer::Log)
    }
}

/// Builds the mail for one notification (Dutch, with the English below it).
pub fn compose(from: &Mailbox, public_url: &str, n: &Outgoing) -> Result<Message, String> {
    let to: Mailbox = format!("{} <{}>", n.name.replace(['<', '>', '"'], ""), n.email)
        .parse()
        .map_err(|e| format!("address {}: {e}", n.email))?;
    let link = n
        .story
        .map(|s| {
            format!(
                "{}{}",
                public_url.trim_end_matches('/'),
                app::routes::story(s)
            )
        })
        .unwrap_or_else(|| {
            format!(
                "{}{}",
                public_url.trim_end_matches('/'),
                app::routes::NOTIFICATIONS
            )
        });
    let body = format!(
        "{nl}\n\n{link}\n\n— Wijkverhalen\n\nU krijgt deze e-mail omdat meldingen per e-mail aan staan. \
         Uitzetten kan op {settings}.\n\n---\n{en}\n",
        nl = n.message.nl,
        en = n.message.en,
        settings = format_args!("{}{}", public_url.trim_end_matches('/'), app::routes::NOTIFICATIONS),
    );
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(format!("Wijkverhalen: {}", n.message.nl))
        .header(ContentType::TEXT_PLAIN)
        .body(body)
        .map_err(|e| format!("building mail: {e}"))
}

/// Sends what is waiting in the outbox; returns how many mails went out.
pub async fn deliver_pending(
    db: &Db,
    mailer: &Mailer,
    from: &Mailbox,
    public_url: &str,
) -> Result<usize, String> {
    let mut conn = db.pool.acquire().await.map_err(|e| e.to_string())?;
    let waiting = outbox(&mut conn, 50).await.map_err(|e| format!("{e:?}"))?;
    let mut sent = 0;
    for n in waiting {
        let delivered = match compose(from, public_url, &n) {
            Err(e) => {
                // An address that cannot be written will not get better.
                tracing::warn!("notification {} not mailed: {e}", n.id);
                true
            }
            Ok(mail) => match mailer {
                Mailer::Smtp(t) => t.send(mail).await.map(|_| ()).map_err(|e| e.to_string()),
                Mailer::Files(t) => t.send(mail).await.map(|_| ()).map_err(|e| e.to_string()),
                Mailer::Log => {
                    tracing::info!(
                        "mail (geen SMTP ingesteld) aan {}: {}",
                        n.email,
                        n.message.nl
                    );
                    Ok(())
                }
            }
            .map_err(|e| tracing::warn!("mail to {} failed, will retry: {e}", n.email))
            .is_ok(),
        };
        if delivered {
            mark_emailed(&mut conn, &n.id)
                .await
                .map_err(|e| format!("{e:?}"))?;
            sent += 1;
        }
    }
    Ok(sent)
}

/// Runs the outbox every few seconds, for the life of the server.
pub fn spawn(db: Db, config: &MailConfig, public_url: String) -> Result<(), String> {
    let mailer = Mailer::new(config)?;
    let from = sender(config)?;
    tokio::spawn(async move {
        loop {
            if let Err(e) = deliver_pending(&db, &mailer, &from, &public_url).await {
                tracing::warn!("mail outbox: {e}");
            }
            tokio::time::sleep(Duration::from_secs(5)).await;
        }
    });
    Ok(())
}

/// Sends single mails (not notifications) in the background, through the
/// configured transport: [`app::state::SendMail`] for the server functions.
#[derive(Clone)]
pub struct Direct {
    mailer: std::sync::Arc<Mailer>,
    from: Mailbox,
}

impl std::fmt::Debug for Direct {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Direct").field("from", &self.from).finish()
    }
}

impl Direct {
    /// The sender the configuration asks for.
    pub fn new(config: &MailConfig) -> Result<Direct, String> {
        Ok(Direct {
            mailer: std::sync::Arc::new(Mailer::new(config)?),
            from: sender(config)?,
        })
    }
}

fn sender(config: &MailConfig) -> Result<Mailbox, String> {
    config
        .from
        .as_deref()
        .unwrap_or("Wijkverhalen <noreply@wijkverhalen.invalid>")
        .parse()
        .map_err(|e| format!("WV_MAIL_FROM: {e}"))
}

impl app::state::SendMail for Direct {
    fn send(&self, mail: app::state::OutgoingMail) {
        let this = self.clone();
        tokio::spawn(async move {
            let to: Result<Mailbox, _> = mail.to.parse();
            let message = to.map_err(|e| e.to_string()).and_then(|to| {
                Message::builder()
                    .from(this.from.clone())
                    .to(to)
                    .subject(mail.subject.clone())
                    .header(ContentType::TEXT_PLAIN)
                    .body(mail.body.clone())
                    .map_err(|e| e.to_string())
            });
            let message = match message {
                Ok(m) => m,
                Err(e) => return tracing::warn!("mail to {} not built: {e}", mail.to),
            };
            // Three tries, a little apart: a reset link is wanted now.
            for attempt in 1..=3 {
                let result = match &*this.mailer {
                    Mailer::Smtp(t) => t
                        .send(message.clone())
                        .await
                        .map(|_| ())
                        .map_err(|e| e.to_string()),
                    Mailer::Files(t) => t
                        .send(message.clone())
                        .await
                        .map(|_| ())
                        .map_err(|e| e.to_string()),
                    Mailer::Log => {
                        tracing::info!(
                            "mail (geen SMTP ingesteld) aan {}: {}\n{}",
                            mail.to,
                            mail.subject,
                            mail.body
                        );
                        Ok(())
                    }
                };
                match result {
                    Ok(()) => return,
                    Err(e) => tracing::warn!("mail to {} failed (attempt {attempt}): {e}", mail.to),
                }
                tokio::time::sleep(Duration::from_secs(2 * attempt)).await;
            }
        });
    }
}
