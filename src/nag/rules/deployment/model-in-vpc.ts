import { combine, COMPLIANT, expectProperty, isSet, isTrue, nonCompliant, NOT_APPLICABLE, unverifiable, Verdict, was } from '../../engine/checks';
import { IndexedResource } from '../../engine/resource-index';
import { isPlainObject, Value } from '../../engine/values';
import { servedOnlyServerless } from '../../knowledge/serverless-inference';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

function variantsOf(value: Value): Record<string, Value>[] {
  return Array.isArray(value) ? value.filter(isPlainObject) : [];
}

/**
 * Whether an endpoint configuration hosts inference components: its variants name no model (the components bring
 * them), or it has the execution role only inference-component endpoints take. Other configurations take their
 * network from the models they name, which the rule judges on the models.
 */
function hostsInferenceComponents(config: IndexedResource): boolean {
  if (config.get('ExecutionRoleArn').some((b) => isSet(b.value) === true)) return true;
  return config.get('ProductionVariants').some((b) => variantsOf(b.value).some((v) => v.ModelName === undefined));
}

export const modelInVpc: RuleDefinition = {
  title: 'Models and inference-component endpoints run in your VPC',
  section: GuidelineSection.DEPLOYMENT,
  guideline: 'Secure your infrastructure',
  quote: 'appropriate segregation of environments holding sensitive code or data',
  level: RuleLevel.WARNING,
  resourceTypes: ['AWS::SageMaker::Model', 'AWS::SageMaker::EndpointConfig'],
  compliantWhen: '`VpcConfig.Subnets` and `VpcConfig.SecurityGroupIds` are set on the model (and on endpoint configurations '
    + 'hosting inference components); waived when `EnableNetworkIsolation` is `true` (no network at all); not applicable to '
    + 'models served only by serverless endpoints (no VPC support) or to endpoint configurations whose variants name models',
  explanation: 'Inference containers hold the model weights and see every request. Outside a VPC their network traffic is '
    + 'not governed by your security groups, endpoint policies or flow logs, so the hosting environment is not '
    + 'segregated and a compromised container can reach anything on the internet.',
  fix: 'Set VpcConfig with private Subnets and SecurityGroupIds (vpcConfig on CfnModel; on CfnEndpointConfig for '
    + 'inference-component endpoints), or set EnableNetworkIsolation to true when the container needs no network.',
  peers: 'CFG sagemaker-model-in-vpc; PRW sagemaker_models_vpc_settings_configured',
  coverage: PeerCoverage.RUNTIME_ONLY,
  check(resource, context) {
    if (resource.type === 'AWS::SageMaker::EndpointConfig' && !hostsInferenceComponents(resource)) return NOT_APPLICABLE;
    const what = resource.type === 'AWS::SageMaker::Model' ? "the model's containers" : "the endpoint's inference components";
    const vpc = combine(
      expectProperty(resource, 'VpcConfig.Subnets', isSet,
        (v) => `VpcConfig.Subnets ${was(v)}: ${what} do not run in subnets of your VPC`),
      expectProperty(resource, 'VpcConfig.SecurityGroupIds', isSet,
        (v) => `VpcConfig.SecurityGroupIds ${was(v)}: no security group restricts what ${what} can connect to`),
    );
    if (vpc.verdict === Verdict.COMPLIANT) return vpc;
    // A container without any network needs no VPC to be segregated.
    const isolated = expectProperty(resource, 'EnableNetworkIsolation', isTrue, () => '');
    if (isolated.verdict === Verdict.COMPLIANT) return COMPLIANT;
    if (resource.type === 'AWS::SageMaker::Model' && servedOnlyServerless(context.index, resource)) return NOT_APPLICABLE;
    if (vpc.verdict !== Verdict.NON_COMPLIANT) return vpc;
    // Without a VPC the verdict is network isolation's: isolation not known leaves the resource unverifiable.
    if (isolated.verdict === Verdict.UNVERIFIABLE) {
      return unverifiable(`${vpc.message}; whether EnableNetworkIsolation waives the VPC is not known: ${isolated.message}`,
        ...(vpc.locations ?? []), ...(isolated.locations ?? []));
    }
    return nonCompliant(`${vpc.message}; EnableNetworkIsolation is not true either, so the containers have network access`,
      ...(vpc.locations ?? []));
  },
};

