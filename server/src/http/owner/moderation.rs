//! The moderation queue: tabs pending / approved / rejected / spam; each praise with who, where,
//! when, the story (and the visitor's original when it was corrected), tags, both consents with
//! their versions, and the signals; approve, reject, spam / not spam, feature, fix the text; the
//! same actions on every ticked item at once. Every decision goes through `crate::moderation`.
//!
//! Keyboard shortcuts: `accesskey` on the tabs and the bulk buttons, listed on the page, rather
//! than a script adding j/k/a/r. Access keys work with no JavaScript and no change to the
//! pages' script-free CSP, and because the browser adds its modifier (Alt, Alt+Shift,
//! Ctrl+Option) they never fire while typing or clash with a screen reader's single-letter
//! navigation, which bare-letter shortcuts do (WCAG 2.1.4 would then require a way to turn
//! them off). Tab and Enter reach every action too: each item's buttons sit right after it.

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::response::Response;
use maud::{html, Markup};
use serde::Deserialize;

use super::{encode, format_time, owner_page, see_other, Fields, Owner, OwnerError};
use crate::http::pages::{notice, Lang, NoticeKind};
use crate::http::AppState;
use crate::store::{PraiseStatus, StoredPraise};

/// The most items one tab shows (oldest beyond it wait for the next page load).
const PAGE_SIZE: u32 = 200;
/// The longest corrected story (the contract's limit).
const MAX_STORY_CHARS: usize = 2000;

/// The tabs: the status, its name in the query, its labels, its access key.
const TABS: [(PraiseStatus, &str, &str, &str, &str); 4] = [
    (
        PraiseStatus::PendingModeration,
        "pending",
        "Pending",
        "En attente",
        "1",
    ),
    (
        PraiseStatus::Approved,
        "approved",
        "Approved",
        "Approuvés",
        "2",
    ),
    (
        PraiseStatus::Rejected,
        "rejected",
        "Rejected",
        "Refusés",
        "3",
    ),
    (PraiseStatus::Spam, "spam", "Spam", "Pourriels", "4"),
];

fn tab(name: &str) -> Option<PraiseStatus> {
    TABS.iter()
        .find(|(_, key, ..)| *key == name)
        .map(|(status, ..)| *status)
}

fn tab_name(status: PraiseStatus) -> &'static str {
    TABS.iter()
        .find(|(s, ..)| *s == status)
        .map(|(_, key, ..)| *key)
        .unwrap_or("pending")
}

/// An action on praise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Approve,
    Reject,
    Spam,
    NotSpam,
    Feature,
    Unfeature,
}

impl Action {
    const ALL: [Action; 6] = [
        Action::Approve,
        Action::Reject,
        Action::Spam,
        Action::NotSpam,
        Action::Feature,
        Action::Unfeature,
    ];

    fn key(self) -> &'static str {
        match self {
            Action::Approve => "approve",
            Action::Reject => "reject",
            Action::Spam => "spam",
            Action::NotSpam => "not-spam",
            Action::Feature => "feature",
            Action::Unfeature => "unfeature",
        }
    }

    fn parse(text: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|action| action.key() == text)
    }

    fn label(self, lang: Lang) -> &'static str {
        match self {
            Action::Approve => lang.pick("Approve", "Approuver"),
            Action::Reject => lang.pick("Reject", "Refuser"),
            Action::Spam => lang.pick("Mark as spam", "Marquer comme pourriel"),
            Action::NotSpam => lang.pick("Not spam", "Pas un pourriel"),
            Action::Feature => lang.pick("Feature", "Mettre en vedette"),
            Action::Unfeature => lang.pick("Stop featuring", "Retirer de la vedette"),
        }
    }

    fn done(self, lang: Lang) -> &'static str {
        match self {
            Action::Approve => lang.pick("approved", "approuvé(s)"),
            Action::Reject => lang.pick("rejected", "refusé(s)"),
            Action::Spam => lang.pick("marked as spam", "marqué(s) comme pourriel"),
            Action::NotSpam => lang.pick("back in pending", "remis en attente"),
            Action::Feature => lang.pick("featured", "mis en vedette"),
            Action::Unfeature => lang.pick("no longer featured", "retiré(s) de la vedette"),
        }
    }

    /// The access key of the bulk button (documented on the page).
    fn access_key(self) -> &'static str {
        match self {
            Action::Approve => "a",
            Action::Reject => "r",
            Action::Spam => "s",
            Action::NotSpam => "n",
            Action::Feature => "f",
            Action::Unfeature => "u",
        }
    }

    /// The actions offered in a tab.
    fn for_status(status: PraiseStatus) -> &'static [Action] {
        match status {
            PraiseStatus::PendingModeration => &[Action::Approve, Action::Reject, Action::Spam],
            PraiseStatus::Approved => &[Action::Feature, Action::Unfeature, Action::Reject],
            PraiseStatus::Rejected => &[Action::Approve, Action::Spam],
            PraiseStatus::Spam => &[Action::NotSpam, Action::Reject],
        }
    }

    /// The actions on one item: as its tab's, but only the featuring change that applies.
    fn for_item(status: PraiseStatus, featured: bool) -> Vec<Action> {
        Action::for_status(status)
            .iter()
            .copied()
            .filter(|action| match action {
                Action::Feature => !featured,
                Action::Unfeature => featured,
                _ => true,
            })
            .collect()
    }

    /// Applies the action to one praise through `crate::moderation`; false when there is none.
    async fn apply(self, state: &AppState, id: &str) -> Result<bool, OwnerError> {
        let store = &state.store;
        Ok(match self {
            Action::Approve => {
                crate::moderation::set_status(store, id, PraiseStatus::Approved).await?
            }
            Action::Reject => {
                crate::moderation::set_status(store, id, PraiseStatus::Rejected).await?
            }
            Action::Spam => crate::moderation::set_status(store, id, PraiseStatus::Spam).await?,
            Action::NotSpam => {
                crate::moderation::set_status(store, id, PraiseStatus::PendingModeration).await?
            }
            Action::Feature => crate::moderation::set_featured(store, id, true).await?,
            Action::Unfeature => crate::moderation::set_featured(store, id, false).await?,
        })
    }
}

#[derive(Debug, Deserialize)]
pub struct PageParams {
    status: Option<String>,
    done: Option<String>,
    n: Option<u32>,
}

/// The staff member's name, or the visitor's description of them.
fn who(item: &StoredPraise, lang: Lang) -> String {
    item.staff_name
        .clone()
        .or_else(|| item.staff_description.clone())
        .unwrap_or_else(|| lang.pick("(no name given)", "(aucun nom)").to_owned())
}

fn yes_no(lang: Lang, value: bool) -> &'static str {
    if value {
        lang.pick("yes", "oui")
    } else {
        lang.pick("no", "non")
    }
}

fn part_of_day(lang: Lang, part: &str) -> String {
    match part {
        "morning" => lang.pick("morning", "matin").to_owned(),
        "afternoon" => lang.pick("afternoon", "après-midi").to_owned(),
        "evening" => lang.pick("evening", "soirée").to_owned(),
        "night" => lang.pick("night", "nuit").to_owned(),
        other => other.to_owned(),
    }
}

fn consent(lang: Lang, granted: bool, version: Option<&str>) -> String {
    match version {
        Some(version) => format!("{} ({version})", yes_no(lang, granted)),
        None => lang.pick("not asked", "non demandé").to_owned(),
    }
}

fn item_card(item: &StoredPraise, status: PraiseStatus, lang: Lang) -> Markup {
    let name = who(item, lang);
    let heading_id = format!("item-{}", item.id);
    let when = match (&item.occurred_on, &item.part_of_day) {
        (Some(day), Some(part)) => format!("{day}, {}", part_of_day(lang, part)),
        (Some(day), None) => day.clone(),
        (None, Some(part)) => part_of_day(lang, part),
        (None, None) => lang.pick("not said", "non précisé").to_owned(),
    };
    html! {
        article class="card item" aria-labelledby=(heading_id) {
            h2 id=(heading_id) {
                (name)
                @if let Some(role) = &item.staff_role { span class="muted" { " \u{2014} " (role) } }
                @if item.featured { span class="badge" { (lang.pick("Featured", "En vedette")) } }
            }
            label class="select" {
                input type="checkbox" name="id" value=(item.id);
                (lang.pick("Select", "Sélectionner"))
                span class="visually-hidden" { " " (name) ", " (format_time(item.received_at)) }
            }
            blockquote { (item.story) }
            @if let Some(original) = &item.original_story {
                p class="muted" { (lang.pick("Corrected. The visitor's original text:", "Corrigé. Le texte original du visiteur :")) }
                blockquote class="original" { (original) }
            }
            dl {
                dt { (lang.pick("Written by", "Écrit par")) }
                dd {
                    (item.visitor_name.as_deref().unwrap_or(lang.pick("(anonymous)", "(anonyme)")))
                    @if let Some(email) = &item.visitor_email { " \u{2014} " (email) }
                }
                dt { (lang.pick("Where", "Où")) }
                dd {
                    (item.location.as_deref().unwrap_or(lang.pick("not said", "non précisé")))
                    " \u{2014} " (lang.pick("site", "site")) " " (item.site_id) ", " (item.page_url)
                }
                dt { (lang.pick("When", "Quand")) }
                dd { (when) }
                dt { (lang.pick("Received", "Reçu")) }
                dd { (format_time(item.received_at)) " (" (lang.pick("language", "langue")) " " (item.language) ")" }
                dt { (lang.pick("Tags", "Étiquettes")) }
                dd {
                    @if item.tags.is_empty() { (lang.pick("none", "aucune")) } @else { (item.tags.join(", ")) }
                }
                dt { (lang.pick("May publish", "Publication permise")) }
                dd { (consent(lang, item.publish_granted, item.publish_version.as_deref())) }
                dt { (lang.pick("May contact", "Contact permis")) }
                dd { (consent(lang, item.contact_granted, item.contact_version.as_deref())) }
                dt { (lang.pick("Signals", "Signaux")) }
                dd {
                    (lang.pick("hidden field filled: ", "champ caché rempli : ")) (yes_no(lang, item.honeypot_filled))
                    "; " (lang.pick("filled in ", "rempli en ")) (format!("{:.1}", item.fill_time_ms as f64 / 1000.0)) " s"
                    "; " (lang.pick("attempt ", "tentative ")) (item.attempt)
                }
            }
            div class="actions" {
                @for action in Action::for_item(status, item.featured) {
                    button type="submit" name="act" value=(format!("{}:{}", action.key(), item.id))
                        class=(if matches!(action, Action::Approve | Action::Feature | Action::NotSpam) { "button" } else { "secondary" }) {
                        (action.label(lang))
                        span class="visually-hidden" { ": " (name) }
                    }
                }
                @if status != PraiseStatus::Spam {
                    a href=(format!("/owner/moderation/edit?id={}", encode(&item.id))) {
                        (lang.pick("Fix the text", "Corriger le texte"))
                        span class="visually-hidden" { ": " (name) }
                    }
                }
            }
        }
    }
}

/// `GET /owner/moderation?status=pending|approved|rejected|spam`.
pub async fn page(
    owner: Owner,
    State(state): State<AppState>,
    Query(params): Query<PageParams>,
) -> Result<Response, OwnerError> {
    let lang = owner.lang;
    let status = params
        .status
        .as_deref()
        .and_then(tab)
        .unwrap_or(PraiseStatus::PendingModeration);
    let items = state.store.moderation_items(status, PAGE_SIZE).await?;
    let counts = state.store.moderation_counts().await?;
    let count = |status: PraiseStatus| {
        counts
            .iter()
            .find(|(s, _)| s == status.as_str())
            .map(|(_, n)| *n)
            .unwrap_or(0)
    };
    let done = params.done.as_deref().and_then(Action::parse);
    let form_action = format!("/owner/moderation?status={}", tab_name(status));
    let body = html! {
        @if let Some(action) = done {
            (notice(NoticeKind::Done, &format!("{} {}", params.n.unwrap_or(0), action.done(lang))))
        }
        nav class="tabs" aria-label=(lang.pick("Praise by status", "Remerciements par statut")) {
            ul {
                @for (tab_status, key, en, fr_ca, access) in TABS {
                    li {
                        a href=(format!("/owner/moderation?status={key}")) accesskey=(access)
                            aria-current=[(tab_status == status).then_some("page")] {
                            (lang.pick(en, fr_ca)) " (" (count(tab_status)) ")"
                        }
                    }
                }
            }
        }
        @if items.is_empty() {
            p { (lang.pick("Nothing here.", "Rien ici.")) }
        } @else {
            form method="post" action=(form_action) {
                (owner.csrf_field())
                div class="actions bulk" role="group" aria-label=(lang.pick("Actions on the selected praise", "Actions sur les remerciements sélectionnés")) {
                    span { (lang.pick("Selected:", "Sélection :")) }
                    @for action in Action::for_status(status) {
                        button type="submit" name="act" value=(action.key()) accesskey=(action.access_key()) class="secondary" {
                            (action.label(lang))
                        }
                    }
                }
                @for item in &items {
                    (item_card(item, status, lang))
                }
            }
        }
        details {
            summary { (lang.pick("Keyboard shortcuts", "Raccourcis clavier")) }
            p {
                (lang.pick(
                    "These use your browser's access-key modifier: Alt (Chrome and Edge on Windows and Linux), Alt+Shift (Firefox), Control+Option (Safari and Chrome on macOS). Tab moves from one item's buttons to the next; Space ticks a box.",
                    "Ils utilisent la touche d'accès de votre navigateur : Alt (Chrome et Edge sous Windows et Linux), Alt+Maj (Firefox), Contrôle+Option (Safari et Chrome sous macOS). Tab passe d'un bouton au suivant; Espace coche une case.",
                ))
            }
            ul {
                li { kbd { "1" } "\u{2013}" kbd { "4" } " " (lang.pick("the tabs: pending, approved, rejected, spam", "les onglets : en attente, approuvés, refusés, pourriels")) }
                @for action in Action::for_status(status) {
                    li { kbd { (action.access_key().to_uppercase()) } " " (action.label(lang)) " " (lang.pick("(selected praise)", "(remerciements sélectionnés)")) }
                }
            }
        }
    };
    let title = lang.pick("Moderation", "Modération");
    Ok(owner_page(&owner, "/owner/moderation", title, body))
}

/// `POST /owner/moderation`: `act=ACTION:ID` for one item, or `act=ACTION` with `id=` for each
/// ticked item.
pub async fn act(
    owner: Owner,
    State(state): State<AppState>,
    Query(params): Query<PageParams>,
    body: Bytes,
) -> Result<Response, OwnerError> {
    let fields = Fields::parse(&body);
    owner.check_csrf(&fields)?;
    let act = fields.text("act");
    let (action, ids): (Option<Action>, Vec<String>) = match act.split_once(':') {
        Some((action, id)) => (Action::parse(action), vec![id.to_owned()]),
        None => (
            Action::parse(act),
            fields.all("id").map(str::to_owned).collect(),
        ),
    };
    let Some(action) = action else {
        return Err(OwnerError::BadRequest(
            "Choose an action.",
            "Choisissez une action.",
        ));
    };
    let mut changed = 0u32;
    for id in ids.iter().take(PAGE_SIZE as usize) {
        if action.apply(&state, id).await? {
            changed += 1;
        }
    }
    tracing::info!(action = action.key(), changed, "moderation");
    let status = params
        .status
        .as_deref()
        .and_then(tab)
        .unwrap_or(PraiseStatus::PendingModeration);
    Ok(see_other(&format!(
        "/owner/moderation?status={}&done={}&n={changed}",
        tab_name(status),
        action.key()
    )))
}

#[derive(Debug, Deserialize)]
pub struct EditParams {
    id: Option<String>,
}

fn edit_body(owner: &Owner, item: &StoredPraise, text: &str, problem: Option<&str>) -> Markup {
    let lang = owner.lang;
    html! {
        @if let Some(problem) = problem {
            p class="notice problem" role="alert" { (problem) }
        }
        p { (lang.pick("Praise for ", "Remerciement pour ")) strong { (who(item, lang)) } ", " (format_time(item.received_at)) }
        h2 { (lang.pick("The visitor's original text", "Le texte original du visiteur")) }
        blockquote class="card" { (item.original_story.as_deref().unwrap_or(&item.story)) }
        form method="post" action="/owner/moderation/edit" {
            (owner.csrf_field())
            input type="hidden" name="id" value=(item.id);
            label for="story" { (lang.pick("Corrected text (typos only: keep the visitor's words)", "Texte corrigé (les coquilles seulement : gardez les mots du visiteur)")) }
            textarea id="story" name="story" maxlength="2000" required { (text) }
            div class="actions" {
                @if item.status != PraiseStatus::Approved.as_str() {
                    button type="submit" name="then" value="approve" { (lang.pick("Save and approve", "Enregistrer et approuver")) }
                }
                button type="submit" name="then" value="save" class="secondary" { (lang.pick("Save", "Enregistrer")) }
                a href="/owner/moderation" { (lang.pick("Cancel", "Annuler")) }
            }
        }
    }
}

/// `GET /owner/moderation/edit?id=…`: correct a typo, the visitor's original beside it.
pub async fn edit_page(
    owner: Owner,
    State(state): State<AppState>,
    Query(params): Query<EditParams>,
) -> Result<Response, OwnerError> {
    let id = params.id.unwrap_or_default();
    let item = state.store.praise(&id).await?.ok_or(OwnerError::NotFound)?;
    let title = owner.lang.pick("Fix the text", "Corriger le texte");
    let body = edit_body(&owner, &item, &item.story, None);
    Ok(owner_page(&owner, "/owner/moderation", title, body))
}

/// `POST /owner/moderation/edit`: stores the corrected text (the original is kept) and, with
/// `then=approve`, approves it.
pub async fn edit(
    owner: Owner,
    State(state): State<AppState>,
    body: Bytes,
) -> Result<Response, OwnerError> {
    let fields = Fields::parse(&body);
    owner.check_csrf(&fields)?;
    let id = fields.text("id").to_owned();
    let item = state.store.praise(&id).await?.ok_or(OwnerError::NotFound)?;
    let story = fields.text("story").replace("\r\n", "\n");
    let length = story.chars().count();
    if length == 0 || length > MAX_STORY_CHARS {
        let lang = owner.lang;
        let problem = lang.pick(
            "The text must be 1 to 2000 characters.",
            "Le texte doit compter de 1 à 2000 caractères.",
        );
        let title = lang.pick("Fix the text", "Corriger le texte");
        let mut response = owner_page(
            &owner,
            "/owner/moderation",
            title,
            edit_body(&owner, &item, &story, Some(problem)),
        );
        *response.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(response);
    }
    if story != item.story {
        crate::moderation::correct_story(&state.store, &id, &story).await?;
    }
    let status = PraiseStatus::parse(&item.status).unwrap_or(PraiseStatus::PendingModeration);
    if fields.text("then") == "approve" {
        crate::moderation::set_status(&state.store, &id, PraiseStatus::Approved).await?;
        return Ok(see_other(&format!(
            "/owner/moderation?status={}&done=approve&n=1",
            tab_name(status)
        )));
    }
    Ok(see_other(&format!(
        "/owner/moderation?status={}",
        tab_name(status)
    )))
}
