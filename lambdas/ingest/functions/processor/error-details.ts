/** An error as a record or a note keeps it: its name, and its message cut to 500 characters. */
export function errorDetails(error: unknown): { code: string; message: string } {
  return {
    code: error instanceof Error ? error.name : 'Error',
    message: (error instanceof Error ? error.message : String(error)).slice(0, 500),
  };
}
