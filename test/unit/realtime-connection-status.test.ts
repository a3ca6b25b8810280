import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { connectionStatus, type ConnectionInputs } from '../../src/realtime/connection-status.ts';

/** A live session: signed in, online, subscribed, nothing down. */
const LIVE: ConnectionInputs = {
  signedOut: false,
  channelFailed: false,
  online: true,
  everSubscribed: true,
  channelDown: false,
  polling: false,
};

describe('connectionStatus', () => {
  it('is connected when every channel is up', () => {
    assert.equal(connectionStatus(LIVE), 'connected');
  });

  it('is connecting until the first SUBSCRIBED, even with a channel down', () => {
    assert.equal(connectionStatus({ ...LIVE, everSubscribed: false }), 'connecting');
    assert.equal(connectionStatus({ ...LIVE, everSubscribed: false, channelDown: true }), 'connecting');
  });

  it('is reconnecting when a channel went down after having been live', () => {
    assert.equal(connectionStatus({ ...LIVE, channelDown: true }), 'reconnecting');
  });

  it('is offline whenever the browser says so, before connecting or reconnecting', () => {
    assert.equal(connectionStatus({ ...LIVE, online: false }), 'offline');
    assert.equal(connectionStatus({ ...LIVE, online: false, everSubscribed: false }), 'offline');
    assert.equal(connectionStatus({ ...LIVE, online: false, channelDown: true }), 'offline');
  });

  it('is polling while the REST fallback reaches the server, whatever the channels say', () => {
    assert.equal(connectionStatus({ ...LIVE, polling: true, everSubscribed: false, channelDown: true }), 'polling');
    assert.equal(connectionStatus({ ...LIVE, polling: true, channelDown: true }), 'polling');
    assert.equal(connectionStatus({ ...LIVE, polling: true }), 'polling');
  });

  it('is offline or error rather than polling', () => {
    assert.equal(connectionStatus({ ...LIVE, polling: true, online: false }), 'offline');
    assert.equal(connectionStatus({ ...LIVE, polling: true, signedOut: true }), 'error');
    assert.equal(connectionStatus({ ...LIVE, polling: true, channelFailed: true }), 'error');
  });

  it('is error when signed out or a channel keeps failing, whatever else is true', () => {
    for (const cause of [{ signedOut: true }, { channelFailed: true }]) {
      assert.equal(connectionStatus({ ...LIVE, ...cause }), 'error');
      assert.equal(connectionStatus({ ...LIVE, ...cause, online: false }), 'error');
      assert.equal(connectionStatus({ ...LIVE, ...cause, everSubscribed: false, channelDown: true }), 'error');
      assert.equal(connectionStatus({ ...LIVE, ...cause, polling: true }), 'error');
    }
  });
});
