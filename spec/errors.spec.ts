import {
  ChannelError,
  ChannelOverflowError,
  LaggedError,
  ReceiverBusyError,
  ReceiverDroppedError,
  RecvError,
  SendError,
  SenderDroppedError,
} from 'rxjs-channel';

describe('errors', () => {
  it('ChannelError extends Error and has its name set', () => {
    const e = new ChannelError('x');
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('ChannelError');
    expect(e.message).toBe('x');
  });

  it.each([
    ['SendError', () => new SendError(1)],
    ['SenderDroppedError', () => new SenderDroppedError()],
    ['ReceiverBusyError', () => new ReceiverBusyError()],
    ['ChannelOverflowError', () => new ChannelOverflowError(1)],
    ['ReceiverDroppedError', () => new ReceiverDroppedError()],
    ['RecvError', () => new RecvError()],
    ['LaggedError', () => new LaggedError(3)],
  ] as const)('%s extends ChannelError and Error, with its name set', (name, make) => {
    const e = make();
    expect(e).toBeInstanceOf(ChannelError);
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe(name);
    expect(e.message.length).toBeGreaterThan(0);
    expect(String(e)).toMatch(new RegExp(`^${name}: `));
  });

  it('SendError is constructible with a value and carries it on .value, not in the message', () => {
    const payload = { secret: 'do-not-log' };
    const e = new SendError(payload);
    expect(e.value).toBe(payload);
    expect(e.message).not.toContain('do-not-log');
  });

  it('ChannelOverflowError carries the value that did not fit', () => {
    expect(new ChannelOverflowError('v').value).toBe('v');
  });

  it('subclasses are distinct from each other', () => {
    expect(new SendError(1)).not.toBeInstanceOf(SenderDroppedError);
    expect(new SenderDroppedError()).not.toBeInstanceOf(SendError);
    expect(new ReceiverBusyError()).not.toBeInstanceOf(SendError);
  });

  it('keeps a stack trace', () => {
    expect(new SendError(1).stack).toContain('SendError');
  });
});

describe('errors of the other kinds', () => {
  it('LaggedError carries how many values were skipped, not in the message', () => {
    const e = new LaggedError(42);
    expect(e.skipped).toBe(42);
    expect(e.message).not.toContain('42');
  });

  it('RecvError and ReceiverDroppedError are distinct ChannelErrors', () => {
    expect(new RecvError()).not.toBeInstanceOf(ReceiverDroppedError);
    expect(new ReceiverDroppedError()).not.toBeInstanceOf(RecvError);
    expect(new ReceiverDroppedError()).not.toBeInstanceOf(SenderDroppedError);
  });
});
