/** What a command's action does: its work, resolving to the exit code (src/model/exit-codes.ts). */
export type Action = () => Promise<number>;
