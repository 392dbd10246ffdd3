import { bookedOfHandled } from '../../wallboard/src/lib/team.js';

describe('bookedOfHandled', () => {
  it('is the count behind the share, from the same leads: 4 of 6 for 67%', () => {
    expect(bookedOfHandled({ leadsHandled: 6, conversionRate: 4 / 6 })).toBe(4);
    expect(bookedOfHandled({ leadsHandled: 3, conversionRate: 1 })).toBe(3);
    expect(bookedOfHandled({ leadsHandled: 7, conversionRate: 0 })).toBe(0);
  });
  it('is 0 when nobody was handled', () => {
    expect(bookedOfHandled({ leadsHandled: 0, conversionRate: null })).toBe(0);
  });
});
