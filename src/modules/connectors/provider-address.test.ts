import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isReservedAddress, resolvesToPublic, writtenAsReserved } from './provider-address.ts';

test('loopback, private, link-local, shared, multicast and mapped addresses are reserved; public ones are not', () => {
  for (const address of [
    '127.0.0.1',
    '10.20.30.40',
    '172.31.255.1',
    '192.168.1.10',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '::1',
    '::',
    'fd12:3456::1',
    'fe80::1',
    '::ffff:127.0.0.1',
    '::ffff:192.168.0.1',
  ]) {
    assert.equal(isReservedAddress(address), true, address);
  }
  for (const address of [
    '8.8.8.8',
    '172.32.0.1',
    '81.2.69.160',
    '2a00:1450:4009:81f::200e',
    '::ffff:8.8.4.4',
  ]) {
    assert.equal(isReservedAddress(address), false, address);
  }
});

test('an address written as a reserved one or localhost is caught as written; a name is left to the pull', async () => {
  assert.equal(writtenAsReserved('http://localhost:8080/x'), true);
  assert.equal(writtenAsReserved('http://api.localhost/x'), true);
  assert.equal(writtenAsReserved('http://[::1]:9000/x'), true);
  assert.equal(writtenAsReserved('https://10.0.0.5/ims'), true);
  assert.equal(writtenAsReserved('https://oneroster.example.org/ims'), false);
  assert.equal(writtenAsReserved('https://81.2.69.160/ims'), false);
  assert.equal(await resolvesToPublic('http://127.0.0.1:9/x'), false);
  assert.equal(await resolvesToPublic('https://81.2.69.160/ims'), true);
  assert.equal(await resolvesToPublic('http://localhost/x'), false, 'localhost resolves to loopback');
});
