import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sameView } from '../src/contract/same-view.ts';

test('a served view equals the own one whatever the order of its members, and differs on any value', () => {
  const own = { size: 7, items: [{ id: 'US-1', status: 'pending', note: undefined }, { id: 'RU-1', status: 'granted' }], next: null };
  const served = JSON.parse('{"next":null,"items":[{"status":"pending","id":"US-1"},{"status":"granted","id":"RU-1"}],"size":7}') as unknown;
  assert.ok(sameView(own, served), 'member order and undefined members are not part of a view');
  assert.ok(!sameView(own, JSON.parse('{"next":null,"items":[{"status":"granted","id":"RU-1"},{"status":"pending","id":"US-1"}],"size":7}')), 'the order of a list is');
  assert.ok(!sameView(own, JSON.parse('{"next":null,"items":[{"status":"pending","id":"US-1"},{"status":"granted","id":"RU-1"}],"size":"7"}')), 'a number is not its string');
  assert.ok(!sameView(own, JSON.parse('{"next":null,"items":[{"status":"pending","id":"US-1","extra":1},{"status":"granted","id":"RU-1"}],"size":7}')), 'a member more is a difference');
});
