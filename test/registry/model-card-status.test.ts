import { ModelCardStatus } from '../../src/registry/model-card-status';

describe('ModelCardStatus', () => {
  test('its values are exactly the model card statuses CloudFormation accepts', () => {
    expect(Object.values(ModelCardStatus).sort()).toEqual(['Approved', 'Archived', 'Draft', 'PendingReview']);
    // SecureAI-P22 and P23 accept a card as release evidence only when its status reads Approved.
    expect(ModelCardStatus.APPROVED).toBe('Approved');
  });
});
