// TypeScript declarations for web/skyglass.js (the Skyglass embedding API).
// Angles are degrees; canvas coordinates are CSS pixels from the top-left corner.

export as namespace Skyglass;

/** Projection codes of the view. */
export type Projection = 'SIN' | 'TAN' | 'STG' | 'ZEA' | 'ARC' | 'AIT' | 'MOL' | 'CAR' | 'MER';
/** Frames the view can be drawn in. */
export type Frame = 'icrs' | 'galactic';

export interface CreateOptions {
  /** Where skyglass.wasm (under dist/) and wasm_exec.js are served; default: next to skyglass.js. */
  baseURL?: string;
  /** HiPS URL of the base layer; default: the embedded Mellinger sky; '' or null: none. */
  hips?: string | null;
  /** Tile format of the base layer: 'jpeg' | 'png' | 'webp' | 'fits'. */
  format?: string;
  /** Load tiles finer than the survey's source data too. */
  fullResolution?: boolean;
  target?: { ra: number; dec: number };
  /** Horizontal field of view (angle between the left and right canvas edges). */
  fov?: number;
  projection?: Projection;
  frame?: Frame;
  /** Show the coordinate grid (true = equatorial, or a frame name). */
  grid?: boolean | Frame;
  /** Colour off the sky, '#rrggbb'. */
  background?: string;
  /** Open FITS files dropped on the viewer (default true). */
  drop?: boolean;
  /** The toolbar (zoom, projection, frame, grid) and the FITS panel (HDU, plane, interval, stretch, colormap, colorbar, histogram, header; key `f` toggles it); default true. */
  controls?: boolean;
}

export interface View {
  ra: number; dec: number; fov: number; projection: Projection; frame: Frame;
  width: number; height: number;
  /** The view as a FITS WCS: header keyword -> value (NAXIS = canvas size). */
  wcs: Record<string, string | number | boolean>;
}

/** Display parameters of FITS data (images, FITS-tile HiPS). */
export interface StretchSpec {
  interval?: 'zscale' | 'minmax' | { percentile: number } | { min: number; max: number };
  min?: number; max?: number;
  stretch?: 'linear' | 'sqrt' | 'log' | 'asinh' | 'power' | 'sinh' | 'squared' | 'histeq';
  /** Parameter of the stretch (astropy's a). */
  a?: number;
  colormap?: string;
  invert?: boolean;
  /** DS9 contrast (0..10, default 1) and bias (0..1, default 0.5). */
  contrast?: number; bias?: number;
}

export interface HiPSOptions { opacity?: number; format?: string; fullResolution?: boolean; stretch?: StretchSpec }

export interface HiPSLayer {
  readonly id: number;
  readonly url: string;
  /** Only for FITS tiles. */
  setStretch(spec: StretchSpec): HiPSLayer;
  setOpacity(opacity: number): HiPSLayer;
  remove(): void;
}

/** openFITS options. maxTexture: split the image into textures of at most this side (default and upper
 *  bound: the GPU's MAX_TEXTURE_SIZE); planes over 2048² pixels use a preview plus 512² tiles on demand. */
export interface FITSOptions { hdu?: number; plane?: number; name?: string; maxTexture?: number }

export interface HDUInfo {
  index: number; name: string; type: string; shape: number[]; bitpix: number; compression?: string;
  /** Holds an image of two or more axes. */
  image?: boolean;
  /** Looks like a mask of bit flags (EXTNAME contains MASK or is DQ, MP_ keywords, or an integer image with a float sibling of the same shape). */
  mask?: boolean;
}

/** A bit plane of a mask HDU: its bit (0..31), its name (from MP_<NAME>, else 'bit N') and how many pixels have it set. */
export interface MaskBit { bit: number; name: string; count: number }

/** A mask HDU of an image's file, with its bit planes. */
export interface MaskHDU { hdu: number; name: string; shape: number[]; bits: MaskBit[] }

/** A mask overlay: bit planes of a mask HDU, each in its colour, blended with the opacity. */
export interface MaskSpec {
  /** The mask HDU (default: the first one). */
  hdu?: number;
  /** At most 8, drawn in order (later over earlier); colour: a CSS colour or [r, g, b] in 0..255. */
  planes: { bit: number; color?: string | [number, number, number] }[];
  /** 0..1, default 0.5. */
  opacity?: number;
}

export interface FITSInfo {
  hdus: HDUInfo[]; hdu: number; shape: number[]; bitpix: number; planes?: number;
  /** The file holds one image HDU of one plane: nothing more is read from it once open. */
  single?: boolean;
  /** WCS header cards, or null when the image has no usable WCS (pixel mode). */
  wcs: Record<string, string | number | boolean> | null;
  header: string; notice?: string; bunit?: string;
  /** The third axis of a cube (null for 2-D images): world coordinate of each plane (linear or -LOG; null for other algorithms). */
  axis3: Axis3 | null;
  [key: string]: unknown;
}

export interface Axis3 { ctype: string; cunit: string; crval: number; cdelt: number; crpix: number; values: (number | null)[] }

/** Histogram of the current plane: counts in equal bins over [lo, hi]; below/above the range; blank (NaN) pixels. */
export interface Histogram { lo: number; hi: number; counts: number[]; below: number; above: number; blank: number }

export interface Colorbar { lo: number; hi: number; colors: Uint8Array; ticks: { value: number; pos: number; label: string }[] }

export interface FITSImage {
  readonly id: number;
  info(): FITSInfo;
  getStretch(): StretchSpec & { min: number; max: number };
  setStretch(spec: StretchSpec): FITSImage;
  /** Physical value of the pixel at that sky position, or null outside the image / blank. */
  valueAt(ra: number, dec: number): number | null;
  readoutAt(ra: number, dec: number): { value: number; x: number; y: number } | null;
  /** FITS 1-based pixel coordinates. */
  valueAtPixel(x: number, y: number): number | null;
  pixelToWorld(x: number, y: number): [number, number] | null;
  worldToPixel(ra: number, dec: number): [number, number] | null;
  setOpacity(opacity: number): FITSImage;
  setPlane(k: number): Promise<FITSImage>;
  remove(): void;
  /** Histogram of the current plane (default 256 bins over the data min..max). */
  histogram(options?: { bins?: number; min?: number; max?: number }): Histogram;
  /** Colorbar of the current display: n RGBA colours and about `ticks` labelled ticks. */
  colorbar(options?: { n?: number; ticks?: number }): Colorbar;
  /** Header cards containing the query (case-insensitive). */
  searchHeader(query: string): { index: number; card: string }[];
  /** Shows the image on its own pixel grid (no reprojection; northUp keeps the WCS orientation at the centre), or back through its WCS. */
  setPixelMode(on: boolean, options?: { northUp?: boolean }): FITSImage;
  pixelMode(): { on: boolean; northUp: boolean };
  /** Shows another HDU of the same file (display setting back to defaults). */
  setHDU(index: number): Promise<FITSImage>;
  /** The mask HDUs of the file (other than the one shown), with their bit planes and pixel counts. */
  masks(): Promise<MaskHDU[]>;
  /** Shows bit planes of a mask HDU over the image (it must have the image's shape). */
  showMask(spec: MaskSpec): Promise<FITSImage>;
  /** Takes the mask overlay off. */
  hideMask(): FITSImage;
  /** The mask overlay shown (colours as '#rrggbb'), or null. */
  getMask(): { hdu: number; planes: { bit: number; color: string }[]; opacity: number } | null;
}

export interface CatalogOptions {
  format?: string;
  /** Column names overriding the automatic choice. */
  ra?: string; dec?: string; id?: string;
  shape?: 'circle' | 'square' | 'cross' | 'plus' | 'diamond' | 'triangle';
  color?: string; size?: number; opacity?: number;
  colorBy?: string; colormap?: string; sizeBy?: string;
  /** STC-S footprint column (default: s_region when present). */
  footprint?: string;
  /**
   * Time series (a long-format detection table, one row per detection): any of these makes the
   * catalogue a time series grouped into objects on `id`. Column names override the automatic
   * choice (time by UCD time.epoch, name or unit; MJD, JD, ISO-8601, TIMESYS/MJDREF honoured).
   */
  time?: string; mag?: string; flux?: string; err?: string; band?: string;
  /** Force (true) or refuse (false) time-series mode. */
  timeSeries?: boolean;
  /** An object-level table joined on `objectsId` (default: the `id` column's name); gives positions when the detections have none. */
  objects?: File | Blob | string | ArrayBuffer | ArrayBufferView;
  objectsId?: string;
}

export interface SeriesInfo {
  tmin: number; tmax: number; objects: number; detections: number;
  /** Milliseconds the grouping into objects took. */
  groupMs: number;
  kind: 'mag' | 'flux'; unit: string; column: string; timeColumn: string;
  window: [number, number] | null;
}

export interface LightCurve {
  id: string; ra: number | null; dec: number | null; n: number; tmin: number; tmax: number; mean: number | null;
  /** MJD, in time order. */
  time: number[]; value: number[]; /** NaN where absent. */ error: number[]; band: string[];
  /** Detection rows of the table. */
  rows: number[];
  kind: 'mag' | 'flux'; unit: string;
  /** The object's row of the joined object-level table. */
  object?: Record<string, unknown>;
}

export interface Periodogram {
  id: string; frequency: Float64Array; power: Float64Array;
  bestFrequency: number; bestPeriod: number; bestPower: number;
}

export interface Folded {
  id: string; period: number; epoch: number; phase: number[]; value: number[]; error: number[]; band: string[]; time: number[];
}

export interface Column { name: string; unit: string; ucd: string; type: string }

export interface Catalog {
  readonly id: number;
  readonly footprints: boolean;
  readonly warnings: string[];
  rows(): number;
  columns(): Column[];
  /** Highlights the rows with these ids (the id column's values, else row indices). */
  select(ids: Array<string | number>): { rows: number[]; missing: Array<string | number> };
  selected(): number[];
  records(rows: number[]): Array<Record<string, unknown>>;
  setStyle(style: Omit<CatalogOptions, 'format' | 'ra' | 'dec' | 'id' | 'footprint'>): Catalog;
  setOpacity(opacity: number): Catalog;
  show(on?: boolean): Catalog;
  stats(): Record<string, number>;
  remove(): void;
  /** True for a time series (added with the time/mag/flux options). */
  readonly timeSeries: boolean;
  seriesInfo(): SeriesInfo;
  timeRange(): [number, number];
  /** Shows only detections with t0 ≤ MJD ≤ t1 (null: all); fade (days) ramps markers in at the edges. Returns the detections in the window. */
  setTimeWindow(t0: number | null, t1?: number | null, options?: { fade?: number }): number;
  getTimeWindow(): [number, number] | null;
  countInWindow(t0: number, t1: number): { detections: number; objects: string[] };
  lightCurve(id: string | number): LightCurve;
  /** Lomb-Scargle (astropy standard normalisation, exact) on astropy's autofrequency grid. */
  periodogram(id: string | number, options?: { fmin?: number; fmax?: number; samplesPerPeak?: number }): Periodogram;
  fold(id: string | number, period: number, options?: { epoch?: number }): Folded;
  /** Opens the light-curve panel of an object. */
  showLightCurve(id: string | number): unknown;

export interface Regions { id: number; count: number; warnings: string[]; remove(): void; show(on: boolean): void }

/** Payloads of the events. */
export interface Events {
  click: { ra: number; dec: number; x: number; y: number };
  hover: { ra: number; dec: number; l: number; b: number; x: number; y: number; value?: number;
    catalog?: number; id?: string | number; row?: number; values?: Record<string, unknown> };
  select: { catalog: number; ids: Array<string | number>; rows: number[]; values?: Array<Record<string, unknown>> };
  viewchange: View;
  load: { type: string; url?: string; [key: string]: unknown };
  progress: { pending?: number; loaded?: number; total?: number; [key: string]: unknown };
  error: Error;
  idle: null;
  timewindow: { catalog: Catalog; t0: number | null; t1: number | null; detections: number };
  /** Debounced: getState() may now return something new (view, layers, styles, selection, time window). */
  statechange: null;
}

/** Serialisable view state (getState/setState, the standalone page's URL hash). */
export interface State {
  version: 1;
  view: { ra: number; dec: number; fov: number; projection: Projection; frame: Frame };
  grid: { show: boolean; frame: Frame };
  hips: Array<{ url: string; opacity?: number; format?: string; fullResolution?: boolean; stretch?: StretchSpec }>;
  images: Array<{ url: string; hdu?: number; plane?: number; stretch?: StretchSpec; opacity?: number }>;
  catalogs: Array<{ url?: string; text?: string; options?: CatalogOptions; style?: CatalogOptions;
    selected?: Array<string | number>; timeWindow?: [number, number] }>;
  regions: Array<{ url?: string; text?: string }>;
  /** Layers that getState could not save (given as Files, or large in-memory data). */
  skipped?: string[];
}

/** A layer handle in iframe mode: the layer's fields, and its methods returning promises. */
export type FrameHandle = { $handle: number; kind: 'catalog' | 'image' | 'hips' | 'regions'; id: number } &
  { [method: string]: any };

/** A viewer in an iframe (Skyglass.frame): every Viewer method returns a promise. */
export type FrameViewer = {
  [K in keyof Viewer]: Viewer[K] extends (...a: infer A) => infer R ? (...a: A) => Promise<Awaited<R> extends Viewer ? null : any> : never
} & {
  on<K extends keyof Events>(name: K, cb: (payload: Events[K]) => void): FrameViewer;
  off<K extends keyof Events>(name: K, cb: (payload: Events[K]) => void): FrameViewer;
  /** Stops listening to the frame (the viewer keeps running). */
  disconnect(): void;
};

export interface FrameOptions { origin?: string; timeout?: number }

export interface Viewer {
  on<K extends keyof Events>(name: K, cb: (payload: Events[K]) => void): Viewer;
  off<K extends keyof Events>(name: K, cb: (payload: Events[K]) => void): Viewer;
  goto(ra: number, dec: number, options?: { fov?: number; animate?: boolean; duration?: number }): Viewer;
  setView(ra: number, dec: number, fov: number): Viewer;
  setFov(fov: number): Viewer;
  setProjection(p: Projection): Viewer;
  setFrame(frame: Frame): Viewer;
  setGrid(show: boolean, frame?: Frame): Viewer;
  getView(): View;
  pixelToWorld(x: number, y: number): [number, number] | null;
  worldToPixel(ra: number, dec: number): [number, number] | null;
  addHiPS(url: string, options?: HiPSOptions): Promise<HiPSLayer>;
  hipsLayers(): HiPSLayer[];
  openFITS(src: File | Blob | string | ArrayBuffer | ArrayBufferView, options?: FITSOptions): Promise<FITSImage>;
  images(): FITSImage[];
  addCatalog(src: File | Blob | string | ArrayBuffer | ArrayBufferView, options?: CatalogOptions): Promise<Catalog>;
  addRegions(src: string): Promise<Regions>;
  isIdle(): boolean;
  whenIdle(): Promise<void>;
  frameCount(): number;
  gpuBytes(): number;
  /** The current view as a PNG data URL. */
  exportPNG(): Promise<string>;
  /** The current view as a FITS file with the view's WCS: the top image's values, or the canvas colours. */
  exportFITS(options?: { mode?: 'values' | 'rgb' | 'grey' }): Promise<Uint8Array>;
  getState(): State;
  setState(state: State): Promise<Viewer>;
  /** Removes the viewer from its container and frees its GPU and wasm resources. */
  destroy(): void;
}

/** Creates a viewer inside an element (or the element a CSS selector finds). */
export function create(container: Element | string, options?: CreateOptions): Promise<Viewer>;
export const version: string;
/** Drives a viewer running in an iframe (embed.html?origins=...) over postMessage. */
export function frame(iframe: HTMLIFrameElement, options?: FrameOptions): Promise<FrameViewer>;
/** Serves a viewer to the host page of its iframe (what embed.html does); returns a function that stops. */
export function serveFrame(viewer: Viewer, options: { origins: string[] }): () => void;
