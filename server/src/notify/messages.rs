//! What the emails say, in English and Canadian French: the subject, a text part and an HTML
//! part (escaped by maud; inline styles only, as mail programs drop stylesheets).
//!
//! Four messages: the manager's "a visitor thanked NAME" (with Approve / Reject while the praise
//! waits), the employee's "a visitor thanked you", the visitor's "we passed it on", and the weekly
//! digest. They say who, where, when and the story; never the visitor's address, and the visitor's
//! name only to the visitor.

use maud::{html, Markup, DOCTYPE};

use crate::http::pages::Lang;
use crate::store::StoredPraise;

/// A message's three texts.
#[derive(Debug, Clone)]
pub struct Written {
    /// The BCP 47 tag of the language it is written in.
    pub language: &'static str,
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// The Approve and Reject addresses of one praise, and until when they work.
#[derive(Debug, Clone)]
pub struct Decision {
    pub approve: String,
    pub reject: String,
    /// `YYYY-MM-DD`.
    pub until: String,
}

/// One praise as a message shows it.
#[derive(Debug, Clone)]
pub struct Story<'a> {
    pub praise: &'a StoredPraise,
    /// The roster name, else the name or description the visitor gave.
    pub staff: String,
    pub decision: Option<Decision>,
}

impl Story<'_> {
    fn role(&self) -> Option<&str> {
        self.praise.staff_role.as_deref()
    }

    fn when(&self, lang: Lang) -> Option<String> {
        let part = self.praise.part_of_day.as_deref().map(|part| match part {
            "morning" => lang.pick("morning", "matin"),
            "afternoon" => lang.pick("afternoon", "après-midi"),
            _ => lang.pick("evening", "soir"),
        });
        match (self.praise.occurred_on.as_deref(), part) {
            (Some(day), Some(part)) => Some(format!("{day}, {part}")),
            (Some(day), None) => Some(day.to_owned()),
            (None, Some(part)) => Some(part.to_owned()),
            (None, None) => None,
        }
    }

    fn tags(&self, lang: Lang) -> Option<String> {
        let labels: Vec<&str> = self
            .praise
            .tags
            .iter()
            .map(|tag| tag_label(tag, lang))
            .collect();
        (!labels.is_empty()).then(|| labels.join(", "))
    }

    /// "Who / Where / When" lines as (label, value).
    fn facts(&self, lang: Lang) -> Vec<(&'static str, String)> {
        let mut facts = vec![(
            lang.pick("Who", "Qui"),
            match self.role() {
                Some(role) => format!("{} ({role})", self.staff),
                None => self.staff.clone(),
            },
        )];
        if let Some(location) = &self.praise.location {
            facts.push((lang.pick("Where", "Où"), location.clone()));
        }
        if let Some(when) = self.when(lang) {
            facts.push((lang.pick("When", "Quand"), when));
        }
        if let Some(tags) = self.tags(lang) {
            facts.push((
                lang.pick("Little BIG things", "Petits gestes, GRAND effet"),
                tags,
            ));
        }
        facts
    }
}

/// The built-in tags' labels (the widget's own wording); other tags as they were given.
fn tag_label(tag: &str, lang: Lang) -> &str {
    match tag {
        "took_initiative" => lang.pick("Took initiative", "A pris l'initiative"),
        "went_extra_mile" => lang.pick("Went the extra mile", "En a fait plus que demandé"),
        "owned_the_problem" => lang.pick("Owned the problem", "A pris le problème en main"),
        "genuine_warmth" => lang.pick("Genuine warmth", "Chaleur sincère"),
        "thought_ahead" => lang.pick("Thought one step ahead", "A pensé un pas en avant"),
        other => other,
    }
}

/// A label's colon: French puts a (no-break) space before it.
fn colon(lang: Lang) -> &'static str {
    lang.pick(": ", "\u{a0}: ")
}

/// French typography: « story ».
fn quoted(story: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!("\u{201c}{story}\u{201d}"),
        Lang::FrCa => format!("\u{ab}\u{a0}{story}\u{a0}\u{bb}"),
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

fn story_html(story: &Story<'_>, lang: Lang) -> Markup {
    html! {
        blockquote style="margin:16px 0;padding:12px 16px;background:#f4f6f8;border-left:4px solid #1f5fbf;font-size:18px" {
            (quoted(&story.praise.story, lang))
        }
        table role="presentation" style="border-collapse:collapse;margin:8px 0 16px" {
            @for (label, value) in story.facts(lang) {
                tr {
                    td style="padding:2px 12px 2px 0;color:#4e5966;vertical-align:top" { (label) }
                    td style="padding:2px 0" { (value) }
                }
            }
        }
    }
}

fn story_text(out: &mut String, story: &Story<'_>, lang: Lang) {
    out.push_str(&quoted(&story.praise.story, lang));
    out.push_str("\n\n");
    for (label, value) in story.facts(lang) {
        out.push_str(&format!("{label}{}{value}\n", colon(lang)));
    }
}

fn decision_html(decision: &Decision, lang: Lang) -> Markup {
    let button = "display:inline-block;padding:10px 20px;border-radius:8px;text-decoration:none;font-weight:600;margin:0 8px 8px 0";
    html! {
        p {
            a href=(decision.approve) style=(format!("{button};background:#1f5fbf;color:#ffffff")) {
                (lang.pick("Approve", "Approuver"))
            }
            a href=(decision.reject) style=(format!("{button};background:#ffffff;color:#1f5fbf;border:2px solid #1f5fbf")) {
                (lang.pick("Reject", "Refuser"))
            }
        }
        p style="color:#4e5966;font-size:14px" { (decision_note(decision, lang)) }
    }
}

fn decision_text(out: &mut String, decision: &Decision, lang: Lang) {
    out.push_str(&format!(
        "{}{colon}{}\n{}{colon}{}\n{}\n",
        lang.pick("Approve", "Approuver"),
        decision.approve,
        lang.pick("Reject", "Refuser"),
        decision.reject,
        decision_note(decision, lang),
        colon = colon(lang),
    ));
}

fn decision_note(decision: &Decision, lang: Lang) -> String {
    match lang {
        Lang::En => format!(
            "Each link opens a page with one button; the first decision counts. They work until {}.",
            decision.until
        ),
        Lang::FrCa => format!(
            "Chaque lien ouvre une page avec un seul bouton; la première décision compte. Ils sont valides jusqu'au {}.",
            decision.until
        ),
    }
}

/// New praise → the staff member's manager (or the site's default recipient).
pub fn manager(lang: Lang, story: &Story<'_>) -> Written {
    let subject = match lang {
        Lang::En => format!("A visitor thanked {}", story.staff),
        Lang::FrCa => format!("Des remerciements pour {}", story.staff),
    };
    let intro = match lang {
        Lang::En => format!(
            "Good news: a visitor took the time to thank {}.",
            story.staff
        ),
        Lang::FrCa => format!(
            "Bonne nouvelle : une personne a pris le temps de remercier {}.",
            story.staff
        ),
    };
    let ask = match (&story.decision, story.praise.status.as_str()) {
        (Some(_), _) => lang.pick(
            "It waits for your decision before it can appear on the wall.",
            "Ce message attend votre décision avant de pouvoir paraître sur le mur.",
        ),
        (None, "approved") => lang.pick("It is already approved.", "Ce message est déjà approuvé."),
        (None, _) => lang.pick(
            "It has already been decided on.",
            "Une décision a déjà été prise.",
        ),
    };
    let pass_on = lang.pick(
        "Passing it on makes a day: a word at the next team meeting goes a long way.",
        "Le transmettre fait des heureux : un mot à la prochaine réunion d'équipe compte beaucoup.",
    );
    let mut text = format!("{intro}\n\n");
    story_text(&mut text, story, lang);
    text.push_str(&format!("\n{ask}\n"));
    if let Some(decision) = &story.decision {
        decision_text(&mut text, decision, lang);
    }
    text.push_str(&format!("\n{pass_on}\n"));
    let html = page(
        lang,
        &subject,
        html! {
            p { (intro) }
            (story_html(story, lang))
            p { (ask) }
            @if let Some(decision) = &story.decision { (decision_html(decision, lang)) }
            p { (pass_on) }
        },
    );
    Written {
        language: lang.tag(),
        subject,
        text,
        html,
    }
}

/// Approved praise → the employee it is about.
pub fn employee(lang: Lang, story: &Story<'_>, first_name: &str) -> Written {
    let subject = lang
        .pick("A visitor thanked you", "Une personne vous remercie")
        .to_owned();
    let hello = match lang {
        Lang::En => format!("Hi {first_name},"),
        Lang::FrCa => format!("Bonjour {first_name},"),
    };
    let intro = lang.pick(
        "A visitor wrote this about you, and we wanted you to hear it first-hand:",
        "Une personne a écrit ceci à votre sujet, et nous tenions à vous le transmettre :",
    );
    let thanks = lang.pick(
        "Thank you for the little things that make a big difference.",
        "Merci pour ces petits gestes qui font une grande différence.",
    );
    let mut text = format!("{hello}\n\n{intro}\n\n");
    story_text(&mut text, story, lang);
    text.push_str(&format!("\n{thanks}\n"));
    let html = page(
        lang,
        &subject,
        html! {
            p { (hello) }
            p { (intro) }
            (story_html(story, lang))
            p { (thanks) }
        },
    );
    Written {
        language: lang.tag(),
        subject,
        text,
        html,
    }
}

/// Approved praise → the visitor who wrote it (with their contact consent).
pub fn visitor(lang: Lang, story: &Story<'_>) -> Written {
    let subject = match lang {
        Lang::En => format!("We passed your thanks on to {}", story.staff),
        Lang::FrCa => format!("Vos remerciements ont été transmis à {}", story.staff),
    };
    let hello = match (lang, story.praise.visitor_name.as_deref()) {
        (Lang::En, Some(name)) => format!("Hello {name},"),
        (Lang::En, None) => "Hello,".to_owned(),
        (Lang::FrCa, Some(name)) => format!("Bonjour {name},"),
        (Lang::FrCa, None) => "Bonjour,".to_owned(),
    };
    let body = match lang {
        Lang::En => format!(
            "Thank you for taking the time to write about {}. Your words have reached them, and their manager too.",
            story.staff
        ),
        Lang::FrCa => format!(
            "Merci d'avoir pris le temps d'écrire au sujet de {}. Vos mots lui ont été transmis, ainsi qu'à son gestionnaire.",
            story.staff
        ),
    };
    let why = lang.pick(
        "You receive this one message because you asked to be contacted about your note.",
        "Vous recevez ce seul message parce que vous avez accepté d'être contacté au sujet de votre mot.",
    );
    let text = format!("{hello}\n\n{body}\n\n{why}\n");
    let html = page(
        lang,
        &subject,
        html! {
            p { (hello) }
            p { (body) }
            p style="color:#4e5966;font-size:14px" { (why) }
        },
    );
    Written {
        language: lang.tag(),
        subject,
        text,
        html,
    }
}

/// A week's praise for one manager's team.
pub fn digest(lang: Lang, week: &str, stories: &[Story<'_>]) -> Written {
    let count = stories.len();
    let subject = match (lang, count) {
        (Lang::En, 1) => format!("Your team's praise, week of {week}: 1 note"),
        (Lang::En, n) => format!("Your team's praise, week of {week}: {n} notes"),
        (Lang::FrCa, 1) => {
            format!("Les remerciements pour votre équipe, semaine du {week} : 1 mot")
        }
        (Lang::FrCa, n) => {
            format!("Les remerciements pour votre équipe, semaine du {week} : {n} mots")
        }
    };
    let intro = lang.pick(
        "Here is what visitors said about your team this week.",
        "Voici ce que les visiteurs ont dit de votre équipe cette semaine.",
    );
    let pass_on = lang.pick(
        "Passing it on makes a day: a word at the next team meeting goes a long way.",
        "Le transmettre fait des heureux : un mot à la prochaine réunion d'équipe compte beaucoup.",
    );
    let mut text = format!("{intro}\n");
    for story in stories {
        text.push_str("\n----\n");
        story_text(&mut text, story, lang);
        if let Some(decision) = &story.decision {
            text.push('\n');
            decision_text(&mut text, decision, lang);
        }
    }
    text.push_str(&format!("\n{pass_on}\n"));
    let html = page(
        lang,
        &subject,
        html! {
            p { (intro) }
            @for story in stories {
                hr style="border:0;border-top:1px solid #8a94a1;margin:16px 0";
                (story_html(story, lang))
                @if let Some(decision) = &story.decision { (decision_html(decision, lang)) }
            }
            p { (pass_on) }
        },
    );
    Written {
        language: lang.tag(),
        subject,
        text,
        html,
    }
}
