// Types of the ES-module entry point (skyglass.mjs); the API itself is declared in skyglass.d.ts.
import type { Viewer, CreateOptions, FrameViewer, FrameOptions } from './skyglass.js';
export * from './skyglass.js';
export function create(container: Element | string, options?: CreateOptions): Promise<Viewer>;
export function frame(iframe: HTMLIFrameElement, options?: FrameOptions): Promise<FrameViewer>;
declare const Skyglass: { create: typeof create; frame: typeof frame };
export default Skyglass;
