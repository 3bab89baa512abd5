// Marks the page as having JavaScript before it is drawn, as GOV.UK Frontend expects.
// Kept in a file so that the Content-Security-Policy allows no inline script at all.
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');
