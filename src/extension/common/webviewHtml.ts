import * as vscode from 'vscode';

/** 128 random bits; Web Crypto is loaded on first use, keeping node:crypto out of activation. */
function nonce(): string {
  return Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(16))).toString('base64url');
}

/**
 * The page of one of the extension's webviews (the revision form, a details panel): its app's
 * script and stylesheet from dist/, under a Content Security Policy that allows nothing else —
 * scripts only with this load's nonce, styles, fonts and images only from the extension.
 */
export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, page: { script: string; style: string; title: string }): string {
  const n = nonce();
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', page.script));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', page.style));
  const csp = [`default-src 'none'`, `style-src ${webview.cspSource}`, `font-src ${webview.cspSource}`, `img-src ${webview.cspSource} data:`, `script-src 'nonce-${n}'`].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
<title>${page.title.replace(/[<>&"]/g, '')}</title>
</head>
<body>
<div id="app"></div>
<script type="module" nonce="${n}" src="${script.toString()}"></script>
</body>
</html>`;
}
