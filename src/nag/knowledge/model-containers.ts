import { decidingParameters, qualifier, RuleResult, Verdict } from '../engine/checks';
import { IndexedResource } from '../engine/resource-index';
import { Branch, describe, isPlainObject, unknownOf, Value } from '../engine/values';

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
  /**
   * Of {@link parameters}, those a finding on this container rests on (see `decidingParameters`): the others decided
   * only other parts of the property, such as another container or another field.
   * @param findingOf what a finding on the container at the same place of another form of the property would say
   */
  decidingParameters(findingOf: (container: Record<string, Value>) => string | undefined): readonly string[];
}

/** The containers of a resource, and the containers (or container lists) that cannot be read at synth time. */
export interface Containers {
  readonly containers: ContainerForm[];
  readonly unreadable: Array<{ readonly location: string; readonly reason: string }>;
}

/** The container at the same place as the `position`th of a list (or as the property itself) in a form of the property. */
function samePlace(form: Branch, position?: number): Value {
  if (position === undefined) return form.value;
  return Array.isArray(form.value) ? form.value[position] : undefined;
}

/** Every container of every form of a SageMaker model, inference component or model package. */
export function containersOf(resource: IndexedResource): Containers {
  const out: Containers = { containers: [], unreadable: [] };
  for (const { path, list } of CONTAINER_PATHS[resource.type] ?? []) {
    const branches = resource.get(path);
    for (const branch of branches) {
      const add = (value: Value, location: string, position?: number): void => {
        if (value === undefined) return;
        if (isPlainObject(value)) {
          out.containers.push({
            container: value,
            location,
            parameters: branch.parameters,
            forms: branches.length,
            decidingParameters: (findingOf) => decidingParameters(resource, path, branches, branch, (form) => {
              const other = samePlace(form, position);
              return isPlainObject(other) ? findingOf(other) : undefined;
            }),
          });
          return;
        }
        const unknown = unknownOf(value);
        out.unreadable.push({ location, reason: unknown ? unknown.reason : `it is ${describe(value)}` });
      };
      if (!list || !Array.isArray(branch.value)) {
        add(branch.value, `Properties.${path}`);
        continue;
      }
      branch.value.forEach((container, i) => add(container, `Properties.${path}[${i}]`, i));
    }
  }
  return out;
}

/**
 * Judges one container with `judge`, whose finding names only the parameters it rests on: judged without a note and,
 * where that fails, again with the note that names them (`judge` adds `note` to the message of a failure).
 */
export function judgeContainerForm(form: ContainerForm, judge: (container: Record<string, Value>, note: string) => RuleResult): RuleResult {
  const plain = judge(form.container, '');
  if (plain.verdict !== Verdict.NON_COMPLIANT) return plain;
  const note = qualifier(form.decidingParameters((container) => {
    const result = judge(container, '');
    return result.verdict === Verdict.NON_COMPLIANT ? result.message : undefined;
  }), form.forms);
  return note === '' ? plain : judge(form.container, note);
}
