//! The `newsletter_signup` job: applies a sign-up (one subscription per list) and, under the
//! caps, emails the address a confirmation link, or a "you're already subscribed" note when every
//! list it asked for is confirmed already. Nothing about the address's state reaches the browser
//! (see `crate::newsletter`). Both emails carry `List-Unsubscribe` (https) and
//! `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058).

use maud::{html, Markup, DOCTYPE};

use super::{messages::Written, JobError, MailError, Notifier};
use crate::http::pages::Lang;
use crate::newsletter::{listmonk, tokens, CONFIRM_PATH, UNSUBSCRIBE_PATH};
use crate::store::{email_key, ClaimedJob, Reserved};

impl Notifier {
    /// `newsletter_forward`: the confirmed subscriptions of a request, to listmonk.
    pub(super) async fn newsletter_forward(&self, job: &ClaimedJob) -> Result<String, JobError> {
        let settings = &self.settings;
        let (Some(url), Some(user), Some(token)) = (
            settings.listmonk_url.as_deref(),
            settings.listmonk_user.as_deref(),
            settings.listmonk_token.as_ref(),
        ) else {
            return Ok("listmonk not configured".into());
        };
        let subscribers: Vec<_> = self
            .store
            .subscribers_of_request(&job.subject)
            .await?
            .into_iter()
            .filter(|sub| sub.status == "confirmed")
            .collect();
        let Some(body) = listmonk::subscriber_body(&subscribers, &settings.listmonk_lists) else {
            return Ok("nothing confirmed to forward".into());
        };
        let temporary = |detail: String| JobError::Mail(MailError::Temporary { detail });
        let client = reqwest::Client::builder()
            .connect_timeout(std::time::Duration::from_secs(10))
            .timeout(std::time::Duration::from_secs(30))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|err| temporary(format!("listmonk client: {err}")))?;
        let response = client
            .post(format!("{url}/api/subscribers"))
            .header("authorization", format!("token {user}:{}", token.expose()))
            .json(&body)
            .send()
            .await
            // The error names the host, never the token or the address.
            .map_err(|err| temporary(format!("listmonk: {}", err.without_url())))?;
        let status = response.status();
        if status.is_success() {
            Ok("forwarded to listmonk".into())
        } else if status.as_u16() == 409 {
            Ok("listmonk has this address already".into())
        } else if status.is_server_error() || status.as_u16() == 429 {
            Err(temporary(format!("listmonk answered {status}")))
        } else {
            Err(JobError::Mail(MailError::Permanent {
                detail: format!("listmonk answered {status}"),
            }))
        }
    }

    pub(super) async fn newsletter_signup(&self, job: &ClaimedJob) -> Result<String, JobError> {
        let Some(request) = self.store.signup_request(&job.subject).await? else {
            return Ok("sign-up gone".into());
        };
        if request.status != "pending_confirmation" && request.status != "confirmed" {
            return Ok(format!("sign-up is {}: no email", request.status));
        }
        let now = crate::now_ms();
        let applied = self.store.apply_signup(&request, now).await?;
        let lang = Lang::from_tag(&request.language);
        let company = self
            .site(&request.site_id)
            .and_then(|site| site.company.clone())
            .unwrap_or_else(|| lang.pick("this website", "ce site").to_owned());
        let unsubscribe = format!(
            "{}{UNSUBSCRIBE_PATH}?t={}",
            self.public_url,
            tokens::unsubscribe(&self.links, &request.site_id, &email_key(&request.email))
        );
        let (kind, cap_kind, written) = if applied.pending.is_empty() {
            (
                "newsletter_already",
                "already",
                already(lang, &company, &unsubscribe),
            )
        } else {
            let expires = now / 1000 + crate::store::PENDING_DAYS * 86_400;
            let confirm = format!(
                "{}{CONFIRM_PATH}?t={}",
                self.public_url,
                tokens::confirm(&self.links, &request.id, expires)
            );
            (
                "newsletter_confirm",
                "confirm",
                confirmation(
                    lang,
                    &company,
                    request.first_name.as_deref(),
                    &confirm,
                    &unsubscribe,
                ),
            )
        };
        match self
            .store
            .reserve_newsletter_mail(&request.email, cap_kind, &request.id, now)
            .await?
        {
            Reserved::Capped => return Ok(format!("{kind}: capped, no email")),
            Reserved::Go => {}
        }
        let event = format!("newsletter:{}", request.id);
        self.deliver_with(
            job,
            &event,
            kind,
            &request.email,
            written,
            Some(unsubscribe),
        )
        .await
    }
}

fn page(lang: Lang, title: &str, body: Markup) -> String {
    html! {
        (DOCTYPE)
        html lang=(lang.tag()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
            }
            body style="margin:0;padding:24px;background:#f4f6f8;color:#1d232b;font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif" {
                div style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:24px;border-top:4px solid #1f5fbf" {
                    (body)
                }
            }
        }
    }
    .into_string()
}

fn colon(lang: Lang) -> &'static str {
    lang.pick(": ", "\u{a0}: ")
}

/// "Please confirm": the link to the confirmation page.
pub fn confirmation(
    lang: Lang,
    company: &str,
    first_name: Option<&str>,
    confirm: &str,
    unsubscribe: &str,
) -> Written {
    let subject = match lang {
        Lang::En => format!("Please confirm your subscription to {company}'s newsletter"),
        Lang::FrCa => format!("Veuillez confirmer votre abonnement à l'infolettre de {company}"),
    };
    let hello = match (lang, first_name) {
        (Lang::En, Some(name)) => format!("Hello {name},"),
        (Lang::En, None) => "Hello,".to_owned(),
        (Lang::FrCa, Some(name)) => format!("Bonjour {name},"),
        (Lang::FrCa, None) => "Bonjour,".to_owned(),
    };
    let body = match lang {
        Lang::En => format!(
            "Someone, probably you, asked to receive {company}'s newsletter at this address. To confirm, open the link below and press the button."
        ),
        Lang::FrCa => format!(
            "Quelqu'un, sans doute vous, a demandé à recevoir l'infolettre de {company} à cette adresse. Pour confirmer, ouvrez le lien ci-dessous et appuyez sur le bouton."
        ),
    };
    let not_you = lang.pick(
        "If it wasn't you, ignore this email: nothing more will be sent without a confirmation, and the request is deleted after 30 days.",
        "Si ce n'était pas vous, ignorez ce courriel : rien d'autre ne sera envoyé sans confirmation, et la demande sera supprimée après 30 jours.",
    );
    let (confirm_label, unsubscribe_label) = (
        lang.pick("Confirm", "Confirmer"),
        lang.pick("Unsubscribe", "Se désabonner"),
    );
    let text = format!(
        "{hello}\n\n{body}\n\n{confirm_label}{c}{confirm}\n\n{not_you}\n\n{unsubscribe_label}{c}{unsubscribe}\n",
        c = colon(lang)
    );
    let html = page(
        lang,
        &subject,
        html! {
            p { (hello) }
            p { (body) }
            p { a href=(confirm) style="display:inline-block;background:#1f5fbf;color:#ffffff;padding:10px 18px;border-radius:6px;text-decoration:none;font-weight:600" { (confirm_label) } }
            p style="color:#4e5966;font-size:14px" { (not_you) }
            p style="color:#4e5966;font-size:14px" { a href=(unsubscribe) { (unsubscribe_label) } }
        },
    );
    Written {
        language: lang.tag(),
        subject,
        text,
        html,
    }
}

/// "You're already subscribed": to an address confirmed on every list it asked for again.
pub fn already(lang: Lang, company: &str, unsubscribe: &str) -> Written {
    let subject = match lang {
        Lang::En => format!("You're already subscribed to {company}'s newsletter"),
        Lang::FrCa => format!("Vous êtes déjà abonné à l'infolettre de {company}"),
    };
    let body = match lang {
        Lang::En => format!(
            "Someone, probably you, asked again to receive {company}'s newsletter at this address. You are already subscribed: there is nothing to do."
        ),
        Lang::FrCa => format!(
            "Quelqu'un, sans doute vous, a demandé de nouveau à recevoir l'infolettre de {company} à cette adresse. Vous êtes déjà abonné : il n'y a rien à faire."
        ),
    };
    let unsubscribe_label = lang.pick("Unsubscribe", "Se désabonner");
    let hello = lang.pick("Hello,", "Bonjour,");
    let text = format!(
        "{hello}\n\n{body}\n\n{unsubscribe_label}{}{unsubscribe}\n",
        colon(lang)
    );
    let html = page(
        lang,
        &subject,
        html! {
            p { (hello) }
            p { (body) }
            p style="color:#4e5966;font-size:14px" { a href=(unsubscribe) { (unsubscribe_label) } }
        },
    );
    Written {
        language: lang.tag(),
        subject,
        text,
        html,
    }
}
