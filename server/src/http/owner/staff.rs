//! The staff roster as the owner keeps it: the list (deactivated members too), add and edit one
//! member (their manager's email and whether they want their own email), deactivate and
//! reactivate, import a CSV file and export one (the format of `crate::roster`, the same as
//! `kudos-server staff import|export`). One site at a time (`?site=`, the first by default).

use axum::body::Bytes;
use axum::extract::{Multipart, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use serde::Deserialize;

use super::{encode, owner_page, see_other, Fields, Owner, OwnerError};
use crate::http::pages::{notice, Lang, NoticeKind};
use crate::http::AppState;
use crate::roster;
use crate::store::{StaffEntry, StaffRecord};

/// The largest roster file accepted.
const MAX_CSV_BYTES: usize = 2 * 1024 * 1024;
/// The longest value of one field.
const MAX_FIELD_CHARS: usize = 200;

#[derive(Debug, Deserialize)]
pub struct SiteParams {
    site: Option<String>,
    id: Option<String>,
    done: Option<String>,
    n: Option<u64>,
}

/// The site named by `site` (the first when none); unknown sites are refused.
fn site_id(state: &AppState, site: Option<&str>) -> Result<String, OwnerError> {
    state
        .site_by_id(site.filter(|site| !site.is_empty()))
        .map(|site| site.id.clone())
        .ok_or(OwnerError::BadRequest(
            "No site has that id.",
            "Aucun site n'a cet identifiant.",
        ))
}

fn site_picker(state: &AppState, lang: Lang, current: &str) -> Markup {
    html! {
        @if state.settings.sites.len() > 1 {
            form method="get" action="/owner/staff" class="actions" {
                label for="site" { (lang.pick("Site", "Site")) }
                select id="site" name="site" {
                    @for site in &state.settings.sites {
                        option value=(site.id) selected[site.id == current] { (site.id) }
                    }
                }
                button type="submit" class="secondary" { (lang.pick("Show", "Afficher")) }
            }
        }
    }
}

/// `GET /owner/staff`.
pub async fn list(
    owner: Owner,
    State(state): State<AppState>,
    Query(params): Query<SiteParams>,
) -> Result<Response, OwnerError> {
    let lang = owner.lang;
    let site = site_id(&state, params.site.as_deref())?;
    let entries = state.store.staff_entries(&site).await?;
    let site_query = encode(&site);
    let done = match params.done.as_deref() {
        Some("saved") => Some(lang.pick("Saved.", "Enregistré.").to_owned()),
        Some("deactivated") => Some(lang.pick("Deactivated.", "Désactivé.").to_owned()),
        Some("activated") => Some(lang.pick("Active again.", "De nouveau actif.").to_owned()),
        Some("imported") => Some(format!(
            "{} {}",
            params.n.unwrap_or(0),
            lang.pick("staff imported.", "membres importés.")
        )),
        _ => None,
    };
    let body = html! {
        @if let Some(done) = done { (notice(NoticeKind::Done, &done)) }
        (site_picker(&state, lang, &site))
        p class="actions" {
            a class="button" href=(format!("/owner/staff/edit?site={site_query}")) { (lang.pick("Add a staff member", "Ajouter un membre du personnel")) }
            a href=(format!("/owner/staff/export.csv?site={site_query}")) download="staff.csv" { (lang.pick("Export CSV", "Exporter en CSV")) }
        }
        @if entries.is_empty() {
            p { (lang.pick("No one on the roster yet.", "Personne dans la liste pour l'instant.")) }
        } @else {
            div class="wide" tabindex="0" role="region" aria-label=(lang.pick("Staff roster", "Liste du personnel")) {
                table {
                    thead {
                        tr {
                            th scope="col" { (lang.pick("Name", "Nom")) }
                            th scope="col" { (lang.pick("Role, location", "Rôle, lieu")) }
                            th scope="col" { (lang.pick("Email", "Courriel")) }
                            th scope="col" { (lang.pick("Manager's email", "Courriel du gestionnaire")) }
                            th scope="col" { (lang.pick("Wants email", "Veut les courriels")) }
                            th scope="col" { (lang.pick("Status", "Statut")) }
                            th scope="col" { (lang.pick("Actions", "Actions")) }
                        }
                    }
                    tbody {
                        @for entry in &entries { (row(&owner, &site, entry)) }
                    }
                }
            }
        }
        h2 { (lang.pick("Import a CSV file", "Importer un fichier CSV")) }
        p class="muted" {
            (lang.pick("Columns: ", "Colonnes : "))
            code { (roster::COLUMNS.join(",")) "," (roster::WANTS_EMAIL) }
            (lang.pick(". Members are added or updated by id.", ". Les membres sont ajoutés ou mis à jour selon leur id."))
        }
        form method="post" action=(format!("/owner/staff/import?site={site_query}")) enctype="multipart/form-data" {
            (owner.csrf_field())
            label for="file" { (lang.pick("Roster file (CSV)", "Fichier de la liste (CSV)")) }
            input type="file" id="file" name="file" accept=".csv,text/csv" required;
            p { button type="submit" { (lang.pick("Import", "Importer")) } }
        }
    };
    let title = lang.pick("Staff", "Personnel");
    Ok(owner_page(&owner, "/owner/staff", title, body))
}

fn row(owner: &Owner, site: &str, entry: &StaffEntry) -> Markup {
    let lang = owner.lang;
    let record = &entry.record;
    let details = [record.role.as_deref(), record.location.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ");
    html! {
        tr {
            th scope="row" { (record.name) br; span class="muted" { (record.id) } }
            td { (details) }
            td { (record.email.as_deref().unwrap_or("")) }
            td { (record.manager_email.as_deref().unwrap_or("")) }
            td { (if record.wants_email { lang.pick("yes", "oui") } else { lang.pick("no", "non") }) }
            td { (if entry.active { lang.pick("active", "actif") } else { lang.pick("deactivated", "désactivé") }) }
            td {
                div class="actions" {
                    a href=(format!("/owner/staff/edit?site={}&id={}", encode(site), encode(&record.id))) {
                        (lang.pick("Edit", "Modifier")) span class="visually-hidden" { " " (record.name) }
                    }
                    form method="post" action="/owner/staff/active" {
                        (owner.csrf_field())
                        input type="hidden" name="site" value=(site);
                        input type="hidden" name="id" value=(record.id);
                        input type="hidden" name="active" value=(if entry.active { "0" } else { "1" });
                        button type="submit" class="secondary" {
                            (if entry.active { lang.pick("Deactivate", "Désactiver") } else { lang.pick("Reactivate", "Réactiver") })
                            span class="visually-hidden" { " " (record.name) }
                        }
                    }
                }
            }
        }
    }
}

fn edit_form(
    owner: &Owner,
    site: &str,
    record: &StaffRecord,
    is_new: bool,
    problem: Option<&str>,
) -> Markup {
    let lang = owner.lang;
    html! {
        @if let Some(problem) = problem {
            p class="notice problem" role="alert" { (problem) }
        }
        form method="post" action="/owner/staff/edit" {
            (owner.csrf_field())
            input type="hidden" name="site" value=(site);
            @if is_new {
                label for="id" { (lang.pick("Id (on badges and in the widget's staff list; letters, digits, - and _)", "Identifiant (sur les insignes et dans la liste du widget; lettres, chiffres, - et _)")) }
                input type="text" id="id" name="id" required maxlength="64" value=(record.id);
            } @else {
                input type="hidden" name="id" value=(record.id);
                p { (lang.pick("Id: ", "Identifiant : ")) code { (record.id) } }
            }
            label for="name" { (lang.pick("Name", "Nom")) }
            input type="text" id="name" name="name" required maxlength="200" autocomplete="off" value=(record.name);
            label for="role" { (lang.pick("Role", "Rôle")) }
            input type="text" id="role" name="role" maxlength="200" value=(record.role.as_deref().unwrap_or(""));
            label for="location" { (lang.pick("Location", "Lieu")) }
            input type="text" id="location" name="location" maxlength="200" value=(record.location.as_deref().unwrap_or(""));
            label for="nicknames" { (lang.pick("Nicknames (separated by ;)", "Surnoms (séparés par ;)")) }
            input type="text" id="nicknames" name="nicknames" maxlength="200" value=(record.nicknames.join("; "));
            label for="email" { (lang.pick("Their email", "Son courriel")) }
            input type="email" id="email" name="email" maxlength="200" autocomplete="off" value=(record.email.as_deref().unwrap_or(""));
            label for="manager_email" { (lang.pick("Their manager's email (hears about new praise)", "Courriel de son gestionnaire (reçoit les nouveaux remerciements)")) }
            input type="email" id="manager_email" name="manager_email" maxlength="200" autocomplete="off" value=(record.manager_email.as_deref().unwrap_or(""));
            label class="check" {
                input type="checkbox" name="wants_email" value="1" checked[record.wants_email];
                (lang.pick("They want an email when a visitor's praise about them is approved", "Souhaite un courriel quand un remerciement à son sujet est approuvé"))
            }
            div class="actions" {
                button type="submit" { (lang.pick("Save", "Enregistrer")) }
                a href=(format!("/owner/staff?site={}", encode(site))) { (lang.pick("Cancel", "Annuler")) }
            }
        }
    }
}

/// `GET /owner/staff/edit?site=…[&id=…]`: a new member, or one to edit.
pub async fn edit_page(
    owner: Owner,
    State(state): State<AppState>,
    Query(params): Query<SiteParams>,
) -> Result<Response, OwnerError> {
    let site = site_id(&state, params.site.as_deref())?;
    let lang = owner.lang;
    let (record, is_new) = match params.id.as_deref().filter(|id| !id.is_empty()) {
        Some(id) => (
            state
                .store
                .staff_entry(&site, id)
                .await?
                .ok_or(OwnerError::NotFound)?
                .record,
            false,
        ),
        None => (
            StaffRecord {
                wants_email: true,
                ..StaffRecord::default()
            },
            true,
        ),
    };
    let title = if is_new {
        lang.pick("Add a staff member", "Ajouter un membre du personnel")
    } else {
        lang.pick("Edit a staff member", "Modifier un membre du personnel")
    };
    let body = edit_form(&owner, &site, &record, is_new, None);
    Ok(owner_page(&owner, "/owner/staff", title, body))
}

/// What the edit form sent, checked.
fn record_from(fields: &Fields) -> (StaffRecord, Option<(&'static str, &'static str)>) {
    let optional = |name: &str| {
        let value = fields.text(name);
        (!value.is_empty()).then(|| value.to_owned())
    };
    let record = StaffRecord {
        id: fields.text("id").to_owned(),
        name: fields.text("name").to_owned(),
        role: optional("role"),
        location: optional("location"),
        nicknames: fields
            .text("nicknames")
            .split(';')
            .map(str::trim)
            .filter(|nick| !nick.is_empty())
            .map(str::to_owned)
            .collect(),
        email: optional("email"),
        manager_email: optional("manager_email"),
        wants_email: fields.get("wants_email").is_some(),
    };
    let too_long = [
        Some(&record.name),
        record.role.as_ref(),
        record.location.as_ref(),
        record.email.as_ref(),
        record.manager_email.as_ref(),
    ]
    .into_iter()
    .flatten()
    .any(|value| value.chars().count() > MAX_FIELD_CHARS);
    let bad_email = [&record.email, &record.manager_email]
        .into_iter()
        .flatten()
        .any(|email| !email.contains('@') || email.chars().any(char::is_whitespace));
    let problem = if record.id.is_empty()
        || record.id.len() > 64
        || !record
            .id
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
    {
        Some((
            "The id needs 1 to 64 letters, digits, - or _.",
            "L'identifiant doit compter de 1 à 64 lettres, chiffres, - ou _.",
        ))
    } else if record.name.is_empty() {
        Some(("The name is required.", "Le nom est obligatoire."))
    } else if too_long {
        Some((
            "Each field holds at most 200 characters.",
            "Chaque champ compte au plus 200 caractères.",
        ))
    } else if bad_email {
        Some((
            "An email address doesn't look right.",
            "Une adresse courriel semble incorrecte.",
        ))
    } else {
        None
    };
    (record, problem)
}

/// `POST /owner/staff/edit`: adds or updates one member; a deactivated member stays so.
pub async fn save(
    owner: Owner,
    State(state): State<AppState>,
    body: Bytes,
) -> Result<Response, OwnerError> {
    let fields = Fields::parse(&body);
    owner.check_csrf(&fields)?;
    let site = site_id(&state, Some(fields.text("site")))?;
    let (record, problem) = record_from(&fields);
    let existing = state.store.staff_entry(&site, &record.id).await?;
    if let Some((en, fr_ca)) = problem {
        let lang = owner.lang;
        let title = lang.pick("Edit a staff member", "Modifier un membre du personnel");
        let body = edit_form(
            &owner,
            &site,
            &record,
            existing.is_none(),
            Some(lang.pick(en, fr_ca)),
        );
        let mut response = owner_page(&owner, "/owner/staff", title, body);
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(response);
    }
    state
        .store
        .upsert_staff(&site, std::slice::from_ref(&record))
        .await?;
    if existing.is_some_and(|entry| !entry.active) {
        state
            .store
            .set_staff_active(&site, &record.id, false)
            .await?;
    }
    tracing::info!("staff member saved");
    Ok(see_other(&format!(
        "/owner/staff?site={}&done=saved",
        encode(&site)
    )))
}

/// `POST /owner/staff/active`: `active=0` deactivates (off the widget's list, kept in the
/// history), `active=1` brings them back.
pub async fn set_active(
    owner: Owner,
    State(state): State<AppState>,
    body: Bytes,
) -> Result<Response, OwnerError> {
    let fields = Fields::parse(&body);
    owner.check_csrf(&fields)?;
    let site = site_id(&state, Some(fields.text("site")))?;
    let active = fields.text("active") == "1";
    if !state
        .store
        .set_staff_active(&site, fields.text("id"), active)
        .await?
    {
        return Err(OwnerError::NotFound);
    }
    Ok(see_other(&format!(
        "/owner/staff?site={}&done={}",
        encode(&site),
        if active { "activated" } else { "deactivated" }
    )))
}

/// `POST /owner/staff/import?site=…` (multipart: `csrf`, `file`).
pub async fn import(
    owner: Owner,
    State(state): State<AppState>,
    Query(params): Query<SiteParams>,
    mut multipart: Multipart,
) -> Result<Response, OwnerError> {
    let bad_form = || {
        OwnerError::BadRequest(
            "The upload could not be read.",
            "Le fichier envoyé n'a pas pu être lu.",
        )
    };
    let mut csrf = String::new();
    let mut file: Option<Vec<u8>> = None;
    while let Some(field) = multipart.next_field().await.map_err(|_| bad_form())? {
        match field.name() {
            Some("csrf") => csrf = field.text().await.map_err(|_| bad_form())?,
            Some("file") => {
                let bytes = field.bytes().await.map_err(|_| bad_form())?;
                if bytes.len() > MAX_CSV_BYTES {
                    return Err(OwnerError::BadRequest(
                        "The file is larger than 2 MB.",
                        "Le fichier dépasse 2 Mo.",
                    ));
                }
                file = Some(bytes.to_vec());
            }
            _ => {}
        }
    }
    owner.check_csrf_value(&csrf)?;
    let site = site_id(&state, params.site.as_deref())?;
    let file = file.ok_or_else(bad_form)?;
    let records = match roster::read_csv(file.as_slice()) {
        Ok(records) => records,
        Err(err) => {
            // The problem names a line and a column, never a value.
            let lang = owner.lang;
            let body = html! {
                p class="notice problem" role="alert" {
                    (lang.pick("Nothing was imported: ", "Rien n'a été importé : ")) (err.to_string())
                }
                p { a href=(format!("/owner/staff?site={}", encode(&site))) { (lang.pick("Back to the roster", "Retour à la liste")) } }
            };
            let title = lang.pick("Import a CSV file", "Importer un fichier CSV");
            let mut response = owner_page(&owner, "/owner/staff", title, body);
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(response);
        }
    };
    let count = state.store.upsert_staff(&site, &records).await?;
    tracing::info!(count, "staff imported");
    Ok(see_other(&format!(
        "/owner/staff?site={}&done=imported&n={count}",
        encode(&site)
    )))
}

/// `GET /owner/staff/export.csv?site=…`: the active roster as `staff export` prints it.
pub async fn export(
    _owner: Owner,
    State(state): State<AppState>,
    Query(params): Query<SiteParams>,
) -> Result<Response, OwnerError> {
    let site = site_id(&state, params.site.as_deref())?;
    let records = state.store.staff(&site).await?;
    let mut out = Vec::new();
    roster::write_csv(&records, &mut out).map_err(|err| OwnerError::Internal(err.to_string()))?;
    let mut response = out.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"staff.csv\""),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}
