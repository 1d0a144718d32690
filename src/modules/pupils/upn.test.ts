import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assert as checkProperty, integer, property, stringMatching } from 'fast-check';
import { upnCheckLetter, upnProblem, withCheckLetter } from './upn.ts';

describe('UPN', () => {
  test('the DfE example: H801200001001 is valid, Z801200001001 is not', () => {
    assert.equal(upnCheckLetter('801200001001'), 'H');
    assert.equal(upnProblem('H801200001001'), undefined);
    assert.equal(upnProblem('Z801200001001'), 'UPN invalid (wrong check letter at character 1)');
  });

  test('each broken rule is named', () => {
    assert.match(upnProblem('H80120000100') ?? '', /13 characters, got 12/);
    assert.match(upnProblem('I801200001001') ?? '', /character 1 must be a check letter/);
    assert.match(upnProblem('H8012000X1001') ?? '', /characters 2–12 must be digits/);
    assert.match(upnProblem('H80120000100I') ?? '', /character 13/);
  });

  test('a temporary UPN (ending in a letter) uses the letter’s alphabet index', () => {
    // 8,0,1,2,0,0,0,0,1,0,0 weighted 2..12, plus A (index 0) × 13.
    const upn = withCheckLetter('80120000100A');
    assert.equal(upnProblem(upn), undefined);
    assert.equal(upnProblem(`${upn.slice(0, 12)}B`), 'UPN invalid (wrong check letter at character 1)');
  });

  test('every generated UPN validates, and changing one digit breaks it', () => {
    checkProperty(
      property(stringMatching(/^\d{12}$/), integer({ min: 1, max: 11 }), (body, position) => {
        const upn = withCheckLetter(body);
        assert.equal(upnProblem(upn), undefined);
        const digit = Number(upn[position]);
        const changed = `${upn.slice(0, position)}${(digit + 1) % 10}${upn.slice(position + 1)}`;
        // Weights 2–13 are all below 23 and non-zero, so a single changed digit always changes the sum mod 23.
        assert.equal(upnProblem(changed), 'UPN invalid (wrong check letter at character 1)');
      }),
    );
  });
});
