// Runs before the page paints, so components styled for JavaScript do not flicker.
// Kept in a file rather than inline so a strict Content Security Policy can forbid inline script.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
