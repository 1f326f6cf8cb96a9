import { App } from 'aws-cdk-lib';
import { ResourceIndex } from '../../../src/nag/engine/resource-index';
import { containersOf, MODEL_CONTAINER_TYPES } from '../../../src/nag/knowledge/model-containers';
import { ifElse, imported, stackOf } from '../harness';

function containersFor(type: string, properties: Record<string, unknown>) {
  const app = new App();
  stackOf({ Parameters: { Image: { Type: 'String', Default: 'a', AllowedValues: ['a', 'b'] } }, Resources: { R: { Type: type, Properties: properties } } }, app);
  return containersOf(ResourceIndex.fromScope(app).find('Test', 'R')!);
}

describe('containersOf', () => {
  test('a model: its primary container and each of its Containers, with locations', () => {
    const found = containersFor('AWS::SageMaker::Model', { PrimaryContainer: { Image: 'p' }, Containers: [{ Image: 'c0' }, { Image: 'c1' }] });
    expect(found.containers.map((c) => [c.location, c.container.Image, c.forms])).toEqual([
      ['Properties.PrimaryContainer', 'p', 1], ['Properties.Containers[0]', 'c0', 1], ['Properties.Containers[1]', 'c1', 1],
    ]);
    expect(found.unreadable).toEqual([]);
  });

  test('an inference component and a model package read their own paths', () => {
    expect(containersFor('AWS::SageMaker::InferenceComponent', { Specification: { Container: { Image: 'ic' } } }).containers.map((c) => c.location))
      .toEqual(['Properties.Specification.Container']);
    expect(containersFor('AWS::SageMaker::ModelPackage', { InferenceSpecification: { Containers: [{ Image: 'mp' }] } }).containers.map((c) => c.location))
      .toEqual(['Properties.InferenceSpecification.Containers[0]']);
    expect(MODEL_CONTAINER_TYPES).toHaveLength(3);
  });

  test('each Fn::If form is a container of its own, with the number of forms and the deciding parameters', () => {
    const found = containersFor('AWS::SageMaker::Model', { PrimaryContainer: ifElse({ Image: 'secure' }, { Image: 'insecure' }) });
    expect(found.containers.map((c) => [c.container.Image, c.forms])).toEqual([['secure', 2], ['insecure', 2]]);
    const byParameter = containersFor('AWS::SageMaker::Model', { PrimaryContainer: { Image: { Ref: 'Image' } } });
    // The default is the one form; the other allowed values are judged by running the rule again with each.
    expect(byParameter.containers.map((c) => [c.container.Image, c.parameters])).toEqual([['a', ['Image']]]);
  });

  test('containers and lists known only at deploy time, and malformed ones, are unreadable, never a throw', () => {
    const found = containersFor('AWS::SageMaker::Model', { PrimaryContainer: imported('container'), Containers: [{ Image: 'ok' }, 'text', imported('c1')] });
    expect(found.containers.map((c) => c.location)).toEqual(['Properties.Containers[0]']);
    expect(found.unreadable).toEqual([
      { location: 'Properties.PrimaryContainer', reason: 'imported value container' },
      { location: 'Properties.Containers[1]', reason: 'it is "text"' },
      { location: 'Properties.Containers[2]', reason: 'imported value c1' },
    ]);
    expect(containersFor('AWS::SageMaker::ModelPackage', { InferenceSpecification: { Containers: imported('list') } }).unreadable)
      .toEqual([{ location: 'Properties.InferenceSpecification.Containers', reason: 'imported value list' }]);
  });

  test('absent containers and other resource types have none', () => {
    expect(containersFor('AWS::SageMaker::Model', {})).toEqual({ containers: [], unreadable: [] });
    expect(containersFor('AWS::SageMaker::Endpoint', { PrimaryContainer: { Image: 'x' } })).toEqual({ containers: [], unreadable: [] });
  });
});
