import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnResource, NestedStack, Stack, Stage } from 'aws-cdk-lib';
import { SynthesizedTemplates } from '../../../src/nag/engine/synthesized-templates';

const CONFIG = 'AWS::SageMaker::EndpointConfig';

function synthesizedApp() {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'secure-ai-')) });
  const serving = new Stack(app, 'Serving');
  new CfnResource(serving, 'Config', { type: CONFIG, properties: { KmsKeyId: 'key' } });
  const nested = new NestedStack(serving, 'Inner');
  new CfnResource(nested, 'NestedConfig', { type: CONFIG });
  const staged = new Stack(new Stage(app, 'Prod'), 'Staged');
  new CfnResource(staged, 'StagedConfig', { type: CONFIG });
  const assembly = app.synth();
  const templatePaths = [...assembly.stacks, ...assembly.nestedAssemblies.flatMap((a) => a.nestedAssembly.stacks)].map((s) => s.templateFullPath);
  return { app, serving, nested, staged, templatePaths };
}

describe('SynthesizedTemplates', () => {
  test('reads the template the CDK wrote for a stack, in the app and in a stage', () => {
    const { serving, staged, templatePaths } = synthesizedApp();
    const templates = new SynthesizedTemplates(templatePaths);
    expect(templates.of(serving)?.Resources?.Config).toEqual({ Type: CONFIG, Properties: { KmsKeyId: 'key' } });
    expect(Object.keys(templates.of(staged)?.Resources ?? {})).toContain('StagedConfig');
  });

  test('has no template for a nested stack (its template is an asset) nor for a stack the CDK did not pass', () => {
    const { serving, nested, staged, templatePaths } = synthesizedApp();
    expect(new SynthesizedTemplates(templatePaths).of(nested)).toBeUndefined();
    const onlyServing = new SynthesizedTemplates(templatePaths.filter((p) => p.endsWith('Serving.template.json')));
    expect(onlyServing.of(serving)).toBeDefined();
    expect(onlyServing.of(staged)).toBeUndefined();
  });

  test('a template that cannot be read or is not a JSON object gives no template, not an error', () => {
    const { serving, templatePaths } = synthesizedApp();
    const file = templatePaths.find((p) => p.endsWith('Serving.template.json'))!;
    fs.writeFileSync(file, '{ not json');
    expect(new SynthesizedTemplates(templatePaths).of(serving)).toBeUndefined();
    fs.writeFileSync(file, '[]');
    expect(new SynthesizedTemplates(templatePaths).of(serving)).toBeUndefined();
    fs.rmSync(file);
    expect(new SynthesizedTemplates(templatePaths).of(serving)).toBeUndefined();
  });
});
