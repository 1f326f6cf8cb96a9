import * as fs from 'fs';
import * as path from 'path';
import { removeTempDirs, tempDir } from './fixtures';
import { resourceKeyLines, TemplateLocator } from '../../src/report/template-locations';

afterAll(removeTempDirs);

const TEMPLATE = {
  Conditions: { Cfg: { 'Fn::Equals': ['a', 'b'] } },
  Resources: {
    'Bucket': { Type: 'AWS::S3::Bucket', Properties: { Tags: [{ Key: 'Cfg', Value: 'x' }] } },
    'Cfg': { Type: 'AWS::SageMaker::EndpointConfig', Properties: { Resources: { Cfg: 1 } } },
    'Odd"Id': { Type: 'AWS::Test::Thing' },
  },
  Outputs: { Bucket: { Value: { Ref: 'Bucket' } } },
};

describe('resourceKeyLines', () => {
  test('finds the line of each key directly under Resources, not of the same names elsewhere', () => {
    const text = JSON.stringify(TEMPLATE, undefined, 1);
    const lines = text.split('\n');
    const resourcesAt = lines.findIndex((l) => l.includes('"Resources": {'));
    const keys = resourceKeyLines(text);
    expect([...keys.keys()]).toEqual(['Bucket', 'Cfg', 'Odd"Id']);
    for (const [id, line] of keys) {
      expect(line).toBeGreaterThan(resourcesAt + 1);
      expect(lines[line - 1].trim().startsWith(`${JSON.stringify(id)}:`)).toBe(true);
    }
  });

  test('works on minified templates: every key on line 1', () => {
    expect(resourceKeyLines(JSON.stringify(TEMPLATE))).toEqual(new Map([['Bucket', 1], ['Cfg', 1], ['Odd"Id', 1]]));
  });

  test('a template without Resources has no lines', () => {
    expect(resourceKeyLines('{"Outputs": {"A": {}}}').size).toBe(0);
  });
});

describe('TemplateLocator', () => {
  /** A cloud assembly with the template at the top and, as a stage writes it, in a nested assembly. */
  function assembly(): { dir: string; lines: Map<string, number> } {
    const dir = tempDir();
    const text = JSON.stringify(TEMPLATE, undefined, 1);
    fs.writeFileSync(path.join(dir, 'Infer.template.json'), text);
    fs.mkdirSync(path.join(dir, 'assembly-Prod'));
    fs.writeFileSync(path.join(dir, 'assembly-Prod', 'ProdServe.template.json'), text);
    return { dir, lines: resourceKeyLines(text) };
  }

  test('a template path relative to the cloud assembly gives the file and the line of the logical ID', () => {
    const { dir, lines } = assembly();
    expect(new TemplateLocator(dir).locate('Infer.template.json', 'Cfg')).toEqual({ uri: 'Infer.template.json', line: lines.get('Cfg') });
  });

  test('a stack in a stage is in its nested assembly', () => {
    const { dir, lines } = assembly();
    expect(new TemplateLocator(dir).locate('assembly-Prod/ProdServe.template.json', 'Bucket'))
      .toEqual({ uri: 'assembly-Prod/ProdServe.template.json', line: lines.get('Bucket') });
  });

  test('the URI is percent-encoded; an unknown logical ID, or a template left out of the artifact, has no line', () => {
    const { dir } = assembly();
    const locator = new TemplateLocator(dir);
    expect(locator.locate('My Stack.template.json', 'Cfg')).toEqual({ uri: 'My%20Stack.template.json', line: undefined });
    expect(locator.locate('Infer.template.json', 'Missing')).toEqual({ uri: 'Infer.template.json', line: undefined });
  });

  test('an absolute path inside the cloud assembly is made relative; a path outside it, or none, gives no location', () => {
    const { dir, lines } = assembly();
    const locator = new TemplateLocator(dir);
    expect(locator.locate(path.join(dir, 'Infer.template.json'), 'Cfg')).toEqual({ uri: 'Infer.template.json', line: lines.get('Cfg') });
    expect(locator.locate('/ci/build/cdk.out/Infer.template.json', 'Cfg')).toBeUndefined();
    expect(locator.locate('../Infer.template.json', 'Cfg')).toBeUndefined();
    expect(locator.locate(undefined, 'Cfg')).toBeUndefined();
  });
});
