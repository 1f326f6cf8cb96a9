import { ACK_REASON, removeTempDirs, synthesizeAllAcknowledgedApp } from './fixtures';
import { collectAssemblyEvidence } from '../../src/report/assembly-evidence';

afterAll(removeTempDirs);

describe('collectAssemblyEvidence', () => {
  let evidence: ReturnType<typeof collectAssemblyEvidence>;
  beforeAll(() => {
    evidence = collectAssemblyEvidence(synthesizeAllAcknowledgedApp());
  });

  test('counts the resources of templates in nested assemblies (stages), per type', () => {
    expect(evidence.resourceTypes.get('AWS::SageMaker::EndpointConfig')).toBe(1);
    expect(evidence.resourceTypes.get('AWS::S3::Bucket')).toBe(1);
    expect(evidence.resourceCount).toBe(2);
  });

  test('reads SecureAI acknowledgments with reason and construct path, and no other pack\'s', () => {
    expect(evidence.acknowledgments).toContainEqual({ ruleName: 'SecureAI-P6', reason: ACK_REASON, at: 'Prod/Serve/Config' });
    expect(evidence.acknowledgments).toContainEqual({ ruleName: 'SecureAI-P6[unverifiable]', reason: 'fixture: any other rule', at: 'Prod/Serve' });
    expect(evidence.acknowledgments.every((a) => a.ruleName.startsWith('SecureAI-'))).toBe(true);
  });

  test('an empty or missing directory has no evidence', () => {
    expect(collectAssemblyEvidence('/nonexistent/cdk.out')).toEqual({ resourceCount: 0, resourceTypes: new Map(), acknowledgments: [] });
  });
});
