/**
 * Errors between the page and its workers: Comlink's "throw" handler carries core's WireError, so
 * a LatheError arrives as a LatheError with its code, its file and its words. Both sides call
 * this before they talk.
 */
import * as Comlink from 'comlink';
import { errorFromWire, errorToWire, type WireError } from '$lib/core/errors';

let installed = false;

export function installErrorTransfer(): void {
  if (installed) return;
  installed = true;
  const builtIn = Comlink.transferHandlers.get('throw');
  if (!builtIn) throw new Error('Comlink has no throw handler to replace');
  Comlink.transferHandlers.set('throw', {
    canHandle: builtIn.canHandle,
    serialize: (thrown) => [errorToWire((thrown as { value: unknown }).value), []],
    deserialize: (wire) => {
      throw errorFromWire(wire as WireError);
    }
  });
}
