import { cell, code, githubAnchor, table } from '../../src/report/markdown-text';

describe('markdown-text', () => {
  test('a cell escapes pipes and line breaks and keeps everything else', () => {
    expect(cell('a | b\nc')).toBe('a \\| b<br>c');
    expect(cell('`KmsKeyId` is *absent*')).toBe('`KmsKeyId` is *absent*');
    expect(cell(3)).toBe('3');
    expect(cell(undefined)).toBe(' ');
  });

  test('inline code fences longer than any backtick run inside', () => {
    expect(code('Infer/Cfg')).toBe('`Infer/Cfg`');
    expect(code('a`b')).toBe('``a`b``');
    expect(code('`x`')).toBe('`` `x` ``');
  });

  test('a table has a header, a separator and escaped rows', () => {
    expect(table(['A', 'B'], [['1', 'x|y']])).toBe('| A | B |\n|---|---|\n| 1 | x\\|y |');
  });

  test('anchors follow GitHub: lower case, punctuation dropped, spaces to hyphens', () => {
    expect(githubAnchor('SecureAI-P6')).toBe('secureai-p6');
    expect(githubAnchor('1. Secure design')).toBe('1-secure-design');
    expect(githubAnchor('4. Secure operation and maintenance')).toBe('4-secure-operation-and-maintenance');
  });
});
