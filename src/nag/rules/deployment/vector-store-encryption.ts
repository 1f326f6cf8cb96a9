import { combine, COMPLIANT, expectProperty, isOneOf, isTrue, nonCompliant, NOT_APPLICABLE, RuleResult, unverifiable } from '../../engine/checks';
import { IndexedResource, ResourceIndex } from '../../engine/resource-index';
import { describe, UnknownValue } from '../../engine/values';
import { expectCustomerManagedKey } from '../../knowledge/customer-managed-key';
import {
  COLLECTION, DB_CLUSTER, DOMAIN, NEPTUNE_GRAPH, judgeCoveringPolicies, policySwitch, VECTOR_BUCKET, vectorStoreUse,
} from '../../knowledge/vector-stores';
import { GuidelineSection, PeerCoverage, RuleLevel } from '../../rule';
import { RuleDefinition } from '../../secure-ai-rule';

const WHY = 'the embedded documents are encrypted under a key whose policy you do not control, so who can read them is not yours to decide or revoke';

function judgeCollection(collection: IndexedResource, index: ResourceIndex, why: string): RuleResult {
  return judgeCoveringPolicies(index, collection, 'encryption', ({ policy, entry }) => {
    const owned = policySwitch(entry.AWSOwnedKey);
    if (owned === true) return nonCompliant(`encryption policy ${policy.logicalId} sets AWSOwnedKey to true for collection ${collection.logicalId} (${why}): ${WHY}`);
    if (owned instanceof UnknownValue) return unverifiable(`AWSOwnedKey of encryption policy ${policy.logicalId} cannot be read at synth time`);
    if (entry.KmsARN === undefined || entry.KmsARN === '') {
      return nonCompliant(`encryption policy ${policy.logicalId} names no KmsARN for collection ${collection.logicalId} (${why}): ${WHY}`);
    }
    return COMPLIANT;
  }, {
    unknown: (rules) => unverifiable(`the encryption of collection ${collection.logicalId} (${why}) cannot be verified: ${rules.reason}`),
    none: () => unverifiable(`no encryption policy of the app covers collection ${collection.logicalId} (${why}): the policy that chooses its key is outside the app`),
  });
}

export const vectorStoreEncryption: RuleDefinition = {
  title: 'Vector stores of knowledge bases are encrypted with a customer-managed key',
  section: GuidelineSection.DEPLOYMENT,
  guideline: 'Protect your model continuously',
  quote: 'protect the model and data from direct and indirect access',
  level: RuleLevel.WARNING,
  resourceTypes: [COLLECTION, DOMAIN, DB_CLUSTER, VECTOR_BUCKET, NEPTUNE_GRAPH],
  compliantWhen: 'a store a knowledge base\'s `StorageConfiguration` names is encrypted with a customer-managed key: an OpenSearch '
    + 'Serverless collection is covered by encryption policies of the app with `KmsARN` and without `AWSOwnedKey: true` (no covering '
    + 'policy in the app is unverifiable); an OpenSearch domain sets `EncryptionAtRestOptions.Enabled` and `KmsKeyId`; an RDS/Aurora '
    + 'cluster sets `StorageEncrypted` and `KmsKeyId`; an S3 vector bucket sets `EncryptionConfiguration.SseType` `aws:kms` with '
    + '`KmsKeyArn` (P12 judges the vector buckets no knowledge base names, such as one whose index alone a knowledge base names); '
    + 'a Neptune Analytics graph sets `KmsKeyIdentifier`. Stores no knowledge base uses are not applicable',
  explanation: 'The vector store is a copy of the knowledge base\'s documents in another form: embeddings can be inverted to much of '
    + 'the text. Under an AWS-owned or AWS-managed key its confidentiality rests on a key policy you cannot read or change, while the '
    + 'source bucket and the knowledge base itself (P12) are under your keys.',
  fix: 'On CfnSecurityPolicy (type encryption) set KmsARN to your key and AWSOwnedKey to false; on CfnDomain set '
    + 'encryptionAtRestOptions { enabled: true, kmsKeyId }; on CfnDBCluster set storageEncrypted: true and kmsKeyId; on '
    + 'CfnVectorBucket set encryptionConfiguration { sseType: \'aws:kms\', kmsKeyArn }; on neptunegraph.CfnGraph set kmsKeyIdentifier.',
  peers: 'CP opensearch-serverless-customer-kms; CFG opensearch-encrypted-at-rest, rds-storage-encrypted; NAG NIST OpenSearchEncryptedAtRest, '
    + 'RDSStorageEncrypted (encryption on, any key; unscoped)',
  coverage: PeerCoverage.SYNTH_TIME,
  check(resource, context) {
    const why = vectorStoreUse(context.index, resource);
    if (why === undefined) return NOT_APPLICABLE;
    const store = `${resource.logicalId} (${why})`;
    switch (resource.type) {
      case COLLECTION:
        return judgeCollection(resource, context.index, why);
      case DOMAIN:
        return combine(
          expectProperty(resource, 'EncryptionAtRestOptions.Enabled', isTrue, (v) => `EncryptionAtRestOptions.Enabled is ${describe(v)} on domain ${store}: the index is not encrypted at rest`),
          expectCustomerManagedKey(resource, 'EncryptionAtRestOptions.KmsKeyId', `domain ${store}: ${WHY}`),
        );
      case DB_CLUSTER:
        return combine(
          expectProperty(resource, 'StorageEncrypted', isTrue, (v) => `StorageEncrypted is ${describe(v)} on cluster ${store}: its storage is not encrypted at rest`),
          expectCustomerManagedKey(resource, 'KmsKeyId', `cluster ${store}: ${WHY}`),
        );
      case NEPTUNE_GRAPH:
        return expectCustomerManagedKey(resource, 'KmsKeyIdentifier', `Neptune Analytics graph ${store}: ${WHY}`);
      default:
        return combine(
          expectProperty(resource, 'EncryptionConfiguration.SseType', isOneOf('aws:kms'),
            (v) => `EncryptionConfiguration.SseType is ${describe(v)} on vector bucket ${store}: the vectors are encrypted with an S3-managed key (AES256)`),
          expectCustomerManagedKey(resource, 'EncryptionConfiguration.KmsKeyArn', `vector bucket ${store}: ${WHY}`),
        );
    }
  },
};
