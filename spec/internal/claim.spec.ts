import { Claim } from '../../lib/internal/claim.js';
import { ReceiverBusyError } from '../../lib/errors.js';

// Claim is the one ownership rule behind every single-consumer receiver. Through the public
// API a consumer never re-checks or releases a claim it does not hold (see
// docs/mutation-testing.md), so the rule's own contract is pinned here.
describe('Claim', () => {
  const target = (): { isDone: boolean } => ({ isDone: false });

  it('reports no owner until a consumer takes it, then that consumer', () => {
    const claim = new Claim(target());
    const a = {};
    expect(claim.owner).toBeNull();
    claim.take(a);
    expect(claim.owner).toBe(a);
  });

  it('lets the holder pass its own check and take it again', () => {
    const claim = new Claim(target());
    const a = {};
    claim.take(a);
    expect(claim.heldByOther(a)).toBe(false);
    expect(() => claim.check(a)).not.toThrow();
    expect(() => claim.take(a)).not.toThrow();
    expect(claim.owner).toBe(a);
  });

  it('refuses every other consumer and unowned calls with ReceiverBusyError', () => {
    const claim = new Claim(target());
    const a = {};
    const b = {};
    claim.take(a);
    expect(claim.heldByOther(b)).toBe(true);
    expect(claim.heldByOther(null)).toBe(true);
    expect(() => claim.check(null)).toThrow(ReceiverBusyError);
    expect(() => claim.take(b)).toThrow(ReceiverBusyError);
    expect(claim.owner).toBe(a);
  });

  it('ignores a release by a consumer that does not hold it', () => {
    const claim = new Claim(target());
    const a = {};
    const b = {};
    claim.take(a);
    claim.release(b);
    expect(claim.owner).toBe(a);
    expect(() => claim.check(null)).toThrow(ReceiverBusyError);
  });

  it('frees the claim when the holder releases it, for the next consumer', () => {
    const claim = new Claim(target());
    const a = {};
    const b = {};
    claim.take(a);
    claim.release(a);
    expect(claim.owner).toBeNull();
    expect(() => claim.check(null)).not.toThrow();
    claim.take(b);
    expect(claim.owner).toBe(b);
  });

  it('no longer refuses anyone once its target is done', () => {
    const t = target();
    const claim = new Claim(t);
    claim.take({});
    t.isDone = true;
    expect(claim.heldByOther(null)).toBe(false);
    expect(() => claim.take({})).not.toThrow();
  });
});
