/** Makes a switch over a string union exhaustive: adding a member breaks the build here. */
export function assertUnreachable(value: never): never {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
}
