//! The email port: a [`Mail`] to send, the [`Mailer`] that sends it, and why sending failed.
//!
//! Adapters: `smtp` (lettre, TLS or STARTTLS) and `folder` (one `.eml` file per message, when no
//! SMTP server is configured). Both send the same MIME message, built here: text and HTML
//! alternatives, a stable `Message-ID` per (event, recipient) so a receiver can drop the copy a
//! crash may cause (see `crate::jobs`).

use std::future::Future;
use std::pin::Pin;

use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::Message;

/// One email, ready to send.
#[derive(Debug, Clone)]
pub struct Mail {
    pub from: Mailbox,
    pub to: Mailbox,
    pub subject: String,
    /// `en` or `fr-CA`: the `Content-Language` header.
    pub language: &'static str,
    pub text: String,
    pub html: String,
    /// `<…@…>`, the same for every attempt of this (event, recipient).
    pub message_id: String,
    /// What it is (`manager`, `employee`, `visitor`, `digest`): names the `.eml` file.
    pub kind: &'static str,
    /// The exactly-once key (hex); names the `.eml` file.
    pub key: String,
    /// Newsletter emails: the https unsubscribe address, sent as `List-Unsubscribe` with
    /// `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058).
    pub list_unsubscribe: Option<String>,
}

impl Mail {
    /// The MIME message: `multipart/alternative` with the text first, then the HTML.
    pub fn message(&self) -> Result<Message, MailError> {
        let mut builder = Message::builder();
        if let Some(url) = &self.list_unsubscribe {
            builder = builder
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("List-Unsubscribe"),
                    format!("<{url}>"),
                ))
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                    "List-Unsubscribe=One-Click".to_owned(),
                ));
        }
        builder
            .from(self.from.clone())
            .to(self.to.clone())
            .subject(self.subject.clone())
            .message_id(Some(self.message_id.clone()))
            // Tells mail servers not to answer with vacation replies (RFC 3834).
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("Auto-Submitted"),
                "auto-generated".to_owned(),
            ))
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("Content-Language"),
                self.language.to_owned(),
            ))
            .multipart(
                MultiPart::alternative()
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_PLAIN)
                            .body(self.text.clone()),
                    )
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_HTML)
                            .body(self.html.clone()),
                    ),
            )
            .map_err(|err| MailError::Build {
                detail: err.to_string(),
            })
    }
}

/// Why a message did not go out. `Display` is the short sentence an owner reads (a delivery
/// log); [`MailError::detail`] is for the log and holds no address or text of the message.
#[derive(Debug, Clone, thiserror::Error)]
pub enum MailError {
    /// The mail server could not be reached, or said "try later": the job is retried.
    #[error("the mail server could not take the message now; it will be tried again")]
    Temporary { detail: String },
    /// The mail server refused the message for good (a 5xx reply): retrying would not help.
    #[error("the mail server refused the message")]
    Permanent { detail: String },
    /// The message could not be built (an address the builder refuses).
    #[error("the message could not be written")]
    Build { detail: String },
    /// `smtp_url` or the mail folder is unusable.
    #[error("the mail settings are wrong")]
    Config { detail: String },
}

impl MailError {
    pub fn detail(&self) -> &str {
        match self {
            MailError::Temporary { detail }
            | MailError::Permanent { detail }
            | MailError::Build { detail }
            | MailError::Config { detail } => detail,
        }
    }

    /// Whether another attempt could succeed.
    pub fn is_temporary(&self) -> bool {
        matches!(self, MailError::Temporary { .. } | MailError::Config { .. })
    }
}

/// What sending returns.
pub type Sending<'a> = Pin<Box<dyn Future<Output = Result<(), MailError>> + Send + 'a>>;

/// Sends emails. `Ok` means the message is out of our hands: accepted by the SMTP server, or
/// written to the folder.
pub trait Mailer: Send + Sync {
    fn send<'a>(&'a self, mail: &'a Mail) -> Sending<'a>;
    /// Where mail goes, for the start-up log line (never a password).
    fn describe(&self) -> String;
}
