/** given-events / when-command / then-events for any decider. */
export interface Decider<Command, Event, State> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}

export const deciderSpecification = <Command, Event, State>(decider: Decider<Command, Event, State>) => ({
  given: (events: readonly Event[]) => ({
    when: (command: Command) => {
      const run = (): Event[] => decider.decide(command, events.reduce(decider.evolve, decider.initialState()));
      return {
        then: (expected: readonly Event[]): void => {
          expect(run()).toEqual(expected);
        },
        thenThrows: (message: RegExp): void => {
          expect(run).toThrow(message);
        },
      };
    },
  }),
});
