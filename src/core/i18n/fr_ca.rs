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
        Text::ErrorNotAccepted => {
            "Le site n'a pas pu accepter ceci. Veuillez le vérifier et réessayer."
        }
        Text::Queued => {
            "Enregistré \u{2014} nous l'enverrons dès que vous serez de nouveau en ligne. Vous \
             pouvez fermer cette page\u{a0}: il sera envoyé à votre prochaine visite."
        }
        Text::QueuedNoAnswer => {
            "Enregistré \u{2014} le site n'a pas répondu, nous réessaierons donc pendant un \
             certain temps. Vous pouvez fermer cette page\u{a0}: nous réessaierons à votre \
             prochaine visite."
        }
        Text::QueuedNotSaved => {
            "Pas encore envoyé, et nous n'avons pas pu l'enregistrer dans ce navigateur\u{a0}: \
             gardez cette page ouverte pendant que nous réessayons, ou copiez votre texte."
        }
        Text::CancelQueued => "Arrêter l'envoi et modifier",
        Text::ThanksTitle => "Merci!",
        Text::ThanksBody => {
            "Vos mots sont en route vers l'équipe. Quelques lignes comme celles-ci peuvent \
             illuminer toute une semaine."
        }
        Text::ThanksDemoBody => {
            "Mode démo\u{a0}: rien n'a été envoyé. Vos mots restent dans ce navigateur seulement; \
             sur un site réel, ils seraient maintenant en route vers l'équipe."
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
        Text::ErrorConsentRequired => {
            "Veuillez cocher la case pour accepter de recevoir l'infolettre."
        }
        Text::NewsletterTitle => "Abonnez-vous à notre infolettre",
        Text::NewsletterIntro => {
            "Nouvelles des magasins, recettes de saison et quelques aubaines, environ deux fois \
             par mois."
        }
        Text::NewsletterEmailLabel => "Adresse courriel",
        Text::NewsletterFirstNameLabel => "Prénom",
        Text::NewsletterListsLegend => "Que souhaitez-vous recevoir?",
        Text::NewsletterConsent => {
            "Oui, {company} peut m'envoyer son infolettre par courriel\u{a0}: nouvelles, recettes \
             et offres."
        }
        Text::NewsletterContact => "Pour nous joindre\u{a0}: {contact}.",
        Text::NewsletterWithdraw => {
            "Je peux retirer mon consentement en tout temps grâce au lien de désabonnement \
             présent dans chaque courriel ou en communiquant avec l'expéditeur."
        }
        Text::NewsletterSenderFallback => "le propriétaire de ce site",
        Text::NewsletterPrivacyLink => "Politique de confidentialité",
        Text::NewsletterSubmit => "M'abonner",
        Text::NewsletterSubmitting => "Abonnement en cours\u{2026}",
        Text::NewsletterSubscribedTitle => "Vous êtes abonné",
        Text::NewsletterSubscribedBody => {
            "Merci de votre inscription. La prochaine infolettre arrivera dans votre boîte de \
             réception."
        }
        Text::NewsletterConfirmTitle => "Vérifiez votre boîte de réception",
        Text::NewsletterConfirmBody => {
            "Nous vous avons envoyé un courriel avec un lien de confirmation. Votre abonnement \
             commence lorsque vous cliquez dessus."
        }
        Text::NewsletterDemoConfirm => {
            "Mode démo\u{a0}: aucun courriel n'a été envoyé. Avec un point de terminaison réel, \
             c'est à ce moment que le courriel de confirmation partirait."
        }
        Text::NewsletterDidYouMean => "Vouliez-vous dire {email}?",
        Text::NewsletterCouldNotSend => {
            "Nous n'avons pas pu vous abonner pour l'instant. Vos renseignements sont encore là; \
             veuillez réessayer."
        }
        Text::NewsletterRefused => {
            "Votre abonnement n'a pas pu être accepté. Veuillez vérifier vos renseignements ou \
             nous joindre."
        }
    }
}
