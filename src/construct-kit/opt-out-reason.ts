import { CfnResource } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { invalidProp, PropOwner } from './validation';

/** The metadata key under which a construct records why a secure default was relaxed. */
export const OPT_OUT_METADATA_PREFIX = 'cdk-secure-ai:';

/**
 * Requires the reason that accompanies every relaxed default: a sentence a security reviewer can judge, not a token.
 * @param construct the construct, or its type and id, for the message (`AiEnvironment Prod`)
 * @param prop the prop holding the reason (`internetEgress.reason`)
 * @param what what the reason should say (`which hosts or trail, for what`)
 */
export function requireReason(construct: PropOwner, prop: string, reason: string | undefined, what: string): string {
  if (typeof reason !== 'string' || reason.trim().length < 10) {
    throw invalidProp(construct, {
      prop,
      shown: typeof reason !== 'string' || reason.trim() === '' ? 'missing' : `too short ('${reason}')`,
      problem: '',
      fix: `say why (${what}) in a sentence a security reviewer can judge; it is rendered into the template metadata.`,
    });
  }
  return reason.trim();
}

/**
 * Renders a relaxed default's reason into the template metadata (`cdk-secure-ai:<setting>`) of `resource`, or of
 * its default child when it is an L2, so that reviewers read it next to the resource in the template.
 */
export function recordReason(resource: IConstruct, setting: string, reason: unknown): void {
  const cfn = CfnResource.isCfnResource(resource) ? resource : resource.node.defaultChild;
  if (cfn === undefined || !CfnResource.isCfnResource(cfn)) {
    throw new Error(`recordReason: ${resource.node.path} is not a CloudFormation resource nor an L2 with one; record the reason on the resource itself.`);
  }
  cfn.addMetadata(`${OPT_OUT_METADATA_PREFIX}${setting}`, reason);
}
