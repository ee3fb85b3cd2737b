import type { Album } from './model';

/** Undo and redo over immutable albums. */
export interface History {
  past: Album[];
  present: Album;
  future: Album[];
}

export const HISTORY_LIMIT = 500;

export function createHistory(album: Album): History {
  return { past: [], present: album, future: [] };
}

/** Records a new present; an edit that changes nothing is not recorded. */
export function commit(history: History, next: Album): History {
  if (next === history.present) return history;
  const past = [...history.past, history.present];
  if (past.length > HISTORY_LIMIT) past.shift();
  return { past, present: next, future: [] };
}

export function undo(history: History): History {
  if (history.past.length === 0) return history;
  const past = history.past.slice();
  const present = past.pop() as Album;
  return { past, present, future: [history.present, ...history.future] };
}

export function redo(history: History): History {
  if (history.future.length === 0) return history;
  const [present, ...future] = history.future;
  return { past: [...history.past, history.present], present, future };
}

export const canUndo = (h: History) => h.past.length > 0;
export const canRedo = (h: History) => h.future.length > 0;
