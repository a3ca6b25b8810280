/**
 * The file card's icons, one per kind, and the viewer's arrows. Decorative: the name and type label
 * next to them say what the file is.
 */
import { svg, type SVGTemplateResult } from 'lit';
import type { FileKind } from './file-display.ts';

const PAGE = 'M6 2h8l5 5v15H6z M14 2v5h5';
const PATHS: Readonly<Record<FileKind, string>> = {
  image: `${PAGE} M8 18l3-4 2 2 2-3 3 5z`,
  video: `${PAGE} M10 11v6l5-3z`,
  audio: `${PAGE} M11 17a1.5 1.5 0 1 1-1.5-1.5H11V10l4-1v6`,
  archive: `${PAGE} M11 4h2M11 7h2M11 10h2M10.5 13h3v3h-3z`,
  document: `${PAGE} M9 12h7M9 15h7M9 18h5`,
  other: PAGE,
};

export function fileIcon(kind: FileKind): SVGTemplateResult {
  return svg`<path d=${PATHS[kind]} fill="none" stroke="currentColor" stroke-width="1.5" stroke-linejoin="round" />`;
}

export const DOWNLOAD_PATH = 'M12 4v11M7 10l5 5 5-5M5 20h14';
export const CHEVRON_PATH = 'M9 5l7 7-7 7';
export const CLOSE_PATH = 'M6 6l12 12M18 6L6 18';

export function strokeIcon(d: string): SVGTemplateResult {
  return svg`<path d=${d} fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" />`;
}
