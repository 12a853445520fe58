/**
 * Turns what the Kubernetes client throws into a sentence a person can act on: what failed, on
 * which object, in which context, why, and the next step.
 *
 * Errors cross bundle boundaries as data. dist/kube.js, dist/extension.js and dist/cli.js each
 * carry their own copy of KubeActionError, so an error thrown in one is never `instanceof` the
 * class in another: callers read its kind and code with kubeErrorOf(), never by class identity.
 */

/** What went wrong, as callers branch on it. */
export const KubeErrorKinds = [
  /** Nothing to read: no kubeconfig file (KUBECONFIG, ~/.kube/config, the setting) or none with a context. */
  'noKubeconfig',
  /** A kubeconfig was named but cannot be used: missing file, unreadable, not YAML. */
  'badKubeconfig',
  /** The chosen context (e.g. the one stored for this workspace) is not in the kubeconfig (any more). */
  'unknownContext',
  /** The running Node.js is older than the bundles need (src/core/runtimeFloor.ts). */
  'unsupportedRuntime',
  'unreachable',
  'tls',
  'unauthorized',
  'forbidden',
  'notFound',
  'conflict',
  'invalid',
  'timeout',
  'unavailable',
  'precondition',
  'other',
] as const;

export type KubeErrorKind = (typeof KubeErrorKinds)[number];

/** An error as data: what every bundle may rely on. */
export interface KubeErrorData {
  kind: KubeErrorKind;
  message: string;
  /** The HTTP status, when the API server answered. */
  status?: number;
  /** Finer than the kind where a caller needs it: e.g. `missing` or `noContexts` for noKubeconfig, ECONNREFUSED for unreachable. */
  code?: string;
}

export class KubeActionError extends Error implements KubeErrorData {
  readonly code?: string;

  constructor(
    message: string,
    readonly kind: KubeErrorKind,
    readonly status?: number,
    options?: { cause?: unknown; code?: string },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'KubeActionError';
    if (options?.code !== undefined) this.code = options.code;
  }
}

const knownKinds = new Set<string>(KubeErrorKinds);

/**
 * The kind, code and message of an error thrown by any bundle's KubeActionError, read from its
 * fields; undefined for any other error.
 */
export function kubeErrorOf(error: unknown): KubeErrorData | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { name?: unknown; kind?: unknown; message?: unknown; status?: unknown; code?: unknown };
  if (e.name !== 'KubeActionError' || typeof e.kind !== 'string' || !knownKinds.has(e.kind) || typeof e.message !== 'string') return undefined;
  return {
    kind: e.kind as KubeErrorKind,
    message: e.message,
    ...(typeof e.status === 'number' ? { status: e.status } : {}),
    ...(typeof e.code === 'string' ? { code: e.code } : {}),
  };
}

/** What was being done, for the message: `scale revision 3 of "iris"`. */
export interface ActionDescription {
  action: string;
  namespace?: string;
  context?: string;
}

interface StatusBody {
  message?: string;
  reason?: string;
  details?: { causes?: Array<{ field?: string; message?: string; reason?: string }>; name?: string; kind?: string };
}

const TlsCodes = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
]);
const UnreachableCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EAI_AGAIN', 'EPIPE', 'UND_ERR_SOCKET']);
/** The server reset the request's HTTP/2 stream: kube-apiserver does this when its own request timeout fires (etcd slow or down). */
const DroppedCodes = new Set(['ERR_HTTP2_STREAM_ERROR', 'ERR_HTTP2_STREAM_CANCEL', 'ERR_HTTP2_GOAWAY_SESSION', 'ERR_HTTP2_SESSION_ERROR']);
const TimeoutCodes = new Set(['ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'ESOCKETTIMEDOUT']);

function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = error;
  while (current && chain.length < 8) {
    chain.push(current);
    current = (current as { cause?: unknown }).cause;
  }
  return chain;
}

function errorCode(error: unknown): string | undefined {
  for (const link of causeChain(error)) {
    const code = (link as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    const errno = (link as { errno?: unknown }).errno;
    if (typeof errno === 'string') return errno;
  }
  return undefined;
}

/** The HTTP status of an ApiException (client-node 2.x: `.code` is the status, `.body` a JSON string). */
export function httpStatus(error: unknown): number | undefined {
  const code = (error as { code?: unknown; statusCode?: unknown } | null)?.code ?? (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof code === 'number' ? code : undefined;
}

function statusBody(error: unknown): StatusBody | undefined {
  const body = (error as { body?: unknown } | null)?.body;
  if (typeof body === 'string') {
    try {
      return JSON.parse(body) as StatusBody;
    } catch {
      return { message: body };
    }
  }
  return typeof body === 'object' && body !== null ? (body as StatusBody) : undefined;
}

/** `needs patch on deployments/scale` from the API server's forbidden message. */
export function missingPermission(message: string | undefined): string | undefined {
  const match = message ? /cannot (\w+) resource "([^"]+)"(?: in API group "([^"]*)")?/.exec(message) : null;
  if (!match) return undefined;
  const group = match[3] ? `.${match[3]}` : '';
  const [resource, sub] = (match[2] ?? '').split('/');
  return `${match[1]} on ${resource}${group}${sub ? `/${sub}` : ''}`;
}

function where(description: ActionDescription): string {
  const parts: string[] = [];
  if (description.namespace) parts.push(`namespace "${description.namespace}"`);
  if (description.context) parts.push(`context "${description.context}"`);
  return parts.length > 0 ? ` in ${parts.join(' of ')}` : '';
}

export function describeKubeError(error: unknown, description: ActionDescription): KubeActionError {
  const known = kubeErrorOf(error);
  // Already described (perhaps by another bundle's copy of the class, which has the same fields).
  if (known) return error as KubeActionError;
  const head = `Could not ${description.action}${where(description)}`;
  const status = httpStatus(error);
  const body = statusBody(error);
  const serverMessage = body?.message;
  const code = errorCode(error);
  const make = (why: string, kind: KubeErrorKind): KubeActionError => new KubeActionError(`${head}: ${why}`, kind, status, { cause: error, ...(code ? { code } : {}) });
  if (status !== undefined && status >= 100) {
    switch (status) {
      case 401:
        return make('the cluster did not accept your credentials (401 Unauthorized). Log in again or refresh the token of this context in your kubeconfig.', 'unauthorized');
      case 403: {
        const needed = missingPermission(serverMessage);
        return make(`forbidden${needed ? ` (needs ${needed})` : ''}. Ask a cluster admin for that permission in this namespace, or switch to a context that has it.`, 'forbidden');
      }
      case 404:
        return make(`not found${serverMessage ? ` (${serverMessage})` : ''}. It may have been deleted meanwhile: refresh and try again.`, 'notFound');
      case 409:
        return make(`conflict${serverMessage ? ` (${serverMessage})` : ''}. Someone changed it at the same time: refresh and try again.`, 'conflict');
      case 410:
        return make('the data was too old (410 Gone). Refresh and try again.', 'conflict');
      case 422: {
        const causes = body?.details?.causes?.map((c) => (c.field ? `${c.field}: ${c.message ?? c.reason ?? 'invalid'}` : (c.message ?? ''))).filter(Boolean) ?? [];
        return make(`the API server rejected it as invalid: ${causes.length > 0 ? causes.join('; ') : (serverMessage ?? 'no details given')}. Fix that field in the spec and try again.`, 'invalid');
      }
      case 429:
        return make('the API server is overloaded (429 Too Many Requests). Wait a moment and try again.', 'unavailable');
      case 500:
      case 502:
      case 503:
        return make(`the API server failed (${status}${serverMessage ? `: ${serverMessage}` : ''}). Check the cluster's health and try again.`, 'unavailable');
      case 504:
        // A write that timed out may still be committed once the datastore catches up.
        return make('the API server timed out (504), so the change may or may not have been applied. Refresh to see what happened before trying again; if it persists, check the cluster (etcd).', 'timeout');
      default:
        return make(`the API server answered ${status}${serverMessage ? `: ${serverMessage}` : ''}.`, 'other');
    }
  }
  const text = error instanceof Error ? error.message : String(error);
  if (code && TlsCodes.has(code)) {
    return make(`the server's TLS certificate was not accepted (${code}). Check certificate-authority-data of the cluster in your kubeconfig; skip verification only if your kubeconfig says insecure-skip-tls-verify.`, 'tls');
  }
  if (code && UnreachableCodes.has(code)) {
    return make(`cannot reach the API server (${code}). Check that the cluster is running and reachable from this machine (VPN, proxy), then retry.`, 'unreachable');
  }
  if (code && DroppedCodes.has(code)) {
    return make(`the API server dropped the request (${code}), as it does when its datastore (etcd) is slow or down, so the change may or may not have been applied. Refresh to see what happened before trying again; if it persists, check the cluster's health.`, 'unavailable');
  }
  if ((code && TimeoutCodes.has(code)) || (error as { name?: string } | null)?.name === 'TimeoutError' || (error as { name?: string } | null)?.name === 'AbortError') {
    return make('the API server did not answer in time. Check that the cluster is reachable, then retry.', 'timeout');
  }
  if (/fetch failed|socket hang up|connect/i.test(text)) {
    return make(`cannot reach the API server (${text}). Check that the cluster is running and reachable, then retry.`, 'unreachable');
  }
  return make(text, 'other');
}

/**
 * Someone else changed a service's traffic between this client's read and its write. Never
 * overwritten: the write is refused and the person sees the split as it is now.
 */
export function trafficConflict(description: ActionDescription & { service: string }, now: string): KubeActionError {
  return new KubeActionError(`Could not ${description.action}${where(description)}: someone else changed the traffic of "${description.service}" meanwhile: it is now ${now}. Look at the new split and try again.`, 'conflict', 409, { code: 'trafficChanged' });
}

/** A traffic rule refuses the action (a revision that serves, a sum that is not 100): what, why and the fix. */
export function trafficRefusal(description: ActionDescription, why: string, code = 'trafficRule'): KubeActionError {
  return new KubeActionError(`Could not ${description.action}${where(description)}: ${why}.`, 'precondition', undefined, { code });
}

/** A traffic edit that is invalid as given (percent, tag name, plan). */
export function trafficInvalid(description: ActionDescription, why: string): KubeActionError {
  return new KubeActionError(`Could not ${description.action}${where(description)}: ${why}.`, 'invalid', undefined, { code: 'trafficInvalid' });
}
