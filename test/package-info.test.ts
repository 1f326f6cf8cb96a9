import * as fs from 'fs';
import * as path from 'path';
import { repositoryUrl, TOOL_NAME, toolVersion } from '../src/package-info';

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf-8'));

describe('package-info', () => {
  test('the version is the package version', () => {
    expect(toolVersion()).toBe(manifest.version);
  });

  test('the repository is the package repository, as a web address', () => {
    expect(repositoryUrl()).toBe('https://github.com/maintainers/cdk-secure-ai');
    expect(manifest.repository.url).toContain(repositoryUrl());
  });

  test('the tool is named as the package bin', () => {
    expect(manifest.bin[TOOL_NAME]).toBe('lib/cli/main.js');
  });
});
