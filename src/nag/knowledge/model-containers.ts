import { IndexedResource } from '../engine/resource-index';
import { describe, isPlainObject, unknownOf, Value } from '../engine/values';

/**
 * The inference containers a SageMaker resource defines, wherever its type keeps them: a model's `PrimaryContainer`
 * and `Containers[]`, an inference component's `Specification.Container`, a model package's
 * `InferenceSpecification.Containers[]`. Rules about images (V1), artifacts (V2), environments (V5) and the model
 * registry (V8) read them alike.
 */

/** The resource types whose containers {@link containersOf} reads. */
export const MODEL_CONTAINER_TYPES: readonly string[] = [
  'AWS::SageMaker::Model', 'AWS::SageMaker::InferenceComponent', 'AWS::SageMaker::ModelPackage',
];

const CONTAINER_PATHS: Record<string, ReadonlyArray<{ readonly path: string; readonly list: boolean }>> = {
  'AWS::SageMaker::Model': [{ path: 'PrimaryContainer', list: false }, { path: 'Containers', list: true }],
  'AWS::SageMaker::InferenceComponent': [{ path: 'Specification.Container', list: false }],
  'AWS::SageMaker::ModelPackage': [{ path: 'InferenceSpecification.Containers', list: true }],
};

/** One container in one form of the resource. */
export interface ContainerForm {
  /** The evaluated container block. */
  readonly container: Record<string, Value>;
  /** Where it is, for messages and finding locations: `Properties.Containers[1]`. */
  readonly location: string;
  /** Parameters whose values decided this form. */
  readonly parameters: readonly string[];
  /** How many forms (`Fn::If` branches) the property holding the container has. */
  readonly forms: number;
}

/** The containers of a resource, and the containers (or container lists) that cannot be read at synth time. */
export interface Containers {
  readonly containers: ContainerForm[];
  readonly unreadable: Array<{ readonly location: string; readonly reason: string }>;
}

/** Every container of every form of a SageMaker model, inference component or model package. */
export function containersOf(resource: IndexedResource): Containers {
  const out: Containers = { containers: [], unreadable: [] };
  for (const { path, list } of CONTAINER_PATHS[resource.type] ?? []) {
    const branches = resource.get(path);
    for (const branch of branches) {
      const add = (value: Value, location: string): void => {
        if (value === undefined) return;
        if (isPlainObject(value)) {
          out.containers.push({ container: value, location, parameters: branch.parameters, forms: branches.length });
          return;
        }
        const unknown = unknownOf(value);
        out.unreadable.push({ location, reason: unknown ? unknown.reason : `it is ${describe(value)}` });
      };
      if (!list || !Array.isArray(branch.value)) {
        add(branch.value, `Properties.${path}`);
        continue;
      }
      branch.value.forEach((container, i) => add(container, `Properties.${path}[${i}]`));
    }
  }
  return out;
}
