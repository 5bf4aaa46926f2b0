// The catalogue of a catalogue dataset (lib/scenarios.mjs CATALOG_DATASETS), the same for every viewer:
// benchCatalog(spec) resolves to {csv, ra: Float64Array, dec: Float64Array}. spec is a URL of a CSV with
// ra/dec columns, or 'synthetic:N' (N sources uniform on the sphere, mulberry32 with seed 12345).
async function benchCatalog(spec) {
  let csv;
  if (spec.startsWith('synthetic:')) {
    const n = +spec.slice(10);
    let s = 12345;
    const rnd = () => { s |= 0; s = s + 0x6D2B79F5 | 0; let x = Math.imul(s ^ s >>> 15, 1 | s); x = x + Math.imul(x ^ x >>> 7, 61 | x) ^ x; return ((x ^ x >>> 14) >>> 0) / 4294967296; };
    const lines = ['id,ra,dec'];
    for (let i = 0; i < n; i++) lines.push(i + ',' + (rnd() * 360).toFixed(6) + ',' + (Math.asin(2 * rnd() - 1) * 180 / Math.PI).toFixed(6));
    csv = lines.join('\n');
  } else {
    csv = await (await fetch(spec)).text();
  }
  const rows = csv.split('\n');
  const head = rows[0].split(',');
  const ri = head.indexOf('ra'), di = head.indexOf('dec');
  const ra = new Float64Array(rows.length - 1), dec = new Float64Array(rows.length - 1);
  let n = 0;
  for (let i = 1; i < rows.length; i++) {
    const f = rows[i].split(',');
    if (f.length <= Math.max(ri, di)) continue;
    ra[n] = +f[ri]; dec[n] = +f[di]; n++;
  }
  return { csv, ra: ra.subarray(0, n), dec: dec.subarray(0, n) };
}
