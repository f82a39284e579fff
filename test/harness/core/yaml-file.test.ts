import { describe, expect, it } from 'vitest';
import { parseYamlFile } from '../../../harness/core/yaml-file.ts';

describe('parseYamlFile', () => {
  it('gives the line:column of a nested key', () => {
    const y = parseYamlFile('a:\n  b:\n    - x\n    - y: 1\n', 'f.yml');
    expect(y.at(['a', 'b', 1, 'y'])).toEqual({ file: 'f.yml', line: 4, column: 7 });
  });
  it('malformed YAML is an InputError with file:line:column (exit 2)', () => {
    expect(() => parseYamlFile('a: [1, 2\nb: 3\n', 'bad.yml')).toThrowError(expect.objectContaining({ exitCode: 2, code: 'E_YAML' }));
    try {
      parseYamlFile('a: 1\na: 2\n', 'dup.yml');
    } catch (e) {
      expect((e as { describe(): string }).describe()).toMatch(/^dup\.yml:2:1: /);
    }
  });
});
