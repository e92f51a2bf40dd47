// ACS error body (CommunicationErrorResponse) that core-client turns into a RestError.
export function errorBody(
  code: string,
  message: string,
): { error: { code: string; message: string } } {
  return { error: { code, message } };
}
