// Render ISF cases with the reference JavaScript renderer (npm interactive-shader-format) and
// print the pixels into <pre id="out"> as JSON, for `chromium --dump-dom` to hand back.
//
// Everything is synchronous (images are canvases filled from raw RGBA), so the DOM is final
// when the page has loaded.  The renderer reads Date.now() for TIME; we pin it per frame.
(function () {
  const out = document.getElementById('out');
  const results = {};
  const logs = [];
  const realLog = console.log;
  console.log = function () { logs.push(Array.from(arguments).join(' ')); };

  function b64ToBytes(b64) {
    const s = atob(b64);
    const a = new Uint8ClampedArray(s.length);
    for (let i = 0; i < s.length; i++) a[i] = s.charCodeAt(i);
    return a;
  }
  function bytesToB64(bytes) {
    let s = '';
    const chunk = 0x8000;
    for (let i = 0; i < bytes.length; i += chunk) {
      s += String.fromCharCode.apply(null, bytes.subarray(i, i + chunk));
    }
    return btoa(s);
  }
  function pictureCanvas(img) {
    const c = document.createElement('canvas');
    c.width = img.width; c.height = img.height;
    const g = c.getContext('2d');
    g.putImageData(new ImageData(b64ToBytes(img.rgba), img.width, img.height), 0, 0);
    return c;
  }

  const data = JSON.parse(document.getElementById('cases').textContent);
  const canvas = document.createElement('canvas');
  canvas.width = data.width; canvas.height = data.height;
  // webgl2 as the package's own example app uses it; no antialiasing, raw alpha, readable after drawing
  const gl = canvas.getContext('webgl2', { antialias: false, premultipliedAlpha: false,
                                           preserveDrawingBuffer: true, alpha: true });
  const pictures = {};
  for (const key in data.pictures) pictures[key] = pictureCanvas(data.pictures[key]);
  const ISF = window.interactiveShaderFormat;

  for (const c of data.cases) {
    logs.length = 0;
    try {
      const r = new ISF.Renderer(gl);
      r.loadSource(c.fragment, c.vertex || undefined);
      if (!r.valid) {
        results[c.name] = { error: 'reference failed to compile: ' + (logs.join(' | ') || String(r.error)) };
        continue;
      }
      for (const name in c.values) r.setValue(name, c.values[name]);
      r.startTime = 0;
      for (let f = 0; f < c.frames; f++) {
        const t = c.times[Math.min(f, c.times.length - 1)];
        Date.now = function () { return t * 1000; };
        if (f === 0) r.lastRenderTime = t * 1000;
        // images every frame, as the package's example app does (their texture units follow the buffers')
        for (const name in c.images) r.setValue(name, pictures[c.images[name]]);
        // the canvas is ours: start each frame from transparent black, as vj's output does
        // (a vertex shader that moves the quad leaves the rest of the frame untouched)
        gl.bindFramebuffer(gl.FRAMEBUFFER, null);
        gl.clearColor(0, 0, 0, 0);
        gl.clear(gl.COLOR_BUFFER_BIT);
        r.draw(canvas);
      }
      const px = new Uint8Array(data.width * data.height * 4);
      gl.readPixels(0, 0, data.width, data.height, gl.RGBA, gl.UNSIGNED_BYTE, px);
      const err = gl.getError();
      results[c.name] = err ? { error: 'GL error ' + err } : { rgba: bytesToB64(px) };
    } catch (e) {
      // a compile error makes the package's own line mapper throw: report the compiler's words
      const compiled = logs.filter((l) => l.indexOf('Error Compiling Shader') === 0 || l.indexOf('Error in program linking') === 0);
      results[c.name] = { error: compiled.length ? 'reference failed to compile: ' + compiled.join(' | ')
                                                  : 'reference threw: ' + e + ' ' + logs.join(' | ') };
    }
  }
  console.log = realLog;
  out.textContent = JSON.stringify({ renderer: gl.getParameter(gl.RENDERER), results: results });
})();
