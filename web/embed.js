// Skyglass in an iframe: embed.html?origins=ORIGIN[,ORIGIN...]&ra=&dec=&fov=&proj=&frame=&hips=&grid
// creates one viewer filling the frame and serves it over postMessage to the host origins listed
// (Skyglass.frame(iframe) on the host side). Without ?origins= only this page's own origin may drive it.
(async () => {
  const q = new URLSearchParams(location.search);
  const num = (k, d) => (q.has(k) && Number.isFinite(+q.get(k)) ? +q.get(k) : d);
  const origins = (q.get('origins') || '').split(',').map(s => s.trim()).filter(Boolean);
  if (!origins.length) origins.push(location.origin);
  const opts = {
    target: { ra: num('ra', 266.40), dec: num('dec', -28.94) }, fov: num('fov', 60),
    projection: q.get('proj') || 'SIN', frame: q.get('frame') || undefined,
    grid: q.has('grid') ? (q.get('grid') || 'icrs') : false,
  };
  if (q.has('hips')) opts.hips = q.get('hips');
  try {
    const v = await Skyglass.create('#sky', opts);
    window.viewer = { v, isIdle: () => v.isIdle() };
    Skyglass.serveFrame(v, { origins });
  } catch (e) {
    document.body.textContent = `Skyglass: ${e.message}`;
    document.body.style.color = '#f88';
  }
})();
