//! Canadian French words.

use super::Text;

/// The Canadian French words for `key`.
pub(super) fn text(key: Text) -> &'static str {
    match key {
        Text::FormTitle => "Soulignez le travail de notre équipe",
        Text::FormIntro => {
            "Un membre de notre équipe a embelli votre journée? Dites-nous qui et ce qu'il ou elle \
             a fait. Nous veillerons à lui transmettre vos mots."
        }
        Text::StaffNameLabel => "Qui aimeriez-vous remercier?",
        Text::StaffNameHint => "Commencez à taper son nom, comme sur son porte-nom.",
        Text::SuggestionsAvailable => {
            "{count} noms correspondants. Utilisez les flèches pour choisir."
        }
        Text::SuggestionsLabel => "Membres de l'équipe correspondants",
        Text::NameUnknownToggle => "Je n'ai pas retenu son nom",
        Text::StaffDescriptionLabel => "Décrivez cette personne pour que nous sachions qui c'était",
        Text::StaffDescriptionHint => {
            "Par exemple\u{a0}: grande, foulard rouge, au comptoir de la boulangerie."
        }
        Text::LocationLabel => "Où cela s'est-il passé?",
        Text::LocationChoose => "Choisissez un endroit",
        Text::DateLabel => "Quand?",
        Text::PartOfDayLabel => "Moment de la journée",
        Text::PartOfDayAny => "Je ne sais plus",
        Text::Morning => "Matin",
        Text::Afternoon => "Après-midi",
        Text::Evening => "Soir",
        Text::StoryLabel => "Qu'a-t-il ou elle fait?",
        Text::StoryHint => {
            "Les petits gestes comptent. Par exemple\u{a0}: «\u{a0}Il a vu que j'avais les mains \
             pleines et a porté ma commande jusqu'à l'auto.\u{a0}»"
        }
        Text::StoryCounter => "{count} sur {max} caractères",
        Text::TagsLegend => "Petits gestes, GRANDE différence",
        Text::TagsHint => "Cochez tout ce qui s'applique.",
        Text::TagTookInitiative => "A pris l'initiative",
        Text::TagWentExtraMile => "En a fait plus que demandé",
        Text::TagOwnedTheProblem => "A pris le problème en main",
        Text::TagGenuineWarmth => "Chaleur sincère",
        Text::TagThoughtAhead => "A pensé un pas en avant",
        Text::AboutYouLegend => "À propos de vous",
        Text::VisitorNameLabel => "Votre nom",
        Text::VisitorEmailLabel => "Votre courriel",
        Text::VisitorEmailHint => "Utilisé seulement si nous devons vous poser une question.",
        Text::ContactConsentLabel => "Vous pouvez me contacter au sujet de ce message.",
        Text::PublishConsentLabel => {
            "Vous pouvez publier ce message sur ce site (votre nom et votre courriel ne sont \
             jamais affichés)."
        }
        Text::Optional => "facultatif",
        Text::SubmitButton => "Envoyer mes remerciements",
        Text::Submitting => "Envoi de vos remerciements\u{2026}",
        Text::ErrorSummaryTitle => "Veuillez vérifier ces champs avant l'envoi\u{a0}:",
        Text::ErrorRequired => "Veuillez remplir ce champ.",
        Text::ErrorTooShort => "Veuillez écrire au moins {min} caractères.",
        Text::ErrorTooLong => "Veuillez vous limiter à {max} caractères.",
        Text::ErrorInvalidEmail => "Cette adresse courriel ne semble pas valide (nom@exemple.com).",
        Text::ErrorInvalidDate => "Veuillez entrer une date valide.",
        Text::ErrorFutureDate => "La date ne peut pas être dans le futur.",
        Text::ErrorCouldNotSend => {
            "Nous n'avons pas pu envoyer vos remerciements pour l'instant. Tout ce que vous avez \
             écrit est encore là; veuillez réessayer."
        }
        Text::ErrorRefused => {
            "Vos remerciements n'ont pas pu être acceptés. Tout ce que vous avez écrit est encore \
             là, vous pouvez donc le copier."
        }
        Text::ThanksTitle => "Merci!",
        Text::ThanksBody => {
            "Vos mots sont en route vers l'équipe. Quelques lignes comme celles-ci peuvent \
             illuminer toute une semaine."
        }
        Text::PraiseSomeoneElse => "Remercier quelqu'un d'autre",
        Text::WallTitle => "Les petits gestes qui font une GRANDE différence",
        Text::WallEmpty => {
            "Aucun message publié pour l'instant. Soyez la première personne à remercier \
             quelqu'un."
        }
        Text::WallLoading => "Chargement des messages\u{2026}",
        Text::WallUnavailable => {
            "Le mur des remerciements ne peut pas être affiché pour l'instant."
        }
        Text::WallShowMore => "Afficher plus de messages",
        Text::WallShowing => "{shown} sur {total} affichés",
        Text::DemoNotice => "Mode démo\u{a0}: ce que vous envoyez reste dans ce navigateur.",
    }
}
