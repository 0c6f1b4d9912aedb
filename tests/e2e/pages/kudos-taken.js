// The host page's own "Kudos" (a points library, say), set before the widget's loader runs.
window.Kudos = { award: (points) => points * 2 };
