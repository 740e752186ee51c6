// Rinkside's chart element: draws a Plotly figure with plotly.js's "basic" build (scatter, bar,
// text; 1.2 MB), served by the app itself from static/, in place of Streamlit's own chart element
// (the full 4.7 MB build, evaluated again in every new tab). The element is mounted in the page
// itself (no iframe), so the chart is an ordinary `.js-plotly-plot` element of the page.
//
// data: UTF-8 JSON bytes {"figure": {data, layout}, "config": {...}}; {"figure": null} only
// loads the code (the warm-up at a session's start).
const BUNDLE = "app/static/plotly-basic-4.1.1.min.js";

function plotly() {
  if (!window.__rinksidePlotly) {
    window.__rinksidePlotly = new Promise((resolve, reject) => {
      if (window.Plotly) {
        resolve(window.Plotly);
        return;
      }
      const script = document.createElement("script");
      script.src = new URL(BUNDLE, document.baseURI).href;
      script.async = true;
      script.onload = () => resolve(window.Plotly);
      script.onerror = () => {
        window.__rinksidePlotly = null; // the next chart tries again
        reject(new Error("The chart code could not be loaded: " + script.src));
      };
      document.head.appendChild(script);
    });
  }
  return window.__rinksidePlotly;
}

function decode(data) {
  if (data === null || data === undefined) return {};
  if (typeof data === "string") return JSON.parse(data);
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return JSON.parse(new TextDecoder().decode(data));
  return data;
}

// A figure made by standings.present.charts carries, in layout.meta.rinkside, what of its layout
// changes with the chart's width (title lines, source lines, the margins that hold them and the
// legend): "screens" as [min width, relayout keys] from narrow to wide, and "export" for the
// 16:9 PNG. The figure's own layout is the phone's.
function setPath(target, path, value) {
  const keys = path.replace(/\[(\d+)\]/g, ".$1").split(".");
  let node = target;
  for (const key of keys.slice(0, -1)) {
    if (node[key] === undefined || node[key] === null) node[key] = /^\d+$/.test(key) ? [] : {};
    node = node[key];
  }
  node[keys[keys.length - 1]] = value;
}

function withKeys(layout, keys) {
  const copy = JSON.parse(JSON.stringify(layout || {}));
  for (const [path, value] of Object.entries(keys || {})) setPath(copy, path, value);
  return copy;
}

function screenFor(figure, width) {
  const screens = (figure.layout && figure.layout.meta && figure.layout.meta.rinkside || {}).screens || [];
  let chosen = -1;
  screens.forEach(([least], i) => {
    if (width >= least) chosen = i;
  });
  return chosen;
}

function layoutFor(figure, chosen) {
  const screens = (figure.layout && figure.layout.meta && figure.layout.meta.rinkside || {}).screens || [];
  return chosen < 0 ? figure.layout || {} : withKeys(figure.layout, screens[chosen][1]);
}

// The PNG: the figure laid out for the export (one-line title, no toolbar to avoid) at the base
// size of the sidebar's choice, scaled; saved under the figure's name.
async function savePng(Plotly, figure, options) {
  const rinkside = (figure.layout && figure.layout.meta && figure.layout.meta.rinkside) || {};
  const layout = withKeys(figure.layout, rinkside.export);
  const url = await Plotly.toImage(
    { data: figure.data || [], layout, config: { staticPlot: true } },
    { format: options.format || "png", width: options.width, height: options.height, scale: options.scale || 1 }
  );
  const link = document.createElement("a");
  link.href = url;
  link.download = (options.filename || "chart") + ".png";
  document.body.appendChild(link);
  link.click();
  link.remove();
}

function configFor(Plotly, box, spec) {
  const config = Object.assign({}, spec.config || {});
  const options = config.toImageButtonOptions;
  if (options) {
    // Three buttons (save, zoom, reset), so the toolbar fits the corner the titles leave it.
    config.modeBarButtons = [
      [
        {
          name: "Download plot as a PNG",
          icon: Plotly.Icons.camera,
          click: () => savePng(Plotly, box.__rinksideFigure, options),
        },
        "zoom2d",
        "resetScale2d",
      ],
    ];
  }
  return config;
}

function draw(Plotly, box, spec) {
  const figure = box.__rinksideFigure;
  const chosen = screenFor(figure, box.clientWidth || window.innerWidth);
  box.__rinksideScreen = chosen;
  return Plotly.react(box, figure.data || [], layoutFor(figure, chosen), configFor(Plotly, box, spec));
}

export default function (component) {
  const { parentElement, data } = component;
  const box = parentElement.querySelector(".rs-chart");
  if (!box) return;
  const spec = decode(data);
  const figure = spec.figure;
  const sequence = (box.__rinksideSequence = (box.__rinksideSequence || 0) + 1);
  if (figure && figure.layout && figure.layout.height) box.style.minHeight = figure.layout.height + "px";
  plotly()
    .then((Plotly) => {
      // Only the newest figure is drawn if several arrive while the code loads.
      if (!figure || sequence !== box.__rinksideSequence) return;
      box.__rinksideFigure = figure;
      box.__rinksideSpec = spec;
      if (!box.__rinksideWatch && window.ResizeObserver) {
        // A new layout only when the width crosses to another screen (a phone turned, a window
        // resized); Plotly's own "responsive" resizes within one.
        box.__rinksideWatch = new ResizeObserver(() => {
          const now = box.__rinksideFigure && screenFor(box.__rinksideFigure, box.clientWidth);
          if (box.__rinksideFigure && now !== box.__rinksideScreen) draw(Plotly, box, box.__rinksideSpec);
        });
        box.__rinksideWatch.observe(box);
      }
      return draw(Plotly, box, spec);
    })
    .catch((error) => {
      box.textContent = String(error && error.message ? error.message : error);
    });
  return () => {
    // Unmounted (not merely redrawn): free Plotly's listeners once the element has left the page.
    setTimeout(() => {
      if (!box.isConnected) {
        if (box.__rinksideWatch) box.__rinksideWatch.disconnect();
        box.__rinksideWatch = null;
        if (window.Plotly) window.Plotly.purge(box);
      }
    }, 0);
  };
}
