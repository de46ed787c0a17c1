import { explainConflict, type ExplanationFacts } from './conflict-witness';

const person = (name: string, server: string) => ({ attemptId: `${name}-id`, customerName: name, serverId: server });
const max = person('Max', 'server-2');
const ana = person('Ana', 'server-1');
const facts = (overrides: Partial<ExplanationFacts>): ExplanationFacts => ({
  kinds: ['contention', 'inversion'],
  serverClockWinner: max,
  ntpCorrectedWinner: ana,
  authoritative: { winner: ana, decidedBy: 'ntp_corrected' },
  candidates: [ana],
  trulyFirst: ana,
  boundViolated: false,
  ...overrides,
});

describe('explainConflict names the ordering that was actually wrong', () => {
  it('blames the server clocks when NTP-corrected time named the truly first customer', () => {
    expect(explainConflict(facts({}))).toBe(
      'inversion: server clocks put Max (server-2) first, NTP-corrected time puts Ana (server-1) first; the server clocks were wrong',
    );
  });

  it('never says the server clocks were wrong when they named the truly first customer (seen: "…but Max was truly first")', () => {
    const text = explainConflict(facts({ trulyFirst: max, boundViolated: true }));
    expect(text).toContain('NTP-corrected time was wrong (a bound did not hold)');
    expect(text).not.toContain('server clocks were wrong');
  });

  it('says when both orderings missed the truly first customer', () => {
    expect(explainConflict(facts({ trulyFirst: person('Cy', 'server-3') }))).toContain(
      'both were wrong: truly first was Cy (server-3)',
    );
  });

  it('for an ambiguous seat, says log order decided and who was truly first', () => {
    const text = explainConflict(
      facts({
        kinds: ['contention', 'ambiguous'],
        serverClockWinner: ana,
        authoritative: { winner: max, decidedBy: 'log_order' },
        candidates: [max, ana],
      }),
    );
    expect(text).toBe(
      'ambiguous: time cannot order Max (server-2), Ana (server-1) (their error intervals overlap); log order gives the seat to Max (server-2); truly first was Ana (server-1)',
    );
  });
});
