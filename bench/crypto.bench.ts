// Field encryption throughput against its limit measured in the same run: a bare node:crypto
// AES-256-GCM loop over the same bytes (issue: wrapper, key cache and encoding cost at most 25%).
// Run: ./haven bench crypto   (or node bench/crypto.bench.ts with Node 24)
import {
  createCipheriv,
  createDecipheriv,
  createSecretKey,
  randomBytes,
  randomUUID,
  type KeyObject,
} from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { buildSchool } from '../test/support/factories.ts';
import { createTestServices } from '../test/support/services.ts';
import { SchoolVault } from '../src/platform/crypto/vault.ts';

// Many short, interleaved rounds and the median of per-round ratios: this machine is shared and noisy.
const RECORDS = 1_500;
const ROUNDS = 21;

// A typical pupil identity record: synthetic values of realistic lengths.
const record = {
  forename: 'Testforename',
  surname: 'Testsurname-Double',
  preferred_forename: 'Testy',
  upn: 'H801200001001',
  dob: '2012-03-14',
  address: '12 Example Road, Sampletown, Exampleshire',
  postcode: 'ZZ99 9ZZ',
};
const fields = Object.entries(record);

async function main(): Promise<void> {
  const services = await createTestServices();
  const school = await buildSchool(services);
  const subjects = Array.from({ length: RECORDS }, () => randomUUID());

  const results = await services.db.withSchool(school.id, async (trx) => {
    const vault = new SchoolVault(services.keyring, trx, school.id);
    // Warm-up: creates every subject key once (that is a write path, measured elsewhere) and the JIT.
    for (const subjectId of subjects) {
      await vault.encrypt(subjectId, { table: 'pupil_identities', column: 'surname', rowId: subjectId }, 'x');
    }
    // The limit uses a KeyObject too: the fastest way node:crypto offers, not a straw man.
    const bareKey = createSecretKey(randomBytes(32));
    const aad = Buffer.from(
      JSON.stringify(['haven-field', 1, school.id, 'pupil_identities', 'surname', subjects[0]]),
    );
    const ours: number[] = [];
    const bare: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      // Alternate which goes first so neither always runs on a warmer (or busier) machine.
      if (round % 2 === 0) {
        bare.push(bareLoop(bareKey, aad, subjects.length));
        ours.push(await vaultLoop(vault, subjects));
      } else {
        ours.push(await vaultLoop(vault, subjects));
        bare.push(bareLoop(bareKey, aad, subjects.length));
      }
    }
    return { ours, bare };
  });
  await services.close();

  const ratio = median(results.ours.map((rate, round) => rate / (results.bare[round] ?? rate)));
  console.log(
    `records per round: ${RECORDS}, rounds: ${ROUNDS} (each record: ${fields.length} fields encrypted, then decrypted)`,
  );
  console.log(`haven vault:       ${Math.round(median(results.ours))} records/s (median)`);
  console.log(`bare node:crypto:  ${Math.round(median(results.bare))} records/s (median)`);
  console.log(
    `ratio: ${ratio.toFixed(2)} (median of per-round ratios; limit: at least 0.80)  ${ratio >= 0.8 ? 'PASS' : 'FAIL'}`,
  );
  process.exitCode = ratio >= 0.8 ? 0 : 1;
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
}

async function vaultLoop(vault: SchoolVault, subjects: string[]): Promise<number> {
  const started = performance.now();
  for (const subjectId of subjects) {
    const sealed = await vault.encryptRecord(subjectId, 'pupil_identities', subjectId, record);
    const opened = await vault.decryptRecord('pupil_identities', subjectId, sealed);
    if (opened.surname !== record.surname || opened.address !== record.address) {
      throw new Error('round trip failed');
    }
  }
  return subjects.length / ((performance.now() - started) / 1000);
}

/** The limit: AES-256-GCM straight from node:crypto, same bytes, same number of operations. */
function bareLoop(key: KeyObject, aad: Buffer, count: number): number {
  const started = performance.now();
  for (let index = 0; index < count; index += 1) {
    for (const [, value] of fields) {
      const nonce = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, nonce);
      cipher.setAAD(aad);
      const body = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      const decipher = createDecipheriv('aes-256-gcm', key, nonce);
      decipher.setAAD(aad);
      decipher.setAuthTag(tag);
      if (Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8') !== value) {
        throw new Error('round trip failed');
      }
    }
  }
  return count / ((performance.now() - started) / 1000);
}

await main();
