// GOV.UK Frontend styles its JavaScript-enhanced components only once it knows modules will run.
// A file rather than an inline script, so that the Content-Security-Policy can forbid inline ones.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
