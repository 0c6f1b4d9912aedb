//! Praise per staff member and per location, week by week (weeks start on Monday, UTC), for one
//! site: a small bar chart drawn here as inline SVG (no chart library, no script; `role="img"`
//! with a text summary) and the same numbers as tables, CSV and JSON. Counted: praise received
//! in the period that is approved or waiting for moderation (never spam or rejected).

use std::collections::BTreeMap;

use axum::extract::{Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use serde::{Deserialize, Serialize};

use super::{encode, owner_page, Owner, OwnerError};
use crate::http::pages::Lang;
use crate::http::AppState;

const DEFAULT_WEEKS: u32 = 12;
const MAX_WEEKS: u32 = 104;
const DAY_MS: i64 = 86_400_000;

#[derive(Debug, Deserialize)]
pub struct StatsParams {
    site: Option<String>,
    weeks: Option<u32>,
}

/// One row of the statistics: a staff member or a location, its count per week.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Series {
    pub name: String,
    pub counts: Vec<u64>,
    pub total: u64,
}

/// The statistics of one site (`GET /owner/stats.json`).
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    pub site: String,
    /// The Monday each week starts on (`YYYY-MM-DD`), oldest first.
    pub weeks: Vec<String>,
    pub totals: Vec<u64>,
    pub staff: Vec<Series>,
    pub locations: Vec<Series>,
}

/// The Monday (UTC) of the week holding `ms`, as days since 1970-01-01 (a Thursday).
fn week_start_day(ms: i64) -> i64 {
    let day = ms.div_euclid(DAY_MS);
    day - (day + 3).rem_euclid(7)
}

fn day_label(day: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(day * 86_400)
        .map(|at| at.date().to_string())
        .unwrap_or_default()
}

async fn compute(state: &AppState, params: &StatsParams) -> Result<Stats, OwnerError> {
    let site = state
        .site_by_id(params.site.as_deref().filter(|site| !site.is_empty()))
        .ok_or(OwnerError::BadRequest(
            "No site has that id.",
            "Aucun site n'a cet identifiant.",
        ))?
        .id
        .clone();
    let weeks = params.weeks.unwrap_or(DEFAULT_WEEKS).clamp(1, MAX_WEEKS) as i64;
    let this_week = week_start_day(crate::now_ms());
    let first = this_week - (weeks - 1) * 7;
    let praise = state.store.counted_praise(&site, first * DAY_MS).await?;
    // Roster ids become the roster's name (the visitor may have typed a nickname).
    let roster: BTreeMap<String, String> = state
        .store
        .staff_entries(&site)
        .await?
        .into_iter()
        .map(|entry| (entry.record.id, entry.record.name))
        .collect();
    let mut staff: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    let mut locations: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    let mut totals = vec![0u64; weeks as usize];
    for item in &praise {
        let index = ((week_start_day(item.received_at) - first) / 7) as usize;
        if index >= totals.len() {
            continue;
        }
        totals[index] += 1;
        let name = item
            .staff_id
            .as_ref()
            .and_then(|id| roster.get(id).cloned())
            .unwrap_or_else(|| item.staff.clone());
        staff.entry(name).or_insert_with(|| vec![0; weeks as usize])[index] += 1;
        let location = item.location.clone().unwrap_or_default();
        locations
            .entry(location)
            .or_insert_with(|| vec![0; weeks as usize])[index] += 1;
    }
    let series = |map: BTreeMap<String, Vec<u64>>| {
        let mut all: Vec<Series> = map
            .into_iter()
            .map(|(name, counts)| Series {
                total: counts.iter().sum(),
                name,
                counts,
            })
            .collect();
        all.sort_by(|a, b| b.total.cmp(&a.total).then_with(|| a.name.cmp(&b.name)));
        all
    };
    Ok(Stats {
        site,
        weeks: (0..weeks).map(|n| day_label(first + n * 7)).collect(),
        totals,
        staff: series(staff),
        locations: series(locations),
    })
}

/// The weekly totals as a bar chart: inline SVG, coloured by the stylesheet, labelled for
/// assistive technology (the tables below carry every number).
fn chart(stats: &Stats, lang: Lang) -> Markup {
    let (width, height, top, bottom, left) = (640.0_f64, 180.0_f64, 16.0, 28.0, 8.0);
    let max = stats.totals.iter().copied().max().unwrap_or(0).max(1) as f64;
    let slot = (width - left * 2.0) / stats.totals.len().max(1) as f64;
    let bar = (slot * 0.7).max(2.0);
    let plot = height - top - bottom;
    let total: u64 = stats.totals.iter().sum();
    let summary = format!(
        "{} {} {} {} {}",
        lang.pick("Praise per week:", "Remerciements par semaine :"),
        total,
        lang.pick("in", "en"),
        stats.weeks.len(),
        lang.pick(
            "weeks; the tables below give every number.",
            "semaines; les tableaux ci-dessous donnent chaque nombre."
        )
    );
    let label_every = stats.totals.len().div_ceil(6).max(1);
    html! {
        svg class="chart" role="img" aria-labelledby="chart-title" viewBox=(format!("0 0 {width} {height}")) width=(width) height=(height) xmlns="http://www.w3.org/2000/svg" {
            title id="chart-title" { (summary) }
            line class="axis" x1=(left) x2=(width - left) y1=(height - bottom) y2=(height - bottom) stroke-width="1" {}
            @for (index, count) in stats.totals.iter().enumerate() {
                @let h = plot * (*count as f64) / max;
                @let x = left + slot * index as f64 + (slot - bar) / 2.0;
                rect class="bar" x=(format!("{x:.1}")) y=(format!("{:.1}", height - bottom - h)) width=(format!("{bar:.1}")) height=(format!("{h:.1}")) {}
                @if *count > 0 {
                    text x=(format!("{:.1}", x + bar / 2.0)) y=(format!("{:.1}", height - bottom - h - 4.0)) text-anchor="middle" { (count) }
                }
                @if index % label_every == 0 {
                    text x=(format!("{:.1}", x + bar / 2.0)) y=(format!("{:.1}", height - 8.0)) text-anchor="middle" {
                        (stats.weeks[index].get(5..).unwrap_or(""))
                    }
                }
            }
        }
    }
}

fn table(caption: &str, first_column: &str, stats: &Stats, rows: &[Series], lang: Lang) -> Markup {
    html! {
        div class="wide" tabindex="0" role="region" aria-label=(caption) {
            table {
                caption { (caption) }
                thead {
                    tr {
                        th scope="col" { (first_column) }
                        @for week in &stats.weeks {
                            th scope="col" class="num" { abbr title=(format!("{} {week}", lang.pick("week of", "semaine du"))) { (week.get(5..).unwrap_or("")) } }
                        }
                        th scope="col" class="num" { (lang.pick("Total", "Total")) }
                    }
                }
                tbody {
                    @for series in rows {
                        tr {
                            th scope="row" {
                                @if series.name.is_empty() { (lang.pick("(not said)", "(non précisé)")) } @else { (series.name) }
                            }
                            @for count in &series.counts { td class="num" { (count) } }
                            td class="num" { strong { (series.total) } }
                        }
                    }
                }
            }
        }
    }
}

/// `GET /owner/stats?site=…&weeks=…`.
pub async fn page(
    owner: Owner,
    State(state): State<AppState>,
    Query(params): Query<StatsParams>,
) -> Result<Response, OwnerError> {
    let lang = owner.lang;
    let stats = compute(&state, &params).await?;
    let query = format!("site={}&weeks={}", encode(&stats.site), stats.weeks.len());
    let body = html! {
        form method="get" action="/owner/stats" class="actions" {
            @if state.settings.sites.len() > 1 {
                label for="site" { (lang.pick("Site", "Site")) }
                select id="site" name="site" {
                    @for site in &state.settings.sites {
                        option value=(site.id) selected[site.id == stats.site] { (site.id) }
                    }
                }
            }
            label for="weeks" { (lang.pick("Weeks", "Semaines")) }
            select id="weeks" name="weeks" {
                @for weeks in [4usize, 12, 26, 52] {
                    option value=(weeks) selected[weeks == stats.weeks.len()] { (weeks) }
                }
            }
            button type="submit" class="secondary" { (lang.pick("Show", "Afficher")) }
        }
        p class="muted" {
            (lang.pick(
                "Praise received each week (from Monday, UTC), approved or waiting; never spam or rejected.",
                "Remerciements reçus chaque semaine (à partir du lundi, UTC), approuvés ou en attente; jamais les pourriels ni les refusés.",
            ))
        }
        (chart(&stats, lang))
        p class="actions" {
            a href=(format!("/owner/stats.csv?{query}")) download="kudos-stats.csv" { (lang.pick("Download CSV", "Télécharger en CSV")) }
            a href=(format!("/owner/stats.json?{query}")) { (lang.pick("Download JSON", "Télécharger en JSON")) }
        }
        h2 { (lang.pick("Per staff member", "Par membre du personnel")) }
        @if stats.staff.is_empty() {
            p { (lang.pick("No praise in this period.", "Aucun remerciement dans cette période.")) }
        } @else {
            (table(lang.pick("Praise per staff member and week", "Remerciements par membre et par semaine"), lang.pick("Staff member", "Membre"), &stats, &stats.staff, lang))
        }
        h2 { (lang.pick("Per location", "Par lieu")) }
        @if stats.locations.is_empty() {
            p { (lang.pick("No praise in this period.", "Aucun remerciement dans cette période.")) }
        } @else {
            (table(lang.pick("Praise per location and week", "Remerciements par lieu et par semaine"), lang.pick("Location", "Lieu"), &stats, &stats.locations, lang))
        }
    };
    let title = lang.pick("Statistics", "Statistiques");
    Ok(owner_page(&owner, "/owner/stats", title, body))
}

fn download(body: Vec<u8>, content_type: &'static str, file: &'static str) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CONTENT_DISPOSITION, HeaderValue::from_static(file));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// `GET /owner/stats.csv`: one row per (kind, name, week): `kind,name,week,count`.
pub async fn csv(
    _owner: Owner,
    State(state): State<AppState>,
    Query(params): Query<StatsParams>,
) -> Result<Response, OwnerError> {
    let stats = compute(&state, &params).await?;
    let mut writer = ::csv::Writer::from_writer(Vec::new());
    let internal = |err: ::csv::Error| OwnerError::Internal(err.to_string());
    writer
        .write_record(["kind", "name", "week", "count"])
        .map_err(internal)?;
    for (kind, rows) in [("staff", &stats.staff), ("location", &stats.locations)] {
        for series in rows {
            for (week, count) in stats.weeks.iter().zip(&series.counts) {
                writer
                    .write_record([kind, &series.name, week, &count.to_string()])
                    .map_err(internal)?;
            }
        }
    }
    let body = writer
        .into_inner()
        .map_err(|err| OwnerError::Internal(err.to_string()))?;
    Ok(download(
        body,
        "text/csv; charset=utf-8",
        "attachment; filename=\"kudos-stats.csv\"",
    ))
}

/// `GET /owner/stats.json`: [`Stats`].
pub async fn json(
    _owner: Owner,
    State(state): State<AppState>,
    Query(params): Query<StatsParams>,
) -> Result<Response, OwnerError> {
    let stats = compute(&state, &params).await?;
    let body = serde_json::to_vec(&stats).map_err(|err| OwnerError::Internal(err.to_string()))?;
    Ok(download(
        body,
        "application/json",
        "inline; filename=\"kudos-stats.json\"",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_start_on_monday() {
        // 2026-11-26 is a Thursday; its week starts on Monday 2026-11-23.
        let thursday = 1_795_651_200_000; // 2026-11-26T00:00:00Z
        assert_eq!(day_label(week_start_day(thursday)), "2026-11-23");
        let monday = 1_795_392_000_000; // 2026-11-23T00:00:00Z
        assert_eq!(week_start_day(monday), week_start_day(thursday));
        assert_eq!(week_start_day(monday - 1), week_start_day(monday) - 7);
    }
}
