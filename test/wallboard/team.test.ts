import { bookedOfHandled } from '../../wallboard/src/lib/team.js';

describe('bookedOfHandled', () => {
  it('shows the count the server counted, never one rebuilt from the share', () => {
    // 107 of 250 booked: a share rounded anywhere on the way (43%) would rebuild 108.
    expect(bookedOfHandled({ leadsHandled: 250, conversionRate: 0.43, handledBooked: 107 })).toBe(107);
    expect(bookedOfHandled({ leadsHandled: 6, conversionRate: 4 / 6, handledBooked: 4 })).toBe(4);
    expect(bookedOfHandled({ leadsHandled: 0, conversionRate: null, handledBooked: 0 })).toBe(0);
  });
  it('rebuilds the count from the share for a server older than V1.1: 4 of 6 for 67%', () => {
    expect(bookedOfHandled({ leadsHandled: 6, conversionRate: 4 / 6 })).toBe(4);
    expect(bookedOfHandled({ leadsHandled: 7, conversionRate: 0 })).toBe(0);
    expect(bookedOfHandled({ leadsHandled: 0, conversionRate: null })).toBe(0);
  });
});
