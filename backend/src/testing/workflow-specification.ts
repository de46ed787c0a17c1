/** given-inputs / when-input / then-commands for a workflow (Emmett's shape: decide, evolve on inputs and outputs). */
export interface Workflow<Input, Command, State> {
  decide(input: Input, state: State): Command[];
  evolve(state: State, message: Input | Command): State;
  initialState(): State;
}

export const workflowSpecification = <Input, Command, State>(workflow: Workflow<Input, Command, State>) => ({
  given: (inputs: readonly Input[]) => ({
    when: (input: Input) => {
      const run = (): Command[] => {
        // Every given input went through the workflow, so the commands it sent are part of the state.
        const state = inputs.reduce(
          (current, given) => workflow.decide(given, current).reduce(workflow.evolve, workflow.evolve(current, given)),
          workflow.initialState(),
        );
        return workflow.decide(input, state);
      };
      return {
        then: (expected: readonly Command[]): void => {
          expect(run()).toEqual(expected);
        },
        thenMatch: (assert: (commands: Command[]) => void): void => {
          assert(run());
        },
      };
    },
  }),
});
