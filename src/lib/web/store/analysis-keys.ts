/** Where a measurement is kept in the analyses table. */

/** A file as imported (made by the import itself, in the same pass). */
export function assetAnalysisKey(assetId: string): string {
  return `asset:${assetId}`;
}
