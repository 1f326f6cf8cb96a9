import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import * as ts from 'typescript';
import { TemplateFixture, validate, ValidationRun } from './harness';
import { CATALOGUE, ruleSourceFile } from '../../src/nag/catalogue';
import { SecureAiChecksProps } from '../../src/nag/secure-ai-checks';
import { SecureAiRule } from '../../src/nag/secure-ai-rule';

/*
 * Property-based fuzzing of every rule of the catalogue. For each rule, fast-check builds stacks of resources of the
 * types the rule reads, plus the other types its source and tests name (so that cross-resource look-ups find
 * something), with random and malformed properties: wrong types, nested intrinsics (Fn::If, Ref to parameters with
 * and without defaults, Fn::ImportValue, Fn::Join/Fn::Sub around references, Fn::GetAtt to other generated resources,
 * unknown Fn:: functions, AWS::NoValue), tokens in lists, empty objects, huge strings, unknown enum values.
 *
 * So that the deep code paths are reached and not only rejected at the top, the properties are built from what the
 * rule actually reads: the property paths and values in its source (and the engine files it imports), and the
 * fixtures of the rule tests (test/nag/rules/**), parsed with the TypeScript compiler and mutated at random. Nothing
 * here lists rules by hand: a rule added to CATALOGUE is fuzzed at its own paths.
 *
 * Each run must hold: no SecureAI-EngineError (a rule threw), and every rule's tally adds up.
 * FUZZ_RUNS sets the runs per rule (default 50 on a developer's machine, 500 where CI=true, as in CI), FUZZ_SEED replays a run (the seed is logged at the start; fast-check
 * prints it with the counterexample on failure), FUZZ_RULES=O1,P14 fuzzes only those rules.
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? (process.env.CI === 'true' ? 500 : 50));
const SEED = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : Date.now() % 2_147_483_647;
const ONLY = process.env.FUZZ_RULES?.split(',').map((r) => r.trim());
/** Resources of the rule's own types, and of companion types, per stack. */
const MAX_RULE_TYPES = 3;
const MAX_COMPANIONS = 3;
const HUGE = 'x'.repeat(100_000);
/** Stands for a value a fixture computes (a variable, a call): always replaced by a random value. */
const HOLE = '@@HOLE@@';
/** A spot in a JSON document where a reference is spliced in (`Fn::Join` around it). */
const REF_MARK = '@@REF@@';

const ROOT = path.join(__dirname, '../..');
const SRC = path.join(ROOT, 'src/nag');

// ---------------------------------------------------------------------------------------------------------------
// Reading the sources: rule files, the engine files they import, and the rule tests.

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(full) : e.name.endsWith('.ts') ? [full] : [];
  });
}

/** The rule files by the catalogue ID they declare. */
const RULE_FILES = new Map<string, string>(CATALOGUE.map((r) => [r.id, path.join(ROOT, ruleSourceFile(r.id)!)]));

/** The test file of a rule file: test/nag/rules/<section>/<name>.test.ts. */
function testFileOf(ruleFile: string): string {
  return path.join(ROOT, 'test', path.relative(path.join(ROOT, 'src'), ruleFile)).replace(/\.ts$/, '.test.ts');
}

/** A source file and the engine files it imports, transitively. */
function sourcesOf(file: string, seen = new Set<string>()): string[] {
  if (seen.has(file) || !fs.existsSync(file)) return [];
  seen.add(file);
  const text = fs.readFileSync(file, 'utf8');
  const out = [text];
  for (const m of text.matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
    const target = path.resolve(path.dirname(file), `${m[1]}.ts`);
    if (target.startsWith(path.join(SRC, 'engine'))) out.push(...sourcesOf(target, seen));
  }
  return out;
}

function literalsOf(source: string): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(/'((?:[^'\\\n]|\\.){0,200})'/g)) out.push(m[1]);
  for (const m of source.matchAll(/"((?:[^"\\\n]|\\.){0,200})"/g)) out.push(m[1]);
  for (const m of source.matchAll(/`([^`]{0,300})`/g)) out.push(...m[1].split(/\$\{[^}]*\}/));
  return out;
}

/** The value of an expression of a test fixture, with what it computes (variables, calls) as holes. */
function toValue(node: ts.Node, depth = 0): unknown {
  if (depth > 40) return HOLE;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isNumericLiteral(node)) return Number(node.text);
  if (node.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (node.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (node.kind === ts.SyntaxKind.NullKeyword) return null;
  if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(node.operand)) {
    return -Number(node.operand.text);
  }
  if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node)) return toValue(node.expression, depth + 1);
  if (ts.isTemplateExpression(node)) return node.head.text + node.templateSpans.map((s) => `${REF_MARK}${s.literal.text}`).join('');
  if (ts.isArrayLiteralExpression(node)) return node.elements.filter((e) => !ts.isSpreadElement(e)).map((e) => toValue(e, depth + 1));
  if (ts.isObjectLiteralExpression(node)) {
    const out: Record<string, unknown> = {};
    for (const p of node.properties) {
      if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name) || ts.isNumericLiteral(p.name))) {
        out[p.name.text] = toValue(p.initializer, depth + 1);
      } else if (ts.isShorthandPropertyAssignment(p)) {
        out[p.name.text] = HOLE;
      }
    }
    return out;
  }
  return HOLE;
}

/** A resource of a test fixture: `Name: { Type: 'AWS::...', Properties: {...} }`. */
interface TypedSeed {
  readonly type: string;
  readonly logicalId?: string;
  readonly properties: Record<string, unknown>;
}

const isPlain = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const TYPE_NAME = /^(?:AWS::[A-Za-z0-9]+::[A-Za-z0-9]+|Custom::[A-Za-z0-9]+)$/;

/** The object literals of a test file: resources with their type, and other fragments with CloudFormation-style keys. */
function fixturesOf(file: string): { typed: TypedSeed[]; fragments: Array<Record<string, unknown>> } {
  const typed: TypedSeed[] = [];
  const fragments: Array<Record<string, unknown>> = [];
  if (!fs.existsSync(file)) return { typed, fragments };
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const seen = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isObjectLiteralExpression(node)) {
      const value = toValue(node);
      const key = JSON.stringify(value);
      if (isPlain(value) && !seen.has(key) && key.length < 20_000) {
        seen.add(key);
        const parent = node.parent;
        const logicalId = ts.isPropertyAssignment(parent) && ts.isIdentifier(parent.name) ? parent.name.text : undefined;
        if (typeof value.Type === 'string' && TYPE_NAME.test(value.Type)) {
          typed.push({ type: value.Type, logicalId, properties: isPlain(value.Properties) ? value.Properties : {} });
        } else if (Object.keys(value).some((k) => /^[A-Z]/.test(k) || k.startsWith('Fn::'))) {
          fragments.push(value);
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { typed, fragments };
}

/** Resources of every rule test, by type: shapes the fuzzer mutates for any rule that reads the type. */
const TYPED_SEEDS = new Map<string, TypedSeed[]>();
for (const file of filesUnder(path.join(ROOT, 'test/nag/rules'))) {
  for (const seed of fixturesOf(file).typed) {
    const list = TYPED_SEEDS.get(seed.type) ?? [];
    list.push(seed);
    TYPED_SEEDS.set(seed.type, list);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The vocabulary of each rule.

interface Profile {
  /** Property paths the rule (or an engine file it uses) reads, as segments. */
  readonly paths: string[][];
  /** Property names it mentions. */
  readonly keys: string[];
  /** String literals it and its tests mention: enum values, prefixes, ARNs, names. */
  readonly values: string[];
  /** Other resource types it and its tests mention: what its cross-resource look-ups read. */
  readonly companions: string[];
  /** Fragments of its test fixtures. */
  readonly fragments: Array<Record<string, unknown>>;
  /** Logical IDs its test fixtures use, so that references between seeded resources resolve. */
  readonly logicalIds: string[];
}

const WORD = /^[A-Za-z][A-Za-z0-9]{1,60}$/;

function profileOf(rule: SecureAiRule): Profile {
  const file = RULE_FILES.get(rule.id);
  const sources = file ? sourcesOf(file) : [];
  const testFile = file ? testFileOf(file) : undefined;
  const testSource = testFile && fs.existsSync(testFile) ? fs.readFileSync(testFile, 'utf8') : '';
  const { fragments, typed } = testFile ? fixturesOf(testFile) : { fragments: [], typed: [] };
  const paths: string[][] = [];
  const keys = new Set<string>(['Tags', 'Name', 'Arn']);
  const values = new Set<string>(['', 'true', 'false', 'TRUE', 'DRAFT', '*', 'NOW', '0', '-1', '1.5', '1e400', 'ai:asset', 'prod',
    'Environment', 'arn:aws:s3:::bucket/key', 's3://bucket/key', 'arn:aws:iam::111122223333:role/r', REF_MARK, '${Token[TOKEN.1]}']);
  const companions = new Set<string>();
  for (const literal of [...sources.flatMap(literalsOf), ...literalsOf(testSource)]) {
    const text = literal.replace(/^Properties\./, '').replace(/\[\d+\]/g, '');
    if (/^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)+$/.test(text)) paths.push(text.split('.'));
    for (const part of text.split('.')) if (WORD.test(part)) keys.add(part);
    if (TYPE_NAME.test(literal) && !rule.resourceTypes.includes(literal)) companions.add(literal);
    if (literal.length <= 100) values.add(literal);
  }
  for (const source of sources) {
    // readPath(value, ['A', 'B']) and friends: lists of property names are paths.
    for (const m of source.matchAll(/\[\s*'[A-Za-z]\w*'(?:\s*,\s*'[A-Za-z]\w*')+\s*\]/g)) paths.push([...m[0].matchAll(/'(\w+)'/g)].map((w) => w[1]));
    // member(member(x, 'a'), 'b'): a path read below a parsed JSON document.
    for (const line of source.split('\n')) {
      if (!line.includes('member(member(')) continue;
      const words = [...line.matchAll(/member\([^()]*?,\s*'(\w+)'\)|,\s*'(\w+)'\)/g)].map((m) => m[1] ?? m[2]);
      if (words.length > 1) paths.push(words);
    }
    // value.EnableCapture, rule.TargetBackupVault: properties read directly.
    for (const m of source.matchAll(/\.([A-Z][a-z][A-Za-z0-9]*)\b/g)) keys.add(m[1]);
  }
  for (const key of keys) paths.push([key]);
  return {
    paths,
    keys: [...keys],
    values: [...values],
    companions: [...companions],
    fragments,
    logicalIds: [...new Set(typed.map((t) => t.logicalId).filter((id): id is string => id !== undefined))],
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Arbitraries.

const GENERATED_IDS = ['R0', 'R1', 'R2', 'R3', 'R4', 'R5'];
const PARAMETERS = ['P0', 'P1', 'P2', 'P3', 'P4'];
const ATTRIBUTES = ['Arn', 'EndpointName', 'Version', 'GuardrailArn', 'GuardrailId', 'AgentVersion', 'JobDefinitionName', 'RootResourceId',
  'Name', 'RoleId', 'KeyId', 'FunctionArn', ''];
const PSEUDO = ['AWS::NoValue', 'AWS::Region', 'AWS::AccountId', 'AWS::Partition', 'AWS::StackName', 'AWS::URLSuffix', 'Missing'];

/** Splices references into a JSON text at its reference marks: a string, or `Fn::Join` around the references. */
function spliced(text: string, refs: unknown[]): unknown {
  const pieces = text.split(REF_MARK);
  if (pieces.length === 1 || refs.length === 0) return text;
  const parts: unknown[] = [];
  pieces.forEach((p, i) => {
    if (i > 0) parts.push(refs[(i - 1) % refs.length]);
    parts.push(p);
  });
  return { 'Fn::Join': ['', parts] };
}

/** Any value a property can hold, intrinsics and junk included. */
function valueArbitrary(profile: Profile): fc.Arbitrary<unknown> {
  const ids = [...GENERATED_IDS, ...profile.logicalIds];
  const text = fc.oneof(
    { weight: 24, arbitrary: fc.constantFrom(...profile.values) },
    { weight: 8, arbitrary: fc.string({ maxLength: 12 }) },
    { weight: 4, arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }) },
    { weight: 1, arbitrary: fc.constant(HUGE) },
  );
  const scalar = fc.oneof(
    { weight: 8, arbitrary: text },
    { weight: 2, arbitrary: fc.integer({ min: -5, max: 100_000 }) },
    { weight: 1, arbitrary: fc.double() },
    { weight: 2, arbitrary: fc.boolean() },
    { weight: 1, arbitrary: fc.constantFrom(null, {}, [], { Ref: 'AWS::NoValue' }) },
  );
  const key = fc.constantFrom(...profile.keys);
  const ref = fc.constantFrom(...ids, ...PARAMETERS, ...PSEUDO).map((r) => ({ Ref: r }));
  const getAtt = fc.tuple(fc.constantFrom(...ids, 'Missing'), fc.constantFrom(...ATTRIBUTES), fc.boolean())
    .map(([id, attribute, short]) => ({ 'Fn::GetAtt': short ? `${id}.${attribute}` : [id, attribute] }));
  const reference = fc.oneof(ref, getAtt);
  const subTemplate = fc.array(fc.oneof(text,
    fc.constantFrom('${R0}', '${R1.Arn}', '${P0}', '${P1}', '${AWS::Region}', '${!Literal}', '${Missing}', '${Var}')), { maxLength: 4 })
    .map((parts) => parts.join(''));
  const { value } = fc.letrec<{ value: unknown }>((tie) => {
    const inner = tie('value');
    const intrinsic = fc.oneof(
      reference,
      fc.tuple(inner, inner).map(([a, b]) => ({ 'Fn::If': ['Cond', a, b] })),
      fc.oneof(text, reference).map((name) => ({ 'Fn::ImportValue': name })),
      fc.tuple(fc.constantFrom('', ':', '/', ','), fc.array(fc.oneof(text, reference, inner), { maxLength: 4 }))
        .map(([separator, parts]) => ({ 'Fn::Join': [separator, parts] })),
      subTemplate.map((t) => ({ 'Fn::Sub': t })),
      fc.tuple(subTemplate, fc.dictionary(fc.constantFrom('Var', 'R0', 'Other'), inner, { maxKeys: 2 })).map(([t, vars]) => ({ 'Fn::Sub': [t, vars] })),
      fc.tuple(fc.oneof(fc.integer({ min: -1, max: 3 }), inner), inner).map(([i, list]) => ({ 'Fn::Select': [i, list] })),
      fc.tuple(fc.constantFrom('Fn::Split', 'Fn::Base64', 'Fn::GetAZs', 'Fn::FindInMap', 'Fn::Cidr', 'Fn::Length', 'Fn::ToJsonString',
        'Fn::Unknown', 'Condition', 'Fn::And', 'Fn::Equals'), inner).map(([name, arg]) => ({ [name]: arg })),
      // Malformed intrinsics.
      fc.tuple(fc.constantFrom('Fn::If', 'Ref', 'Fn::Join', 'Fn::GetAtt', 'Fn::Sub', 'Fn::Select', 'Fn::ImportValue'), inner)
        .map(([name, arg]) => ({ [name]: arg })),
    );
    // JSON documents embedded in strings, sometimes joined around references (policies, custom resource calls, definitions).
    const json = fc.tuple(inner, fc.array(reference, { maxLength: 2 })).map(([document, refs]) => spliced(JSON.stringify(document) ?? 'null', refs));
    return {
      value: fc.oneof({ depthSize: 'small', maxDepth: 3 },
        { weight: 10, arbitrary: scalar },
        { weight: 5, arbitrary: intrinsic },
        { weight: 3, arbitrary: fc.array(inner, { maxLength: 3 }) },
        { weight: 4, arbitrary: fc.dictionary(key, inner, { maxKeys: 4 }) },
        { weight: 1, arbitrary: json },
      ),
    };
  });
  return value;
}

/** `{A: {B: {C: leaf}}}` for a path, each level possibly a list, an Fn::If, or replaced by junk. */
function nested(segments: readonly string[], value: fc.Arbitrary<unknown>): fc.Arbitrary<Record<string, unknown>> {
  const [head, ...rest] = segments;
  let inner: fc.Arbitrary<unknown> = value;
  if (rest.length > 0) {
    const child = nested(rest, value);
    inner = fc.oneof(
      { weight: 8, arbitrary: child },
      { weight: 2, arbitrary: fc.tuple(child, value).map(([o, v]) => [o, v]) },
      { weight: 2, arbitrary: child.map((o) => [o]) },
      { weight: 1, arbitrary: fc.tuple(child, value).map(([o, v]) => ({ 'Fn::If': ['Cond', o, v] })) },
      { weight: 1, arbitrary: value },
    );
  }
  return inner.map((v) => ({ [head]: v }));
}

/** The random choices a mutation consumes, drawn by fast-check so that a run replays from its seed. */
interface Entropy {
  readonly rolls: number[];
  readonly values: unknown[];
  readonly keys: string[];
  readonly refs: unknown[];
}

/**
 * A mutated copy of a fixture value: holes and some leaves replaced by random values, some keys dropped or added,
 * some nodes wrapped in `Fn::If` or replaced wholesale, list entries added, JSON-looking strings kept as JSON with
 * references spliced in.
 */
function mutate(node: unknown, e: Entropy, cursor: { i: number }, depth = 0): unknown {
  const roll = e.rolls[cursor.i++ % e.rolls.length];
  const next = (): unknown => e.values[cursor.i++ % e.values.length];
  if (node === HOLE) return next();
  if (depth > 12 || roll < 5) return next();
  if (roll < 8) return { 'Fn::If': ['Cond', mutate(node, e, cursor, depth + 1), next()] };
  if (Array.isArray(node)) {
    const out = node.map((n) => mutate(n, e, cursor, depth + 1));
    if (roll < 14) out.push(next());
    return roll > 97 ? [] : out;
  }
  if (isPlain(node)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) {
      if (e.rolls[cursor.i++ % e.rolls.length] < 4) continue; // dropped
      out[k] = mutate(v, e, cursor, depth + 1);
    }
    if (roll < 20) out[e.keys[cursor.i++ % e.keys.length]] = next();
    return out;
  }
  if (typeof node === 'string') {
    if (node.includes(REF_MARK)) return spliced(node, e.refs);
    if (roll < 25) return next();
    return node;
  }
  return roll < 25 ? next() : node;
}

function merge(target: Record<string, unknown>, source: Record<string, unknown>): Record<string, unknown> {
  for (const [k, v] of Object.entries(source)) {
    const existing = target[k];
    target[k] = isPlain(existing) && isPlain(v) ? merge({ ...existing }, v) : v;
  }
  return target;
}

/** One generated resource: its type, the logical ID its seed had (if any), and its properties. */
interface Generated {
  readonly type: string;
  readonly logicalId?: string;
  readonly properties: Record<string, unknown>;
}

function resourceArbitrary(type: string, profile: Profile, value: fc.Arbitrary<unknown>): fc.Arbitrary<Generated> {
  const seeds = TYPED_SEEDS.get(type) ?? [];
  const pathArb = fc.tuple(fc.constantFrom(...profile.paths), fc.option(fc.constantFrom(...profile.paths), { freq: 3 }))
    .map(([a, b]) => (b ? [...a, ...b] : a));
  const structured = fc.array(pathArb.chain((p) => nested(p, value)), { maxLength: seeds.length > 0 ? 2 : 5 });
  const fragment = profile.fragments.length > 0 ? fc.option(fc.constantFrom(...profile.fragments), { freq: 3 }) : fc.constant(null);
  const seed = seeds.length > 0 ? fc.option(fc.constantFrom(...seeds), { freq: 5 }) : fc.constant(null);
  const entropy: fc.Arbitrary<Entropy> = fc.record({
    rolls: fc.array(fc.nat(99), { minLength: 24, maxLength: 24 }),
    values: fc.array(value, { minLength: 6, maxLength: 6 }),
    keys: fc.array(fc.constantFrom(...profile.keys), { minLength: 3, maxLength: 3 }),
    refs: fc.array(fc.oneof(fc.constantFrom(...GENERATED_IDS, ...profile.logicalIds).map((r) => ({ Ref: r })), value),
      { minLength: 2, maxLength: 2 }),
  });
  const tag = fc.record({ Key: fc.oneof(fc.constantFrom('ai:asset', 'Environment', 'DataClassification', 'Owner', 'ai:exposure'), value), Value: value });
  const tags = fc.oneof(fc.array(tag, { maxLength: 3 }), fc.dictionary(fc.constantFrom('ai:asset', 'Environment', 'Owner'), value, { maxKeys: 3 }), value);
  const extras = fc.dictionary(fc.constantFrom(...profile.keys), value, { maxKeys: 2 });
  return fc.tuple(seed, fragment, entropy, structured, extras, fc.option(tags, { freq: 4 }))
    .map(([s, f, e, objects, extra, t]) => {
      const cursor = { i: 0 };
      const properties: Record<string, unknown> = {};
      if (s) merge(properties, asObject(mutate(s.properties, e, cursor)));
      if (f) merge(properties, asObject(mutate(f, e, cursor)));
      for (const o of objects) merge(properties, o);
      merge(properties, extra);
      if (t !== null) properties.Tags = t;
      return { type, logicalId: s?.logicalId, properties };
    });
}

function asObject(value: unknown): Record<string, unknown> {
  return isPlain(value) ? value : {};
}

function fixtureArbitrary(rule: SecureAiRule, profile: Profile): fc.Arbitrary<TemplateFixture> {
  const value = valueArbitrary(profile);
  // Parameters are rendered outside the engine's guard: a string that looks like an unregistered CDK token makes the
  // CDK's resolve throw for the whole run (it cannot occur in a real app, whose tokens are registered). Resources get them.
  const scalar = fc.oneof(fc.constantFrom(...profile.values.filter((v) => !v.includes('${Token['))), fc.integer(), fc.boolean());
  const parameters = fc.record({
    P0: fc.record({ Default: scalar }),
    P1: fc.constant({}),
    P2: fc.record({ AllowedValues: fc.array(scalar, { minLength: 1, maxLength: 3 }) }),
    P3: fc.record({ Type: fc.constant('Number'), Default: fc.integer() }),
    P4: fc.constant({ Type: 'AWS::SSM::Parameter::Value<String>', Default: '/ai/setting' }),
  });
  const types = fc.tuple(
    fc.subarray(rule.resourceTypes, { minLength: 1, maxLength: Math.min(MAX_RULE_TYPES, rule.resourceTypes.length) }),
    profile.companions.length > 0 ? fc.subarray(profile.companions, { maxLength: MAX_COMPANIONS }) : fc.constant([] as string[]),
  ).map(([own, others]) => [...own, ...others]);
  const resources = types.chain((list) => fc.tuple(...list.map((type) => resourceArbitrary(type, profile, value))));
  return fc.tuple(resources, parameters).map(([generated, params]) => {
    const out: TemplateFixture['Resources'] = {};
    generated.forEach((g, i) => {
      const id = g.logicalId && !(g.logicalId in out) && !PARAMETERS.includes(g.logicalId) ? g.logicalId : GENERATED_IDS[i];
      out[id] = { Type: g.type, Properties: g.properties };
    });
    return { Parameters: params as TemplateFixture['Parameters'], Resources: out };
  });
}

const packProps: fc.Arbitrary<SecureAiChecksProps | undefined> = fc.option(fc.record({
  orgManaged: fc.option(fc.record({ invocationLogging: fc.constant('central'), auditTrail: fc.constant('org trail'), enforcedGuardrail: fc.constant('account') },
    { requiredKeys: [] }), { nil: undefined }),
  supportedNotebookPlatforms: fc.option(fc.subarray(['notebook-al2-v2', 'notebook-al2-v3', 'notebook-al2023-v1']), { nil: undefined }),
  requiredTagKeys: fc.option(fc.subarray(['Owner', 'Environment', 'CostCentre']), { nil: undefined }),
}, { requiredKeys: [] }), { nil: undefined });

/** What must hold for any input: no rule throws, every tally adds up, and the rule under test ran. */
function assertSound(rule: SecureAiRule, run: ValidationRun): void {
  const errors = run.findings.filter((f) => f.ruleName === 'SecureAI-EngineError');
  if (errors.length > 0) throw new Error(`SecureAI-EngineError: ${errors.map((e) => e.message).join('\n')}`);
  for (const t of run.tallies) {
    const sum = t.compliant + t.nonCompliant + t.notApplicable + t.unverifiable + t.errors;
    if (t.evaluated !== sum) throw new Error(`the tally of ${t.ruleId} does not add up: ${JSON.stringify(t)}`);
  }
  if (run.tally(rule.id).evaluated < 1) throw new Error(`${rule.id} was not evaluated on any generated resource`);
}

// ---------------------------------------------------------------------------------------------------------------

/**
 * Every validation builds a new App. Its creation-stack traces (captured through source-map-support under Jest) and
 * its temporary output directory are most of the cost of a run and play no part in what is tested: switch them off
 * through the environment the App reads, for this file only.
 */
const CDK_ENV = {
  CDK_CONTEXT_JSON: JSON.stringify({ 'aws:cdk:disable-stack-trace': true, 'aws:cdk:disable-creation-stack-traces': true }),
  CDK_OUTDIR: fs.mkdtempSync(path.join(os.tmpdir(), 'secure-ai-fuzz-')),
};

describe('fuzzing every rule with malformed resources', () => {
  const started = Date.now();
  const saved = Object.fromEntries(Object.keys(CDK_ENV).map((k) => [k, process.env[k]]));
  beforeAll(() => {
    Object.assign(process.env, CDK_ENV);
    // eslint-disable-next-line no-console
    console.log(`fuzz: seed ${SEED} (replay with FUZZ_SEED=${SEED}), ${RUNS} runs per rule, ${CATALOGUE.length} rules`);
  });
  afterAll(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    fs.rmSync(CDK_ENV.CDK_OUTDIR, { recursive: true, force: true });
    // eslint-disable-next-line no-console
    console.log(`fuzz: ${ONLY ? ONLY.length : CATALOGUE.length} rules x ${RUNS} runs in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  test('every rule has a source file to read its vocabulary from, and the rule tests give fixtures to mutate', () => {
    expect(CATALOGUE.filter((r) => !RULE_FILES.has(r.id)).map((r) => r.id)).toEqual([]);
    expect(TYPED_SEEDS.size).toBeGreaterThan(20);
  });

  const rules = CATALOGUE.map((rule, i) => [rule.id, rule, i] as const).filter(([id]) => !ONLY || ONLY.includes(id));
  test.each(rules)('%s never throws and keeps its tally', (_id, rule, i) => {
    const profile = profileOf(rule);
    fc.assert(fc.property(fixtureArbitrary(rule, profile), packProps, (fixture, props) => {
      assertSound(rule, validate(fixture, props));
    }), { numRuns: RUNS, seed: SEED + i });
  }, 600_000);
});
