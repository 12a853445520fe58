/** 128 random bits for a webview's Content Security Policy; Web Crypto, so node:crypto stays out of activation. */
export function nonce(): string {
  return Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(16))).toString('base64url');
}
