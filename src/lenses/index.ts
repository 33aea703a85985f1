/** The Lenses HQ client: plain Node, no `vscode`. */
export { LensesClient, type LensesClientOptions, type LensesRequestOptions, type QueryValue, type TokenSource } from './client';
export { LensesApiError, LensesConnectionError, UnsafePathSegmentError, problemFromResponse, type InvalidField } from './errors';
export { isSafePathSegment, MAX_PATH_SEGMENT_LENGTH, path, pathSegment } from './paths';
export { executeSql, type SqlExecutionOptions, type SqlExecutionResult } from './sql';
