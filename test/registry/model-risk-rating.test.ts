import { ModelRiskRating } from '../../src/registry/model-risk-rating';

describe('ModelRiskRating', () => {
  test('its values are the risk ratings CloudFormation accepts, without Unknown (which SecureAI-V10 rejects)', () => {
    const accepted = ['High', 'Medium', 'Low', 'Unknown'];
    const values = Object.values(ModelRiskRating);
    expect(values.every((v) => accepted.includes(v))).toBe(true);
    expect(values).not.toContain('Unknown');
    expect(values.sort()).toEqual(['High', 'Low', 'Medium']);
  });
});
