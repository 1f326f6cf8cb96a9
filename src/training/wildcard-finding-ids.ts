import { Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * The IDs under which cdk-nag's AwsSolutions-IAM5 reports each wildcard of a policy, so that a construct acknowledges
 * exactly the wildcards it grants on purpose and any other one is still reported. A resource is rendered the way
 * cdk-nag renders it (`Ref` as `<Id>`, `Fn::GetAtt` as `<Id.Attr>`, `Fn::Join` concatenated): the acknowledgment only
 * matches when the text is identical. Logical IDs are read when the ID is computed; override them before.
 */
export class WildcardFindingIds {
  /** `AwsSolutions-IAM5[Action::<action>]`. */
  public static action(action: string): string {
    return `AwsSolutions-IAM5[Action::${action}]`;
  }

  /** `AwsSolutions-IAM5[Resource::<flattened ARN>]` for an ARN (a token or text) of `scope`'s stack. */
  public static resource(scope: IConstruct, arn: string): string {
    return `AwsSolutions-IAM5[Resource::${flatten(Stack.of(scope).resolve(arn))}]`;
  }
}

function flatten(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  const value = node as Record<string, unknown>;
  if (Array.isArray(value['Fn::Join'])) {
    const [delimiter, items] = value['Fn::Join'] as [string, unknown[]];
    return items.map(flatten).join(delimiter);
  }
  if (value['Fn::Sub'] !== undefined) return flatten(value['Fn::Sub']);
  if (Array.isArray(value['Fn::GetAtt'])) {
    const [resource, attribute] = value['Fn::GetAtt'] as [unknown, unknown];
    return `<${flatten(resource)}.${flatten(attribute)}>`;
  }
  if (value['Fn::ImportValue'] !== undefined) return flatten(value['Fn::ImportValue']);
  if (value.Ref !== undefined) return `<${flatten(value.Ref)}>`;
  return JSON.stringify(node);
}
