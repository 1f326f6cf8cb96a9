import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
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
  function assembly(): { dir: string; template: string } {
    const dir = tempDir();
    const template = path.join(dir, 'Infer.template.json');
    fs.writeFileSync(template, JSON.stringify(TEMPLATE, undefined, 1));
    return { dir, template };
  }

  test('a template in the cloud assembly is given relative to it, with the line of the logical ID', () => {
    const { dir, template } = assembly();
    const line = resourceKeyLines(fs.readFileSync(template, 'utf-8')).get('Cfg');
    expect(new TemplateLocator(dir).locate(template, 'Cfg')).toEqual({ uri: 'Infer.template.json', relativeToCloudAssembly: true, line });
  });

  test('a moved cloud assembly is matched by the tail of the recorded path', () => {
    const { dir } = assembly();
    fs.mkdirSync(path.join(dir, 'assembly-Prod'));
    fs.copyFileSync(path.join(dir, 'Infer.template.json'), path.join(dir, 'assembly-Prod', 'ProdServe.template.json'));
    const locator = new TemplateLocator(dir);
    expect(locator.locate('/ci/build/cdk.out/Infer.template.json', 'Bucket')).toMatchObject({ uri: 'Infer.template.json', relativeToCloudAssembly: true });
    expect(locator.locate('/ci/build/cdk.out/assembly-Prod/ProdServe.template.json', 'Bucket'))
      .toMatchObject({ uri: 'assembly-Prod/ProdServe.template.json', relativeToCloudAssembly: true });
  });

  test('no template path, or a template that is not there, gives no location', () => {
    const { dir } = assembly();
    expect(new TemplateLocator(dir).locate(undefined, 'Cfg')).toBeUndefined();
    expect(new TemplateLocator(dir).locate('/elsewhere/Other.template.json', 'Cfg')).toBeUndefined();
  });

  test('without a cloud assembly an existing template is a file URI; an unknown logical ID has no line', () => {
    const { template } = assembly();
    expect(new TemplateLocator().locate(template, 'Missing')).toEqual({ uri: pathToFileURL(template).href, relativeToCloudAssembly: false, line: undefined });
  });
});
