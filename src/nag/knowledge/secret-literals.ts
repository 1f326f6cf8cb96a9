import { isReference, UnknownValue, unknownOf, Value, Expression } from '../engine/values';

/**
 * Secrets written as plain text into a template: credentials in prompts (V12) and in the environment of build
 * projects, model containers and functions (V5). Findings name the kind of secret, never the secret itself.
 */

/** Past this length a text is scanned only in its first part: bounds the work on hostile input. */
const MAX_SCAN_CHARS = 200_000;

/** Literals that are credentials whatever they are called, with what they are. */
const SECRET_PATTERNS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/, 'an AWS access key ID (AKIA…)'],
  [/-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----/, 'a private key (-----BEGIN … PRIVATE KEY-----)'],
  [/\{\{resolve:secretsmanager:/i, 'a secret resolved into plain text by a CloudFormation dynamic reference ({{resolve:secretsmanager:…}})'],
  [/\{\{resolve:ssm-secure:/i, 'a secret resolved into plain text by a CloudFormation dynamic reference ({{resolve:ssm-secure:…}})'],
  [/\bBearer\s+[A-Za-z0-9\-._~+/]{20,}=*/, 'a bearer token'],
  [/\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/, 'a JSON web token'],
  [/\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}\b|\bgithub_pat_[A-Za-z0-9_]{22,}/, 'a GitHub token'],
  [/\bhf_[A-Za-z0-9]{30,}\b/, 'a Hugging Face access token (hf_…)'],
  [/\bsk-(?:ant-|proj-)?[A-Za-z0-9_-]{20,}/, 'a model-provider API key (sk-…)'],
  [/\bxox[abposr]-[A-Za-z0-9-]{10,}/, 'a Slack token'],
  [/\bAIza[0-9A-Za-z_-]{35}\b/, 'a Google API key'],
  [/\b[sr]k_live_[0-9A-Za-z]{16,}/, 'a Stripe live key'],
  [/:\/\/[^\s:/@*]+:[^\s@/*${}]{3,}@/, 'a URL with an embedded password'],
  // `password=hunter2`, `api_key: abc123`: the value must start like a literal, not a placeholder (`{{x}}`, `${x}`, `<x>`).
  // It must hold a digit: prose such as "keep the API key: never share it" is not a credential.
  [/\b(?:password|passwd|pwd|passphrase|secret|client[_-]?secret|api[_-]?key|access[_-]?token|auth[_-]?token)\s*[:=]\s*["']?(?=[A-Za-z0-9!#%&()+,\-./;?@[\]^_`|~]*\d)[A-Za-z0-9!#%&()+,\-./;?@[\]^_`|~]{4,}/i,
    'a credential assignment (password=…, api_key=…)'],
];

/** An HTTP Basic `Authorization` value: base64 that may encode `user:password`. */
const BASIC_CREDENTIAL = /\bBasic\s+([A-Za-z0-9+/]{8,}={0,2})(?![A-Za-z0-9+/=])/g;

/** Whether a text holds an HTTP Basic credential: base64 that decodes to printable `user:password` (not the word `authentication`). */
function holdsBasicCredential(text: string): boolean {
  for (const match of text.matchAll(BASIC_CREDENTIAL)) {
    if (/^[\x20-\x7e]+:[\x20-\x7e]+$/.test(Buffer.from(match[1], 'base64').toString('latin1'))) return true;
  }
  return false;
}

/** What kind of secret a text contains, if it contains one. */
export function secretIn(text: string): string | undefined {
  const scanned = text.length > MAX_SCAN_CHARS ? text.slice(0, MAX_SCAN_CHARS) : text;
  for (const [pattern, what] of SECRET_PATTERNS) if (pattern.test(scanned)) return what;
  if (holdsBasicCredential(scanned)) return 'an HTTP Basic credential (Basic <base64 user:password>)';
  return undefined;
}

/**
 * Name fragments of variables that hold credentials; `SECRET`, `TOKEN` and `PWD` only as whole words (not `MAX_TOKENS`,
 * `TOKENIZER`), `PASS` only as the last word (`DB_PASS`, not `BYPASS` or `PASS_THROUGH`).
 */
const SECRET_NAME = /PASSWORD|PASSWD|PASSPHRASE|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIAL|AUTH_?KEY|SIGNING_?KEY|CLIENT_?SECRET|(?:^|_)(?:SECRET|TOKEN|PWD)(?:_|$)|(?:^|_)PASS$/;

/** Name endings of variables that name or describe a credential without holding it (`DB_SECRET_ARN`, `TOKEN_TTL`). */
const REFERENCE_NAME = /_(?:ARN|NAME|ID|URL|URI|ENDPOINT|HOST|PATH|FILE|PARAM|PARAMETER|HEADER|TTL|ENABLED|TYPE|REGION|LENGTH|EXPIRY|EXPIRATION|SECONDS|MINUTES|HOURS|DAYS|LOCATION|VERSION|FIELD|PREFIX|COUNT|LIMIT|MODE|POLICY|TABLE|BUCKET|KEY_ALIAS|ALGORITHM|FORMAT)$/;

/** Whether a variable's name says it holds a credential (`DB_PASSWORD`, `HF_TOKEN`, `OpenAiApiKey`). */
export function isSecretName(name: string): boolean {
  const normalised = name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[-.\s]/g, '_').toUpperCase();
  return SECRET_NAME.test(normalised) && !REFERENCE_NAME.test(normalised);
}

/** Values that cannot be a credential: switches, small numbers, names of where the secret is kept. */
function isBenignValue(value: string): boolean {
  const v = value.trim();
  if (v.length < 4) return true;
  if (/^(?:true|false|yes|no|on|off|enabled|disabled|none|null|required|optional)$/i.test(v)) return true;
  if (/^\d{1,6}$/.test(v)) return true;
  // An ARN, an SSM parameter path, an S3 or web location without credentials, a plain-parameter dynamic reference.
  if (/^(?:arn:|\/|s3:\/\/|https?:\/\/[^@]*$|\{\{resolve:ssm:)/i.test(v)) return true;
  // A placeholder filled in elsewhere.
  return /^(?:\$\{[^}]*\}|\{\{[^}]*\}\}|<[^>]*>|\$[A-Z_][A-Z0-9_]*)$/i.test(v);
}

/** A plain-text variable judged: a secret (with what it is), a value that cannot be read, or nothing wrong. */
export type SecretVerdict = { readonly state: 'secret'; readonly what: string } | { readonly state: 'unknown'; readonly reason: string } | undefined;

/**
 * Judges one plain-text environment variable: a secret when its value contains a credential literal, or when its
 * name says it holds a credential and its value is a literal (not a reference to a secret store); unknown when such
 * a name holds a value not known at synth time.
 */
export function environmentSecret(name: string, value: Value): SecretVerdict {
  if (typeof value === 'string') {
    const found = secretIn(value);
    if (found) return { state: 'secret', what: `holds ${found}` };
    if (isSecretName(name) && !isBenignValue(value)) return { state: 'secret', what: 'is named as a credential and holds a literal value' };
    return undefined;
  }
  if (typeof value === 'number') return undefined;
  if (value instanceof Expression) {
    const found = secretIn(value.pattern);
    if (found) return { state: 'secret', what: `holds ${found}` };
    return undefined;
  }
  if (isReference(value) || !isSecretName(name)) return undefined;
  const unknown = unknownOf(value);
  if (unknown && !unknown.insideUnknown) return { state: 'unknown', reason: unknown.reason };
  return undefined;
}

/** The variables of an environment map (`{NAME: value}`), or unknown when the map cannot be read. */
export function environmentEntries(environment: Value): Array<readonly [string, Value]> | UnknownValue {
  if (environment === undefined || environment === null) return [];
  const unknown = unknownOf(environment);
  if (unknown) return unknown;
  if (typeof environment !== 'object' || Array.isArray(environment) || isReference(environment)) {
    return new UnknownValue('an environment that is not a map of names to values');
  }
  return Object.entries(environment as Record<string, Value>);
}
