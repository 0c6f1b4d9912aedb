//! QR posters: for each staff member and each location, a printable page with a QR code that
//! opens the site's praise page (`praise_page_url`). A staff member's code adds
//! `?kudos-staff=<id>`, which the widget reads to preselect them (README, "Mount and unmount");
//! the widget reads no location from the page address, so a location's code opens the praise
//! page as it is, and the page says so. The code is SVG (the `qrcode` crate), dark on white
//! in both themes; `@media print` in the pages' stylesheet prints the poster alone on one page.

use axum::extract::{Query, State};
use axum::response::Response;
use maud::{html, Markup, PreEscaped};
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};
use serde::Deserialize;

use super::{encode, owner_page, Owner, OwnerError};
use crate::config::Site;
use crate::http::pages::Lang;
use crate::http::AppState;

/// The query parameter the widget reads (src/shell/mount.rs).
pub const STAFF_PARAM: &str = "kudos-staff";

#[derive(Debug, Deserialize)]
pub struct PosterParams {
    site: Option<String>,
    id: Option<String>,
    name: Option<String>,
}

fn site<'a>(state: &'a AppState, id: Option<&str>) -> Result<&'a Site, OwnerError> {
    state
        .site_by_id(id.filter(|id| !id.is_empty()))
        .ok_or(OwnerError::BadRequest(
            "No site has that id.",
            "Aucun site n'a cet identifiant.",
        ))
}

/// The address a staff member's code opens: the praise page with `?kudos-staff=ID` added to
/// whatever query it has.
pub fn staff_url(praise_page: &str, staff_id: &str) -> Option<String> {
    let mut url = reqwest::Url::parse(praise_page).ok()?;
    url.query_pairs_mut().append_pair(STAFF_PARAM, staff_id);
    Some(url.to_string())
}

/// The QR code of `data` as an SVG element (no XML declaration), 8 px a module with the
/// standard 4-module quiet zone; medium error correction (survives a scuffed print).
pub fn qr_svg(data: &str) -> Option<String> {
    let code = QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M).ok()?;
    let svg = code
        .render::<svg::Color<'_>>()
        .module_dimensions(8, 8)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build();
    let start = svg.find("<svg")?;
    Some(svg[start..].to_owned())
}

fn no_page_url(lang: Lang, site: &Site) -> Markup {
    html! {
        p class="notice problem" role="status" {
            (lang.pick("Set praise_page_url for this site (the address of the page that carries the widget) to print posters. Site: ",
                "Réglez praise_page_url pour ce site (l'adresse de la page qui porte le widget) pour imprimer des affiches. Site : "))
            code { (site.id) }
        }
    }
}

/// `GET /owner/posters?site=`: every staff member's and location's poster.
pub async fn list(
    owner: Owner,
    State(state): State<AppState>,
    Query(params): Query<PosterParams>,
) -> Result<Response, OwnerError> {
    let lang = owner.lang;
    let site = site(&state, params.site.as_deref())?;
    let entries = state.store.staff_entries(&site.id).await?;
    let active: Vec<_> = entries.iter().filter(|e| e.active).collect();
    let mut locations: Vec<&str> = active
        .iter()
        .filter_map(|e| e.record.location.as_deref())
        .filter(|l| !l.trim().is_empty())
        .collect();
    locations.sort_unstable();
    locations.dedup();
    let site_query = encode(&site.id);
    let body = html! {
        @if state.settings.sites.len() > 1 {
            form method="get" action="/owner/posters" class="actions" {
                label for="site" { (lang.pick("Site", "Site")) }
                select id="site" name="site" {
                    @for s in &state.settings.sites {
                        option value=(s.id) selected[s.id == site.id] { (s.id) }
                    }
                }
                button type="submit" class="secondary" { (lang.pick("Show", "Afficher")) }
            }
        }
        p {
            (lang.pick("Print a poster for a counter, a name badge or a receipt: its QR code opens your praise page. A staff member's code fills in their name in the form.",
                "Imprimez une affiche pour un comptoir, un insigne ou un reçu : son code QR ouvre votre page de remerciements. Le code d'un membre du personnel inscrit son nom dans le formulaire."))
        }
        @match &site.praise_page_url {
            None => (no_page_url(lang, site)),
            Some(page) => p { (lang.pick("Praise page: ", "Page de remerciements : ")) code { (page) } },
        }
        h2 { (lang.pick("Staff", "Personnel")) }
        @if active.is_empty() {
            p { (lang.pick("No one on the roster yet.", "Personne dans la liste pour l'instant.")) }
        } @else {
            ul {
                @for entry in &active {
                    li {
                        a href=(format!("/owner/posters/staff?site={site_query}&id={}", encode(&entry.record.id))) {
                            (entry.record.name)
                        }
                        @if let Some(role) = &entry.record.role { span class="muted" { " \u{2014} " (role) } }
                    }
                }
            }
        }
        h2 { (lang.pick("Locations", "Lieux")) }
        @if locations.is_empty() {
            p { (lang.pick("No location on the roster yet.", "Aucun lieu dans la liste pour l'instant.")) }
        } @else {
            ul {
                @for location in &locations {
                    li {
                        a href=(format!("/owner/posters/location?site={site_query}&name={}", encode(location))) { (location) }
                    }
                }
            }
        }
    };
    let title = lang.pick("QR posters", "Affiches QR");
    Ok(owner_page(&owner, "/owner/posters", title, body))
}

/// One poster: the heading, the code and the address under it; the rest hidden in print.
fn poster(lang: Lang, heading: &str, lead: &str, url: &str, note: Option<&str>) -> Markup {
    let svg = qr_svg(url).unwrap_or_default();
    html! {
        p class="no-print" {
            (lang.pick("Print this page (Ctrl+P or ⌘P): only the poster is printed, on one page.",
                "Imprimez cette page (Ctrl+P ou ⌘P) : seule l'affiche est imprimée, sur une page."))
        }
        @if let Some(note) = note { p class="notice no-print" role="note" { (note) } }
        section class="poster" aria-label=(lang.pick("Poster", "Affiche")) {
            p class="poster-heading" { (heading) }
            p class="poster-lead" { (lead) }
            div class="qr" role="img" aria-label=(format!("{}{url}", lang.pick("QR code: ", "Code QR : "))) {
                (PreEscaped(svg))
            }
            p class="poster-url" { (url) }
        }
        p class="no-print" { a href="/owner/posters" { (lang.pick("All posters", "Toutes les affiches")) } }
    }
}

/// `GET /owner/posters/staff?site=&id=`.
pub async fn staff(
    owner: Owner,
    State(state): State<AppState>,
    Query(params): Query<PosterParams>,
) -> Result<Response, OwnerError> {
    let lang = owner.lang;
    let site = site(&state, params.site.as_deref())?;
    let id = params.id.as_deref().unwrap_or("");
    let entry = state
        .store
        .staff_entries(&site.id)
        .await?
        .into_iter()
        .find(|e| e.record.id == id && e.active)
        .ok_or(OwnerError::NotFound)?;
    let title = format!(
        "{} \u{2014} {}",
        lang.pick("Poster", "Affiche"),
        entry.record.name
    );
    let body = match site
        .praise_page_url
        .as_deref()
        .and_then(|page| staff_url(page, &entry.record.id))
    {
        None => no_page_url(lang, site),
        Some(url) => {
            let heading = format!("{} {}", lang.pick("Did", "Est-ce que"), entry.record.name);
            let heading = match lang {
                Lang::En => format!("{heading} make your day?"),
                Lang::FrCa => format!("{heading} a illuminé votre journée?"),
            };
            poster(
                lang,
                &heading,
                lang.pick("Scan to say thanks: it takes a minute, and we pass it on.",
                    "Balayez pour dire merci : c'est l'affaire d'une minute, et nous le transmettons."),
                &url,
                None,
            )
        }
    };
    Ok(owner_page(&owner, "/owner/posters", &title, body))
}

/// `GET /owner/posters/location?site=&name=`.
pub async fn location(
    owner: Owner,
    State(state): State<AppState>,
    Query(params): Query<PosterParams>,
) -> Result<Response, OwnerError> {
    let lang = owner.lang;
    let site = site(&state, params.site.as_deref())?;
    let name = params.name.as_deref().unwrap_or("").trim().to_owned();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(OwnerError::NotFound);
    }
    let title = format!("{} \u{2014} {name}", lang.pick("Poster", "Affiche"));
    let body = match site.praise_page_url.as_deref() {
        None => no_page_url(lang, site),
        Some(page) => poster(
            lang,
            &match lang {
                Lang::En => format!("Thank our team at {name}"),
                Lang::FrCa => format!("Remerciez notre équipe de {name}"),
            },
            lang.pick("Scan to tell us who made your day.",
                "Balayez pour nous dire qui a illuminé votre journée."),
            page,
            Some(lang.pick("The widget reads no location from its page address, so this code opens the praise page as it is: visitors pick the location in the form.",
                "Le widget ne lit aucun lieu dans l'adresse de sa page : ce code ouvre donc la page de remerciements telle quelle, et le visiteur choisit le lieu dans le formulaire.")),
        ),
    };
    Ok(owner_page(&owner, "/owner/posters", &title, body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staff_urls_keep_the_page_query() {
        assert_eq!(
            staff_url("https://shop.example/thanks", "m 204").unwrap(),
            "https://shop.example/thanks?kudos-staff=m+204"
        );
        assert_eq!(
            staff_url("https://shop.example/thanks?lang=fr#form", "c1").unwrap(),
            "https://shop.example/thanks?lang=fr&kudos-staff=c1#form"
        );
        let svg = qr_svg("https://shop.example/thanks?kudos-staff=c1").unwrap();
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
    }
}
