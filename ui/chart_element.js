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
      return Plotly.react(box, figure.data || [], figure.layout || {}, spec.config || {});
    })
    .catch((error) => {
      box.textContent = String(error && error.message ? error.message : error);
    });
  return () => {
    // Unmounted (not merely redrawn): free Plotly's listeners once the element has left the page.
    setTimeout(() => {
      if (!box.isConnected && window.Plotly) window.Plotly.purge(box);
    }, 0);
  };
}
