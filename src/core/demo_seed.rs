//! The wall's opening content in demo mode: six made-up moments of small, great service at a
//! made-up grocer, so a site owner trying the widget sees a lived-in wall, not an empty box.
//!
//! The people, the stores and the stories are fictional and written for this product. The made-up
//! roster is the demo site's own `demo/staff.json`, compiled in: in demo mode it stands in for the
//! owner's `data-staff-url`, so the demo reaches no server.

use crate::core::i18n::Lang;
use crate::core::json::Json;
use crate::core::praise::PublishedPraise;
use crate::core::roster::StaffMember;

/// The demo's made-up roster (the demo site's `staff.json`).
const ROSTER_JSON: &str = include_str!("../../demo/staff.json");

/// The demo's made-up roster, read like any `data-staff-url` answer.
pub fn seed_roster() -> Vec<StaffMember> {
    Json::parse(ROSTER_JSON)
        .ok()
        .and_then(|json| StaffMember::list_from_json(&json))
        .unwrap_or_default()
}

/// One seed item in both languages.
struct Seed {
    id: &'static str,
    staff_name: &'static str,
    role: [&'static str; 2],
    location: &'static str,
    occurred_on: &'static str,
    tags: &'static [&'static str],
    story: [&'static str; 2],
    created_at: &'static str,
}

const SEEDS: [Seed; 6] = [
    Seed {
        id: "demo-seed-1",
        staff_name: "Noor",
        role: ["Bagger", "Emballeuse"],
        location: "Larch Street",
        occurred_on: "2026-11-02",
        tags: &["owned_the_problem"],
        story: [
            "I had stuffed my own bag in a hurry, eggs under the cans. Noor quietly unpacked it, \
             rebuilt it properly, and slipped in a spare bag for the bread. Everything got home \
             in one piece.",
            "J'avais rempli mon sac à la hâte, les œufs sous les conserves. Noor l'a vidé sans un \
             mot, l'a refait comme il faut et a ajouté un sac pour le pain. Tout est arrivé \
             intact.",
        ],
        created_at: "2026-11-02T17:40:00.000Z",
    },
    Seed {
        id: "demo-seed-2",
        staff_name: "Teodor",
        role: ["Floral counter", "Comptoir floral"],
        location: "Harbour Road",
        occurred_on: "2026-11-05",
        tags: &["genuine_warmth", "took_initiative"],
        story: [
            "My two-year-old could not stop pointing at the balloons. Teodor knelt down, asked her \
             favourite colour and came back with a yellow one tied to her wrist. She talked about \
             it all week.",
            "Ma fille de deux ans pointait les ballons sans arrêt. Teodor s'est accroupi, lui a \
             demandé sa couleur préférée et est revenu avec un ballon jaune attaché à son \
             poignet. Elle en a parlé toute la semaine.",
        ],
        created_at: "2026-11-05T15:10:00.000Z",
    },
    Seed {
        id: "demo-seed-3",
        staff_name: "Ines",
        role: ["Server, café", "Serveuse, café"],
        location: "Millbrook",
        occurred_on: "2026-11-09",
        tags: &["thought_ahead"],
        story: [
            "We came in with a hungry baby and a tired toddler. Ines brought the baby's puree \
             before anything else, warm but not hot, so we could actually order in peace.",
            "Nous sommes arrivés avec un bébé affamé et un tout-petit épuisé. Ines a apporté la \
             purée du bébé avant tout le reste, tiède et non brûlante, pour que nous puissions \
             commander en paix.",
        ],
        created_at: "2026-11-09T12:25:00.000Z",
    },
    Seed {
        id: "demo-seed-4",
        staff_name: "Dev",
        role: ["Cashier", "Caissier"],
        location: "Larch Street",
        occurred_on: "2026-11-13",
        tags: &["went_extra_mile", "owned_the_problem"],
        story: [
            "The flour I needed was missing from my basket and the line behind me was long. Dev \
             called a colleague on the radio, kept scanning, and the bag of flour arrived before \
             I had paid.",
            "La farine dont j'avais besoin manquait dans mon panier et la file était longue. Dev a \
             appelé un collègue par radio, a continué de scanner, et le sac de farine est arrivé \
             avant que j'aie payé.",
        ],
        created_at: "2026-11-13T18:05:00.000Z",
    },
    Seed {
        id: "demo-seed-5",
        staff_name: "Marguerite",
        role: ["Customer service desk", "Service à la clientèle"],
        location: "Eastgate",
        occurred_on: "2026-11-18",
        tags: &["genuine_warmth", "went_extra_mile"],
        story: [
            "It was pouring when I left and I had no umbrella. Marguerite lent me the one from \
             behind the desk and said to bring it back whenever. I returned it the next day with \
             a thank-you card.",
            "Il pleuvait à verse quand je suis sortie, sans parapluie. Marguerite m'a prêté celui \
             du comptoir en disant de le rapporter quand je voudrais. Je l'ai rendu le lendemain \
             avec une carte de remerciement.",
        ],
        created_at: "2026-11-18T20:30:00.000Z",
    },
    Seed {
        id: "demo-seed-6",
        staff_name: "Sam",
        role: ["Grocery associate", "Commis d'épicerie"],
        location: "Harbour Road",
        occurred_on: "2026-11-21",
        tags: &["took_initiative", "thought_ahead"],
        story: [
            "I was checking prices against last week's flyer. Sam noticed, went to the back and \
             brought me this week's, with the sale on my coffee circled. Saved me a second trip.",
            "Je comparais les prix avec la circulaire de la semaine passée. Sam l'a remarqué, est \
             allé en arrière et m'a rapporté celle de cette semaine, le rabais sur mon café \
             encerclé. Ça m'a évité un autre voyage.",
        ],
        created_at: "2026-11-21T10:15:00.000Z",
    },
];

/// The seed wall in `lang`.
pub fn seed_praise(lang: Lang) -> Vec<PublishedPraise> {
    let index = match lang {
        Lang::En => 0,
        Lang::FrCa => 1,
    };
    SEEDS
        .iter()
        .map(|seed| PublishedPraise {
            id: seed.id.to_owned(),
            staff_name: seed.staff_name.to_owned(),
            staff_role: Some(seed.role[index].to_owned()),
            location: Some(seed.location.to_owned()),
            occurred_on: Some(seed.occurred_on.to_owned()),
            tags: seed.tags.iter().map(|t| (*t).to_owned()).collect(),
            story: seed.story[index].to_owned(),
            created_at: seed.created_at.to_owned(),
            featured: false,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_roster_reads_whole() {
        let roster = seed_roster();
        assert_eq!(roster.len(), 9);
        assert!(roster
            .iter()
            .any(|member| member.name == "Christine Roy"
                && member.nicknames.contains(&"Kris".into())));
    }
    use crate::core::config::DEFAULT_TAGS;
    use crate::core::praise::{is_calendar_date, trimmed_len, STORY_MAX_CHARS, STORY_MIN_CHARS};

    #[test]
    fn six_valid_items_in_each_language() {
        for lang in [Lang::En, Lang::FrCa] {
            let items = seed_praise(lang);
            assert_eq!(items.len(), 6);
            for item in &items {
                let len = trimmed_len(&item.story);
                assert!(
                    (STORY_MIN_CHARS..=STORY_MAX_CHARS).contains(&len),
                    "{}",
                    item.id
                );
                assert!(is_calendar_date(item.occurred_on.as_deref().unwrap()));
                for tag in &item.tags {
                    assert!(DEFAULT_TAGS.iter().any(|(id, _)| id == tag), "{tag}");
                }
            }
        }
    }

    #[test]
    fn languages_differ_only_in_words() {
        let (en, fr) = (seed_praise(Lang::En), seed_praise(Lang::FrCa));
        for (e, f) in en.iter().zip(&fr) {
            assert_eq!(
                (&e.id, &e.staff_name, &e.tags),
                (&f.id, &f.staff_name, &f.tags)
            );
            assert_ne!(e.story, f.story);
        }
    }
}
