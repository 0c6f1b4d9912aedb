//! The SMTP adapter (lettre on tokio): `smtps://` is TLS from the first byte (port 465),
//! `smtp://…?tls=starttls` (or lettre's `tls=required`) upgrades with STARTTLS (port 587),
//! `tls=opportunistic` upgrades when offered, and plain `smtp://` sends in the clear: for a
//! relay on the same machine, or the tests' loopback server.

use std::time::Duration;

use lettre::transport::smtp::AsyncSmtpTransport;
use lettre::{AsyncTransport, Tokio1Executor};

use super::mailer::{Mail, MailError, Mailer, Sending};

/// How long one SMTP exchange may take; far below the job lease (see `crate::jobs`).
const TIMEOUT: Duration = Duration::from_secs(30);

pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    /// `host:port`, for the log.
    server: String,
}

impl SmtpMailer {
    pub fn new(url: &str) -> Result<SmtpMailer, MailError> {
        let url = url.replace("tls=starttls", "tls=required");
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&url)
            .map_err(|err| MailError::Config {
                detail: format!("smtp_url: {err}"),
            })?
            .timeout(Some(TIMEOUT))
            .build();
        let server = url
            .split_once("://")
            .map(|(_, rest)| rest)
            .unwrap_or("")
            .rsplit('@')
            .next()
            .unwrap_or("")
            .split(['?', '/'])
            .next()
            .unwrap_or("")
            .to_owned();
        Ok(SmtpMailer { transport, server })
    }
}

impl Mailer for SmtpMailer {
    fn send<'a>(&'a self, mail: &'a Mail) -> Sending<'a> {
        Box::pin(async move {
            let message = mail.message()?;
            self.transport
                .send(message)
                .await
                .map(|_| ())
                .map_err(|err| {
                    // A reply's text can quote the recipient: keep only its code.
                    let detail = match err.status() {
                        Some(code) => format!("smtp reply {code}"),
                        None if err.is_timeout() => "smtp timeout".to_owned(),
                        None => format!("smtp: {err}"),
                    };
                    if err.is_permanent() {
                        MailError::Permanent { detail }
                    } else {
                        MailError::Temporary { detail }
                    }
                })
        })
    }

    fn describe(&self) -> String {
        format!("smtp {}", self.server)
    }
}
