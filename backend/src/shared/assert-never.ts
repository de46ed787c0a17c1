/** Makes a switch exhaustive: adding a variant breaks the build where it is not handled. */
export const assertNever = (value: never): never => {
  throw new Error(`Unhandled variant: ${JSON.stringify(value)}`);
};
