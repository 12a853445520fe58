// The revision form's webview app. It is filled in by the form work; the bundle exists now so
// the build, the CSP and the packaging already account for it.
export {};
