import { Expression, ResourceReference, UnknownValue } from '../../../src/nag/engine/values';
import { environmentEntries, environmentSecret, isSecretName, secretIn } from '../../../src/nag/knowledge/secret-literals';

describe('secretIn', () => {
  test.each([
    ['AKIAIOSFODNN7EXAMPLE', /AWS access key ID/],
    ['-----BEGIN RSA PRIVATE KEY-----\nMII', /private key/],
    ['{{resolve:secretsmanager:db:SecretString:password}}', /dynamic reference \(\{\{resolve:secretsmanager/],
    ['{{resolve:ssm-secure:/app/api-key}}', /dynamic reference \(\{\{resolve:ssm-secure/],
    ['Basic YWRtaW46czNjcmV0cHc=', /HTTP Basic credential/],
    ['Authorization: Bearer abcdefghijklmnopqrstuvwxyz012345', /bearer token/],
    ['eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U', /JSON web token/],
    [`ghp_${'a'.repeat(36)}`, /GitHub token/],
    [`hf_${'A'.repeat(34)}`, /Hugging Face/],
    ['sk-ant-abcdefghijklmnopqrstuvwxyz', /model-provider API key/],
    ['xoxb-1234567890-abcdef', /Slack token/],
    [`AIza${'B'.repeat(35)}`, /Google API key/],
    [`sk_live_${'c'.repeat(24)}`, /Stripe live key/],
    ['postgres://admin:s3cretpw@db.internal:5432/app', /URL with an embedded password/],
    ['You are a helper. password=hunter22', /credential assignment/],
    ['api_key: "abc123def"', /credential assignment/],
  ])('%s holds a secret', (text, what) => {
    expect(secretIn(text)).toMatch(what);
  });

  test.each([
    'You are a helpful assistant. Never reveal the API key: never share it.',
    'password=${DB_PASSWORD}',
    'password: {{password}}',
    'https://example.com/path',
    'postgres://admin@db.internal/app',
    'postgres://admin:${PW}@db/app',
    'max_tokens=4096',
    'Basic authentication is not used',
    'Basic YWRtaW5pc3RyYXRvcg==',
    '',
  ])('%p holds no secret', (text) => {
    expect(secretIn(text)).toBeUndefined();
  });

  test('only the first 200 000 characters of a long text are scanned', () => {
    expect(secretIn(' '.repeat(199_000) + 'AKIAIOSFODNN7EXAMPLE')).toBeDefined();
    expect(secretIn(' '.repeat(200_001) + 'AKIAIOSFODNN7EXAMPLE')).toBeUndefined();
  });
});

describe('isSecretName', () => {
  test.each(['DB_PASSWORD', 'HF_TOKEN', 'OpenAiApiKey', 'apiKey', 'CLIENT_SECRET', 'SECRET', 'aws-access-key', 'PRIVATE_KEY', 'signing.key', 'PWD', 'DB_PASS', 'admin_pass', 'PASS'])('%s names a credential', (name) => {
    expect(isSecretName(name)).toBe(true);
  });

  test.each(['MAX_TOKENS', 'TOKENIZER', 'DB_SECRET_ARN', 'TOKEN_TTL', 'API_KEY_HEADER', 'SECRET_NAME', 'MODEL_ID', 'SECRETARY', 'PWD_PATH', 'LOG_LEVEL', 'BYPASS', 'PASS_THROUGH', 'COMPASS', 'PASS_RATE'])('%s does not', (name) => {
    expect(isSecretName(name)).toBe(false);
  });
});

describe('environmentSecret', () => {
  test('a credential literal in any variable is a secret, named by kind and never by value', () => {
    const verdict = environmentSecret('CONFIG', 'AKIAIOSFODNN7EXAMPLE');
    expect(verdict).toEqual({ state: 'secret', what: 'holds an AWS access key ID (AKIA…)' });
    expect(JSON.stringify(verdict)).not.toContain('IOSFODNN7');
  });

  test('a credential name holding a literal is a secret; benign values are not', () => {
    expect(environmentSecret('DB_PASSWORD', 'correct-horse')).toEqual({ state: 'secret', what: 'is named as a credential and holds a literal value' });
    for (const benign of ['abc', 'true', 'Disabled', '8080', 'arn:aws:secretsmanager:eu-west-2:1:secret:x', '/prod/db/password', 's3://b/k',
      'https://vault.example.com/x', '{{resolve:ssm:/p}}', '${DB_PASSWORD}', '{{pw}}', '<password>', '$DB_PASSWORD']) {
      expect(environmentSecret('DB_PASSWORD', benign)).toBeUndefined();
    }
    expect(environmentSecret('GREETING', 'correct-horse')).toBeUndefined();
  });

  test('numbers and references are never secrets', () => {
    expect(environmentSecret('DB_PASSWORD', 1234567)).toBeUndefined();
    expect(environmentSecret('DB_PASSWORD', new ResourceReference('Secret', 'S'))).toBeUndefined();
  });

  test('an expression is scanned on its literal parts', () => {
    const ref = new ResourceReference('Db', 'S', 'Endpoint.Address');
    expect(environmentSecret('DB_URL', new Expression(['postgres://admin:hunter22@', ref, '/app']))?.state).toBe('secret');
    expect(environmentSecret('DB_PASSWORD', new Expression(['prefix-', ref]))).toBeUndefined();
  });

  test('a credential name holding a value not known at synth time is unknown; inside an unreadable block it is not', () => {
    expect(environmentSecret('API_KEY', new UnknownValue('parameter Key has no default'))).toEqual({ state: 'unknown', reason: 'parameter Key has no default' });
    expect(environmentSecret('API_KEY', new UnknownValue('inside', true))).toBeUndefined();
    expect(environmentSecret('LOG_LEVEL', new UnknownValue('imported'))).toBeUndefined();
  });
});

describe('environmentEntries', () => {
  test('the entries of a map; none for an absent map', () => {
    expect(environmentEntries({ A: '1', B: 2 })).toEqual([['A', '1'], ['B', 2]]);
    expect(environmentEntries(undefined)).toEqual([]);
    expect(environmentEntries(null)).toEqual([]);
  });

  test('an environment that cannot be read is unknown', () => {
    const unknown = new UnknownValue('imported');
    expect(environmentEntries(unknown)).toBe(unknown);
    for (const v of [['A=1'], 'A=1', new ResourceReference('X', 'S'), 7]) {
      expect(environmentEntries(v)).toBeInstanceOf(UnknownValue);
    }
  });
});
