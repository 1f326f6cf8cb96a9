import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { CATALOGUE, ruleSourceFile } from '../../src/nag/catalogue';
import { contextDeclarations, runDeclarations } from '../../src/nag/declarations';
import { ResourceIndex } from '../../src/nag/engine/resource-index';
import { DeclarationSource } from '../../src/nag/findings';
import { resolveParameters } from '../../src/nag/parameters';

describe('runDeclarations', () => {
  test('names, for each org-managed control, the rules whose code it switches off', () => {
    // The rules a control settles, read from their code: each returns not applicable on orgManaged.has('<control>').
    const fromCode = new Map<string, string[]>();
    for (const rule of CATALOGUE) {
      const source = fs.readFileSync(path.join(__dirname, '..', '..', ruleSourceFile(rule.id)!), 'utf-8');
      for (const [, control] of source.matchAll(/orgManaged\.has\('(\w+)'\)/g)) fromCode.set(control, [...(fromCode.get(control) ?? []), rule.id]);
    }
    const app = new App();
    new Stack(app, 'Empty');
    const orgManaged = { auditTrail: 'org trail', invocationLogging: 'central logging', enforcedGuardrail: 'account guardrail' };
    const context = contextDeclarations(app);
    const declared = runDeclarations({ orgManaged }, context, resolveParameters({ orgManaged }, context), ResourceIndex.fromScope(app));
    expect(new Map(declared.map((d) => [d.declared.replace('orgManaged.', ''), d.rules]))).toEqual(fromCode);
    expect(declared.every((d) => d.source === DeclarationSource.PACK_PROPS && d.by === undefined)).toBe(true);
  });

  test('the prop\'s reason wins over the context for one control, as the run applies them', () => {
    const app = new App({ context: { 'ai:org-trail': 'org-managed', 'ai:invocation-logging': 'org-managed' } });
    new Stack(app, 'Empty');
    const props = { orgManaged: { auditTrail: 'the audit account\'s trail' } };
    const context = contextDeclarations(app);
    const declared = runDeclarations(props, context, resolveParameters(props, context), ResourceIndex.fromScope(app));
    expect(declared.map((d) => [d.declared, d.source, d.by, d.reason])).toEqual([
      ['orgManaged.auditTrail', DeclarationSource.PACK_PROPS, undefined, 'the audit account\'s trail'],
      ['orgManaged.invocationLogging', DeclarationSource.CDK_CONTEXT, 'ai:invocation-logging', undefined],
    ]);
  });
});
